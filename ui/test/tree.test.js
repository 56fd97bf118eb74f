import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, childrenOf, extractionSummary, flatten, foundIn, hasTree, loadTree, treeRoot } from '../src/data/tree.js';

// sample.zip holds inner.7z (a.exe, notes.txt), a copy of a.exe (a duplicate) and gone.bin (listed
// without a report of its own); other.zip holds a.exe too.
const sha = (c) => c.repeat(64);
const ZIP = sha('a');
const INNER = sha('b');
const EXE = sha('c');
const NOTES = sha('d');
const GONE = sha('e');
const OTHER = sha('f');
const child = (name, sha256, format, extra = {}) => ({ name, sha256, size: 100, format, verdict: null, ...extra });
const reports = {
  [ZIP]: {
    path: '/cases/sample.zip',
    format: 'zip',
    size: 900,
    hashes: { sha256: ZIP },
    verdict: { label: 'unknown' },
    extraction: { status: 'opened', format: 'zip', password: 'infected', limits_hit: [{ limit: 'max_children', detail: '3 entries left out' }], skipped: [{ name: 'link', reason: 'a symbolic link' }], entries: [], message: null },
    children: [child('inner.7z', INNER, 'sevenzip'), child('copy-of-a.exe', EXE, 'pe', { duplicate: true }), child('gone.bin', GONE, 'unknown')],
  },
  [INNER]: {
    path: '/cases/sample.zip!inner.7z',
    format: 'sevenzip',
    size: 500,
    hashes: { sha256: INNER },
    extraction: { status: 'encrypted', format: 'sevenzip', password: null, limits_hit: [], skipped: [], entries: [{ name: 'secret.doc', size: 10, encrypted: true }], message: 'no password of the list opened it' },
    children: [child('a.exe', EXE, 'pe', { verdict: 'malicious' }), child('notes.txt', NOTES, 'text')],
    lineage: [{ sha256: ZIP, name: '/cases/sample.zip' }],
  },
  [EXE]: { path: '/cases/sample.zip!inner.7z!a.exe', format: 'pe', size: 100, hashes: { sha256: EXE }, verdict: { label: 'malicious' }, lineage: [{ sha256: ZIP, name: '/cases/sample.zip' }, { sha256: INNER, name: 'inner.7z' }] },
  [OTHER]: { path: '/cases/other.zip', format: 'zip', size: 300, hashes: { sha256: OTHER }, children: [child('a.exe', EXE, 'pe')], extraction: { status: 'opened' } },
};
// What the store answers: edges by name, each child's stored format, size and latest verdict.
const edge = (name, sha256, format, verdict = null, stored = true) => ({ sha256, name, format, size: 100, verdict, stored });
const storeEdges = {
  [ZIP]: [edge('copy-of-a.exe', EXE, 'pe', 'malicious'), edge('gone.bin', GONE, 'unknown', null, false), edge('inner.7z', INNER, 'sevenzip')],
  [INNER]: [edge('a.exe', EXE, 'pe', 'malicious'), edge('notes.txt', NOTES, 'text', 'unknown')],
  [OTHER]: [edge('a.exe', EXE, 'pe', 'malicious')],
};
const fakeApi = (calls = []) => ({
  children: async (h) => (calls.push(['children', h]), storeEdges[h] ?? []),
  getReport: async (h) => {
    calls.push(['getReport', h]);
    if (!reports[h]) throw { code: 'not_found', message: 'no stored report' };
    return { report: reports[h], names: [reports[h].path.split(/[/!]/).pop()] };
  },
});

test('a report has a tree when it has children or a lineage', () => {
  assert.equal(hasTree(reports[ZIP]), true);
  assert.equal(hasTree(reports[EXE]), true);
  assert.equal(hasTree({ hashes: { sha256: NOTES } }), false);
  assert.deepEqual(treeRoot({ report: reports[EXE], names: ['a.exe'] }), { sha256: ZIP, name: 'sample.zip' });
  assert.deepEqual(treeRoot({ report: reports[ZIP], names: [] }), { sha256: ZIP, name: 'sample.zip' });
});

test('the tree of a descendant starts at the submitted file, children in container order', async () => {
  const calls = [];
  const root = treeRoot({ report: reports[EXE] });
  const loaded = await loadTree(fakeApi(calls), root, new Map([[EXE, reports[EXE]]]));
  assert.equal(loaded.truncated, false);
  // Every sample is listed once; only containers' reports are read, the open one not again.
  assert.deepEqual(calls.filter(([c]) => c === 'getReport').map(([, h]) => h).sort(), [ZIP, INNER].sort());
  assert.equal(calls.filter(([c, h]) => c === 'children' && h === EXE).length, 1);
  assert.ok(!calls.some(([c, h]) => c === 'children' && h === GONE), 'a child without a report is not listed');
  const tree = buildTree({ root, current: EXE, ...loaded });
  assert.equal(tree.name, 'sample.zip');
  assert.deepEqual(tree.children.map((c) => c.name), ['inner.7z', 'copy-of-a.exe', 'gone.bin']);
  const [inner, copy, gone] = tree.children;
  assert.deepEqual(inner.children.map((c) => [c.name, c.format, c.verdict, c.current]), [['a.exe', 'pe', 'malicious', true], ['notes.txt', 'text', 'unknown', false]]);
  // The way down to the open sample is marked.
  assert.deepEqual(flatten(tree).filter((n) => n.onPath).map((n) => n.name), ['sample.zip', 'inner.7z', 'a.exe', 'copy-of-a.exe']);
  // The second copy of a.exe is a duplicate, not expanded; its verdict is the stored one.
  assert.deepEqual([copy.duplicate, copy.verdict, copy.children.length], [true, 'malicious', 0]);
  // Listed by the container, no report of its own: shown, marked missing, never opened.
  assert.deepEqual([gone.missing, gone.stored, gone.duplicate], [true, false, false]);
  assert.equal(tree.extraction.password, 'infected');
  assert.deepEqual(tree.extraction.limits, ['max_children: 3 entries left out']);
  assert.deepEqual(tree.extraction.skipped, ['link: a symbolic link']);
  assert.deepEqual([inner.extraction.status, inner.extraction.listed, inner.extraction.message], ['encrypted', ['secret.doc (encrypted)'], 'no password of the list opened it']);
});

