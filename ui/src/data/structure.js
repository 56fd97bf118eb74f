// Data for the Structure view: every header, table and directory the report holds for a PE, ELF
// or Mach-O file, as blocks of text ready to show. Pure functions.
//
// A block is one of
//   {kind: 'facts', title, rows: [{label, value}]}                     a two-column list
//   {kind: 'table', title, columns: [{key, label}], rows: [{...}], empty}  rows of text; `empty`
//                                                                      says why there are none
//   {kind: 'group', title, blocks: [...]}                              a titled set (a slice, a DLL)
// Numbers follow one rule: addresses, offsets, flags and raw ids in hex; sizes, counts and
// versions in decimal, exact (a size is never rounded here).
import { hex } from './format.js';
import { indicatorsWithEvidence, iocsWithStrings } from './exportHtml.js';

/** `yes` / `no`, or `—` when unknown. */
export const yesNo = (value) => (value === true ? 'yes' : value === false ? 'no' : '—');

/** A COFF / export / debug time stamp: the number as written and its UTC reading. */
export function timestampText(seconds) {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds === 0) return '0 (not set)';
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : `${seconds} (${date.toISOString().replace('T', ' ').replace('.000Z', ' UTC')})`;
}

/** A flags word and the names of the flags set: `0x22 (EXECUTABLE_IMAGE, LARGE_ADDRESS_AWARE)`. */
export function flagsText(value, names) {
  const list = (names ?? []).join(', ');
  return list ? `${hex(value)} (${list})` : hex(value);
}

/** `[major, minor, patch]` as `major.minor.patch`. */
export const versionText = (triple) => (Array.isArray(triple) ? triple.join('.') : '—');

/** Entropy with three decimals (the File map's precision), `—` when not computed. */
export const entropyText = (value) => (Number.isFinite(value) ? value.toFixed(3) : '—');

const text = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));
const listText = (values) => (values?.length ? values.join(', ') : '—');
const facts = (title, rows) => ({ kind: 'facts', title, rows: rows.filter(Boolean).map(([label, value]) => ({ label, value: text(value) })) });
const columns = (spec) => spec.map(([key, label]) => ({ key, label }));
const table = (title, spec, rows, empty) => ({ kind: 'table', title: `${title} (${rows.length})`, columns: columns(spec), rows, empty });

/** The Structure view's blocks for `report`; `[]` when it is not a PE, ELF or Mach-O file. */
export function structureBlocks(report) {
  if (report?.pe) return peBlocks(report.pe);
  if (report?.elf) return elfBlocks(report.elf);
  if (report?.macho) return machoBlocks(report.macho);
  return [];
}

const structureErrors = (report) => (report?.errors ?? []).filter((e) => ['pe', 'elf', 'macho'].includes(e.stage));

/** Why the Structure view is empty for `report`. */
export function noStructureReason(report) {
  const errors = structureErrors(report);
  if (errors.length) return `The ${errors[0].stage.toUpperCase()} headers could not be read: ${errors.map((e) => e.message).join('; ')}`;
  return `This file is ${report?.file_type?.description || report?.format || 'of an unknown type'}, not a PE, ELF or Mach-O executable, so it has no executable structure to show.`;
}

/** Milliseconds with two decimals. */
const msText = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : '—');

/** Where the report was made: `isolated_child`, `worker X`, `local_fallback (reason)`. */
function originText(origin) {
  if (!origin) return '—';
  if (origin.id) return `${origin.kind} ${origin.id}`;
  return origin.reason ? `${origin.kind} (${origin.reason})` : origin.kind;
}

/**
 * The analysis record, for every report: how it was made, every indicator with all its evidence,
 * every IOC with its string, predictions, and the code facts the Code view sums up.
 */
