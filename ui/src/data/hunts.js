// Hunts as the Hunts view words them (pure: no DOM).
import { formatBytes } from './format.js';

/** A hunt's status line: where it stands, what it read and found. */
export function huntSummary(hunt) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const status = hunt.status === 'running' && hunt.active === false ? 'stopped (the app closed during it)' : hunt.status;
  let text = `hunt ${hunt.id}: ${status}, ${plural(hunt.scanned, 'sample')} scanned (${formatBytes(hunt.bytes)}), ${hunt.matched} matched`;
  if (hunt.errors) text += `, ${plural(hunt.errors, 'error')}`;
  if (hunt.message) text += ` — ${hunt.message}`;
  return text;
}

/** Whether the page should keep reading a hunt's progress: it runs in this app now. */
export const isRunning = (hunt) => hunt.status === 'running' && hunt.active !== false;

/**
 * Whether a stopped hunt can go on from its checkpoint: cancelled, failed, or stored as running
 * while nothing runs it (the app was closed or killed during the hunt).
 */
export const canResume = (hunt) => hunt.status === 'cancelled' || hunt.status === 'failed' || (hunt.status === 'running' && hunt.active === false);

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
