// Data for the Document view: what makes a document, shortcut or script dangerous (`document`,
// `pdf`, `lnk`, `script` of the report), shaped for display. Everything here is pure; the report's
// text is hostile and is only ever handed to the view as text.

/** PDF keywords that act on their own or carry content: shown emphasised. */
export const DANGEROUS_PDF_KEYWORDS = ['/JS', '/JavaScript', '/OpenAction', '/AA', '/Launch', '/EmbeddedFile', '/URI', '/AcroForm', '/XFA', '/RichMedia'];

const DANGEROUS = new Set(DANGEROUS_PDF_KEYWORDS);

/** How `document.kind` reads for a person. */
export const KIND_LABELS = { ole: 'OLE (Compound File) Office document', ooxml: 'Office Open XML document', rtf: 'Rich Text Format', pdf: 'PDF', lnk: 'Windows shortcut', onenote: 'OneNote section', script: 'Script' };

/** The shortcut fields the engine fills first, in the order they are shown, with their labels. */
export const LNK_FIELDS = [
  ['target', 'Target'],
  ['arguments', 'Arguments'],
  ['working_dir', 'Working folder'],
  ['icon', 'Icon'],
  ['machine_id', 'Machine ID'],
];

/** Whether a report has a Document view: the document analysis filled `document`. */
export function hasDocument(report) {
  return Boolean(report?.document);
}

/** Whether a PDF keyword is one of the dangerous ones (PDF names are case-sensitive; the `/` is optional). */
export function isDangerousKeyword(name) {
  const s = String(name ?? '');
  return DANGEROUS.has(s.startsWith('/') ? s : `/${s}`);
}

/**
 * The PDF keyword table: `[{name, count, dangerous}]`, most frequent first (then by name), every
 * keyword the report counts, also those counted zero times.
 */
