import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRows, iocChips, stringRows, visibleWindow } from '../src/data/strings.js';

const strings = {
  items: [
    { offset: 50, encoding: 'ascii', value: 'http://evil.example/a' },
    { offset: 10, encoding: 'utf16le', value: 'Hello World' },
  ],
  iocs: [
    { kind: 'url', offset: 50, value: 'http://evil.example/a' },
    { kind: 'domain', offset: 57, value: 'evil.example' },
    { kind: 'url', offset: 90, value: 'https://x.test' },
  ],
};

test('rows merge strings and IOCs by offset, IOC first at equal offsets', () => {
  const rows = stringRows(strings);
  assert.deepEqual(rows.map((r) => [r.offset, r.kind]), [[10, 'utf16le'], [50, 'url'], [50, 'ascii'], [57, 'domain'], [90, 'url']]);
  assert.deepEqual(iocChips(strings), [{ kind: 'url', count: 2 }, { kind: 'domain', count: 1 }]);
});

test('filters: substring, regex, kinds, IOC only, bad regex', () => {
  const rows = stringRows(strings);
  assert.equal(filterRows(rows, { text: 'HELLO' }).length, 1);
  assert.equal(filterRows(rows, { text: '/^https?:/' }).length, 3);
  assert.equal(filterRows(rows, { kinds: new Set(['url']) }).length, 2);
  assert.equal(filterRows(rows, { iocOnly: true }).length, 3);
  assert.equal(filterRows(rows, { text: '/([/' }).length, 0);
  assert.equal(filterRows(rows).length, 5);
});

test('visibleWindow renders only rows in view plus overscan', () => {
  assert.deepEqual(visibleWindow(10000, 0, 400, 20, 5), { first: 0, last: 25, offsetY: 0, totalHeight: 200000 });
  const w = visibleWindow(10000, 2000, 400, 20, 5);
  assert.deepEqual([w.first, w.last, w.offsetY], [95, 125, 1900]);
  assert.equal(visibleWindow(3, 0, 400, 20).last, 3);
});

test('a sample opened without its strings reads them once, shared by callers, and again after a failure', async () => {
  const { completeStrings } = await import('../src/data/sampleStrings.js');
  const sample = { report: { hashes: { sha256: 'ab' }, strings: { items: [], total: 2, iocs: strings.iocs } }, strings_left_out: true };
  const asked = [];
  let fail = true;
  const read = async (sha256) => {
    asked.push(sha256);
    if (fail) throw new Error('store busy');
    return strings.items;
  };
  await assert.rejects(completeStrings(sample, read), /store busy/);
  assert.equal(sample.strings_left_out, true);
  fail = false;
  const [a, b] = await Promise.all([completeStrings(sample, read), completeStrings(sample, read)]);
  assert.equal(a, sample);
  assert.equal(b, sample);
  assert.deepEqual(asked, ['ab', 'ab'], 'one read failed, then one read for both callers');
  assert.deepEqual(sample.report.strings.items, strings.items);
  assert.equal(sample.report.strings.total, 2, 'the rest of the strings part is kept');
  assert.equal(sample.strings_left_out, false);
  await completeStrings(sample, read);
  assert.equal(asked.length, 2, 'a complete sample is not read again');
  const full = { report: { strings: strings } };
  assert.equal(await completeStrings(full, () => assert.fail('not read')), full);
});
