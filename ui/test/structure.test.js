import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { entropyText, flagsText, noStructureReason, partialStructureNote, structureBlocks, timestampText, versionText } from '../src/data/structure.js';

const fixture = (name) => JSON.parse(readFileSync(new URL(`../../tests/browser/fixtures/${name}.json`, import.meta.url), 'utf8')).report;

/** Every block, groups opened, by title without its count. */
function byTitle(blocks) {
  const all = new Map();
  const walk = (list) =>
    list.forEach((b) => {
      all.set(b.title.replace(/ \(\d+\)$/, ''), b);
      if (b.kind === 'group') walk(b.blocks);
    });
  walk(blocks);
  return all;
}

test('time stamps read as UTC, 0 says not set', () => {
  assert.equal(timestampText(1600000000), '1600000000 (2020-09-13 12:26:40 UTC)');
  assert.equal(timestampText(0), '0 (not set)');
  assert.equal(flagsText(0x22, ['EXECUTABLE_IMAGE', 'LARGE_ADDRESS_AWARE']), '0x22 (EXECUTABLE_IMAGE, LARGE_ADDRESS_AWARE)');
  assert.equal(flagsText(0, []), '0x0');
  assert.equal(versionText([1, 2, 3]), '1.2.3');
  assert.equal(entropyText(null), '—');
});

test('PE: one section row per header with exact sizes and hex addresses, one import row per symbol', () => {
  const report = fixture('pe');
  const blocks = byTitle(structureBlocks(report));
  const sections = blocks.get('Sections');
  assert.equal(sections.rows.length, report.pe.sections.length);
  report.pe.sections.forEach((s, i) => {
    assert.equal(sections.rows[i].vsize, String(s.virtual_size));
    assert.equal(sections.rows[i].va, `0x${s.virtual_address.toString(16)}`);
    assert.equal(sections.rows[i].access[2], s.is_executable ? 'x' : '-');
  });
  for (const dll of report.pe.imports) {
    const rows = blocks.get(dll.dll).rows;
    assert.equal(rows.length, dll.symbols.length);
    dll.symbols.forEach((s, i) => {
      assert.equal(rows[i].iat, `0x${s.iat_rva.toString(16)}`);
      assert.equal(rows[i].hint, s.hint === null ? '—' : String(s.hint));
    });
  }
  assert.match(blocks.get('Headers').rows.find((r) => r.label === 'Compile time stamp').value, new RegExp(`^${report.pe.headers.timestamp} `));
  assert.equal(blocks.get('Rich header').rows.length, report.pe.rich_header ? 1 : 0);
});

test('PE parts the report lacks give an empty table that says why', () => {
  const report = { pe: { headers: {}, sections: [], imports: [], tls: null, clr: null, authenticode: null } };
  const blocks = byTitle(structureBlocks(report));
  assert.match(blocks.get('TLS').empty, /No TLS directory/);
  assert.match(blocks.get('.NET').empty, /not a \.NET assembly/);
  assert.match(blocks.get('Authenticode').empty, /Not signed/);
  assert.equal(blocks.get('Sections').rows.length, 0);
});

