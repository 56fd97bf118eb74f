// The shapes the Structure view draws and the one way its numbers are written (see
// ../structure.js). Pure functions.
import { hex } from '../format.js';

/** `yes` / `no`, or `—` when unknown. */
export const yesNo = (value) => (value === true ? 'yes' : value === false ? 'no' : '—');

/** A COFF / export / debug time stamp: the number as written and its UTC reading. */
export function timestampText(seconds) {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds === 0) return '0 (not set)';
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : `${seconds} (${date.toISOString().replace('T', ' ').replace('.000Z', ' UTC')})`;
}

/** A flags word and the names of the flags set: `0x22 (EXECUTABLE_IMAGE, LARGE_ADDRESS_AWARE)`. */
export function flagsText(value, names) {
  const list = (names ?? []).join(', ');
  return list ? `${hex(value)} (${list})` : hex(value);
}

/** `[major, minor, patch]` as `major.minor.patch`. */
export const versionText = (triple) => (Array.isArray(triple) ? triple.join('.') : '—');

/** Entropy with three decimals (the File map's precision), `—` when not computed. */
export const entropyText = (value) => (Number.isFinite(value) ? value.toFixed(3) : '—');

/** A value as text, `—` when absent. */
export const text = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));
/** A list as `a, b, c`, `—` when empty. */
export const listText = (values) => (values?.length ? values.join(', ') : '—');
/** A key/value block; rows given as `[label, value]`, `null` rows left out. */
export const facts = (title, rows) => ({ kind: 'facts', title, rows: rows.filter(Boolean).map(([label, value]) => ({ label, value: text(value) })) });
export const columns = (spec) => spec.map(([key, label]) => ({ key, label }));
/** A table block titled with its row count; `spec` is `[[key, label], ...]`. */
export const table = (title, spec, rows, empty) => ({ kind: 'table', title: `${title} (${rows.length})`, columns: columns(spec), rows, empty });

/** A table of symbol names with their index. */
export function symbolTable(title, names, empty) {
  return table(
    title,
    [
      ['index', '#'],
      ['name', 'Name'],
    ],
    (names ?? []).map((name, i) => ({ index: String(i), name })),
    empty,
  );
}
