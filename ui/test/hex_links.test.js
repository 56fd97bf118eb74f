// The hex drawer's data (regions, rows, the scroll mapping of a 1 GiB file), where code addresses
// lie in the file, and where evidence leads. Checked on recorded reports of the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileOffsetOf } from '../src/data/addresses.js';
import { byteRegions, hexRowText, hexWindow, regionAt, scrollTopFor } from '../src/data/hexRegions.js';
import { callSitesOf, evidenceLinks, sameApi } from '../src/data/links.js';

const fixture = (name) => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'tests', 'browser', 'fixtures', `${name}.json`), 'utf8')).report;

test('regions: sections, headers and overlay of a PE, the topmost layer wins', () => {
  const report = fixture('pe');
  const regions = byteRegions(report);
  const text = report.pe.sections.find((s) => s.name === '.text');
  assert.equal(regionAt(regions, text.raw_pointer).kind, 'code');
  assert.equal(regionAt(regions, 0).kind, 'header');
  assert.equal(regionAt(regions, report.pe.headers.size_of_headers - 1).kind, 'header');
  assert.equal(regionAt(regions, report.pe.overlay.offset).kind, 'overlay');
  assert.equal(regionAt(regions, report.size - 1).kind, 'overlay');
  const explained = structuredClone(report);
  explained.predictions = [{ model: 'malconv', explanation: { regions: [{ offset: text.raw_pointer + 16, length: 32, weight: 0.9 }] } }];
  const withExplanation = byteRegions(explained);
  assert.equal(regionAt(withExplanation, text.raw_pointer + 16).kind, 'explained');
  assert.equal(regionAt(withExplanation, text.raw_pointer + 48).kind, 'code');
});

test('regions: the ELF header and program headers', () => {
  const report = fixture('elf');
  const phdr = report.elf.segments.find((s) => s.segment_type === 'PHDR');
  assert.equal(regionAt(byteRegions(report), phdr.offset + phdr.file_size - 1).kind, 'header');
});

test('a row: offset, hex and printable ASCII; missing bytes stay blank', () => {
  const row = hexRowText(0x1230, [0x4d, 0x5a, 0x00, 0x7f, null]);
  assert.deepEqual(row, { offset: '00001230', hexes: ['4d', '5a', '00', '7f', '··'], ascii: 'MZ.. ' });
});

test('a 1 GiB file: rows map to a bounded spacer and back', () => {
  const rows = 2 ** 30 / 16;
  const height = 360;
  const win = hexWindow(rows, 0, height, 18);
  assert.ok(win.spacer <= 4_000_000);
  assert.equal(win.first, 0);
  for (const row of [0, 12345, rows / 2, rows - 20]) {
    const top = scrollTopFor(row, rows, height, 18);
    const back = hexWindow(rows, top, height, 18).first;
    // One pixel of scroll is several thousand rows here: the inverse is exact up to that step.
    assert.ok(Math.abs(back - row) <= rows / (4_000_000 - height), `${row} -> ${back}`);
  }
  const last = hexWindow(rows, win.spacer - height, height, 18);
  assert.equal(last.first + last.visible, rows);
  // A small file scrolls by whole rows.
  assert.equal(hexWindow(100, 18 * 7, height, 18).first, 7);
  assert.equal(scrollTopFor(7, 100, height, 18), 18 * 7);
});

test('code addresses map to file offsets through sections and segments', () => {
  const pe = fixture('pe');
  const text = pe.pe.sections.find((s) => s.name === '.text');
  const entry = pe.pe.headers.image_base + pe.pe.headers.entry_point;
  assert.equal(fileOffsetOf(pe, entry), text.raw_pointer + (pe.pe.headers.entry_point - text.virtual_address));
  assert.equal(fileOffsetOf(pe, 1), null);
  const elf = fixture('elf');
  const fn = elf.code.functions[0].address;
  const load = elf.elf.segments.find((s) => s.segment_type === 'LOAD' && fn >= s.virtual_address && fn < s.virtual_address + s.file_size);
  assert.equal(fileOffsetOf(elf, fn), load.offset + fn - load.virtual_address);
});

test('evidence leads to the hex drawer, the import, its call sites and the file map', () => {
  const report = fixture('pe');
  const api = report.code.api_calls[0].api;
  assert.ok(sameApi(api, api.split('!')[1]) && sameApi(api.toUpperCase(), api) && !sameApi(api, 'other.dll!x'));
  const calls = callSitesOf(report, api).length;
  assert.ok(calls >= 1);
  const links = evidenceLinks({ offset: 0x400, api, section: '.text', detail: null }, report);
  assert.deepEqual(links.map((l) => l.kind), ['offset', 'section', 'import', 'calls']);
  assert.deepEqual(links[0].target, { hex: 0x400 });
  assert.deepEqual(links[2].target, { view: 'imports', focus: { api } });
  assert.equal(links[3].label, `${calls} call site${calls === 1 ? '' : 's'}`);
  const site = evidenceLinks({ api, detail: 'call at 0x140001ca9 in the function at 0x140001c90, argument 1 = 64' }, report);
  assert.deepEqual(site.map((l) => l.kind), ['call', 'function', 'import']);
  assert.deepEqual(site[0].target.focus, { callSite: 0x140001ca9, api });
  assert.deepEqual(site[1].target.focus, { function: 0x140001c90 });
  assert.deepEqual(evidenceLinks({ detail: 'a count' }, report), []);
});
