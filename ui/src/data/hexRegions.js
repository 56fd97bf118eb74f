// What each byte of a file is, for the hex drawer's colours: sections (by kind), headers, the
// overlay and the regions a model says explain its score. Built from the same report data as
// the File map (`filemap.js`), so both views agree. Pure functions.
import { explainedRegions, sectionBands } from './filemap.js';

/** Layers from the bottom up: a later layer's colour wins where ranges overlap. */
const LAYER = { section: 0, header: 1, overlay: 2, explained: 3 };

/**
 * Coloured ranges `[{kind, start, end, label}]`, sorted by layer then start. `kind` is one of
 * `code`, `data`, `rodata` (sections), `header`, `overlay`, `explained`.
 */
export function byteRegions(report) {
  const size = Number(report?.size) || 0;
  const regions = [];
  for (const band of sectionBands(report)) regions.push({ kind: band.kind, layer: LAYER.section, start: band.start, end: band.end, label: `section ${band.name}` });
  const header = headerEnd(report);
  if (header > 0) regions.push({ kind: 'header', layer: LAYER.header, start: 0, end: Math.min(size, header), label: 'headers' });
  const overlay = report?.pe?.overlay;
  if (overlay && overlay.size > 0 && overlay.offset < size) regions.push({ kind: 'overlay', layer: LAYER.overlay, start: overlay.offset, end: Math.min(size, overlay.offset + overlay.size), label: 'overlay' });
  for (const r of explainedRegions(report?.predictions, size)) regions.push({ kind: 'explained', layer: LAYER.explained, start: r.start, end: r.end, label: `${r.model} explains this region (weight ${r.weight.toFixed(2)})` });
  return regions.sort((a, b) => a.layer - b.layer || a.start - b.start);
}

/** Where the format's headers end: PE `size_of_headers`, ELF header and program headers, Mach-O header and load commands. */
function headerEnd(report) {
  if (report?.pe) return Number(report.pe.headers?.size_of_headers) || 0;
  if (report?.elf) {
    const h = report.elf.header ?? {};
    const phdr = (report.elf.segments ?? []).find((s) => s.segment_type === 'PHDR');
    return Math.max(Number(h.header_size) || 0, phdr ? phdr.offset + phdr.file_size : 0);
  }
  if (report?.macho) {
    const slice = report.macho.slices?.[0];
    return slice ? (slice.fat_offset ?? 0) + (String(slice.magic).includes('64') ? 32 : 28) + (Number(slice.commands_size) || 0) : 0;
  }
  return 0;
}

/** The region `byteRegions` says byte `offset` belongs to (the topmost layer), or null. */
export function regionAt(regions, offset) {
  let found = null;
  for (const r of regions) if (offset >= r.start && offset < r.end) found = r;
  return found;
}

/** A row of the hex view: its offset as 8+ hex digits, and the 16 bytes (null where not loaded). */
export function hexRowText(offset, bytes) {
  const hexes = bytes.map((b) => (b === null ? '··' : b.toString(16).padStart(2, '0')));
  const ascii = bytes.map((b) => (b === null ? ' ' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return { offset: offset.toString(16).padStart(8, '0'), hexes, ascii };
}

/**
 * Which rows to draw: `count` rows in a scrollable box whose spacer is at most `maxSpacer` px
 * tall (browsers cap an element's height far below a 1 GiB file's rows), so a scroll position
 * maps to a row proportionally. Returns `{first, visible, spacer}`.
 */
export function hexWindow(count, scrollTop, height, rowHeight, maxSpacer = 4_000_000) {
  const visible = Math.max(1, Math.ceil(height / rowHeight));
  const natural = count * rowHeight;
  const spacer = Math.min(natural, maxSpacer);
  const lastFirst = Math.max(0, count - visible);
  const scrollable = Math.max(1, spacer - height);
  const first = natural <= maxSpacer ? Math.min(lastFirst, Math.floor(scrollTop / rowHeight)) : Math.min(lastFirst, Math.round((scrollTop / scrollable) * lastFirst));
  return { first: Math.max(0, first), visible, spacer };
}

/** The scroll position that shows row `row` first (the inverse of `hexWindow`). */
export function scrollTopFor(row, count, height, rowHeight, maxSpacer = 4_000_000) {
  const { visible, spacer } = hexWindow(count, 0, height, rowHeight, maxSpacer);
  const natural = count * rowHeight;
  if (natural <= maxSpacer) return row * rowHeight;
  const lastFirst = Math.max(1, count - visible);
  return (Math.min(row, lastFirst) / lastFirst) * Math.max(1, spacer - height);
}
