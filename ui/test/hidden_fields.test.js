import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN_FIELDS, hiddenEntry } from '../src/data/hiddenFields.js';

test('a hidden field covers itself and everything under it, nothing else', () => {
  assert.equal(hiddenEntry('byte_histogram[]')?.path, 'byte_histogram');
  assert.equal(hiddenEntry('entropy_profile[].offset')?.path, 'entropy_profile');
  assert.equal(hiddenEntry('predictions[].explanation.regions[].weight')?.path, 'predictions[].explanation');
  assert.equal(hiddenEntry('predictions[].label'), null);
  assert.equal(hiddenEntry('byte_histogram_extra'), null, 'a name that only starts the same is not covered');
  assert.equal(hiddenEntry('entropy'), null);
});

test('every hidden field says why, and the list stays short', () => {
  assert.ok(HIDDEN_FIELDS.length <= 10);
  for (const f of HIDDEN_FIELDS) assert.ok(f.reason.length > 20, f.path);
});
