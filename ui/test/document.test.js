import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DANGEROUS_PDF_KEYWORDS,
  childBySha256,
  decodedPayloads,
  documentSections,
  documentSummary,
  embeddedObjects,
  extraFields,
  fieldLabel,
  hasDocument,
  highlightRanges,
  isDangerousKeyword,
  lnkFields,
  moduleHighlights,
  notExtractedReason,
  pdfKeywordRows,
  splitHighlights,
  unmatchedKeywords,
} from '../src/data/document.js';

const sha = (c) => c.repeat(64);
const words = (source, ranges) => ranges.map((r) => source.slice(r.start, r.end));

test('hasDocument: only reports with a document part', () => {
  assert.equal(hasDocument({ document: { kind: 'pdf' } }), true);
  assert.equal(hasDocument({ document: null }), false);
  assert.equal(hasDocument({}), false);
  assert.equal(hasDocument(null), false);
});

test('highlightRanges: case-insensitive whole words, sorted, every occurrence', () => {
  const source = 'Sub autoopen()\n  Shell "cmd"\n  x = SHELL(y)\n  ShellExecute z\nEnd Sub\nSub AutoOpen_x()';
  const ranges = highlightRanges(source, [
    { keyword: 'AutoOpen', kind: 'autoexec' },
    { keyword: 'Shell', kind: 'suspicious' },
  ]);
  assert.deepEqual(words(source, ranges), ['autoopen', 'Shell', 'SHELL']);
  assert.deepEqual(
    ranges.map((r) => [r.kind, r.keyword]),
    [
      ['autoexec', 'AutoOpen'],
      ['suspicious', 'Shell'],
      ['suspicious', 'Shell'],
    ],
  );
  // Sorted by position, not overlapping.
  for (let i = 1; i < ranges.length; i += 1) assert.ok(ranges[i].start >= ranges[i - 1].end);
});

test('highlightRanges: regex characters in keywords are literal; several words match any spacing', () => {
  const source = 'a.b aXb Chr   chain Chr(65) & Chr(66)';
  assert.deepEqual(words(source, highlightRanges(source, [{ keyword: 'a.b', kind: 'suspicious' }])), ['a.b']);
  assert.deepEqual(words(source, highlightRanges(source, [{ keyword: 'Chr chain', kind: 'suspicious' }])), ['Chr   chain']);
  assert.deepEqual(highlightRanges(source, [{ keyword: '', kind: 'suspicious' }]), []);
  assert.deepEqual(highlightRanges('', [{ keyword: 'Shell', kind: 'suspicious' }]), []);
});

test('highlightRanges: overlaps go to the autoexec keyword, then the longer one', () => {
  const source = 'Document_Open CreateObject';
  const ranges = highlightRanges(source, [
    { keyword: 'Open', kind: 'suspicious' },
    { keyword: 'Document_Open', kind: 'autoexec' },
    { keyword: 'CreateObject', kind: 'suspicious' },
  ]);
  // `Open` is not a whole word inside Document_Open (the underscore joins them).
  assert.deepEqual(words(source, ranges), ['Document_Open', 'CreateObject']);
  const spaced = 'Workbook Open';
  const both = highlightRanges(spaced, [
    { keyword: 'Open', kind: 'suspicious' },
    { keyword: 'Workbook Open', kind: 'autoexec' },
  ]);
  assert.deepEqual(words(spaced, both), ['Workbook Open']);
  assert.equal(both[0].kind, 'autoexec');
});

