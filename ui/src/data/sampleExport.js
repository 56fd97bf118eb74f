// What a sample export wrote, in a sentence (pure: no DOM).
import { shortHash } from './format.js';

/** The password of exported samples unless another is given (the backend's `EXPORT_PASSWORD`). */
export const EXPORT_PASSWORD = 'infected';

/** Reasons named in full before the rest are only counted. */
const MISSING_NAMED = 3;

/**
 * `result` is the backend's `{path, written, missing: [{sha256, reason}]}`, `password` the one
 * the ZIP is encrypted with. `{text, ok}`: `ok` false when nothing was written.
 */
export function exportSummary(result, password) {
  const written = result.written?.length ?? 0;
  const missing = result.missing ?? [];
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let text = `${plural(written, 'sample')} written to ${result.path} (AES-256, password ${password})`;
  if (missing.length) {
    const named = missing.slice(0, MISSING_NAMED).map((m) => `${shortHash(m.sha256, 12)}: ${m.reason}`);
    const rest = missing.length > MISSING_NAMED ? `; and ${missing.length - MISSING_NAMED} more` : '';
    text += `; ${missing.length} missing (${named.join('; ')}${rest})`;
  }
  return { text, ok: written > 0, written, missing: missing.length };
}
