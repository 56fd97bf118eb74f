// Linked views and the hex drawer, on recorded reports with the backend mocked: indicator ->
// evidence (offset, import, call site), import -> call sites, string -> file map and bytes,
// function -> its call sites and code bytes, Similar node -> that sample; the drawer's
// virtualisation on a 1 GiB file, its colours per region, its keys, and why bytes are missing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, loadFixtures, openApp, serveDist, showView } from './harness.js';

let server;
let browser;
let fixtures;
let app;
let big;
let gone;
let explained;
let ruled;

/** The mock backend's bytes (see `byteAt` in mock-backend.js). */
const byteAt = (offset) => (offset * 7 + Math.floor(offset / 256)) & 0xff;
const hex2 = (b) => b.toString(16).padStart(2, '0');
const GONE_REASON = 'the sample vault does not keep this sample and its file /cases/gone.exe is gone; analyse the file again with the vault on to keep its bytes';

/** A recorded sample under another SHA-256, changed by `change(report)`. */
function variant(name, digit, change) {
  const sample = structuredClone(fixtures[name]);
  sample.report.hashes.sha256 = digit.repeat(64);
  sample.report.path = `/cases/${name}-${digit}.bin`;
  change(sample.report);
  return sample;
}

before(async () => {
  fixtures = await loadFixtures();
  big = variant('pe', 'b', (r) => (r.size = 2 ** 30));
  gone = variant('pe', 'c', () => {});
  explained = variant('pe', 'd', (r) => {
    r.predictions = [{ model: 'malconv-ember', explanation: { regions: [{ offset: 0x1010, length: 0x20, weight: 0.8 }] } }];
  });
  // Two string matches of one rule, as the rules stage reports them.
  ruled = variant('pe', 'e', (r) => {
    const strings = [
      { identifier: '$stub', offset: 0x400, length: 4, excerpt: 'UPX!' },
      { identifier: '$tail', offset: 0x2000, length: 8, excerpt: 'tail' },
    ];
    r.rules = { rule_set: 'f'.repeat(64), matches: [{ rule: 'packed_stub', namespace: 'fcas', tags: [], meta: [], strings }], timed_out: false };
  });
  server = await serveDist();
  browser = await launchBrowser();
  const samples = [fixtures.pe, fixtures['pe-upx'], fixtures.elf, big, gone, explained, ruled];
  app = await openApp(browser, server.url, { samples, bytesUnavailable: { [gone.report.hashes.sha256]: GONE_REASON } });
});

after(async () => {
  await app?.close();
  await browser?.close();
  await server?.close();
});

const open = async (sample) => {
  const sha256 = sample.report.hashes.sha256;
  await app.page.evaluate((h) => window.__fcasTest.open(h), sha256);
  await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${sha256}"]`);
  return sample.report;
};
const drawer = '[data-testid="hex-drawer"]';
const drawerReady = () => app.page.waitForSelector(`${drawer}:not([hidden])[data-state="ready"]`);
const cursor = async () => Number(await app.page.getAttribute(drawer, 'data-cursor'));
const closeDrawer = async () => {
  if (await app.page.isVisible(drawer)) await app.page.click(`${drawer} button[aria-label="Close the hex drawer"]`);
};
/** The text of the hex cell at `offset` and its classes. */
const cell = (offset) => app.page.evaluate((o) => {
  const el = document.querySelector(`.hex-bytes [data-offset="${o}"]`);
  return el ? { text: el.textContent, cls: el.className } : null;
}, offset);
/** Where a PE's loader takes code address `va` from: its section's raw bytes. */
const peFileOffset = (report, va) => {
  const rva = va - report.pe.headers.image_base;
  const section = report.pe.sections.find((s) => rva >= s.virtual_address && rva < s.virtual_address + s.raw_size);
  return section.raw_pointer + rva - section.virtual_address;
};
const byteReads = () => app.page.evaluate(() => window.__FCAS_BACKEND__.byteReads.splice(0));

