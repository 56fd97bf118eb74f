import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeness, linkDistance, similarityGraph } from '../src/data/similar.js';
import { facets, parseTags, searchRows } from '../src/data/history.js';
import { applyScanEvent, clearFinished, emptyQueue, queueCounts, queueItems } from '../src/data/queue.js';

test('similarity graph merges hits found by both hashes and scales closeness', () => {
  const g = similarityGraph(
    {
      query: { sha256: 'q' },
      by_tlsh: [
        { sample: { sha256: 'a', names: ['a.exe'] }, matched_by: 'tlsh', tlsh_distance: 30 },
        { sample: { sha256: 'q', names: [] }, matched_by: 'tlsh', tlsh_distance: 0 },
      ],
      by_ssdeep: [
        { sample: { sha256: 'a', names: ['a.exe'] }, matched_by: 'ssdeep', ssdeep_score: 50 },
        { sample: { sha256: 'b', names: [] }, matched_by: 'ssdeep', ssdeep_score: 100 },
      ],
    },
    { name: 'query.exe' },
  );
  assert.equal(g.nodes.length, 3);
  const a = g.nodes.find((n) => n.id === 'a');
  assert.equal(a.name, 'a.exe');
  assert.equal(g.nodes.find((n) => n.id === 'b').name, 'b');
  assert.deepEqual([a.tlsh, a.ssdeep, a.closeness], [30, 50, 0.9]);
  assert.equal(g.links.length, 2);
  assert.equal(closeness({ tlsh: 600 }), 0);
  assert.equal(linkDistance(1), 60);
  assert.equal(linkDistance(0), 260);
});

test('history search, facets and tag parsing', () => {
  const rows = [
    { sha256: 'abc1', name: 'setup.exe', format: 'pe', verdict: 'benign', tags: ['installer'] },
    { sha256: 'def2', name: 'ls', format: 'elf', verdict: null, tags: [] },
  ];
  assert.deepEqual(searchRows(rows, 'ABC').map((r) => r.name), ['setup.exe']);
  assert.deepEqual(searchRows(rows, 'install').map((r) => r.name), ['setup.exe']);
  assert.equal(searchRows(rows, '').length, 2);
  const f = facets(rows);
  assert.deepEqual(f.verdicts.map((v) => v.value).sort(), ['benign', 'none']);
  assert.deepEqual(f.tags, [{ value: 'installer', count: 1 }]);
  assert.deepEqual(parseTags(' Dropper, apt29  dropper '), ['dropper', 'apt29']);
});

test('queue folds events, never goes backwards, and clears finished items', () => {
  let q = emptyQueue();
  q = applyScanEvent(q, { scan_id: 1, path: '/a', stage: 'queued', progress: 0 });
  q = applyScanEvent(q, { scan_id: 2, path: '/b', stage: 'queued', progress: 0 });
  q = applyScanEvent(q, { scan_id: 1, path: '/a', stage: 'analyzing', progress: 0.3, sha256: 'h' });
  q = applyScanEvent(q, { scan_id: 1, path: '/a', stage: 'hashing', progress: 0.1 });
  assert.equal(q.items.get(1).stage, 'analyzing');
  q = applyScanEvent(q, { scan_id: 1, path: '/a', stage: 'done', progress: 1, cached: true });
  assert.equal(q.items.get(1).sha256, 'h');
  q = applyScanEvent(q, { scan_id: 2, path: '/b', stage: 'failed', progress: 1, message: 'crashed' });
  assert.deepEqual(queueItems(q).map((i) => i.path), ['/a', '/b']);
  assert.deepEqual(queueCounts(q), { total: 2, active: 0, done: 1, failed: 1 });
  q = applyScanEvent(q, { scan_id: 3, path: '/c', stage: 'queued' });
  assert.deepEqual(queueItems(clearFinished(q)).map((i) => i.path), ['/c']);
});