export function recordBlocks(report) {
  const prov = report?.provenance ?? {};
  const strings = report?.strings ?? {};
  const code = report?.code;
  const blocks = [
    facts('Analysis', [
      ['Format', report?.format],
      ['MIME type', report?.file_type?.mime],
      ['Engine version', report?.engine_version],
      ['Report schema', report?.schema_version],
      ['Made by', originText(prov.origin)],
      ['Worker', prov.worker],
      ['Analysis time', msText(prov.analysis_ms)],
      ['Rule set', prov.rules],
      ['Strings found', `${strings.total ?? 0}${strings.truncated ? ` (the first ${strings.items?.length ?? 0} kept)` : ''}`],
      ['IOCs', `${strings.iocs?.length ?? 0}${strings.iocs_truncated ? ' (more were left out at the cap)' : ''}`],
    ]),
    table('Stage timings', [['stage', 'Stage'], ['ms', 'Time']], (prov.stage_ms ?? []).map((t) => ({ stage: t.stage, ms: msText(t.ms) })), 'The report records no stage timing.'),
    table(
      'Indicators',
      [['severity', 'Severity'], ['id', 'Id'], ['title', 'Finding'], ['attack', 'ATT&CK'], ['evidence', 'Evidence']],
      indicatorsWithEvidence(report?.indicators).map((i) => ({ severity: i.severity, id: i.id, title: i.title, attack: i.attackId || '—', evidence: i.evidence.join(' ; ') || '—' })),
      'No indicator was raised.',
    ),
    table(
      'IOCs',
      [['kind', 'Kind'], ['value', 'Value'], ['offset', 'Offset'], ['count', 'Count'], ['string', 'Found in the string']],
      iocsWithStrings(strings).map((i) => ({ kind: i.kind, value: i.value, offset: i.source === 'file' ? hex(i.offset) : i.source, count: String(i.count), string: i.string || '—' })),
      'No URL, domain, address, path or other IOC was found in the strings.',
    ),
    table(
      'Predictions',
      [['model', 'Model'], ['version', 'Version'], ['label', 'Label'], ['score', 'Score'], ['threshold', 'Threshold (strict)'], ['ms', 'Time'], ['reason', 'Reason']],
      (report?.predictions ?? []).map((p) => ({
        model: p.model,
        version: text(p.version),
        label: p.label,
        score: Number.isFinite(p.score) ? p.score.toFixed(4) : '—',
        threshold: `${Number.isFinite(p.threshold) ? p.threshold.toFixed(4) : '—'} (${Number.isFinite(p.strict_threshold) ? p.strict_threshold.toFixed(4) : '—'})`,
        ms: msText(p.ms),
        reason: text(p.reason),
      })),
      'No model ran on this file.',
    ),
  ];
  if (code) {
    blocks.push({
      kind: 'group',
      title: 'Code facts',
      blocks: [
        table(
          'Functions',
          [['address', 'Address'], ['size', 'Size'], ['instructions', 'Instructions'], ['found_by', 'Found by'], ['cut', 'Cut at the budget']],
          (code.functions ?? []).map((f) => ({ address: hex(f.address), size: String(f.size), instructions: String(f.instruction_count), found_by: text(f.found_by), cut: f.cut ? 'yes' : 'no' })),
          'No function was found from the entry point, exports or calls.',
        ),
        table(
          'API call sites',
          [['address', 'Call at'], ['function', 'In function'], ['api', 'API'], ['kind', 'Kind']],
          (code.api_calls ?? []).map((c) => ({ address: hex(c.address), function: hex(c.function), api: c.api, kind: text(c.kind) })),
          'No call to an imported API was seen in the code read.',
        ),
        table('API call counts', [['api', 'API'], ['count', 'Calls']], (code.api_call_counts ?? []).map((c) => ({ api: c.api, count: String(c.count) })), 'No call to an imported API was seen.'),
        table('Mnemonics', [['mnemonic', 'Mnemonic'], ['count', 'Count']], (code.mnemonic_histogram ?? []).map((m) => ({ mnemonic: m.mnemonic, count: String(m.count) })), 'No instruction was decoded.'),
      ],
    });
  }
  return [{ kind: 'group', title: 'Analysis record', blocks }];
}

