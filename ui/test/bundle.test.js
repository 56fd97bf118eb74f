// The production bundle (`make ui`) has no test hook; the test bundle (`make ui-test`) has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const scripts = (dist) => {
  const assets = join(import.meta.dirname, '..', dist, 'assets');
  return readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
};

test('the production bundle leaves the test hook out, the test bundle has it', () => {
  const production = scripts('dist');
  assert.ok(production.includes('fcas://scan'), 'the production bundle is the app');
  assert.ok(!production.includes('__fcasTest'), 'no test hook in the production bundle');
  assert.ok(scripts('dist-test').includes('__fcasTest'), 'the test bundle carries the hook');
});
