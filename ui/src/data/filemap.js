// Data for the File map view: entropy over offset, section bands, model-explained regions, the
// 16x16 byte-entropy heatmap and the sections table.

/** Entropy profile as steps `{start, end, entropy}` sorted by offset, invalid points dropped. */
export function entropySeries(profile) {
  return (profile ?? [])
    .filter((p) => Number.isFinite(p.offset) && Number.isFinite(p.entropy) && p.length > 0)
    .map((p) => ({ start: p.offset, end: p.offset + p.length, entropy: Math.min(8, Math.max(0, p.entropy)) }))
    .sort((a, b) => a.start - b.start);
}

/**
 * The file's sections (PE), sections (ELF) or segments (Mach-O, every slice) as byte ranges of the
 * file, each `{id, name, start, end, entropy, flags, kind}`. Ranges beyond the file are clipped;
 * empty ones are left out of the map but kept in the table (see `sectionRows`).
 */
export function sectionBands(report) {
  const size = Number(report?.size) || 0;
  return sectionRows(report)
    .filter((s) => s.rawSize > 0 && s.start < size)
    .map((s) => ({ ...s, end: Math.min(size, s.start + s.rawSize) }));
}

/** Every section for the table: `{id, name, start, rawSize, virtualSize, entropy, flags, kind}`. */
export function sectionRows(report) {
  if (report?.pe) {
    return (report.pe.sections ?? []).map((s, i) => ({
      id: `pe-${i}`,
      name: s.name || `#${i}`,
      start: s.raw_pointer ?? 0,
      rawSize: s.raw_size ?? 0,
      virtualSize: s.virtual_size ?? 0,
      entropy: Number.isFinite(s.entropy) ? s.entropy : null,
      flags: peFlags(s),
      kind: s.is_executable || s.is_code ? 'code' : s.is_writable ? 'data' : 'rodata',
    }));
  }
  if (report?.elf) {
    return (report.elf.sections ?? [])
      .filter((s) => s.section_type !== 'SHT_NULL' && s.section_type !== 'NULL')
      .map((s, i) => ({
        id: `elf-${i}`,
        name: s.name || `#${i}`,
        start: s.offset ?? 0,
        rawSize: s.section_type === 'SHT_NOBITS' || s.section_type === 'NOBITS' ? 0 : s.size ?? 0,
        virtualSize: s.size ?? 0,
        entropy: Number.isFinite(s.entropy) ? s.entropy : null,
        flags: s.flag_letters ?? '',
        kind: (s.flag_letters ?? '').includes('X') ? 'code' : (s.flag_letters ?? '').includes('W') ? 'data' : 'rodata',
      }));
  }
  if (report?.macho) {
    return (report.macho.slices ?? []).flatMap((slice, si) =>
      (slice.segments ?? []).map((s, i) => ({
        id: `macho-${si}-${i}`,
        name: (report.macho.slices.length > 1 ? `${slice.cpu}:` : '') + (s.name || `#${i}`),
        start: (slice.fat_offset ?? 0) + (s.file_offset ?? 0),
        rawSize: s.file_size ?? 0,
        virtualSize: s.virtual_size ?? 0,
        entropy: Number.isFinite(s.entropy) ? s.entropy : null,
        flags: s.permissions ?? '',
        kind: (s.permissions ?? '').includes('x') ? 'code' : (s.permissions ?? '').includes('w') ? 'data' : 'rodata',
      })),
    );
  }
  return [];
}

function peFlags(s) {
  return `${s.is_readable ? 'R' : '-'}${s.is_writable ? 'W' : '-'}${s.is_executable ? 'X' : '-'}${s.is_code ? ' code' : ''}`;
}

/**
 * Byte regions the models say drove their score, strongest first: `{model, start, end, weight,
 * tone}` with weight in 0..1. Only models that give an explanation contribute. `tone` says what
 * the region means: `malicious` when its model called the file malicious (the region pushed the
 * score over the threshold), `benign` when the model called it benign (the region is only where
 * the score came from, not a danger).
 */
export function explainedRegions(predictions, fileSize = Infinity) {
  const regions = [];
  for (const p of predictions ?? []) {
    const tone = p.label === 'malicious' ? 'malicious' : 'benign';
    for (const r of p.explanation?.regions ?? []) {
      if (!Number.isFinite(r.offset) || !(r.length > 0) || r.offset >= fileSize) continue;
      regions.push({ model: p.model, start: r.offset, end: Math.min(fileSize, r.offset + r.length), weight: Math.min(1, Math.max(0, r.weight ?? 0)), tone });
    }
  }
  return regions.sort((a, b) => b.weight - a.weight);
}