/** What a partly read structure lacks (`null` when it was read whole): the parser's own words. */
export function partialStructureNote(report) {
  const errors = structureErrors(report);
  if (!errors.length) return null;
  return `Read in part, so what follows may stop short: ${errors.map((e) => `${e.stage}: ${e.message}`).join('; ')}`;
}

// ---------------------------------------------------------------- PE

function peBlocks(pe) {
  const hd = pe.headers ?? {};
  const blocks = [
    facts('Headers', [
      ['Machine', `${hd.machine_name || 'unknown'} (${hex(hd.machine)})`],
      ['Compile time stamp', timestampText(hd.timestamp)],
      ['Subsystem', `${hd.subsystem_name || 'unknown'} (${hd.subsystem})`],
      ['Subsystem version', `${hd.major_subsystem_version}.${hd.minor_subsystem_version}`],
      ['DLL characteristics', flagsText(hd.dll_characteristics, hd.dll_characteristics_flags)],
      ['Characteristics', flagsText(hd.characteristics, hd.characteristics_flags)],
      ['Optional header', `${hex(hd.optional_magic)} (${hd.is_pe32_plus ? 'PE32+' : 'PE32'})`],
      ['Entry point', `${hex(hd.entry_point)}${pe.entry_point_section ? ` in ${pe.entry_point_section}` : ''}`],
      ['Image base', hex(hd.image_base)],
      ['Size of image', hd.size_of_image],
      ['Size of headers', hd.size_of_headers],
      ['Size of code', hd.size_of_code],
      ['Section alignment', hex(hd.section_alignment)],
      ['File alignment', hex(hd.file_alignment)],
      ['Linker version', `${hd.major_linker_version}.${hd.minor_linker_version}`],
      ['OS version', `${hd.major_os_version}.${hd.minor_os_version}`],
      ['Image version', `${hd.major_image_version}.${hd.minor_image_version}`],
      ['Checksum (stored / computed)', `${hex(hd.checksum)} / ${hex(pe.checksum_computed)}`],
      ['Sections declared', hd.number_of_sections],
      ['Data directories declared', hd.number_of_rva_and_sizes],
      ['COFF symbol table', `${hex(hd.pointer_to_symbol_table)}, ${hd.number_of_symbols} symbols`],
      ['Optional header size', hd.size_of_optional_header],
      ['NT headers offset (e_lfanew)', hex(hd.dos_e_lfanew)],
      ['Overlay', pe.overlay?.offset === null || pe.overlay?.offset === undefined ? 'none' : `${pe.overlay.size} bytes at ${hex(pe.overlay.offset)}`],
      ['Import hash', pe.imphash],
      ['Export hash', pe.exphash],
      ['Imported functions', `${pe.import_function_count} (${pe.ordinal_import_count} by ordinal)`],
    ]),
    table(
      'Data directories',
      [['index', '#'], ['name', 'Name'], ['address', 'RVA'], ['size', 'Size']],
      (pe.data_directories ?? []).map((d) => ({ index: String(d.index), name: d.name, address: hex(d.virtual_address), size: String(d.size) })),
      'The optional header lists no data directory.',
    ),
    table(
      'Sections',
      [['name', 'Name'], ['raw_name', 'Raw name'], ['va', 'Virtual address'], ['vsize', 'Virtual size'], ['pointer', 'Raw offset'], ['rsize', 'Raw size'], ['characteristics', 'Characteristics'], ['access', 'Access'], ['entropy', 'Entropy'], ['md5', 'MD5']],
      (pe.sections ?? []).map((s) => ({
        name: s.name,
        raw_name: s.name_raw_hex,
        va: hex(s.virtual_address),
        vsize: String(s.virtual_size),
        pointer: hex(s.raw_pointer),
        rsize: String(s.raw_size),
        characteristics: flagsText(s.characteristics, s.characteristics_flags),
        access: `${s.is_readable ? 'r' : '-'}${s.is_writable ? 'w' : '-'}${s.is_executable ? 'x' : '-'}${s.is_code ? ' code' : ''}`,
        entropy: entropyText(s.entropy),
        md5: s.md5,
      })),
      'No section header could be read.',
    ),
    importBlock('Imports', pe.imports, 'Nothing is imported (no import directory, or it could not be read).'),
    importBlock('Delay-load imports', pe.delay_imports, 'No delay-load import directory.'),
    exportBlock(pe),
    richBlock(pe.rich_header),
    table(
      'Debug directory',
      [['type', 'Type'], ['timestamp', 'Time stamp'], ['size', 'Size'], ['address', 'RVA'], ['pointer', 'File offset'], ['codeview', 'CodeView'], ['pdb', 'PDB path'], ['guid', 'PDB GUID'], ['age', 'Age']],
      (pe.debug ?? []).map((d) => ({
        type: `${d.type_name ?? 'unknown'} (${d.type})`,
        timestamp: timestampText(d.timestamp),
        size: String(d.size),
        address: hex(d.address_of_raw_data),
        pointer: hex(d.pointer_to_raw_data),
        codeview: text(d.codeview_signature),
        pdb: text(d.pdb),
        guid: text(d.pdb_guid),
        age: text(d.pdb_age),
      })),
      'No debug directory: no PDB path or build record.',
    ),
    tlsBlock(pe.tls),
    table(
      'Resources',
      [['type', 'Type'], ['name', 'Name / id'], ['language', 'Language'], ['rva', 'RVA'], ['offset', 'File offset'], ['size', 'Size'], ['in_file', 'Bytes in file'], ['code_page', 'Code page'], ['entropy', 'Entropy'], ['content', 'Content']],
      (pe.resources ?? []).map((r) => ({
        type: r.type_id === null || r.type_id === undefined ? r.kind : `${r.kind} (${r.type_id})`,
        name: r.name ?? text(r.id),
        language: `${r.language || 'unknown'}${r.sublanguage ? ` / ${r.sublanguage}` : ''} (${r.language_id}, ${r.sublanguage_id})`,
        rva: hex(r.rva),
        offset: r.offset === null || r.offset === undefined ? 'outside the file' : hex(r.offset),
        size: String(r.size),
        in_file: String(r.size_in_file),
        code_page: String(r.code_page),
        entropy: entropyText(r.entropy),
        content: text(r.content),
      })),
      'No resource directory.',
    ),
    versionBlock(pe.version_info),
    ...authenticodeBlocks(pe.authenticode),
    clrBlock(pe.clr),
  ];
  return blocks;
}

