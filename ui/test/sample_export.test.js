import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORT_PASSWORD, exportSummary } from '../src/data/sampleExport.js';

test('a sample export is summed up with its path, password and what was missing', () => {
  assert.equal(EXPORT_PASSWORD, 'infected');
  const one = exportSummary({ path: '/x/a.zip', written: ['a'.repeat(64)], missing: [] }, 'infected');
  assert.deepEqual(one, { text: '1 sample written to /x/a.zip (AES-256, password infected)', ok: true, written: 1, missing: 0 });
  const missing = ['1', '2', '3', '4', '5'].map((d) => ({ sha256: d.repeat(64), reason: `gone ${d}` }));
  const some = exportSummary({ path: '/x/s.zip', written: ['a', 'b'], missing }, 'pw');
  assert.equal(some.text, '2 samples written to /x/s.zip (AES-256, password pw); 5 missing (111111111111…: gone 1; 222222222222…: gone 2; 333333333333…: gone 3; and 2 more)');
  assert.equal(some.ok, true);
  const none = exportSummary({ path: '/x/s.zip', written: [], missing: missing.slice(0, 1) }, 'infected');
  assert.equal(none.ok, false);
  assert.match(none.text, /^0 samples written .*; 1 missing \(111111111111…: gone 1\)$/);
});
