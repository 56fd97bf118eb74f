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
