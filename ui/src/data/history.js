// Data for the History view: the store query its filters make, text search over loaded rows and
// the facets for filters.

/** Columns the store sorts by (`HistorySort`). */
export const SORTABLE = ['date', 'name', 'verdict', 'score', 'size', 'format'];

/** The store's `HistoryFilter` for History's choices (`reviewed`: '', 'yes' or 'no'). */
export function historyQuery(choice, limit) {
  const hash = String(choice.hash ?? '').trim();
  return {
    verdict: choice.verdict || null,
    format: choice.format || null,
    tag: choice.tag || null,
    reviewed: choice.reviewed === 'yes' ? true : choice.reviewed === 'no' ? false : null,
    hash: hash || null,
    sort: SORTABLE.includes(choice.sort) ? choice.sort : 'date',
    ascending: Boolean(choice.ascending),
    limit,
    offset: 0,
  };
}

/** Rows whose name, hash prefix, type, verdict or tag contains the search text. */
export function searchRows(rows, text) {
  const needle = String(text ?? '').trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter(
    (r) =>
      (r.name ?? '').toLowerCase().includes(needle) ||
      (r.sha256 ?? '').startsWith(needle) ||
      (r.file_type ?? '').toLowerCase().includes(needle) ||
      (r.verdict ?? '').toLowerCase() === needle ||
      (r.tags ?? []).some((t) => t.toLowerCase().includes(needle)),
  );
}

/** Distinct values with counts for the filter menus: `{formats, verdicts, tags}`. */
export function facets(rows) {
  const count = (values) => {
    const m = new Map();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    return [...m].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  };
  return {
    formats: count(rows.map((r) => r.format || 'unknown')),
    verdicts: count(rows.map((r) => r.verdict ?? 'none')),
    tags: count(rows.flatMap((r) => r.tags ?? [])),
  };
}

/** Tags typed as `a, b c` -> `['a', 'b', 'c']`, trimmed, lowercased, unique, at most 32 chars each. */
export function parseTags(text) {
  return [...new Set(String(text ?? '').split(/[\s,]+/).map((t) => t.trim().toLowerCase().slice(0, 32)).filter(Boolean))];
}