test('moduleHighlights, splitHighlights and unmatchedKeywords', () => {
  const module = { name: 'M', source: 'Sub AutoOpen(): Shell "x": End Sub', autoexec: ['AutoOpen'], suspicious: ['Shell', 'Hex strings'] };
  const ranges = moduleHighlights(module);
  assert.deepEqual(words(module.source, ranges), ['AutoOpen', 'Shell']);
  const parts = splitHighlights(module.source, ranges);
  assert.equal(parts.map((p) => p.text).join(''), module.source, 'the pieces give back the whole source');
  assert.deepEqual(
    parts.filter((p) => p.kind).map((p) => [p.kind, p.text]),
    [
      ['autoexec', 'AutoOpen'],
      ['suspicious', 'Shell'],
    ],
  );
  assert.deepEqual(unmatchedKeywords(module, ranges), [{ kind: 'suspicious', keyword: 'Hex strings' }]);
  assert.deepEqual(splitHighlights('abc', []), [{ text: 'abc' }]);
  assert.deepEqual(moduleHighlights({}), []);
});

test('hostile source stays text: markup is only cut, never changed', () => {
  const source = '<script>alert(1)</script><img src=x onerror=Shell(1)>';
  const ranges = highlightRanges(source, [{ keyword: 'Shell', kind: 'suspicious' }]);
  const parts = splitHighlights(source, ranges);
  assert.equal(parts.map((p) => p.text).join(''), source);
  assert.deepEqual(words(source, ranges), ['Shell']);
});

test('PDF keywords: dangerous ones are recognised, rows sorted by count', () => {
  for (const k of DANGEROUS_PDF_KEYWORDS) assert.equal(isDangerousKeyword(k), true, k);
  assert.equal(isDangerousKeyword('JS'), true, 'without the slash');
  assert.equal(isDangerousKeyword('/js'), false, 'PDF names are case-sensitive');
  assert.equal(isDangerousKeyword('/Page'), false);
  assert.equal(isDangerousKeyword('/ObjStm'), false);
  const rows = pdfKeywordRows({ '/Page': 3, '/JS': 2, '/OpenAction': 1, '/AA': 0, '/Encrypt': 1 });
  assert.deepEqual(
    rows.map((r) => [r.name, r.count, r.dangerous]),
    [
      ['/Page', 3, false],
      ['/JS', 2, true],
      ['/Encrypt', 1, false],
      ['/OpenAction', 1, true],
      ['/AA', 0, true],
    ],
  );
  assert.deepEqual(pdfKeywordRows(undefined), []);
});

test('extraFields: unknown fields as text, known and absent ones left out', () => {
  const lnk = { target: 'C:\\x.exe', arguments: '-c', mac_address: '00:11:22:33:44:55', drive_serial: 1234, remote: false, times: { created: 1 }, flags: ['a', 'b'], empty: [], none: null, blank: {} };
  assert.deepEqual(extraFields(lnk, ['target', 'arguments']), [
    { key: 'mac_address', label: 'Mac address', value: '00:11:22:33:44:55' },
    { key: 'drive_serial', label: 'Drive serial', value: '1234' },
    { key: 'remote', label: 'Remote', value: 'false' },
    { key: 'times', label: 'Times', value: '{"created":1}' },
    { key: 'flags', label: 'Flags', value: 'a, b' },
  ]);
  assert.deepEqual(extraFields(null), []);
  assert.equal(fieldLabel('working_dir'), 'Working dir');
});

test('lnkFields: the known fields first in their order, then every other present field', () => {
  const fields = lnkFields({ machine_id: 'desktop-1', icon: null, target: 'C:\\Windows\\System32\\cmd.exe', arguments: '/c calc', volume_label: 'OS' });
  assert.deepEqual(
    fields.map((f) => [f.key, f.label, f.value]),
    [
      ['target', 'Target', 'C:\\Windows\\System32\\cmd.exe'],
      ['arguments', 'Arguments', '/c calc'],
      ['machine_id', 'Machine ID', 'desktop-1'],
      ['volume_label', 'Volume label', 'OS'],
    ],
  );
  assert.deepEqual(lnkFields(undefined), []);
});

