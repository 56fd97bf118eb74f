// Hunts as the Hunts view words them (pure: no DOM).
import { formatBytes } from './format.js';

/** A hunt's status line: where it stands, what it read and found. */
export function huntSummary(hunt) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let text = `hunt ${hunt.id}: ${hunt.status}, ${plural(hunt.scanned, 'sample')} scanned (${formatBytes(hunt.bytes)}), ${hunt.matched} matched`;
  if (hunt.errors) text += `, ${plural(hunt.errors, 'error')}`;
  if (hunt.message) text += ` — ${hunt.message}`;
  return text;
}

/** Whether the page should keep reading a hunt's progress. */
export const isRunning = (hunt) => hunt.status === 'running';

/** Whether a stopped hunt can go on from its checkpoint. */
export const canResume = (hunt) => hunt.status === 'cancelled' || hunt.status === 'failed';

/** `origin:line: message`, as `fcas rules check` prints a compile error. */
export function problemText(problem) {
  return problem.line ? `${problem.origin}:${problem.line}: ${problem.message}` : `${problem.origin}: ${problem.message}`;
}

/** One row per (sample, rule) of a hunt's matches, with where the first string matched. */
export function matchRows(matches) {
  return matches.map((m) => ({
    sha256: m.sha256,
    rule: m.namespace ? `${m.namespace}.${m.rule}` : m.rule,
    tags: (m.tags ?? []).join(', '),
    strings: (m.strings ?? []).length,
    first: m.strings?.length ? `${m.strings[0].identifier} @ 0x${m.strings[0].offset.toString(16)}` : '',
  }));
}
