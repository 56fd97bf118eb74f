import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, escapeHtml, formatBytes, hex, percent, shortHash } from '../src/data/format.js';

test('formatBytes scales by 1024 and rejects garbage', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(1048576), '1.0 MiB');
  assert.equal(formatBytes(-1), '—');
  assert.equal(formatBytes('x'), '—');
});

test('hex, percent, shortHash, baseName, escapeHtml', () => {
  assert.equal(hex(255, 4), '0x00ff');
  assert.equal(hex(null), '—');
  assert.equal(percent(0.1234), '12.3%');
  assert.equal(percent(undefined), '—');
  assert.equal(shortHash('abcdef', 4), 'abcd…');
  assert.equal(shortHash('ab', 4), 'ab');
  assert.equal(baseName('/a/b/c.exe'), 'c.exe');
  assert.equal(baseName('C:\\x\\y.dll'), 'y.dll');
  assert.equal(escapeHtml('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
});