function importBlock(title, imports, empty) {
  const dlls = imports ?? [];
  const count = dlls.reduce((n, d) => n + (d.symbols?.length || d.functions?.length || 0), 0);
  if (!dlls.length) return { kind: 'table', title: `${title} (0)`, columns: [], rows: [], empty };
  return {
    kind: 'group',
    title: `${title}: ${dlls.length} libraries, ${count} functions`,
    blocks: dlls.map((d) => {
      // Older reports have names only; every name still gets a row.
      const symbols = d.symbols?.length ? d.symbols : (d.functions ?? []).map((name) => ({ name }));
      return table(
        d.dll,
        [['name', 'Function'], ['ordinal', 'Ordinal'], ['hint', 'Hint'], ['by', 'Imported by'], ['iat', 'IAT slot (RVA)']],
        symbols.map((s) => ({
          name: text(s.name),
          ordinal: text(s.ordinal),
          hint: text(s.hint),
          by: s.by_ordinal ? 'ordinal' : s.by_ordinal === false ? 'name' : '—',
          iat: s.iat_rva === undefined ? '—' : hex(s.iat_rva),
        })),
        'No function is imported from this library.',
      );
    }),
  };
}

function exportBlock(pe) {
  const dir = pe.export_directory;
  const rows = (pe.exports ?? []).map((e) => ({ name: text(e.name), ordinal: String(e.ordinal), address: hex(e.address), forwarder: text(e.forwarder) }));
  const list = table('Exported symbols', [['name', 'Name'], ['ordinal', 'Ordinal'], ['address', 'RVA'], ['forwarder', 'Forwarded to']], rows, 'Nothing is exported.');
  if (!dir) return list;
  return {
    kind: 'group',
    title: 'Exports',
    blocks: [
      facts('Export directory', [
        ['DLL name', dir.dll_name],
        ['Ordinal base', dir.ordinal_base],
        ['Time stamp', timestampText(dir.timestamp)],
        ['Functions declared', dir.number_of_functions],
        ['Names declared', dir.number_of_names],
      ]),
      list,
    ],
  };
}

