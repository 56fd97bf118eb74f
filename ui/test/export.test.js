import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atDrawnSize, buildHtmlReport, indicatorsWithEvidence, iocsWithStrings, stripScripts } from '../src/data/exportHtml.js';

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

test('the HTML export lists imports, each IOC with the string it was found in, and every piece of evidence', () => {
  const report = {
    path: 'a.exe',
    size: 10,
    format: 'pe',
    hashes: { sha256: 'cd' },
    pe: { imports: [{ dll: 'WININET.dll', functions: ['InternetOpenUrlA', 'InternetReadFile'] }], delay_imports: [{ dll: 'WS2_32.dll', functions: ['connect'] }], sections: [] },
    strings: {
      items: [
        { offset: 100, encoding: 'ascii', value: 'get http://evil.example/x now' },
        { offset: 200, encoding: 'utf16le', value: 'C:\\Temp\\<drop>.exe' },
      ],
      iocs: [
        { kind: 'url', value: 'http://evil.example/x', offset: 104, count: 2 },
        { kind: 'windows_path', value: 'C:\\Temp\\<drop>.exe', offset: 200, count: 1 },
        { kind: 'domain', value: 'decoded.example', offset: 0, count: 1, source: 'document' },
        { kind: 'ipv4', value: '10.0.0.1', offset: 500, count: 1 },
      ],
    },
    indicators: [
      { id: 'low.one', severity: 'low', title: 'Low', evidence: [] },
      { id: 'api.x', severity: 'high', title: 'Injection', attack_id: 'T1055', evidence: [{ api: 'kernel32!VirtualAllocEx' }, { section: '.text', offset: 4096 }, { detail: 'a', api: 'b' }, { detail: 'fourth piece' }] },
    ],
  };
  const rows = iocsWithStrings(report.strings);
  assert.deepEqual(
    rows.map((r) => r.string),
    ['get http://evil.example/x now', 'C:\\Temp\\<drop>.exe', '', ''],
    'the string holding each IOC; none for decoded text or an offset no string covers',
  );
  const indicators = indicatorsWithEvidence(report.indicators);
  assert.deepEqual(indicators.map((i) => i.id), ['api.x', 'low.one']);
  assert.deepEqual(indicators[0].evidence, ['api kernel32!VirtualAllocEx', 'section .text · offset 0x1000', 'a · api b', 'fourth piece']);
  const html = buildHtmlReport(report, [], new Date(0));
  assert.ok(html.includes('<code>WININET.dll</code></td><td>2</td><td><code>InternetOpenUrlA, InternetReadFile</code>'));
  assert.ok(html.includes('<code>WS2_32.dll</code> (delay-load)'));
  assert.ok(html.includes('C:\\Temp\\&lt;drop&gt;.exe'));
  assert.ok(!html.includes('<drop>'));
  assert.ok(html.includes('<li>fourth piece</li>'), 'evidence past the third is kept');
  assert.ok(html.includes('<td>document</td>'));
});

test('exported charts keep their drawn size, so their text is not scaled down', () => {
  assert.equal(atDrawnSize('<svg class="chart" viewBox="0 0 900 160"><text>x</text></svg>'), '<svg width="900" height="160" class="chart" viewBox="0 0 900 160"><text>x</text></svg>');
  // A chart that says its own width keeps it; markup that is not an SVG is left alone.
  assert.equal(atDrawnSize('<svg width="50" viewBox="0 0 900 160"></svg>'), '<svg width="50" viewBox="0 0 900 160"></svg>');
  assert.equal(atDrawnSize('<svg class="x"></svg>'), '<svg class="x"></svg>');
  const html = buildHtmlReport({ path: 'a', hashes: { sha256: 'ab' } }, [{ title: 'Entropy', svg: '<svg viewBox="0 0 900 160"><text>x</text></svg>' }]);
  assert.ok(html.includes('<div class="chart"><svg width="900" height="160"'), html);
});
