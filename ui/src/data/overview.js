// Data for the Overview view: verdict, model bars, top indicators, identity and hashes.
import { baseName } from './format.js';

const SEVERITY_RANK = { high: 3, medium: 2, low: 1, info: 0 };

/** Verdict with a tone the page colours by (`danger`, `warn`, `ok`, `neutral`). */
export function verdictSummary(report) {
  const verdict = report?.verdict;
  if (!verdict) {
    return { label: 'not scored', score: null, disagreement: null, reasons: ['No model ran on this file.'], tone: 'neutral' };
  }
  const tone = { malicious: 'danger', suspicious: 'warn', benign: 'ok' }[verdict.label] ?? 'neutral';
  return {
    label: verdict.label || 'unknown',
    score: Number.isFinite(verdict.score) ? verdict.score : null,
    disagreement: Number.isFinite(verdict.disagreement) ? verdict.disagreement : null,
    reasons: Array.isArray(verdict.reasons) ? verdict.reasons : [],
    tone,
  };
}

/**
 * One bar per model: its score and the threshold its label was taken at. Models that did not run
 * keep a row (score null) so the analyst sees why.
 */
export function modelBars(predictions) {
  return (predictions ?? []).map((p) => ({
    model: p.model,
    version: p.version ?? '',
    score: Number.isFinite(p.score) ? Math.min(1, Math.max(0, p.score)) : null,
    threshold: Number.isFinite(p.threshold) ? Math.min(1, Math.max(0, p.threshold)) : null,
    // The stricter published threshold a lone model must pass to call a file malicious.
    strictThreshold: Number.isFinite(p.strict_threshold) ? Math.min(1, Math.max(0, p.strict_threshold)) : null,
    label: p.label ?? '',
    applicable: Boolean(p.applicable),
    reason: p.reason ?? null,
    over: Number.isFinite(p.score) && Number.isFinite(p.threshold) ? p.score >= p.threshold : null,
  }));
}

/** Indicators by severity (high first), then by id; at most `limit`. */
export function topIndicators(indicators, limit = 10) {
  return [...(indicators ?? [])]
    .sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) || String(a.id).localeCompare(String(b.id)))
    .slice(0, limit)
    .map((i) => ({
      id: i.id,
      severity: i.severity ?? 'info',
      title: i.title,
      attackId: i.attack_id ?? null,
      evidence: (i.evidence ?? []).map(evidenceText).filter(Boolean).slice(0, 3),
      // The same evidence as given, for the links to it (see data/links.js).
      sources: (i.evidence ?? []).filter(evidenceText).slice(0, 3),
    }));
}

/** Count of indicators per severity. */
export function severityCounts(indicators) {
  const counts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const i of indicators ?? []) counts[i.severity in counts ? i.severity : 'info'] += 1;
  return counts;
}

/** The banner's count, every severity included, so it adds up to the Indicators panel's total. */
export function indicatorCountText(counts) {
  const total = counts.high + counts.medium + counts.low + counts.info;
  return `${total} indicator${total === 1 ? '' : 's'}: ${counts.high} high · ${counts.medium} medium · ${counts.low} low · ${counts.info} info`;
}

/** Stages whose failure means the file itself did not parse (a format's parser). */
const PARSE_STAGES = new Set(['identity', 'pe', 'elf', 'macho', 'document', 'extraction', 'code']);

/** The report's stage errors for the verdict card: `{stage, message, parse}` (`parse`: the file did not parse in full). */
export function analysisProblems(report) {
  return (report?.errors ?? []).map((e) => ({ stage: String(e.stage ?? 'analysis'), message: String(e.message ?? ''), parse: PARSE_STAGES.has(e.stage) }));
}

function evidenceText(e) {
  return e.api ?? e.section ?? e.detail ?? (Number.isFinite(e.offset) ? `offset 0x${e.offset.toString(16)}` : null);
}

/** Identity and hash rows; `copy` marks values worth a copy button. */
export function identityRows(report) {
  const h = report?.hashes ?? {};
  const rows = [
    // The name is the file's own name; where it was read from is its own row.
    { label: 'Name', value: baseName(report?.path ?? ''), copy: true },
    { label: 'Path', value: report?.path && baseName(report.path) !== report.path ? report.path : '', copy: true },
    { label: 'Type', value: report?.file_type?.description || report?.format || 'unknown', copy: false },
    { label: 'Size', value: String(report?.size ?? 0), copy: false },
    { label: 'Entropy', value: Number.isFinite(report?.entropy) ? report.entropy.toFixed(3) : '—', copy: false },
    { label: 'MD5', value: h.md5, copy: true },
    { label: 'SHA-1', value: h.sha1, copy: true },
    { label: 'SHA-256', value: h.sha256, copy: true },
    { label: 'SHA-512', value: h.sha512, copy: true },
    { label: 'ssdeep', value: h.ssdeep, copy: true },
    { label: 'TLSH', value: h.tlsh, copy: true },
  ];
  if (report?.pe?.imphash) rows.push({ label: 'imphash', value: report.pe.imphash, copy: true });
  rows.push({ label: 'Known as', value: knownAs(report?.known), copy: false });
  return rows.filter((r) => r.value !== undefined && r.value !== null && r.value !== '');
}

/**
 * The imported lists of known files that name the sample (`known[]`, filled by the case store):
 * `source: name [tags]` for each, joined by `; `; empty when none does.
 */
export function knownAs(known) {
  if (!Array.isArray(known)) return '';
  return known
    .map((k) => {
      const name = k?.name ? `: ${k.name}` : '';
      const tags = Array.isArray(k?.tags) && k.tags.length ? ` [${k.tags.join(', ')}]` : '';
      return `${k?.source ?? 'unknown source'}${name}${tags}`;
    })
    .join('; ');
}
