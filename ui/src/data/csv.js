// Table text for the clipboard and for CSV files. Pure functions.

/** Line break between CSV records (RFC 4180 section 2.1). */
const CRLF = '\r\n';

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): such a
 * cell is written with a leading `'` so a report's hostile text stays text when the file is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula guard first, then quoted when it holds `"`, `,`, CR or LF (RFC 4180 2.5-2.7). */
export function csvField(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: the header record, then one record per row, CRLF after each (RFC 4180). */
export function toCsv(headers, rows) {
  return [headers, ...rows].map((record) => record.map(csvField).join(',') + CRLF).join('');
}

/** Cells as tab-separated text (tabs and line breaks inside a cell become spaces). */
export function toTsv(rows) {
  return rows.map((record) => record.map((cell) => String(cell ?? '').replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\n');
}

/** A file name made of `parts`, safe on every system: letters, digits, `.`, `-` and `_` only. */
export function csvFileName(...parts) {
  const name = parts
    .filter(Boolean)
    .map((p) => String(p).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, ''))
    .filter(Boolean)
    .join('-')
    .slice(0, 120);
  return `${name || 'table'}.csv`;
}