export function pdfKeywordRows(keywords) {
  return Object.entries(keywords ?? {})
    .map(([name, count]) => ({ name, count: Number(count) || 0, dangerous: isDangerousKeyword(name) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** A sentence-case label for a field name the view does not know (`mac_address` -> `Mac address`). */
export function fieldLabel(key) {
  const s = String(key).replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The fields of `object` not named in `known`, for a generic key/value table: `[{key, label,
 * value}]` with `value` as text. Scalars as they are, lists of scalars joined by commas, other
 * values as JSON; absent (null, empty list, empty object) fields are left out. In the object's order.
 */
export function extraFields(object, known = []) {
  const skip = new Set(known);
  const out = [];
  for (const [key, value] of Object.entries(object ?? {})) {
    if (skip.has(key) || value === null || value === undefined) continue;
    let text;
    if (['string', 'number', 'boolean'].includes(typeof value)) text = String(value);
    else if (Array.isArray(value)) {
      if (!value.length) continue;
      text = value.every((v) => v === null || typeof v !== 'object') ? value.join(', ') : JSON.stringify(value);
    } else if (typeof value === 'object') {
      if (!Object.keys(value).length) continue;
      text = JSON.stringify(value);
    } else continue;
    out.push({ key, label: fieldLabel(key), value: text });
  }
  return out;
}

/** Every present field of the shortcut: the known ones first (see `LNK_FIELDS`), then the others. */
export function lnkFields(lnk) {
  const known = LNK_FIELDS.filter(([key]) => lnk?.[key] !== null && lnk?.[key] !== undefined && lnk?.[key] !== '').map(([key, label]) => ({ key, label, value: String(lnk[key]) }));
  return known.concat(extraFields(lnk, LNK_FIELDS.map(([key]) => key)));
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `keywords` occur in `source`, case-insensitive and as whole words (not inside a longer
 * identifier): `[{start, end, keyword, kind}]` sorted and not overlapping. `keywords` is
 * `[{keyword, kind}]` (kind `autoexec` or `suspicious`); a keyword of several words matches with
 * any white space between them. Where matches overlap, the autoexec one wins, then the longer.
 */
export function highlightRanges(source, keywords) {
  const text = String(source ?? '');
  const found = [];
  const seen = new Set();
  keywords.forEach(({ keyword, kind }, order) => {
    const word = String(keyword ?? '').trim();
    if (!word || seen.has(`${kind}\0${word.toLowerCase()}`)) return;
    seen.add(`${kind}\0${word.toLowerCase()}`);
    const pattern = word.split(/\s+/).map(escapeRegExp).join('\\s+');
    const re = new RegExp(`(?<![A-Za-z0-9_])${pattern}(?![A-Za-z0-9_])`, 'gi');
    for (const m of text.matchAll(re)) found.push({ start: m.index, end: m.index + m[0].length, keyword: word, kind, order });
  });
  const rank = (r) => (r.kind === 'autoexec' ? 0 : 1);
  found.sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order);
  const kept = [];
  for (const r of found) {
    if (kept.some((k) => r.start < k.end && k.start < r.end)) continue;
    kept.push(r);
  }
  return kept.sort((a, b) => a.start - b.start).map(({ start, end, keyword, kind }) => ({ start, end, keyword, kind }));
}

/** The highlight ranges of a VBA module's source, from its `autoexec` and `suspicious` lists. */
export function moduleHighlights(module) {
  const keywords = [...(module?.autoexec ?? []).map((keyword) => ({ keyword, kind: 'autoexec' })), ...(module?.suspicious ?? []).map((keyword) => ({ keyword, kind: 'suspicious' }))];
  return highlightRanges(module?.source ?? '', keywords);
}

/** `source` cut at `ranges`: `[{text}]` plain runs and `[{text, keyword, kind}]` highlighted ones. */
export function splitHighlights(source, ranges) {
  const text = String(source ?? '');
  const out = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) out.push({ text: text.slice(at, r.start) });
    out.push({ text: text.slice(r.start, r.end), keyword: r.keyword, kind: r.kind });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** Which keywords of a module's lists do not occur as words in its source (they are still listed). */
export function unmatchedKeywords(module, ranges) {
  const matched = new Set(ranges.map((r) => `${r.kind}\0${r.keyword.toLowerCase()}`));
  const all = [...(module?.autoexec ?? []).map((k) => ['autoexec', k]), ...(module?.suspicious ?? []).map((k) => ['suspicious', k])];
  return all.filter(([kind, k]) => !matched.has(`${kind}\0${String(k).trim().toLowerCase()}`)).map(([kind, keyword]) => ({ kind, keyword }));
}

/**
 * Why an object the document carries has no child: the container record's skipped entry of that
 * name, its status message, the limits met, else that extraction did not run (turned off).
 */
export function notExtractedReason(report, object) {
  const x = report?.extraction;
  if (!x) return 'not extracted: extraction was off for this analysis';
  const skipped = (x.skipped ?? []).find((s) => s.name === object?.name);
  if (skipped) return `not extracted: ${skipped.reason}`;
  if (x.status === 'not_opened') return `not extracted: ${x.message || 'a limit was met or extraction was off'}`;
  if ((x.limits_hit ?? []).length) return `not extracted: a limit was met (${x.limits_hit.map((l) => `${l.limit}: ${l.detail}`).join('; ')})`;
  if (x.message) return `not extracted: ${x.message}`;
  return 'not extracted: no child of this file has its SHA-256';
}

/** The child of `report` whose content has `sha256` (case-insensitive), or null. */
export function childBySha256(report, sha256) {
  const want = String(sha256 ?? '').toLowerCase();
  if (!want) return null;
  return (report?.children ?? []).find((c) => String(c.sha256).toLowerCase() === want) ?? null;
}

/** The embedded objects, each with its child (`child`) or why there is none (`reason`). */
export function embeddedObjects(report) {
  return (report?.document?.embedded ?? []).map((object) => {
    const child = childBySha256(report, object.sha256);
    return { ...object, child, reason: child ? null : notExtractedReason(report, object) };
  });
}

/** The script's decoded payloads, each with the child of the same SHA-256 when there is one. */
export function decodedPayloads(report) {
  return (report?.script?.decoded ?? []).map((payload) => ({ ...payload, child: childBySha256(report, payload.sha256) }));
}

/** The counts the summary shows. */
export function documentSummary(report) {
  const doc = report?.document ?? {};
  const modules = doc.vba?.modules ?? [];
  const embedded = embeddedObjects(report);
  return {
    kind: doc.kind ?? 'unknown',
    kindLabel: KIND_LABELS[doc.kind] ?? String(doc.kind ?? 'unknown'),
    encrypted: Boolean(doc.encrypted),
    encryption: doc.encryption ?? null,
    stomped: Boolean(doc.vba?.stomped),
    counts: {
      modules: modules.length,
      autoexec: new Set(modules.flatMap((m) => m.autoexec ?? [])).size,
      suspicious: new Set(modules.flatMap((m) => m.suspicious ?? [])).size,
      xlmSheets: doc.xlm?.sheets?.length ?? 0,
      xlmFormulas: doc.xlm?.formulas?.length ?? 0,
      dde: doc.dde?.length ?? 0,
      external: doc.external_relationships?.length ?? 0,
      embedded: embedded.length,
      extracted: embedded.filter((e) => e.child).length,
      pdfScripts: report?.pdf?.javascript?.length ?? 0,
      uris: report?.pdf?.uris?.length ?? 0,
      decoded: report?.script?.decoded?.length ?? 0,
    },
    truncated: doc.truncated ?? [],
  };
}

const OFFICE = new Set(['ole', 'ooxml', 'rtf']);

/**
 * The sections the view shows, in order: the Office ones (macros, XLM, DDE, relationships) for
 * Office and RTF documents or when they have content; `pdf`, `lnk`, `script` for those kinds or
 * when the report has that part; embedded objects, always, last.
 */
export function documentSections(report) {
  const doc = report?.document;
  if (!doc) return [];
  const office = OFFICE.has(doc.kind);
  const out = ['summary'];
  if (office || doc.vba) out.push('vba');
  if (office || doc.xlm) out.push('xlm');
  if (office || doc.dde?.length) out.push('dde');
  if (office || doc.external_relationships?.length) out.push('external');
  if (doc.kind === 'pdf' || report.pdf) out.push('pdf');
  if (doc.kind === 'lnk' || report.lnk) out.push('lnk');
  if (doc.kind === 'script' || report.script) out.push('script');
  out.push('embedded');
  return out;
}
