import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHtmlReport, stripScripts } from '../src/data/exportHtml.js';

test('the HTML export is one document with escaped text, inline SVG and embedded JSON', () => {
  const report = {
    path: '<evil>.exe',
    size: 2048,
    format: 'pe',
    hashes: { sha256: 'ab' },
    verdict: { label: 'malicious', score: 0.9 },
    indicators: [{ id: 'x', severity: 'high', title: 'T</script>', attack_id: 'T1055' }],
    pe: { sections: [{ name: '.text', raw_pointer: 0, raw_size: 10, entropy: 5 }] },
  };
  const html = buildHtmlReport(report, [{ title: 'Entropy', svg: '<svg onload="x()"><script>bad()</script><rect/></svg>' }, { title: 'bad', svg: 'text' }], new Date(0));
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes('&lt;evil&gt;.exe'));
  assert.ok(!html.includes('<evil>'));
  assert.ok(html.includes('<svg><rect/></svg>'));
  assert.ok(!html.includes('bad()'));
  assert.equal(html.match(/<\/script>/g).length, 1, 'only the JSON block closes a script element');
  const json = html.match(/<script type="application\/json" id="fcas-report">([\s\S]*?)<\/script>/)[1];
  assert.deepEqual(JSON.parse(json), report);
  assert.ok(html.includes('class="verdict danger"'));
  assert.equal(stripScripts("<svg onclick='a'></svg>"), '<svg></svg>');
});
