// Where a code address (as the Code view lists it) lies in the file: the inverse of the loader's
// mapping, from the report's own sections (PE) or segments (ELF, Mach-O). Pure functions.

/** The file offset of virtual address `address`, or null when no mapped file bytes hold it. */
export function fileOffsetOf(report, address) {
  const va = Number(address);
  if (!Number.isFinite(va)) return null;
  for (const range of mappedRanges(report)) {
    if (va >= range.address && va < range.address + range.size) return range.offset + (va - range.address);
  }
  return null;
}

/** `[{address, size, offset}]`: file bytes and the addresses they are loaded at. */
function mappedRanges(report) {
  if (report?.pe) {
    const base = Number(report.pe.headers?.image_base) || 0;
    return (report.pe.sections ?? []).map((s) => ({ address: base + (s.virtual_address ?? 0), size: Math.min(s.raw_size ?? 0, Math.max(s.virtual_size ?? 0, s.raw_size ?? 0)), offset: s.raw_pointer ?? 0 }));
  }
  if (report?.elf) {
    return (report.elf.segments ?? []).filter((s) => s.segment_type === 'LOAD').map((s) => ({ address: s.virtual_address ?? 0, size: s.file_size ?? 0, offset: s.offset ?? 0 }));
  }
  if (report?.macho) {
    return (report.macho.slices ?? []).flatMap((slice) => (slice.segments ?? []).map((s) => ({ address: s.virtual_address ?? 0, size: s.file_size ?? 0, offset: (slice.fat_offset ?? 0) + (s.file_offset ?? 0) })));
  }
  return [];
}