test('a sample met twice is a duplicate even when no report marks it, and a loop stops', async () => {
  const loopy = { ...storeEdges, [NOTES]: [edge('again.zip', ZIP, 'zip')] };
  const api = { children: async (h) => loopy[h] ?? [], getReport: async () => Promise.reject(new Error('gone')) };
  const root = { sha256: ZIP, name: 'sample.zip' };
  const loaded = await loadTree(api, root);
  // No report could be read: the store's edges alone, by name.
  assert.equal(loaded.reports.get(ZIP), null);
  const tree = buildTree({ root, current: ZIP, ...loaded });
  assert.deepEqual(tree.children.map((c) => c.name), ['copy-of-a.exe', 'gone.bin', 'inner.7z']);
  const inner = tree.children[2];
  assert.equal(tree.children[0].duplicate, false, 'first met here (store order)');
  assert.equal(inner.children[0].duplicate, true, 'a.exe met again inside inner.7z');
  const again = inner.children[1].children[0];
  assert.deepEqual([again.name, again.duplicate, again.children.length], ['again.zip', true, 0]);
  assert.equal(tree.extraction, null);
});

test('the depth guard cuts the tree and says so; the node guard too', async () => {
  // A chain of containers 30 deep: c0 holds c1 holds c2 ...
  const chain = (i) => `${i}`.padStart(64, '0');
  const api = { children: async (h) => (Number(h) < 30 ? [edge(`level-${Number(h) + 1}.zip`, chain(Number(h) + 1), 'zip')] : []), getReport: async () => ({ report: null }) };
  const limits = { maxDepth: 4, maxNodes: 100, maxReports: 10 };
  const loaded = await loadTree(api, { sha256: chain(0), name: 'level-0.zip' }, new Map(), limits);
  assert.equal(loaded.truncated, true);
  assert.equal(loaded.edges.size, 5, 'levels 0 to 4 are listed, nothing below');
  const tree = buildTree({ root: { sha256: chain(0), name: 'level-0.zip' }, current: chain(0), ...loaded }, limits);
  const nodes = flatten(tree);
  assert.equal(nodes.length, 5);
  assert.equal(nodes.at(-1).name, 'level-4.zip');
  assert.equal(nodes.at(-1).cut, 'depth');

  const wide = { children: async (h) => (h === ZIP ? Array.from({ length: 50 }, (_, i) => edge(`f${i}`, `${i}`.padStart(64, '1'), 'text')) : []), getReport: async () => Promise.reject(new Error('none')) };
  const few = { maxDepth: 4, maxNodes: 10, maxReports: 10 };
  const wideLoaded = await loadTree(wide, { sha256: ZIP, name: 'wide.zip' }, new Map(), few);
  assert.equal(wideLoaded.truncated, true);
  const wideTree = buildTree({ root: { sha256: ZIP, name: 'wide.zip' }, current: ZIP, ...wideLoaded }, few);
  assert.equal(wideTree.children.length, 9);
  assert.equal(wideTree.cut, 'nodes');
});

test('children merge the report (order, duplicates) with the store (stored, latest verdict)', () => {
  const merged = childrenOf(reports[ZIP], [...storeEdges[ZIP], edge('later.txt', NOTES, 'text')]);
  assert.deepEqual(merged.map((c) => [c.name, c.stored, c.duplicate, c.verdict]), [
    ['inner.7z', true, false, null],
    ['copy-of-a.exe', true, true, 'malicious'],
    ['gone.bin', false, false, null],
    ['later.txt', true, false, null],
  ]);
  assert.deepEqual(childrenOf(null, undefined), []);
  assert.deepEqual(extractionSummary(undefined), { status: 'opened', format: '', password: null, limits: [], skipped: [], listed: [], message: null });
});

test('found in: the lineage first, then the other containers once each', () => {
  const parents = [edge('a.exe', INNER, 'sevenzip'), edge('copy-of-a.exe', ZIP, 'zip'), edge('a.exe', OTHER, 'zip'), edge('b.exe', OTHER, 'zip'), edge('x', sha('9'), 'zip', null, false)];
  const place = foundIn(reports[EXE], parents, new Map([[OTHER, 'other.zip']]));
  assert.deepEqual(place.lineage.map((s) => s.name), ['sample.zip', 'inner.7z']);
  // sample.zip also holds a copy directly: it is on the lineage already, so it is not repeated.
  assert.deepEqual(place.others.map((o) => [o.name, o.as, o.stored]), [['other.zip', 'a.exe', true], [`zip ${sha('9').slice(0, 12)}…`, 'x', false]]);
  assert.deepEqual(foundIn({ hashes: { sha256: ZIP } }, []), { lineage: [], others: [] });
});