/**
 * The EMBER v2 byte-entropy histogram (256 values, row-major: 16 entropy bins by 16 byte-value
 * bins) as cells `{row, col, value, norm}`; `norm` is value over the largest value (0 when all 0).
 * Row 0 is the lowest entropy.
 */
export function heatmapCells(histogram) {
  const values = Array.from({ length: 256 }, (_, i) => {
    const v = Number(histogram?.[i]);
    return Number.isFinite(v) && v > 0 ? v : 0;
  });
  const max = Math.max(...values);
  return values.map((value, i) => ({ row: Math.floor(i / 16), col: i % 16, value, norm: max > 0 ? value / max : 0 }));
}

/** The section (row id) holding file offset `offset`, or null. */
export function sectionAt(bands, offset) {
  const hit = bands.find((b) => offset >= b.start && offset < b.end);
  return hit ? hit.id : null;
}

/**
 * The parts of the file that are not sections, as bands of their own: the headers (PE: up to
 * `size_of_headers`, at most to the first section) and the overlay (bytes after everything the
 * headers describe). `{id, name, start, end, kind}` with kind `header` or `overlay`.
 */
export function structureBands(report) {
  const size = Number(report?.size) || 0;
  const pe = report?.pe;
  if (!pe || size <= 0) return [];
  const out = [];
  const firstSection = Math.min(size, ...sectionBands(report).map((b) => b.start));
  const headers = Math.min(firstSection, Number(pe.headers?.size_of_headers) || firstSection);
  if (headers > 0) out.push({ id: 'headers', name: 'headers', start: 0, end: headers, kind: 'header' });
  const overlayStart = Number(pe.overlay?.offset);
  const overlaySize = Number(pe.overlay?.size) || 0;
  if (Number.isFinite(overlayStart) && overlaySize > 0 && overlayStart < size) {
    out.push({ id: 'overlay', name: 'overlay', start: overlayStart, end: Math.min(size, overlayStart + overlaySize), kind: 'overlay' });
  }
  return out;
}

/**
 * Axis ticks at round hexadecimal offsets: multiples of 1, 2, 4 or 8 times a power of 16, the
 * finest step giving at most `maxTicks` ticks over `0..size`.
 */
export function hexTicks(size, maxTicks = 8) {
  const end = Math.max(1, Number(size) || 1);
  let step = 1;
  for (let power = 1; power <= 2 ** 52; power *= 16) {
    const fit = [1, 2, 4, 8].map((m) => m * power).find((s) => Math.floor(end / s) + 1 <= maxTicks);
    if (fit) {
      step = fit;
      break;
    }
  }
  const ticks = [];
  for (let at = 0; at <= end && ticks.length <= maxTicks; at += step) ticks.push(at);
  return ticks;
}

/**
 * Which section names to write and on which of two text rows, so that none overlaps another:
 * `bands` sorted by start, `x(offset)` in pixels, `charWidth` of a label character. A name is
 * written from its band's start on the first row where it fits; `[{id, row}]`.
 */
export function bandLabels(bands, x, charWidth = 6) {
  const rowEnds = [-Infinity, -Infinity];
  const out = [];
  for (const band of [...bands].sort((a, b) => a.start - b.start)) {
    const left = x(band.start) + 2;
    const right = left + String(band.name).length * charWidth;
    const row = rowEnds.findIndex((end) => left >= end + 4);
    if (row < 0) continue;
    rowEnds[row] = right;
    out.push({ id: band.id, row });
  }
  return out;
}

/** Rule string matches drawn on the map at most: a rule matching everywhere stays readable. */
export const MAX_RULE_MARKS = 400;

/**
 * Where the YARA rules' strings matched: `{rule, identifier, start, end}` per string match,
 * in file order, clipped to the file and to `MAX_RULE_MARKS`; `total` counts them all.
 */
export function ruleMarks(report) {
  const size = report.size ?? 0;
  const marks = [];
  for (const m of report.rules?.matches ?? []) {
    const rule = m.namespace ? `${m.namespace}.${m.rule}` : m.rule;
    for (const s of m.strings ?? []) {
      if (!Number.isFinite(s.offset) || s.offset >= size) continue;
      marks.push({ rule, identifier: s.identifier, start: s.offset, end: Math.min(size, s.offset + Math.max(1, s.length ?? 1)) });
    }
  }
  marks.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  return { marks: marks.slice(0, MAX_RULE_MARKS), total: marks.length };
}
