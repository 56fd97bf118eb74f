import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeFacts, functionRows, listingRows, patternCounts } from '../src/data/code.js';

const code = {
  arch: 'x64',
  function_count: 2,
  instruction_count: 30,
  entry_disassembly: [
    { address: 4096, bytes: '55', mnemonic: 'push', text: 'push rbp' },
    { address: 4097, bytes: 'e8', mnemonic: 'call', text: 'call 0x2000' },
    { address: 4102, bytes: '75', mnemonic: 'jne', text: 'jne 0x1000' },
    { address: 4104, bytes: 'c3', mnemonic: 'ret', text: 'ret' },
  ],
  functions: [
    { address: 8192, size: 10, instruction_count: 4, found_by: 'call' },
    { address: 4096, size: 40, instruction_count: 12, found_by: 'entry', cut: true },
  ],
  api_calls: [{ address: 4097, function: 4096, api: 'kernel32.dll!ExitProcess', kind: 'call' }],
  patterns: { rdtsc: 2, cpuid: 0, peb_access: 1 },
  truncated: true,
};

test('listing marks control flow', () => {
  assert.deepEqual(listingRows(code).map((r) => r.flow), [null, 'call', 'jump', 'ret']);
  assert.deepEqual(listingRows(code).map((r) => r.api), [null, 'kernel32.dll!ExitProcess', null, null]);
  assert.deepEqual(listingRows(undefined), []);
});

test('functions sort by address or size and count API calls', () => {
  assert.deepEqual(functionRows(code).map((f) => f.address), [4096, 8192]);
  assert.deepEqual(functionRows(code, 'size').map((f) => f.size), [40, 10]);
  assert.equal(functionRows(code)[0].apiCalls, 1);
  assert.equal(functionRows(code)[0].cut, true);
});

test('facts and non-zero patterns', () => {
  const facts = codeFacts(code);
  assert.equal(facts.find((f) => f.label === 'Architecture').value, 'x64');
  assert.ok(facts.some((f) => f.label === 'Traversal'));
  assert.deepEqual(patternCounts(code), [{ name: 'rdtsc', count: 2 }, { name: 'peb access', count: 1 }]);
  assert.deepEqual(codeFacts(null), []);
});
