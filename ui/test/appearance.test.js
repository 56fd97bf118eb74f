import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_APPEARANCE, ZOOM_STEPS, nextZoom, normaliseAppearance, resolveTheme, zoomKey } from '../src/data/appearance.js';

test('a theme choice wins over the system; system follows prefers-color-scheme', () => {
  assert.equal(resolveTheme('light', true), 'light');
  assert.equal(resolveTheme('dark', false), 'dark');
  assert.equal(resolveTheme('system', true), 'dark');
  assert.equal(resolveTheme('system', false), 'light');
  assert.equal(resolveTheme('sepia', true), 'dark');
});

test('zoom walks the steps, stops at the ends and resets to 100', () => {
  assert.equal(nextZoom(100, 1), 110);
  assert.equal(nextZoom(100, -1), 90);
  assert.equal(nextZoom(200, 1), 200);
  assert.equal(nextZoom(50, -1), 50);
  assert.equal(nextZoom(133, 0), 100);
  // Between two steps: the next step that way.
  assert.equal(nextZoom(133, 1), 150);
  assert.equal(nextZoom(133, -1), 125);
  let zoom = 100;
  for (let i = 0; i < ZOOM_STEPS.length + 3; i += 1) zoom = nextZoom(zoom, 1);
  assert.equal(zoom, 200);
  assert.ok(ZOOM_STEPS.every((z, i) => i === 0 || z > ZOOM_STEPS[i - 1]));
});

test('only Ctrl with =, +, - or 0 is a zoom key', () => {
  const key = (k, extra = {}) => zoomKey({ key: k, ctrlKey: true, metaKey: false, altKey: false, ...extra });
  assert.equal(key('='), 1);
  assert.equal(key('+'), 1);
  assert.equal(key('-'), -1);
  assert.equal(key('0'), 0);
  assert.equal(key('1'), null);
  assert.equal(key('=', { ctrlKey: false }), null);
  assert.equal(key('=', { altKey: true }), null);
});

test('a saved appearance is completed and bounded', () => {
  assert.deepEqual(normaliseAppearance(undefined), { ...DEFAULT_APPEARANCE });
  assert.deepEqual(normaliseAppearance({ theme: 'dark', zoom_percent: 900, queue_collapsed: 1 }), { theme: 'dark', zoom_percent: 200, queue_collapsed: true });
  assert.deepEqual(normaliseAppearance({ theme: 'x', zoom_percent: 'big' }), { ...DEFAULT_APPEARANCE });
});