test('embedded objects are matched with the children by SHA-256, else say why not', () => {
  const report = {
    document: {
      kind: 'ooxml',
      embedded: [
        { name: 'oleObject1.bin', class: 'Package', sha256: sha('a'), size: 10 },
        { name: 'oleObject2.bin', sha256: sha('b'), size: 20 },
      ],
    },
    children: [{ name: 'payload.exe', sha256: sha('A'), size: 10, format: 'pe', verdict: 'malicious' }],
    extraction: { status: 'opened', limits_hit: [{ limit: 'max_children', detail: '1 entry left out' }], skipped: [], entries: [] },
  };
  const objects = embeddedObjects(report);
  assert.equal(objects[0].child.name, 'payload.exe', 'case-insensitive match');
  assert.equal(objects[0].reason, null);
  assert.equal(objects[1].child, null);
  assert.match(objects[1].reason, /^not extracted: a limit was met \(max_children: 1 entry left out\)$/);
  assert.equal(childBySha256(report, ''), null);
  // Why not: no extraction at all, a skipped entry, a container not opened.
  assert.match(notExtractedReason({}, { name: 'x' }), /extraction was off/);
  assert.equal(notExtractedReason({ extraction: { status: 'opened', skipped: [{ name: 'x', reason: 'larger than max_entry_size' }] } }, { name: 'x' }), 'not extracted: larger than max_entry_size');
  assert.equal(notExtractedReason({ extraction: { status: 'not_opened', message: 'extraction is turned off' } }, { name: 'x' }), 'not extracted: extraction is turned off');
  assert.match(notExtractedReason({ extraction: { status: 'opened' } }, { name: 'x' }), /no child/);
});

test('decoded payloads carry their child when there is one', () => {
  const report = { script: { language: 'powershell', decoded: [{ encoding: 'base64', offset: 4, sha256: sha('c'), size: 3 }, { encoding: 'base64', offset: 9, sha256: sha('d'), size: 3 }] }, children: [{ name: 'decoded-1', sha256: sha('c') }] };
  assert.deepEqual(
    decodedPayloads(report).map((p) => p.child?.name ?? null),
    ['decoded-1', null],
  );
});

test('documentSummary counts, and the sections each kind shows', () => {
  const report = {
    document: {
      kind: 'ooxml',
      encrypted: false,
      vba: { modules: [{ autoexec: ['AutoOpen'], suspicious: ['Shell', 'CreateObject'] }, { autoexec: ['AutoOpen'], suspicious: [] }], stomped: true },
      dde: ['DDEAUTO c:\\windows\\system32\\cmd.exe'],
      external_relationships: [{ type: 'attachedTemplate', target: 'http://x/t.dotm', part: 'word/_rels/settings.xml.rels' }],
      embedded: [{ name: 'o', sha256: sha('a'), size: 1 }],
      truncated: ['vba.source'],
    },
    children: [{ name: 'o', sha256: sha('a') }],
  };
  const s = documentSummary(report);
  assert.equal(s.kindLabel, 'Office Open XML document');
  assert.equal(s.stomped, true);
  assert.deepEqual([s.counts.modules, s.counts.autoexec, s.counts.suspicious, s.counts.dde, s.counts.external, s.counts.embedded, s.counts.extracted], [2, 1, 2, 1, 1, 1, 1]);
  assert.deepEqual(s.truncated, ['vba.source']);
  assert.deepEqual(documentSections(report), ['summary', 'vba', 'xlm', 'dde', 'external', 'embedded']);
  assert.deepEqual(documentSections({ document: { kind: 'pdf' }, pdf: {} }), ['summary', 'pdf', 'embedded']);
  assert.deepEqual(documentSections({ document: { kind: 'lnk' } }), ['summary', 'lnk', 'embedded']);
  assert.deepEqual(documentSections({ document: { kind: 'script' }, script: {} }), ['summary', 'script', 'embedded']);
  assert.deepEqual(documentSections({}), []);
  const encrypted = documentSummary({ document: { kind: 'ole', encrypted: true, encryption: 'rc4-cryptoapi' } });
  assert.deepEqual([encrypted.encrypted, encrypted.encryption, encrypted.counts.modules], [true, 'rc4-cryptoapi', 0]);
});