function richBlock(rich) {
  if (!rich) return { kind: 'table', title: 'Rich header (0)', columns: [], rows: [], empty: 'No Rich header: the file was not linked by the Microsoft linker, or the header was removed.' };
  return {
    kind: 'group',
    title: 'Rich header',
    blocks: [
      facts('Rich header', [
        ['XOR key', rich.key],
        ['Checksum (stored / computed)', `${hex(rich.checksum)} / ${hex(rich.checksum_computed)}`],
        ['Checksum valid', `${yesNo(rich.checksum_valid)}${rich.checksum_valid ? '' : ' (a mismatch hints at a forged header)'}`],
        ['Clear data MD5', rich.clear_data_md5],
        ['Raw data', rich.raw_data_hex],
        ['Clear data', rich.clear_data_hex],
      ]),
      table('Rich entries', [['prod', 'Product id'], ['build', 'Build'], ['count', 'Count']], (rich.entries ?? []).map((e) => ({ prod: String(e.prod_id), build: String(e.build), count: String(e.count) })), 'The Rich header lists no entry.'),
    ],
  };
}

function tlsBlock(tls) {
  if (!tls) return { kind: 'table', title: 'TLS (0)', columns: [], rows: [], empty: 'No TLS directory: no TLS callback runs before the entry point.' };
  return {
    kind: 'group',
    title: 'TLS',
    blocks: [
      facts('TLS directory', [
        ['Raw data', `${hex(tls.start_address_of_raw_data)} – ${hex(tls.end_address_of_raw_data)}`],
        ['Index address', hex(tls.address_of_index)],
        ['Callbacks address', hex(tls.address_of_callbacks)],
        ['Size of zero fill', tls.size_of_zero_fill],
        ['Characteristics', hex(tls.characteristics)],
      ]),
      table('TLS callbacks', [['index', '#'], ['va', 'Callback (VA)']], (tls.callbacks ?? []).map((va, i) => ({ index: String(i), va: hex(va) })), 'The callback array is empty.'),
    ],
  };
}

function versionBlock(info) {
  const entries = Object.entries(info ?? {});
  return {
    kind: 'table',
    title: `Version information (${entries.length})`,
    columns: columns([
      ['key', 'Key'],
      ['value', 'Value'],
    ]),
    rows: entries.map(([key, value]) => ({ key, value: text(value) })),
    empty: 'No version resource (or it holds no string table).',
  };
}