describe('rule matches on the file map', () => {
  test('each string match is a mark with its rule; a click opens its bytes', async () => {
    await open(fixtures.pe);
    await showView(app.page, 'filemap');
    assert.equal(await app.page.locator('.entropy-profile .rule-mark').count(), 0);
    assert.match(await app.page.textContent('.view-filemap .legend'), /no YARA rule matched/);
    await open(ruled);
    await showView(app.page, 'filemap');
    const marks = app.page.locator('.entropy-profile path.rule-mark');
    assert.equal(await marks.count(), 2);
    assert.equal(await marks.first().locator('title').textContent(), 'rule fcas.packed_stub: $stub at 0x400–0x404');
    assert.match(await app.page.textContent('.view-filemap .legend'), /YARA string matches \(2; click one for its bytes\)/);
    await marks.nth(1).click();
    await drawerReady();
    assert.equal(await cursor(), 0x2000);
    await closeDrawer();
  });
});

describe('hex drawer', () => {
  test('an indicator offset opens it there, bytes and regions as the report says', async () => {
    const report = await open(fixtures.pe);
    await showView(app.page, 'overview');
    const overlay = report.pe.overlay.offset;
    await app.page.click(`ul.indicators button[data-link="offset"]:text("offset 0x${overlay.toString(16)}")`);
    await drawerReady();
    assert.equal(await cursor(), overlay);
    const first = await app.page.textContent(`${drawer} .hex-row .hex-offset`);
    assert.equal(first, overlay.toString(16).padStart(8, '0'));
    for (const offset of [overlay, overlay + 1, overlay + 17]) {
      const c = await cell(offset);
      assert.equal(c.text, hex2(byteAt(offset)), `byte at ${offset}`);
      assert.match(c.cls, /\bhex-overlay\b/);
    }
    assert.match((await cell(overlay)).cls, /\bcursor\b/);
    const ascii = await app.page.textContent(`${drawer} .hex-row .hex-ascii`);
    const expected = Array.from({ length: 16 }, (_, i) => byteAt(overlay + i)).map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    assert.equal(ascii, expected);

    // Headers, then a code section, by the go-to box.
    await app.page.fill(`${drawer} .hex-goto`, '0x0');
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    await drawerReady();
    assert.match((await cell(0)).cls, /\bhex-header\b/);
    const text = report.pe.sections.find((s) => s.name === '.text');
    await app.page.fill(`${drawer} .hex-goto`, String(text.raw_pointer));
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    await drawerReady();
    assert.match((await cell(text.raw_pointer)).cls, /\bhex-code\b/);
    const data = report.pe.sections.find((s) => s.name === '.data');
    await app.page.fill(`${drawer} .hex-goto`, `0x${data.raw_pointer.toString(16)}`);
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    await drawerReady();
    assert.match((await cell(data.raw_pointer)).cls, /\bhex-data\b/);
    assert.deepEqual(
      await app.page.$$eval(`${drawer} .hex-legend .hex-key`, (keys) => keys.map((k) => k.textContent)).then((k) => k.sort()),
      ['code', 'headers', 'overlay', 'read-only', 'writable data'],
    );
    await app.page.fill(`${drawer} .hex-goto`, `0x${report.size.toString(16)}`);
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    assert.match(await app.page.textContent(`${drawer} .hex-status`), /not an offset in this file/);
    await closeDrawer();
  });

  test('bytes a model explains have their own colour over the section', async () => {
    await open(explained);
    await showView(app.page, 'strings');
    await app.page.click('.vt-row button[data-link="hex"] >> nth=0');
    await drawerReady();
    await app.page.fill(`${drawer} .hex-goto`, '0x1000');
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    await drawerReady();
    assert.match((await cell(0x100f)).cls, /\bhex-code\b/);
    assert.match((await cell(0x1010)).cls, /\bhex-explained\b/);
    assert.match((await cell(0x102f)).cls, /\bhex-explained\b/);
    assert.match((await cell(0x1030)).cls, /\bhex-code\b/);
    assert.match(await app.page.getAttribute(`${drawer} .hex-bytes [data-offset="4112"]`, 'title'), /malconv-ember explains/);
    await closeDrawer();
  });

  test('a 1 GiB file: a bounded number of rows and of bytes read, anywhere in it, by keys', async () => {
    await open(big);
    await showView(app.page, 'strings');
    await byteReads();
    await app.page.click('.vt-row button[data-link="hex"] >> nth=0');
    await drawerReady();
    await app.page.fill(`${drawer} .hex-goto`, '0x20000000');
    await app.page.press(`${drawer} .hex-goto`, 'Enter');
    await drawerReady();
    const rows = await app.page.locator(`${drawer} .hex-row`).count();
    const height = await app.page.$eval(`${drawer} .hex-viewport`, (v) => v.clientHeight);
    assert.ok(rows >= 5 && rows <= Math.ceil(height / 18) + 2, `${rows} rows for ${height} px`);
    assert.equal(await cursor(), 0x20000000);
    assert.equal((await cell(0x20000000)).text, hex2(byteAt(0x20000000)));

    await app.page.keyboard.press('ArrowDown');
    assert.equal(await cursor(), 0x20000010);
    await app.page.keyboard.press('ArrowRight');
    assert.equal(await cursor(), 0x20000011);
    await app.page.keyboard.press('PageDown');
    assert.ok((await cursor()) > 0x20000011 + 16 * 4);
    await app.page.keyboard.press('Control+End');
    await drawerReady();
    assert.equal(await cursor(), 2 ** 30 - 1);
    const lastRow = await app.page.$$eval(`${drawer} .hex-row .hex-offset`, (o) => o.map((e) => e.textContent).pop());
    assert.equal(lastRow, (2 ** 30 - 16).toString(16).padStart(8, '0'));
    assert.equal((await cell(2 ** 30 - 1)).text, hex2(byteAt(2 ** 30 - 1)));
    await app.page.keyboard.press('Control+Home');
    await drawerReady();
    assert.equal(await cursor(), 0);

    const reads = await byteReads();
    assert.ok(reads.length > 0 && reads.length <= 12, `${reads.length} reads`);
    assert.ok(reads.every((r) => r.length <= 65536), 'every read within the 64 KiB window');
    assert.equal(await app.page.locator(`${drawer} .hex-row`).count() <= Math.ceil(height / 18) + 2, true);
    await app.page.keyboard.press('Escape');
    assert.equal(await app.page.isVisible(drawer), false);
  });

  test('when the bytes are gone it says why', async () => {
    await open(gone);
    await showView(app.page, 'strings');
    await app.page.click('.vt-row button[data-link="hex"] >> nth=0');
    await app.page.waitForSelector(`${drawer}[data-state="unavailable"]`);
    const message = await app.page.textContent('[data-testid="hex-unavailable"]');
    assert.match(message, /cannot be shown/);
    assert.ok(message.includes(GONE_REASON), message);
    await closeDrawer();
  });
});

