// The triage loop's pure parts: walking a list of samples with j/k, the verdicts shown on queue
// cards, and the queue's counts in the words of what was stored.

/**
 * The SHA-256 `delta` steps from `current` in `list` (clamped to its ends); the first (j) or last
 * (k) one when `current` is not in it; `null` for an empty list.
 */
export function walkStep(list, current, delta) {
  if (!list.length) return null;
  const at = list.indexOf(current);
  if (at < 0) return delta > 0 ? list[0] : list[list.length - 1];
  return list[Math.min(list.length - 1, Math.max(0, at + delta))];
}

/** The distinct SHA-256 of the finished queue items, in arrival order: what j/k walk by default. */
export function finishedSamples(items) {
  const seen = new Set();
  for (const item of items) if (item.stage === 'done' && item.sha256) seen.add(item.sha256);
  return [...seen];
}

/**
 * What the queue header says, counted as the store sees it: a finished item is a report stored
 * (analysed now) or one found stored already; a failed one stored nothing.
 */
export function storedCounts(items) {
  const counts = { running: 0, analysed: 0, reused: 0, withErrors: 0, failed: 0 };
  for (const item of items) {
    if (item.stage === 'failed') counts.failed += 1;
    else if (item.stage !== 'done') counts.running += 1;
    else {
      if (item.cached) counts.reused += 1;
      else counts.analysed += 1;
      if (item.message) counts.withErrors += 1;
    }
  }
  return counts;
}

/** The header line for `storedCounts`: `2 running · 5 stored (1 already stored, 1 with errors) · 1 failed`. */
export function storedCountsText(c) {
  const stored = c.analysed + c.reused;
  const notes = [c.reused ? `${c.reused} already stored` : null, c.withErrors ? `${c.withErrors} with errors` : null].filter(Boolean);
  const parts = [c.running ? `${c.running} running` : null, `${stored} stored${notes.length ? ` (${notes.join(', ')})` : ''}`, c.failed ? `${c.failed} failed` : null];
  return stored + c.running + c.failed ? parts.filter(Boolean).join(' · ') : 'empty';
}

/** A verdict label as the pill shows it (`—` for a report no model scored). */
export function verdictText(verdict) {
  return verdict || '—';
}