function authenticodeBlocks(auth) {
  if (!auth) return [{ kind: 'table', title: 'Authenticode (0)', columns: [], rows: [], empty: 'Not signed: the security directory is absent.' }];
  const sig = auth.signature;
  const blocks = [
    facts('Authenticode', [
      ['Security directory', `${auth.security_dir_size} bytes at file offset ${hex(auth.security_dir_offset)}`],
      ['Present', yesNo(auth.present)],
      auth.malformed ? ['Could not be read', auth.malformed] : null,
      ...(sig
        ? [
            ['Signer issuer', sig.signer_issuer],
            ['Signer serial', sig.signer_serial],
            ['Signer self-signed', yesNo(sig.self_signed)],
            ['Signing time', sig.signing_time ? `${sig.signing_time} (from ${sig.signing_time_source ?? 'unknown'})` : '—'],
            ['Digest algorithm', sig.digest_algorithm],
            ['Signed digest', `${sig.signed_digest} (${sig.signed_digest_algorithm})`],
            ['Computed digest', sig.computed_digest],
            ['File unchanged since signing', sig.digest_matches === null || sig.digest_matches === undefined ? 'not checked (no digest to compare)' : sig.digest_matches ? 'yes: the computed digest equals the signed one' : 'no: the file was modified after signing'],
            ['What was checked', 'the file digest against the signed one; the signature and the certificate chain are not verified'],
            ['Nested signatures', sig.nested_signatures],
          ]
        : [['Signature', 'no PKCS#7 signature could be parsed']]),
    ]),
    table(
      'Certificate table entries',
      [['offset', 'File offset'], ['length', 'Length'], ['revision', 'Revision'], ['type', 'Type']],
      (auth.entries ?? []).map((e) => ({ offset: hex(e.offset), length: String(e.length), revision: hex(e.revision), type: `${e.certificate_type_name || 'unknown'} (${e.certificate_type})` })),
      'The security directory holds no WIN_CERTIFICATE entry.',
    ),
  ];
  if (sig) {
    blocks.push(
      table(
        'Certificates',
        [['subject', 'Subject'], ['issuer', 'Issuer'], ['serial', 'Serial'], ['from', 'Valid from'], ['to', 'Valid to'], ['self', 'Self-signed']],
        (sig.certificates ?? []).map((c) => ({ subject: c.subject, issuer: c.issuer, serial: c.serial_number, from: c.not_before, to: c.not_after, self: yesNo(c.self_signed) })),
        'The signature embeds no certificate.',
      ),
    );
  }
  return [{ kind: 'group', title: 'Authenticode signature', blocks }];
}

function clrBlock(clr) {
  if (!clr) return { kind: 'table', title: '.NET (0)', columns: [], rows: [], empty: 'No CLR header: this is native code, not a .NET assembly.' };
  return facts('.NET header', [
    ['Runtime version', clr.runtime_version],
    ['Header runtime version', `${clr.major_runtime_version}.${clr.minor_runtime_version}`],
    ['Header size', clr.header_size],
    [
      'Flags',
      flagsText(
        clr.flags,
        [
          [clr.il_only, 'IL only'],
          [clr.requires_32bit, '32-bit required'],
          [clr.prefers_32bit, '32-bit preferred'],
          [clr.strong_name_signed, 'strong-name signed'],
          [clr.native_entry_point, 'native entry point'],
        ]
          .filter(([set]) => set)
          .map(([, name]) => name),
      ),
    ],
    ['Entry point', `${hex(clr.entry_point)} (${clr.native_entry_point ? 'RVA' : 'token'})`],
    ['Metadata', `${clr.metadata_size} bytes at RVA ${hex(clr.metadata_rva)}`],
    ['Metadata streams', listText(clr.streams)],
  ]);
}

// ---------------------------------------------------------------- ELF

