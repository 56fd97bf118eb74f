// Every leaf of a recorded report (PE, packed, .NET, ELF, Mach-O, malformed) appears in the
// rendered DOM of some view, or is on the short list of fields deliberately not shown
// (ui/src/data/hiddenFields.js, each with its reason).
//
// The matching rule, the one way the UI writes values:
// - a string appears when its text is in a view's text or in a title attribute (a cut cell has
//   its whole text as title);
// - an integer appears written in decimal (`4096`), in hex with `0x` (`0x1000`) or grouped
//   (`4,096`); a fraction with 1 to 4 decimals, or as a percentage with one decimal;
// - booleans are not matched: `yes`/`no` is on every page, so a match would prove nothing;
// - `null` and `""` are absences, with nothing to show;
// - arrays: the first ARRAY_CAP elements of each are checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, openApp, repo, serveDist } from './harness.js';

const ARRAY_CAP = 20;
/** Views that show a sample (History and Settings do not). */
const SAMPLE_VIEWS = ['overview', 'filemap', 'imports', 'strings', 'structure', 'code', 'tree', 'document'];
/** Every corpus kind: the main fixtures and those recorded for this test. */
const FIXTURES = { pe: 'pe.json', packed: 'pe-upx.json', elf: 'elf.json', dotnet: 'structure/dotnet.json', macho: 'structure/macho.json', malformed: 'structure/malformed.json' };

let server;
let browser;
let app;
let samples;
let hiddenEntry;

before(async () => {
  ({ hiddenEntry } = await import(pathToFileURL(join(repo, 'ui', 'src', 'data', 'hiddenFields.js'))));
  samples = {};
  for (const [kind, file] of Object.entries(FIXTURES)) samples[kind] = JSON.parse(await readFile(join(repo, 'tests', 'browser', 'fixtures', file), 'utf8'));
  server = await serveDist();
  browser = await launchBrowser();
  app = await openApp(browser, server.url, { samples: Object.values(samples) });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

/** `[path, value]` for every leaf, arrays cut at ARRAY_CAP, `[]` for an index in the path. */
export function leaves(value, path = '', out = []) {
  if (Array.isArray(value)) value.slice(0, ARRAY_CAP).forEach((v) => leaves(v, `${path}[]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  else out.push([path, value]);
  return out;
}

/** The ways the UI may write `value` (see the rule above); empty when it is not matched. */
export function spellings(value) {
  if (typeof value === 'string') return [value.trim()];
  if (typeof value !== 'number' || !Number.isFinite(value)) return [];
  if (Number.isInteger(value)) return [String(value), `0x${value.toString(16)}`, value.toLocaleString('en-US')];
  return [1, 2, 3, 4].map((d) => value.toFixed(d)).concat(`${(value * 100).toFixed(1)}%`);
}

/** The text of every view of the open sample, titles included. */
async function allViewsText(sha256) {
  let text = '';
  for (const view of SAMPLE_VIEWS) {
    await app.page.evaluate(([h, v]) => window.__fcasTest.open(h, { view: v }), [sha256, view]);
    await app.page.waitForSelector(`main[data-ready="true"][data-view="${view}"][data-sha256="${sha256}"]`);
    text += await app.page.evaluate(() => {
      const parts = [document.querySelector('.sample-title').textContent, document.querySelector('main').textContent];
      for (const el of document.querySelectorAll('main [title]')) parts.push(el.getAttribute('title'));
      return parts.join('\n');
    });
  }
  return text;
}

describe('every leaf of the report is shown', () => {
  for (const kind of Object.keys(FIXTURES)) {
    test(kind, async () => {
      const report = samples[kind].report;
      const text = await allViewsText(report.hashes.sha256);
      const missing = [];
      let checked = 0;
      for (const [path, value] of leaves(report)) {
        if (hiddenEntry(path)) continue;
        const ways = spellings(value).filter(Boolean);
        if (!ways.length) continue;
        checked += 1;
        if (!ways.some((w) => text.includes(w))) missing.push(`${path} = ${JSON.stringify(value).slice(0, 80)}`);
      }
      assert.ok(checked > 20, `${checked} leaves checked`);
      if (process.env.COVERAGE_DUMP) console.log(JSON.stringify([...new Set(missing.map((m) => m.split(' = ')[0]))]));
      assert.deepEqual([...new Set(missing)], [], `${kind}: leaves shown nowhere`);
    });
  }
});
