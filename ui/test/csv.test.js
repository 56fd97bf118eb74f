import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvFileName, toCsv, toTsv } from '../src/data/csv.js';

test('RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled, CRLF after every record', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(42), '42');
  assert.equal(toCsv(['name', 'size'], [['.text', '4096'], ['a"b', 'x,y']]), 'name,size\r\n.text,4096\r\n"a""b","x,y"\r\n');
  assert.equal(toCsv(['only'], []), 'only\r\n');
});

test('a CSV parser reads back exactly the cells written (round trip through an RFC 4180 reader)', () => {
  const rows = [['a,b', 'c"d', 'e\r\nf'], ['', ' spaced ', 'ünïcode']];
  const parsed = parseCsv(toCsv(['x', 'y', 'z'], rows));
  assert.deepEqual(parsed, [['x', 'y', 'z'], ...rows]);
});

test('formula injection: cells starting with = + - @ (and tab, CR) are prefixed with a quote', () => {
  for (const hostile of ['=cmd|" /C calc"!A0', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
    const field = csvField(hostile);
    const unquoted = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
    assert.equal(unquoted, `'${hostile}`, hostile);
  }
  assert.equal(csvField('a=b'), 'a=b', 'only the first character counts');
});

test('tab-separated text keeps one line per row and one tab between cells', () => {
  assert.equal(toTsv([['a', 'b\tc'], ['d\ne', '']]), 'a\tb c\nd e\t');
});

test('file names keep letters, digits, dot, dash and underscore only', () => {
  assert.equal(csvFileName('ping.exe', 'Sections (16)'), 'ping.exe-Sections_16.csv');
  assert.equal(csvFileName('../../etc/passwd', 'x'), 'etc_passwd-x.csv');
  assert.equal(csvFileName('', null), 'table.csv');
});

/** A small RFC 4180 reader, written from the RFC's grammar, to check the writer against. */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), (i += 1);
      else (field += c), (i += 1);
    } else if (c === '"') (quoted = true), (i += 1);
    else if (c === ',') record.push(field), (field = ''), (i += 1);
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), (i += 2);
    else (field += c), (i += 1);
  }
  return records;
}
