import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiBehaviours, behaviourGroups, exportRows, filterTree, importTree, libraries } from '../src/data/imports.js';

const report = {
  pe: {
    imports: [
      { dll: 'KERNEL32.dll', functions: ['VirtualAllocEx', 'GetTickCount'] },
      { dll: 'USER32.dll', functions: ['MessageBoxW'] },
    ],
    delay_imports: [{ dll: 'WS2_32.dll', functions: ['connect'] }],
    exports: [{ name: 'Run', ordinal: 1, address: 4096 }, { name: null, ordinal: 7, address: 8192, forwarder: 'NTDLL.RtlX' }],
  },
  indicators: [
    { id: 'api.injection', title: 'Process injection', severity: 'high', attack_id: 'T1055', evidence: [{ api: 'kernel32.dll!VirtualAllocEx' }] },
    { id: 'api.network', title: 'Network', severity: 'medium', evidence: [{ api: 'connect' }] },
  ],
};

test('behaviours come from indicator evidence, matched case-insensitively with or without the DLL', () => {
  const map = apiBehaviours(report.indicators);
  assert.equal(map.get('kernel32.dll!virtualallocex').attackId, 'T1055');
  assert.equal(map.get('virtualallocex').title, 'Process injection');
  const tree = importTree(report);
  assert.deepEqual(tree.children.map((d) => [d.name, d.delay]), [['KERNEL32.dll', false], ['USER32.dll', false], ['WS2_32.dll', true]]);
  assert.equal(tree.children[0].children[0].behaviour.severity, 'high');
  assert.equal(tree.children[0].children[1].behaviour, null);
  assert.equal(tree.children[2].children[0].behaviour.title, 'Network');
});

test('behaviourGroups orders by severity, filterTree keeps matching DLLs or functions', () => {
  const tree = importTree(report);
  assert.deepEqual(behaviourGroups(tree).map((g) => [g.title, g.apis]), [['Process injection', ['KERNEL32.dll!VirtualAllocEx']], ['Network', ['WS2_32.dll!connect']]]);
  assert.deepEqual(filterTree(tree, 'user').children.map((d) => d.name), ['USER32.dll']);
  assert.deepEqual(filterTree(tree, 'tick').children.map((d) => d.children.map((f) => f.name)), [['GetTickCount']]);
  assert.equal(filterTree(tree, '  ').children.length, 3);
});

test('exports and libraries of PE and ELF', () => {
  assert.deepEqual(exportRows(report).map((e) => [e.name, e.forwarder]), [['Run', null], ['#7', 'NTDLL.RtlX']]);
  assert.deepEqual(libraries(report), ['KERNEL32.dll', 'USER32.dll']);
  const elf = { elf: { libraries: ['libc.so.6'], imported_symbols: ['puts'], exported_symbols: ['main'] } };
  assert.deepEqual(libraries(elf), ['libc.so.6']);
  assert.deepEqual(importTree(elf).children[0].children.map((f) => f.name), ['puts']);
  assert.deepEqual(exportRows(elf).map((e) => e.name), ['main']);
});
