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
 * Byte regions the models say drove their score, strongest first: `{model, start, end, weight}`
 * with weight in 0..1. Only models that give an explanation contribute.
 */
export function explainedRegions(predictions, fileSize = Infinity) {
  const regions = [];
  for (const p of predictions ?? []) {
    for (const r of p.explanation?.regions ?? []) {
      if (!Number.isFinite(r.offset) || !(r.length > 0) || r.offset >= fileSize) continue;
      regions.push({ model: p.model, start: r.offset, end: Math.min(fileSize, r.offset + r.length), weight: Math.min(1, Math.max(0, r.weight ?? 0)) });
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
