// The triage loop's pure parts: walking samples, the queue's counts, the History query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedSamples, storedCounts, storedCountsText, walkStep } from '../src/data/triage.js';
import { historyQuery } from '../src/data/history.js';
import { analysisProblems, indicatorCountText, identityRows, severityCounts } from '../src/data/overview.js';

test('walkStep moves within the list and stops at its ends', () => {
  const list = ['a', 'b', 'c'];
  assert.equal(walkStep(list, 'a', 1), 'b');
  assert.equal(walkStep(list, 'c', 1), 'c');
  assert.equal(walkStep(list, 'a', -1), 'a');
  assert.equal(walkStep(list, 'x', 1), 'a');
  assert.equal(walkStep(list, null, -1), 'c');
  assert.equal(walkStep([], 'a', 1), null);
});

test('finishedSamples lists each finished sample once, in arrival order', () => {
  const items = [{ stage: 'done', sha256: 'a' }, { stage: 'failed', sha256: null }, { stage: 'analyzing', sha256: null }, { stage: 'done', sha256: 'b' }, { stage: 'done', sha256: 'a' }];
  assert.deepEqual(finishedSamples(items), ['a', 'b']);
});

test('the queue counts say what was stored', () => {
  const items = [{ stage: 'done', cached: false }, { stage: 'done', cached: true }, { stage: 'done', cached: false, message: 'pe: bad section' }, { stage: 'failed' }, { stage: 'queued' }];
  const counts = storedCounts(items);
  assert.deepEqual(counts, { running: 1, analysed: 2, reused: 1, withErrors: 1, failed: 1 });
  assert.equal(storedCountsText(counts), '1 running · 3 stored (1 already stored, 1 with errors) · 1 failed');
  assert.equal(storedCountsText(storedCounts([])), 'empty');
});

test('historyQuery maps the choices onto the store filter', () => {
  assert.deepEqual(historyQuery({ verdict: '', format: 'pe', tag: '', reviewed: 'no', hash: ' ABCD ', sort: 'size', ascending: true }, 1000), {
    verdict: null, format: 'pe', tag: null, reviewed: false, hash: 'ABCD', sort: 'size', ascending: true, limit: 1000, offset: 0,
  });
  assert.equal(historyQuery({ sort: 'dropped table' }, 10).sort, 'date');
  assert.equal(historyQuery({ reviewed: 'yes' }, 10).reviewed, true);
});

test('the banner count adds up to every indicator, info included', () => {
  const indicators = [{ severity: 'high' }, { severity: 'info' }, { severity: 'info' }, { severity: 'low' }];
  assert.equal(indicatorCountText(severityCounts(indicators)), '4 indicators: 1 high · 0 medium · 1 low · 2 info');
});

test('a parse failure is told apart from other stage errors', () => {
  const problems = analysisProblems({ errors: [{ stage: 'pe', message: 'bad' }, { stage: 'models', message: 'no runtime' }] });
  assert.deepEqual(problems.map((p) => p.parse), [true, false]);
});

test('Name is the file name; the path has its own row', () => {
  const rows = identityRows({ path: '/cases/a/b.exe', hashes: {} });
  assert.deepEqual(rows.filter((r) => r.label === 'Name' || r.label === 'Path').map((r) => r.value), ['b.exe', '/cases/a/b.exe']);
  assert.equal(identityRows({ path: 'b.exe', hashes: {} }).filter((r) => r.label === 'Path').length, 0);
});