describe('links between views', () => {
  test('indicator import -> its Imports row -> its call sites in the Code view', async () => {
    const report = await open(fixtures.pe);
    await showView(app.page, 'overview');
    const api = 'ws2_32.dll!gethostbyname';
    await app.page.click(`ul.indicators button[data-link="import"]:text("${api}")`);
    await app.page.waitForSelector('main[data-ready="true"][data-view="imports"]');
    const focused = await app.page.$$eval('svg.import-tree g.node.focused .label', (n) => n.map((e) => e.textContent));
    assert.deepEqual(focused, ['gethostbyname']);
    const calls = report.code.api_calls.filter((c) => c.api.toLowerCase() === api.toLowerCase());
    assert.match(await app.page.textContent('[data-testid="import-focus"]'), new RegExp(`${calls.length} call site`));
    await app.page.click('[data-testid="import-focus"] button[data-link="calls"]');
    await app.page.waitForSelector('main[data-ready="true"][data-view="code"]');
    assert.equal(await app.page.textContent('[data-testid="call-site-count"]'), `${calls.length} calls of ${api}`);
    const listed = await app.page.$$eval('[aria-label="API call sites"] .vt-row', (rows) => rows.map((r) => r.children[1].textContent));
    assert.deepEqual(listed, calls.map((c) => c.api));
  });

  test('indicator call sites -> the Code view; an import in the tree -> its call sites', async () => {
    const report = await open(fixtures.pe);
    await showView(app.page, 'overview');
    await app.page.click('ul.indicators button[data-link="calls"] >> nth=0');
    await app.page.waitForSelector('main[data-ready="true"][data-view="code"]');
    assert.match(await app.page.textContent('[data-testid="call-site-count"]'), /^1 calls of ws2_32\.dll!/);

    await showView(app.page, 'imports');
    const api = 'kernel32.dll!GetProcAddress';
    await app.page.fill('input[aria-label="Filter imports"]', 'GetProcAddress');
    await app.page.click('svg.import-tree g.node.depth-2 >> nth=0');
    await app.page.waitForSelector('main[data-ready="true"][data-view="code"]');
    const expected = report.code.api_calls.filter((c) => c.api.toLowerCase() === api.toLowerCase()).length;
    assert.equal(await app.page.textContent('[data-testid="call-site-count"]'), `${expected} calls of ${api}`);
  });

  test('function -> its call sites and its code bytes', async () => {
    const report = await open(fixtures.pe);
    await showView(app.page, 'code');
    const fn = [...report.code.functions].sort((a, b) => a.address - b.address)[1];
    await app.page.click('[aria-label="Functions"] .vt-row >> nth=1');
    const calls = report.code.api_calls.filter((c) => c.function === fn.address).length;
    assert.equal(await app.page.textContent('[data-testid="call-site-count"]'), `${calls} calls from the function at 0x${fn.address.toString(16)}`);
    await app.page.click('[data-testid="call-site-scope"] button[data-link="function-bytes"]');
    await drawerReady();
    assert.equal(await cursor(), peFileOffset(report, fn.address));
    await closeDrawer();
    // A call site's function column leads to that function.
    await app.page.click('[data-testid="call-site-scope"] button:text("Show all")');
    assert.equal(await app.page.textContent('[data-testid="call-site-count"]'), `${report.code.api_calls.length} call sites`);
    // A call site's bytes.
    const first = [...report.code.api_calls].sort((a, b) => a.address - b.address)[0];
    await app.page.click('[aria-label="API call sites"] button[data-link="hex"] >> nth=0');
    await drawerReady();
    assert.equal(await cursor(), peFileOffset(report, first.address));
    await closeDrawer();
    await app.page.click('[aria-label="API call sites"] button[data-link="function"] >> nth=0');
    assert.match(await app.page.textContent('[data-testid="call-site-count"]'), new RegExp(`calls from the function at 0x${first.function.toString(16)}$`));
  });

  test('string offset -> its place on the file map, and its bytes', async () => {
    const report = await open(fixtures.pe);
    await showView(app.page, 'strings');
    const text = report.pe.sections.find((s) => s.name === '.rdata');
    await app.page.fill('input[aria-label="Filter strings"]', '');
    const target = report.strings.items.find((s) => s.offset >= text.raw_pointer && s.offset < text.raw_pointer + text.raw_size);
    await app.page.fill('input[aria-label="Filter strings"]', target.value);
    await app.page.waitForFunction((v) => [...document.querySelectorAll('.vt-row')].some((r) => r.textContent.includes(v)), target.value);
    // The row of that very string (another string may contain the same text earlier in the file).
    await app.page.click(`.vt-row button[data-link="map"][aria-label="Show 0x${target.offset.toString(16)} on the file map"]`);
    await app.page.waitForSelector('main[data-ready="true"][data-view="filemap"]');
    const offset = Number.parseInt((await app.page.textContent('svg.entropy-profile g.mark text')).slice(2), 16);
    assert.equal(offset, target.offset);
    assert.match(await app.page.textContent('[data-testid="map-focus"]'), new RegExp(`Offset 0x${offset.toString(16)}`));
    const selected = await app.page.textContent('table.sections tr.selected td code');
    const holder = report.pe.sections.find((s) => offset >= s.raw_pointer && offset < s.raw_pointer + s.raw_size);
    assert.equal(selected, holder.name);
    await app.page.click('[data-testid="map-focus"] button[data-link="hex"]');
    await drawerReady();
    assert.equal(await cursor(), offset);
    await closeDrawer();
  });

  test('a node of the Similar graph opens that sample', async () => {
    await open(fixtures.pe);
    await showView(app.page, 'similar');
    const id = await app.page.$eval('svg.force-graph g.node:not(.centre)', (n) => n.__data__.id);
    await app.page.click('svg.force-graph g.node:not(.centre) circle >> nth=0', { force: true });
    await app.page.waitForSelector(`main[data-ready="true"][data-sha256="${id}"]`);
    assert.equal(await app.page.evaluate(() => window.__fcasTest.state().sha256), id);
  });

  test('no console error, page error or CSP violation', () => {
    assert.deepEqual(app.problems, []);
  });
});
