// Data for the Strings and IOCs view: one row list, filters and the IOC chips.

/**
 * Strings and IOCs as rows `{kind, offset, value}` sorted by offset. `kind` is `ascii`/`utf16le`
 * for strings, or the IOC type (`url`, `ipv4`, ...) for indicators of compromise.
 */
export function stringRows(strings) {
  const rows = [];
  for (const s of strings?.items ?? []) rows.push({ kind: s.encoding || 'ascii', ioc: false, offset: s.offset, value: s.value });
  for (const i of strings?.iocs ?? []) rows.push({ kind: i.kind, ioc: true, offset: i.offset, value: i.value });
  return rows.sort((a, b) => a.offset - b.offset || Number(b.ioc) - Number(a.ioc));
}

/** IOC chips: `[{kind, count}]`, most frequent first. */
export function iocChips(strings) {
  const counts = new Map();
  for (const i of strings?.iocs ?? []) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/**
 * Rows matching the filter: `text` (case-insensitive substring, or `/regex/`), `kinds` (a set of
 * kinds to keep; empty keeps all), `iocOnly`. An invalid regex matches nothing rather than throwing.
 */
export function filterRows(rows, { text = '', kinds = new Set(), iocOnly = false } = {}) {
  const trimmed = String(text).trim();
  let test = () => true;
  if (trimmed.length > 2 && trimmed.startsWith('/') && trimmed.endsWith('/')) {
    try {
      const re = new RegExp(trimmed.slice(1, -1), 'i');
      test = (v) => re.test(v);
    } catch {
      test = () => false;
    }
  } else if (trimmed) {
    const needle = trimmed.toLowerCase();
    test = (v) => v.toLowerCase().includes(needle);
  }
  return rows.filter((r) => (!iocOnly || r.ioc) && (kinds.size === 0 || kinds.has(r.kind)) && test(r.value));
}

/** Rows `first..last` of a virtual list of `count` rows of `rowHeight` px in a `height` px box. */
export function visibleWindow(count, scrollTop, height, rowHeight, overscan = 8) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last: Math.max(first, last), offsetY: first * rowHeight, totalHeight: count * rowHeight };
}