function elfBlocks(elf) {
  const hd = elf.header ?? {};
  const hard = elf.hardening ?? {};
  return [
    facts('Header', [
      ['Class', hd.class],
      ['Endianness', hd.endianness],
      ['OS ABI', hd.os_abi],
      ['Machine', `${hd.machine} (${hd.machine_id})`],
      ['File type', hd.file_type],
      ['Entry point', hex(hd.entry_point)],
      ['Entry in an executable segment', yesNo(elf.entry_in_executable_segment)],
      ['Program headers', `${hd.declared_segments} declared at ${hex(hd.program_header_offset)}`],
      ['Section headers', `${hd.declared_sections} declared at ${hex(hd.section_header_offset)}`],
      ['Section name table index', hd.section_name_table_index],
      ['Processor flags', hex(hd.processor_flags)],
      ['Header size', hd.header_size],
      ['Interpreter', elf.interpreter],
    ]),
    facts('Dynamic section', [
      ['SONAME', elf.soname],
      ['Needed libraries', listText(elf.libraries)],
      ['RPATH', listText(elf.rpaths)],
      ['RUNPATH', listText(elf.runpaths)],
      ['Dynamic symbols (.dynsym)', elf.dynamic_symbol_count],
      ['Static symbols (.symtab)', elf.symtab_symbol_count],
      ['Imported symbols', (elf.imported_symbols ?? []).length],
      ['Exported symbols', (elf.exported_symbols ?? []).length],
    ]),
    facts('Hardening', [
      ['PIE', yesNo(hard.pie)],
      ['NX stack', yesNo(hard.nx)],
      ['RELRO', hard.relro],
      ['Stack canary', yesNo(hard.stack_canary)],
      ['Fortify', yesNo(hard.fortify)],
      ['Fortified functions', listText(hard.fortified_functions)],
      ['Stripped', yesNo(hard.stripped)],
      ['Writable and executable segments', (elf.writable_executable_segments ?? []).length ? elf.writable_executable_segments.map((i) => `#${i}`).join(', ') : 'none'],
    ]),
    table(
      'Segments',
      [['index', '#'], ['type', 'Type'], ['permissions', 'Flags'], ['offset', 'Offset'], ['va', 'Virtual address'], ['pa', 'Physical address'], ['file_size', 'File size'], ['memory_size', 'Memory size'], ['alignment', 'Alignment']],
      (elf.segments ?? []).map((s, i) => ({
        index: String(i),
        type: s.segment_type,
        permissions: `${s.permissions} (${hex(s.raw_flags)}${s.raw_flags !== s.flags ? `, ${hex(s.flags)}` : ''})`,
        offset: hex(s.offset),
        va: hex(s.virtual_address),
        pa: hex(s.physical_address),
        file_size: String(s.file_size),
        memory_size: String(s.memory_size),
        alignment: hex(s.alignment),
      })),
      'No program header could be read (an object file has none).',
    ),
    table(
      'Sections',
      [['index', '#'], ['name', 'Name'], ['type', 'Type'], ['flags', 'Flags'], ['address', 'Address'], ['offset', 'Offset'], ['size', 'Size'], ['alignment', 'Align'], ['entry_size', 'Entry size'], ['link', 'Link'], ['info', 'Info'], ['entropy', 'Entropy']],
      (elf.sections ?? []).map((s, i) => ({
        index: String(i),
        name: s.name || '—',
        type: s.section_type,
        flags: `${s.flag_letters || '—'} (${hex(s.flags)})`,
        address: hex(s.address),
        offset: hex(s.offset),
        size: String(s.size),
        alignment: String(s.alignment),
        entry_size: String(s.entry_size),
        link: String(s.link),
        info: String(s.info),
        entropy: entropyText(s.entropy),
      })),
      'No section header could be read (stripped of its section table, or malformed).',
    ),
    symbolTable('Imported symbols', elf.imported_symbols, 'No undefined function or object symbol.'),
    symbolTable('Exported symbols', elf.exported_symbols, 'No defined global function or object symbol.'),
  ];
}

function symbolTable(title, names, empty) {
  return table(
    title,
    [
      ['index', '#'],
      ['name', 'Name'],
    ],
    (names ?? []).map((name, i) => ({ index: String(i), name })),
    empty,
  );
}

// ---------------------------------------------------------------- Mach-O

function machoBlocks(macho) {
  const slices = macho.slices ?? [];
  const blocks = [
    facts('File', [
      ['Universal (fat)', yesNo(macho.fat)],
      ['Slices declared', macho.declared_slices],
      ['Slices read', slices.length],
    ]),
  ];
  if (!slices.length) blocks.push({ kind: 'table', title: 'Slices (0)', columns: [], rows: [], empty: 'No slice could be read: the stage errors say why.' });
  slices.forEach((slice, i) => blocks.push({ kind: 'group', title: `Slice ${i + 1}: ${slice.cpu} ${slice.file_type}`, blocks: sliceBlocks(slice) }));
  return blocks;
}

