// Comfort and accessibility with the backend mocked: axe-core (ui/node_modules/axe-core, a test
// dependency) over every view in the light and the dark theme, reports of every recorded kind (PE,
// packed PE, ELF, Mach-O, .NET, malformed, a container and its children with model scores, a
// suspicious document); chart text of at least 11 px as drawn; the theme, zoom and queue settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launchBrowser, loadFixtures, openApp, repo, serveDist, showView } from './harness.js';

const require = createRequire(join(repo, 'ui', 'package.json'));
const AXE = require.resolve('axe-core/axe.min.js');
/** The impacts the issue forbids; minor and moderate ones are reported but do not fail. */
const FORBIDDEN = new Set(['serious', 'critical']);
const MIN_CHART_TEXT_PX = 11;

let server;
let browser;
let axeSource;
const samples = [];

before(async () => {
  axeSource = await readFile(AXE, 'utf8');
  const fixtures = await loadFixtures();
  const read = async (...path) => JSON.parse(await readFile(join(repo, 'tests', 'browser', 'fixtures', ...path), 'utf8'));
  samples.push(...Object.values(fixtures));
  for (const name of ['dotnet', 'macho', 'malformed']) samples.push(await read('structure', `${name}.json`));
  samples.push(...(await read('containers', 'submissions.json')).samples);
  // A suspicious document and what it carries.
  samples.push(...(await read('documents', 'recorded', 'ppt-package.json')).samples);
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The views a sample shows, as the navigation offers them once it is open. */
async function viewsOf(page) {
  return page.$$eval('nav.views button[data-view]', (buttons) => buttons.filter((b) => !b.hidden).map((b) => b.dataset.view));
}

/** axe-core's serious and critical violations of the page as it is, one line each. */
async function axeProblems(page, where) {
  // Evaluated through the debugging protocol, so the page's CSP (no inline script) still holds for the app.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => FORBIDDEN.has(v.impact))
    .flatMap((v) => v.nodes.map((n) => ({ key: `${v.impact} ${v.id} ${n.target.join(' ')}`, text: `${where}: ${v.impact} ${v.id} (${v.help}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}` })));
}

/** One line per rule and element, with the first place it was met (the shell repeats in every view). */
function distinct(found) {
  const seen = new Map();
  for (const { key, text } of found) if (!seen.has(key)) seen.set(key, text);
  return [...seen.values()];
}

/** Chart text drawn smaller than the minimum (font size times the SVG's scale on screen). */
async function smallChartText(page, where) {
  const small = await page.$$eval(
    'main svg text',
    (texts, min) => {
      // The length a unit of the text's own y axis has on screen (rotation and scaling included).
      const screenScale = (m) => (m ? Math.hypot(m.c, m.d) : 1);
      return texts
        .filter((t) => t.textContent.trim() && t.getBBox().width > 0)
        .map((t) => ({ text: t.textContent.trim().slice(0, 30), px: parseFloat(getComputedStyle(t).fontSize) * screenScale(t.getScreenCTM()) }))
        .filter((t) => t.px < min - 0.05);
    },
    MIN_CHART_TEXT_PX,
  );
  return small.map((t) => `${where}: "${t.text}" at ${t.px.toFixed(1)} px`);
}

/** Opens the app with `openApp(browser, url, ...args)`, runs `body(page)`, expects no page problem. */
async function withApp(args, body) {
  const app = await openApp(browser, server.url, ...args);
  try {
    await body(app.page);
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
}

/** The appearance the mock backend holds (what the page saved). */
const savedAppearance = async (page) => (await page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings'))).appearance;

async function open(page, sha256, view) {
  await page.evaluate(([h, v]) => window.__fcasTest.open(h, { view: v }), [sha256, view]);
  await page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"][data-view="${view}"]`);
  // The similarity graph settles on its own; the force layout's first paint is enough.
  await page.waitForTimeout(50);
}

for (const theme of ['light', 'dark']) {
  describe(`every view in the ${theme} theme`, () => {
    test('has no serious or critical axe-core violation and no chart text under 11 px', async () => {
      await withApp([{ samples }, { colorScheme: theme }], async (page) => {
        assert.equal(await page.getAttribute('html', 'data-theme'), theme, 'the system theme is followed by default');
        const problems = [...(await axeProblems(page, 'welcome'))];
        const small = [];
        for (const view of ['history', 'settings']) {
          await showView(page, view);
          problems.push(...(await axeProblems(page, view)));
        }
        const seen = new Set();
        for (const sample of samples) {
          const sha256 = sample.report.hashes.sha256;
          if (seen.has(sha256)) continue;
          seen.add(sha256);
          await open(page, sha256, 'overview');
          for (const view of await viewsOf(page)) {
            if (view === 'history' || view === 'settings') continue;
            await open(page, sha256, view);
            const where = `${sample.report.path.split('/').pop()} ${view}`;
            problems.push(...(await axeProblems(page, where)));
            small.push(...(await smallChartText(page, where)));
          }
        }
        assert.ok(seen.size >= 10, `reports of every kind were looked at (${seen.size})`);
        assert.deepEqual(distinct(problems), []);
        assert.deepEqual(small, []);
      });
    });
  });
}

describe('colour is never the only signal', () => {
  test('model scores say over or under, section kinds have patterns, neighbours and imports say their verdict and severity', async () => {
    await withApp([{ samples }, { colorScheme: 'light' }], async (page) => {
      const scored = samples.find((s) => s.report.predictions.some((p) => Number.isFinite(p.score) && Number.isFinite(p.threshold))).report;
      await open(page, scored.hashes.sha256, 'overview');
      const expected = scored.predictions
        .filter((p) => Number.isFinite(p.score) && Number.isFinite(p.threshold))
        .map((p) => `${p.score.toFixed(3)} ${p.score >= p.threshold ? 'over' : 'under'}`)
        .sort();
      const shown = (await page.locator('svg.model-bars text.score').allTextContents()).sort();
      assert.deepEqual(shown.filter((t) => / (over|under)$/.test(t)), expected);
      assert.match(await page.textContent('[data-testid="verdict"] .verdict-label'), new RegExp(scored.verdict.label, 'i'));
      const icon = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="verdict"] .verdict-label'), '::before').content);
      assert.notEqual(icon, 'none', 'the verdict carries an icon');

      const pe = samples.find((s) => s.report.path.endsWith('.exe') && s.report.pe?.sections.some((x) => x.is_writable && !x.is_executable && x.raw_size > 0)).report;
      await open(page, pe.hashes.sha256, 'filemap');
      const textures = await page.$$eval('svg.entropy-profile g.band', (bands) => bands.map((b) => [b.classList[1], b.querySelector('rect.texture').style.fill]));
      for (const [kind, fill] of textures) {
        if (kind === 'code') assert.equal(fill, 'none');
        else assert.match(fill, new RegExp(`url\\(.*-${kind}"?\\)`), `${kind} band is patterned`);
      }
      assert.ok(textures.some(([kind]) => kind === 'data'), 'a writable section was drawn');

      await open(page, pe.hashes.sha256, 'imports');
      await page.fill('input.filter', '');
      const badges = await page.$$eval('svg.import-tree g.depth-2[class*="sev-"]', (nodes) => nodes.map((n) => [n.getAttribute('class').match(/sev-(\w+)/)[1], n.querySelector('.badge').textContent]));
      for (const [severity, badge] of badges) assert.ok(badge.startsWith(`${severity} · `), badge);
      assert.ok(badges.length > 0, 'an import with a behaviour was drawn');

      await open(page, pe.hashes.sha256, 'similar');
      const labels = await page.$$eval('svg.force-graph g.node:not(.centre)', (nodes) => nodes.map((n) => [n.getAttribute('class'), n.querySelector('text').textContent]));
      for (const [classes, label] of labels) {
        const verdict = classes.match(/verdict-(\w+)/)[1];
        if (verdict !== 'none') assert.ok(label.endsWith(` · ${verdict}`), label);
      }
      assert.ok(labels.some(([classes]) => !classes.includes('verdict-none')), 'a neighbour with a verdict was drawn');
    });
  });
});

describe('appearance', () => {
  test('a saved theme wins over the system, and the Settings view changes and saves it', async () => {
    await withApp([{ samples, theme: 'dark' }, { colorScheme: 'light' }], async (page) => {
      await page.waitForSelector('html[data-theme="dark"]');
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = await background();
      await showView(page, 'settings');
      await page.selectOption('select[name="theme"]', 'light');
      assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
      assert.notEqual(await background(), dark, 'the colours follow the theme');
      await page.selectOption('select[name="theme"]', 'system');
      assert.equal(await page.getAttribute('html', 'data-theme'), 'light', 'system: prefers-color-scheme is light here');
      const saved = await page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings'));
      assert.equal(saved.appearance.theme, 'system');
      assert.ok((await page.evaluate(() => window.__FCAS_BACKEND__.calls)).includes('save_appearance'));
      // The Settings form's Save keeps the appearance (the backend does the same).
      await page.click('form.settings-form button[type="submit"]');
      await page.waitForSelector('.status-line.ok');
      assert.equal((await page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings'))).appearance.theme, 'system');
    });
  });

  test('Ctrl+= and Ctrl+- zoom by steps, Ctrl+0 resets; each change is saved', async () => {
    await withApp([{ samples }], async (page) => {
      const zoom = () => page.evaluate(() => document.documentElement.style.zoom || '1');
      const saved = async () => (await page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings'))).appearance.zoom_percent;
      const width = () => page.evaluate(() => document.querySelector('.topbar .brand').getBoundingClientRect().width);
      const before = await width();
      await page.keyboard.press('Control+Equal');
      await page.keyboard.press('Control+Equal');
      assert.equal(await zoom(), '1.25');
      assert.equal(await saved(), 125);
      assert.ok((await width()) > before * 1.2, 'the page is drawn larger');
      for (let i = 0; i < 20; i += 1) await page.keyboard.press('Control+Minus');
      assert.equal(await zoom(), '0.5', 'the smallest step holds');
      await page.keyboard.press('Control+0');
      assert.equal(await zoom(), '1');
      assert.equal(await saved(), 100);
    });
  });

  test('the queue folds with its button or q, says so to assistive technology, and the setting is kept', async () => {
    await withApp([{ samples }], async (page) => {
      const toggle = page.locator('button.queue-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const queueWidth = () => page.evaluate(() => document.querySelector('aside.queue').getBoundingClientRect().width);
      const open = await queueWidth();
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.ok((await queueWidth()) < open / 2, 'the folded queue is a strip');
      assert.equal(await page.locator('.queue-list').isVisible(), false);
      assert.equal((await page.evaluate(() => window.__FCAS_BACKEND__.invoke('get_settings'))).appearance.queue_collapsed, true);
      await page.keyboard.press('q');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.locator('.queue-list').isVisible(), true);
    });
  });
});