test('.NET, Authenticode, TLS and Rich header facts are shown from the report', () => {
  const pe = {
    headers: {},
    tls: { callbacks: [0x140001000, 0x140001040], address_of_callbacks: 0x140003000 },
    rich_header: { key: 'a1b2c3d4', checksum: 1, checksum_computed: 2, checksum_valid: false, entries: [{ prod_id: 259, build: 30729, count: 7 }] },
    clr: { runtime_version: 'v4.0.30319', il_only: true, strong_name_signed: true, flags: 9, streams: ['#~', '#Strings'] },
    authenticode: { present: true, security_dir_offset: 0x5000, security_dir_size: 800, entries: [{ offset: 0x5000, length: 800, revision: 0x200, certificate_type: 2, certificate_type_name: 'PKCS_SIGNED_DATA' }], signature: { signer_issuer: 'CN=Test CA', digest_matches: false, certificates: [{ subject: 'CN=Signer', issuer: 'CN=Test CA' }] } },
  };
  const blocks = byTitle(structureBlocks({ pe }));
  assert.deepEqual(blocks.get('TLS callbacks').rows.map((r) => r.va), ['0x140001000', '0x140001040']);
  assert.deepEqual(blocks.get('Rich entries').rows, [{ prod: '259', build: '30729', count: '7' }]);
  assert.match(blocks.get('Rich header').rows.find((r) => r.label === 'Checksum valid').value, /^no/);
  const clr = blocks.get('.NET header').rows;
  assert.equal(clr.find((r) => r.label === 'Flags').value, '0x9 (IL only, strong-name signed)');
  assert.equal(clr.find((r) => r.label === 'Metadata streams').value, '#~, #Strings');
  const auth = blocks.get('Authenticode').rows;
  assert.match(auth.find((r) => r.label === 'File unchanged since signing').value, /modified after signing/);
  assert.equal(blocks.get('Certificates').rows[0].subject, 'CN=Signer');
  assert.equal(blocks.get('Certificate table entries').rows[0].type, 'PKCS_SIGNED_DATA (2)');
});

test('ELF: segments and sections in table order, hardening and counts', () => {
  const report = fixture('elf');
  const blocks = byTitle(structureBlocks(report));
  assert.equal(blocks.get('Segments').rows.length, report.elf.segments.length);
  assert.equal(blocks.get('Sections').rows.length, report.elf.sections.length);
  report.elf.sections.forEach((s, i) => assert.equal(blocks.get('Sections').rows[i].size, String(s.size)));
  assert.equal(blocks.get('Imported symbols').rows.length, report.elf.imported_symbols.length);
  const counts = blocks.get('Dynamic section').rows;
  assert.equal(counts.find((r) => r.label === 'Dynamic symbols (.dynsym)').value, String(report.elf.dynamic_symbol_count));
  assert.equal(blocks.get('Hardening').rows.find((r) => r.label === 'RELRO').value, report.elf.hardening.relro);
});

test('Mach-O: a group per slice with its load commands, segments and dylib versions', () => {
  const slice = (cpu) => ({ cpu, file_type: 'DYLIB', load_commands: [{ command: 'SEGMENT_64', id: 0x19, offset: 32, size: 72 }], segments: [{ name: '__TEXT', virtual_address: 0, virtual_size: 16384, permissions: 'r-x' }], dylibs: [{ command: 'LOAD_DYLIB', name: '/usr/lib/libSystem.B.dylib', current_version: [1351, 0, 0], compatibility_version: [1, 0, 0] }], has_code_signature: true, code_signature: { offset: 0x8000, size: 400 } });
  const blocks = structureBlocks({ macho: { fat: true, declared_slices: 2, slices: [slice('X86_64'), slice('ARM64')] } });
  const groups = blocks.filter((b) => b.kind === 'group');
  assert.deepEqual(groups.map((g) => g.title), ['Slice 1: X86_64 DYLIB', 'Slice 2: ARM64 DYLIB']);
  const inner = byTitle(groups[1].blocks);
  assert.equal(inner.get('Load commands').rows[0].id, '0x19');
  assert.equal(inner.get('Linked libraries').rows[0].current, '1351.0.0');
  assert.equal(inner.get('Header').rows.find((r) => r.label === 'Code signature').value, '400 bytes at 0x8000');
});

test('no structure: the reason names the failing stage, or the file type', () => {
  assert.deepEqual(structureBlocks({ format: 'pdf' }), []);
  assert.match(noStructureReason({ format: 'pdf', file_type: { description: 'PDF document' }, errors: [] }), /PDF document, not a PE/);
  assert.match(noStructureReason({ errors: [{ stage: 'pe', message: 'e_lfanew points past the end' }] }), /PE headers could not be read: e_lfanew/);
});

test('a partly read structure says what stopped it; other stages errors are not its business', () => {
  assert.equal(partialStructureNote({ errors: [{ stage: 'strings', message: 'x' }] }), null);
  assert.match(partialStructureNote({ errors: [{ stage: 'elf', message: 'e_phnum 65535 exceeds the file' }] }), /^Read in part.*elf: e_phnum 65535 exceeds the file$/);
});
