import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropySeries, explainedRegions, heatmapCells, sectionAt, sectionBands, sectionRows } from '../src/data/filemap.js';

test('entropySeries sorts, clamps and drops bad points', () => {
  const s = entropySeries([
    { offset: 100, length: 100, entropy: 9 },
    { offset: 0, length: 100, entropy: 2 },
    { offset: 200, length: 0, entropy: 1 },
    { offset: 300, length: 10, entropy: NaN },
  ]);
  assert.deepEqual(s, [{ start: 0, end: 100, entropy: 2 }, { start: 100, end: 200, entropy: 8 }]);
});

const pe = {
  size: 1000,
  pe: {
    sections: [
      { name: '.text', raw_pointer: 100, raw_size: 400, virtual_size: 380, entropy: 6.1, is_code: true, is_executable: true, is_readable: true },
      { name: '.bss', raw_pointer: 0, raw_size: 0, virtual_size: 64, entropy: 0, is_writable: true, is_readable: true },
      { name: '.big', raw_pointer: 900, raw_size: 400, virtual_size: 400, entropy: 7.9, is_readable: true },
    ],
  },
};

test('PE sections become bands clipped to the file; empty ones stay in the table only', () => {
  const rows = sectionRows(pe);
  assert.equal(rows.length, 3);
  assert.equal(rows[0].flags, 'R-X code');
  assert.equal(rows[0].kind, 'code');
  assert.equal(rows[1].kind, 'data');
  const bands = sectionBands(pe);
  assert.deepEqual(bands.map((b) => [b.name, b.start, b.end]), [['.text', 100, 500], ['.big', 900, 1000]]);
  assert.equal(sectionAt(bands, 450), 'pe-0');
  assert.equal(sectionAt(bands, 50), null);
});

test('ELF NOBITS sections take no file space; Mach-O segments are offset by their slice', () => {
  const elf = { size: 100, elf: { sections: [{ section_type: 'NULL' }, { name: '.text', section_type: 'PROGBITS', offset: 10, size: 20, flag_letters: 'AX' }, { name: '.bss', section_type: 'NOBITS', offset: 30, size: 50, flag_letters: 'WA' }] } };
  assert.deepEqual(sectionRows(elf).map((s) => [s.name, s.rawSize, s.kind]), [['.text', 20, 'code'], ['.bss', 0, 'data']]);
  const macho = { size: 10000, macho: { slices: [{ cpu: 'x86_64', fat_offset: 4096, segments: [{ name: '__TEXT', file_offset: 0, file_size: 100, permissions: 'r-x' }] }, { cpu: 'arm64', fat_offset: 8192, segments: [] }] } };
  const rows = sectionRows(macho);
  assert.deepEqual([rows[0].name, rows[0].start, rows[0].kind], ['x86_64:__TEXT', 4096, 'code']);
});

test('explainedRegions keeps explained models only, clipped and strongest first', () => {
  const regions = explainedRegions(
    [
      { model: 'malconv', explanation: { regions: [{ offset: 0, length: 10, weight: 0.5 }, { offset: 90, length: 50, weight: 1 }, { offset: 200, length: 5, weight: 1 }] } },
      { model: 'ember' },
    ],
    100,
  );
  assert.deepEqual(regions, [{ model: 'malconv', start: 90, end: 100, weight: 1 }, { model: 'malconv', start: 0, end: 10, weight: 0.5 }]);
});

test('heatmapCells is 16x16 row-major and normalised by the maximum', () => {
  const histogram = new Array(256).fill(0);
  histogram[17] = 0.5;
  histogram[255] = 0.25;
  const cells = heatmapCells(histogram);
  assert.equal(cells.length, 256);
  assert.deepEqual(cells[17], { row: 1, col: 1, value: 0.5, norm: 1 });
  assert.equal(cells[255].norm, 0.5);
  assert.equal(cells[255].row, 15);
  assert.ok(heatmapCells(undefined).every((c) => c.norm === 0));
});