function sliceBlocks(s) {
  return [
    facts('Header', [
      ['CPU', `${s.cpu} (subtype ${hex(s.cpu_subtype)})`],
      ['Magic', s.magic],
      ['File type', s.file_type],
      ['Flags', flagsText(s.flags, s.flag_names)],
      ['Offset in the file', hex(s.fat_offset)],
      ['Size', s.size],
      ['Load commands', `${s.declared_commands} declared, ${s.commands_size} bytes`],
      ['Entry point', s.entry_point === null || s.entry_point === undefined ? '—' : hex(s.entry_point)],
      ['UUID', s.uuid],
      ['Install name', s.install_name],
      ['Dynamic linker', s.dylinker],
      ['Run paths', listText(s.rpaths)],
      ['Build version', s.build_version ? `${s.build_version.platform} min ${versionText(s.build_version.minos)}, SDK ${versionText(s.build_version.sdk)}` : '—'],
      ['Minimum version', s.version_min ? `${s.version_min.command} ${versionText(s.version_min.version)}, SDK ${versionText(s.version_min.sdk)}` : '—'],
      ['Code signature', s.has_code_signature ? (s.code_signature ? `${s.code_signature.size} bytes at ${hex(s.code_signature.offset)}` : 'present') : 'none'],
      ['Encryption', s.encryption ? `${s.encryption.size} bytes at ${hex(s.encryption.offset)}, cryptid ${s.encryption.cryptid}${s.encryption.cryptid ? ' (encrypted)' : ''}` : 'none'],
    ]),
    table(
      'Load commands',
      [['index', '#'], ['command', 'Command'], ['id', 'cmd'], ['offset', 'Offset'], ['size', 'Size']],
      (s.load_commands ?? []).map((c, i) => ({ index: String(i), command: c.command, id: hex(c.id), offset: hex(c.offset), size: String(c.size) })),
      'No load command could be read.',
    ),
    table(
      'Segments',
      [['name', 'Name'], ['va', 'VM address'], ['vsize', 'VM size'], ['offset', 'File offset'], ['file_size', 'File size'], ['protection', 'Protection (init / max)'], ['nsections', 'Sections'], ['flags', 'Flags'], ['entropy', 'Entropy']],
      (s.segments ?? []).map((g) => ({
        name: g.name,
        va: hex(g.virtual_address),
        vsize: String(g.virtual_size),
        offset: hex(g.file_offset),
        file_size: String(g.file_size),
        protection: `${g.permissions} (${g.init_protection} / ${g.max_protection})`,
        nsections: String(g.nsections),
        flags: hex(g.flags),
        entropy: entropyText(g.entropy),
      })),
      'No segment command.',
    ),
    table(
      'Sections',
      [['name', 'Name'], ['segment', 'Segment'], ['address', 'Address'], ['size', 'Size'], ['offset', 'Offset'], ['alignment', 'Align (2^n)'], ['type', 'Type'], ['flags', 'Flags'], ['entropy', 'Entropy']],
      (s.sections ?? []).map((c) => ({
        name: c.name,
        segment: c.segment,
        address: hex(c.address),
        size: String(c.size),
        offset: hex(c.offset),
        alignment: String(c.alignment),
        type: c.section_type,
        flags: hex(c.flags),
        entropy: entropyText(c.entropy),
      })),
      'No section.',
    ),
    table(
      'Linked libraries',
      [['command', 'Command'], ['name', 'Install name'], ['current', 'Current version'], ['compatibility', 'Compatibility version']],
      (s.dylibs ?? []).map((d) => ({ command: d.command, name: d.name, current: versionText(d.current_version), compatibility: versionText(d.compatibility_version) })),
      'No library is linked.',
    ),
    symbolTable('Imported symbols', s.imported_symbols, 'No undefined external symbol.'),
    symbolTable('Exported symbols', s.exported_symbols, 'The export trie is empty or absent.'),
  ];
}
