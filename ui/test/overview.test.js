import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityRows, knownAs, modelBars, severityCounts, topIndicators, verdictSummary } from '../src/data/overview.js';

test('verdictSummary maps labels to tones and handles a missing verdict', () => {
  assert.equal(verdictSummary({}).tone, 'neutral');
  assert.equal(verdictSummary({}).label, 'not scored');
  const v = verdictSummary({ verdict: { label: 'malicious', score: 0.93, disagreement: 0.2, reasons: ['r'] } });
  assert.deepEqual([v.tone, v.score, v.disagreement, v.reasons], ['danger', 0.93, 0.2, ['r']]);
  assert.equal(verdictSummary({ verdict: { label: 'benign', score: null } }).score, null);
});

test('modelBars clamps scores, keeps models that did not run and flags scores over threshold', () => {
  const bars = modelBars([
    { model: 'a', score: 1.4, threshold: 0.5, label: 'malicious', applicable: true },
    { model: 'b', score: 0.2, threshold: 0.5, label: 'benign', applicable: true },
    { model: 'c', score: null, threshold: null, label: 'not_applicable', applicable: false, reason: 'PE only' },
  ]);
  assert.deepEqual(bars.map((b) => [b.model, b.score, b.over]), [['a', 1, true], ['b', 0.2, false], ['c', null, null]]);
  assert.equal(bars[2].reason, 'PE only');
  assert.deepEqual(modelBars(undefined), []);
});

test('topIndicators orders by severity then id and keeps ATT&CK ids and evidence', () => {
  const list = [
    { id: 'z', severity: 'low', title: 'L' },
    { id: 'b', severity: 'high', title: 'H2', attack_id: 'T1055', evidence: [{ api: 'kernel32.dll!WriteProcessMemory' }] },
    { id: 'a', severity: 'high', title: 'H1', evidence: [{ offset: 16 }, { section: '.text' }] },
    { id: 'm', severity: 'medium', title: 'M' },
  ];
  const top = topIndicators(list, 3);
  assert.deepEqual(top.map((i) => i.id), ['a', 'b', 'm']);
  assert.equal(top[1].attackId, 'T1055');
  assert.deepEqual(top[0].evidence, ['offset 0x10', '.text']);
  assert.deepEqual(severityCounts(list), { high: 2, medium: 1, low: 1, info: 0 });
});

test('identityRows lists hashes with copy buttons and drops absent ones', () => {
  const rows = identityRows({ path: 'x.exe', size: 10, entropy: 1.5, hashes: { md5: 'm', sha256: 's', tlsh: null }, pe: { imphash: 'i' } });
  const labels = rows.map((r) => r.label);
  assert.ok(labels.includes('MD5') && labels.includes('imphash'));
  assert.ok(!labels.includes('TLSH'));
  assert.equal(rows.find((r) => r.label === 'SHA-256').copy, true);
  assert.equal(rows.find((r) => r.label === 'Entropy').value, '1.500');
});

test('knownAs names each imported list that knows the sample, and identityRows shows it', () => {
  const known = [
    { hash_kind: 'sha256', source: 'partner-misp', name: 'dropper.exe', tags: ['fcas:verdict="malicious"', 'tlp:amber'] },
    { hash_kind: 'md5', source: 'hashes.txt', name: '', tags: [] },
  ];
  assert.equal(knownAs(known), 'partner-misp: dropper.exe [fcas:verdict="malicious", tlp:amber]; hashes.txt');
  assert.equal(knownAs(undefined), '');
  assert.equal(knownAs([]), '');
  const row = identityRows({ path: 'x', hashes: {}, known }).find((r) => r.label === 'Known as');
  assert.ok(row && row.value.startsWith('partner-misp') && !row.copy);
  assert.equal(identityRows({ path: 'x', hashes: {} }).find((r) => r.label === 'Known as'), undefined);
});
