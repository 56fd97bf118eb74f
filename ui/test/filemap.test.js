import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RULE_MARKS, bandLabels, entropySeries, explainedRegions, heatmapCells, hexTicks, ruleMarks, sectionAt, sectionBands, sectionRows, structureBands } from '../src/data/filemap.js';

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
      { model: 'malconv', label: 'malicious', explanation: { regions: [{ offset: 0, length: 10, weight: 0.5 }, { offset: 90, length: 50, weight: 1 }, { offset: 200, length: 5, weight: 1 }] } },
      { model: 'ember' },
    ],
    100,
  );
  assert.deepEqual(regions, [{ model: 'malconv', start: 90, end: 100, weight: 1, tone: 'malicious' }, { model: 'malconv', start: 0, end: 10, weight: 0.5, tone: 'malicious' }]);
  // A model that called the file benign: its regions are where the score came from, not a danger.
  const quiet = explainedRegions([{ model: 'malconv', label: 'benign', explanation: { regions: [{ offset: 0, length: 4, weight: 1 }] } }], 100);
  assert.equal(quiet[0].tone, 'benign');
});

test('hexTicks falls on round hexadecimal offsets, at most the number asked', () => {
  for (const size of [1, 15, 255, 4096, 136990, 1_000_000, 2 ** 30 + 7]) {
    const ticks = hexTicks(size, 8);
    assert.ok(ticks.length >= 1 && ticks.length <= 8, `${size}: ${ticks.length}`);
    assert.equal(ticks[0], 0);
    assert.ok(ticks.at(-1) <= size);
    const step = ticks[1] - ticks[0];
    if (ticks.length > 1) {
      assert.ok([1, 2, 4, 8].some((m) => step % m === 0 && Number.isInteger(Math.log2(step / m) / 4)), `${size}: step ${step}`);
      assert.ok(ticks.every((t, i) => t === i * step));
    }
  }
  assert.deepEqual(hexTicks(0x22000, 8), [0, 0x8000, 0x10000, 0x18000, 0x20000]);
});

test('bandLabels writes each name on a free row and skips what cannot fit', () => {
  const x = (offset) => offset; // one pixel per byte
  const bands = [{ id: 'a', name: '.text', start: 0 }, { id: 'b', name: '.data', start: 10 }, { id: 'c', name: '.rdata', start: 20 }, { id: 'd', name: '.reloc', start: 200 }];
  const labels = bandLabels(bands, x, 6);
  assert.deepEqual(labels, [{ id: 'a', row: 0 }, { id: 'b', row: 1 }, { id: 'd', row: 0 }]);
});

test('structureBands gives the PE headers and overlay their own bands', () => {
  const report = { size: 1000, pe: { headers: { size_of_headers: 0x200 }, overlay: { offset: 900, size: 100 }, sections: [{ name: '.text', raw_pointer: 0x200, raw_size: 0x200 }] } };
  assert.deepEqual(structureBands(report).map((b) => [b.kind, b.start, b.end]), [['header', 0, 0x200], ['overlay', 900, 1000]]);
  assert.deepEqual(structureBands({ size: 10, elf: {} }), []);
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

test('ruleMarks lists string matches in file order, inside the file, and bounds how many are drawn', () => {
  const strings = (offsets) => offsets.map((offset, i) => ({ identifier: `$s${i}`, offset, length: 4, excerpt: '' }));
  const report = { size: 100, rules: { matches: [{ rule: 'b', namespace: 'fcas', strings: strings([50, 98, 200]) }, { rule: 'a', namespace: '', strings: strings([10]) }] } };
  const { marks, total } = ruleMarks(report);
  assert.equal(total, 3, 'the match past the end of the file is left out');
  assert.deepEqual(marks.map((m) => [m.rule, m.start, m.end]), [['a', 10, 14], ['fcas.b', 50, 54], ['fcas.b', 98, 100]]);
  assert.deepEqual(ruleMarks({ size: 10 }), { marks: [], total: 0 });
  const many = { size: 1e6, rules: { matches: [{ rule: 'x', strings: strings(Array.from({ length: MAX_RULE_MARKS + 5 }, (_, i) => i)) }] } };
  assert.equal(ruleMarks(many).marks.length, MAX_RULE_MARKS);
  assert.equal(ruleMarks(many).total, MAX_RULE_MARKS + 5);
});
