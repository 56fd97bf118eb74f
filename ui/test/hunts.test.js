import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canResume, huntSummary, isRunning, matchRows, problemText } from '../src/data/hunts.js';

const hunt = (status, active, extra = {}) => ({ id: 3, status, active, scanned: 1, bytes: 2048, matched: 0, errors: 0, message: '', ...extra });

test('a hunt stored as running is polled only while this app runs it; otherwise it can be resumed', () => {
  assert.equal(isRunning(hunt('running', true)), true);
  assert.equal(canResume(hunt('running', true)), false);
  assert.equal(isRunning(hunt('running', false)), false, 'the app closed during it: nothing will move');
  assert.equal(canResume(hunt('running', false)), true);
  assert.match(huntSummary(hunt('running', false)), /^hunt 3: stopped \(the app closed during it\), 1 sample scanned/);
  for (const status of ['cancelled', 'failed']) assert.equal(canResume(hunt(status, false)), true, status);
  assert.equal(canResume(hunt('done', false)), false);
  assert.equal(isRunning(hunt('done', false)), false);
});

test('the summary counts errors and keeps the message; problems read as file:line', () => {
  assert.match(huntSummary(hunt('failed', false, { errors: 2, message: 'disk full' })), /, 2 errors — disk full$/);
  assert.equal(problemText({ origin: 'a.yar', line: 4, message: 'bad' }), 'a.yar:4: bad');
  assert.equal(problemText({ origin: 'a.yar', line: 0, message: 'unreadable' }), 'a.yar: unreadable');
});

test('match rows name the rule with its namespace and the first string with its offset', () => {
  const rows = matchRows([{ sha256: 'ab', rule: 'r', namespace: 'hunt', tags: ['x', 'y'], strings: [{ identifier: '$a', offset: 255 }] }, { sha256: 'cd', rule: 'q', namespace: '', strings: [] }]);
  assert.deepEqual(rows, [
    { sha256: 'ab', rule: 'hunt.r', tags: 'x, y', strings: 1, first: '$a @ 0xff' },
    { sha256: 'cd', rule: 'q', tags: '', strings: 0, first: '' },
  ]);
});
