// The real app, end to end: a corpus PE goes through the same path a drop takes, the report
// renders with the reference's facts, a malformed file gives an error card while the app keeps
// working, a ZIP built here shows its children in the Tree view, a file the models flag shows
// MalConv's score beside the reference's, an ELF file shows its segments and sections, the dark
// theme is saved in the settings file, and a screenshot of every view (also the Structure view, a
// flagged, a malformed and an ELF file, the hex drawer and the dark theme) lands in target/screenshots/
// (`make screenshots` writes them to docs/screenshots/ instead, through FCAS_SCREENSHOTS_DIR).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { By, repo, startDriver, takeScreenshot, waitForView } from './driver.js';

const corpus = join(repo, 'tests', 'fixtures', 'corpus');
const PE = 'pe/deb-libwine-amd64/ping.exe';
// A PE whose section table runs past the end of the file: the PE stage reports errors.
const MALFORMED = 'malformed/deb-libwine-amd64__winver__trunc_in_nt_headers.exe';
const SECOND_PE = 'pe/deb-libwine-amd64/hostname.exe';
// A PE (a pip launcher with NumberOfRvaAndSizes made huge) that MalConv scores over its threshold:
// 0.558 by the reference (tests/fixtures/corpus/refs, MalConv run by the reference pipeline).
const FLAGGED = 'malformed/pypi-pip-any__t32__nrvaandsizes_huge.exe';
const ELF = 'elf/deb-elf-amd64/ls';
const reference = (name) => JSON.parse(readFileSync(join(corpus, 'refs', `${name}.json`), 'utf8'));
// Samples are dropped from a scratch copy (read-only, never executable), so paths in the reports
// and screenshots are short and say nothing about where the repository lives.
const scratch = mkdtempSync(join(tmpdir(), 'samples-'));
const file = (name) => {
  const copy = join(scratch, basename(name));
  if (!existsSync(copy)) {
    copyFileSync(join(corpus, 'files', name), copy);
    chmodSync(copy, 0o444);
  }
  return copy;
};
const folderCopy = (name) => {
  const target = join(scratch, basename(name));
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(join(corpus, 'files', name))) {
    copyFileSync(join(corpus, 'files', name, entry), join(target, entry));
    chmodSync(join(target, entry), 0o444);
  }
  return target;
};
/** A ZIP of `entries` (`[name, bytes]`), stored without compression. */
const storedZip = (entries) => {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const fileName = Buffer.from(name);
    const fields = (header) => {
      header.writeUInt16LE(20, header.length === 30 ? 4 : 6); // version needed
      header.writeUInt32LE(crc32(data), header.length === 30 ? 14 : 16);
      header.writeUInt32LE(data.length, header.length === 30 ? 18 : 20);
      header.writeUInt32LE(data.length, header.length === 30 ? 22 : 24);
      header.writeUInt16LE(fileName.length, header.length === 30 ? 26 : 28);
      return header;
    };
    const local = fields(Buffer.alloc(30));
    local.writeUInt32LE(0x04034b50, 0);
    const entry = fields(Buffer.alloc(46));
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // version made by
    entry.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    central.push(entry, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
};
const sha256Of = (bytes) => createHash('sha256').update(bytes).digest('hex');
// A test run leaves the committed screenshots alone: only `make screenshots` refreshes them.
const screenshots = process.env.FCAS_SCREENSHOTS_DIR ? join(repo, process.env.FCAS_SCREENSHOTS_DIR) : join(repo, 'target', 'screenshots');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let driver;
let session;

before(async () => {
  driver = await startDriver({ grant: [scratch] });
  ({ session } = await driver.session());
});

after(async () => {
  await session?.quit();
  driver?.stop();
  // The read-only sample copies go with the run (their folder is ours to empty).
  rmSync(scratch, { recursive: true, force: true });
});

const drop = (path) => session.executeScript((p) => window.__fcasTest.drop([p]), path);
// A drop while a report is in view is announced, not opened over it: the notice opens it.
async function dropAndOpen(path) {
  await drop(path);
  await session.wait(async () => (await count('[data-testid="new-results"]')) === 1, 60000, 'no new result announced');
  await session.executeScript(() => document.querySelector('[data-testid="new-results"]').click());
}
/** Drops `path` from History, where a drop opens its result (over a report it would only be announced). */
async function dropFromHistory(path) {
  await navigate('history');
  await waitForView(session, 'history');
  await drop(path);
}
// Counted inside the page: the queue re-renders while files finish, so element handles go stale.
const count = (css) => session.executeScript((c) => document.querySelectorAll(c).length, css);
const navigate = (view) => session.executeScript((v) => window.__fcasTest.navigate(v), view);

test('a corpus PE dropped on the app renders its report', async () => {
  const ref = reference(PE);
  await drop(file(PE));
  await waitForView(session, 'overview', ref.sha256, 60000);
  assert.equal(await count('[data-testid="verdict"]'), 1);
  const verdict = (await session.findElement(By.css('.verdict-label')).getText()).toLowerCase();
  assert.ok(['benign', 'suspicious', 'malicious', 'unknown', 'not scored'].includes(verdict), verdict);
  // One bar per model that the report holds, or the note that no model ran.
  assert.equal((await count('svg.model-bars g.model')) > 0 || (await count('.verdict-card')) === 1 && verdict === 'not scored', true);
  const identity = await session.findElement(By.css('table.identity')).getText();
  assert.ok(identity.includes(ref.sha256));
  // Every hash the report shows must be the reference's.
  for (const [label, key] of [['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-512', 'sha512'], ['ssdeep', 'ssdeep'], ['TLSH', 'tlsh']]) {
    const rows = await session.findElements(By.xpath(`//table[contains(@class,'identity')]//tr[th[text()='${label}']]/td[1]`));
    if (rows.length) assert.equal(await rows[0].getText(), ref[key], label);
  }
  await navigate('filemap');
  await waitForView(session, 'filemap', ref.sha256);
  assert.equal(await count('table.sections tbody tr'), ref.pefile.sections.length);
  assert.ok((await count('svg.entropy-profile g.band')) > 0);
  // 256 cells when the engine filled the byte-entropy histogram; otherwise the panel says so.
  const cells = await count('svg.heatmap rect.cell');
  if (cells !== 256) assert.equal(await count('.grid-map .empty-note'), 1, `${cells} heatmap cells and no explanation`);
  await navigate('imports');
  await waitForView(session, 'imports', ref.sha256);
  assert.equal(await count('svg.import-tree g.depth-1'), ref.pefile.imports.length + (ref.pefile.delay_imports ?? []).length);
});

test('dropping the same file again from History opens the stored report', async () => {
  const ref = reference(PE);
  await navigate('history');
  await waitForView(session, 'history');
  await drop(file(PE));
  await waitForView(session, 'overview', ref.sha256);
  const cached = await session.findElements(By.xpath("//li[contains(@class,'queue-item')]//div[contains(., 'already stored')]"));
  assert.ok(cached.length >= 1);
});

test('a malformed file gives an error card and the app keeps working', async () => {
  await drop(file(MALFORMED));
  await session.wait(async () => (await count('.queue-item.error-card')) >= 1, 60000, 'no error card');
  // Read in the page in one step: the queue re-renders as other items progress, so an element
  // found first may be gone by the time its text is asked for.
  const card = await session.executeScript(() => document.querySelector('.queue-item.error-card')?.innerText ?? '');
  assert.ok(card.trim().length > 0, 'the error card says something');
  const ref = reference(SECOND_PE);
  await dropFromHistory(file(SECOND_PE));
  await waitForView(session, 'overview', ref.sha256, 60000);
});

const shoot = async (name) => {
  mkdirSync(screenshots, { recursive: true });
  const png = await takeScreenshot(session);
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), `the ${name} screenshot is not a PNG`);
  writeFileSync(join(screenshots, `${name}.png`), png);
};

test('a malformed file that still has a report opens it and says what failed', async () => {
  const ref = reference(MALFORMED);
  // Stored by the test above: dropping it again opens its report (or its card says why there is none).
  await dropFromHistory(file(MALFORMED));
  const opened = await session
    .wait(async () => (await session.executeScript(() => document.querySelector('main').dataset.sha256)) === ref.sha256, 20000)
    .then(() => true, () => false);
  if (opened) {
    await waitForView(session, 'overview', ref.sha256);
    assert.ok((await count('.error-card, .errors li')) >= 1, 'the partial report says what failed');
  } else {
    assert.ok((await count('.queue-item.error-card')) >= 1);
  }
  await shoot('malformed');
});

test('a file the models flag shows the score beside the reference and the threshold in words', async () => {
  const ref = reference(FLAGGED);
  await dropFromHistory(file(FLAGGED));
  await waitForView(session, 'overview', ref.sha256, 60000);
  const bars = await session.executeScript(() =>
    [...document.querySelectorAll('svg.model-bars g.model')].map((g) => [g.querySelector('.model-name').textContent, g.querySelector('.score').textContent]),
  );
  const malconv = bars.find(([model]) => model === 'malconv-ember');
  assert.ok(malconv, `MalConv scored the file: ${JSON.stringify(bars)}`);
  assert.ok(Math.abs(Number.parseFloat(malconv[1]) - ref.malconv_ember_score) < 0.01, `${malconv[1]} against the reference's ${ref.malconv_ember_score}`);
  assert.match(malconv[1], / over$/);
  const verdict = (await session.findElement(By.css('.verdict-label')).getText()).toLowerCase();
  assert.match(verdict, /malicious|suspicious/);
  await shoot('flagged');
});

test('an ELF file shows its segments and sections in the Structure view', async () => {
  const ref = reference(ELF);
  await dropFromHistory(file(ELF));
  await waitForView(session, 'overview', ref.sha256, 60000);
  await shoot('elf-overview');
  await navigate('structure');
  await waitForView(session, 'structure', ref.sha256);
  assert.equal(await count('[data-block="Segments"] table.structure-table tbody tr'), ref.lief.header.numberof_segments);
  assert.equal(await count('[data-block="Sections"] table.structure-table tbody tr'), ref.lief.header.numberof_sections);
  await shoot('elf-structure');
});

/** Chooses `theme` in Settings → Appearance, as the analyst would. */
const chooseTheme = async (theme) => {
  await navigate('settings');
  await waitForView(session, 'settings');
  await session.executeScript((t) => {
    const select = document.querySelector('select[name="theme"]');
    select.value = t;
    select.dispatchEvent(new Event('change'));
  }, theme);
};

test('the dark theme is chosen in Settings, kept in the settings file and applied to every view', { timeout: 120_000 }, async () => {
  const ref = reference(PE);
  await chooseTheme('dark');
  await session.wait(async () => (await session.executeScript(() => document.documentElement.dataset.theme)) === 'dark', 5000, 'the theme did not change');
  const settingsFile = join(driver.dataDir, 'settings.json');
  await session.wait(async () => existsSync(settingsFile) && JSON.parse(readFileSync(settingsFile, 'utf8')).appearance?.theme === 'dark', 5000, 'the theme was not saved');
  await shoot('dark-settings');
  await session.executeScript((h) => window.__fcasTest.open(h), ref.sha256);
  for (const view of ['overview', 'filemap', 'imports', 'structure']) {
    await navigate(view);
    await waitForView(session, view, ref.sha256);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await shoot(`dark-${view}`);
  }
  // Back to the system's theme for what follows.
  await chooseTheme('system');
});

test('a dropped folder is analysed file by file into the history', async () => {
  const folder = folderCopy('pe/deb-libwine-amd64');
  await session.executeScript((p) => window.__fcasTest.drop([p]), folder);
  await session.wait(async () => (await count('.queue-item')) > 5 && (await count('.queue-item.stage-queued, .queue-item.stage-hashing, .queue-item.stage-analyzing, .queue-item.stage-storing')) === 0, 120000, 'the folder did not finish');
  await navigate('history');
  await waitForView(session, 'history');
  const files = readdirSync(folder).length;
  await session.wait(async () => (await count('.vt-row')) >= Math.min(files, 15), 10000, 'history does not list the folder');
});

test('a ZIP dropped on the app shows its children in the Tree view; a child says where it was found', async () => {
  const exe = readFileSync(join(corpus, 'files', 'pe/pypi-setuptools-any/gui-32.exe'));
  const readme = Buffer.from('what is inside\n');
  const zip = storedZip([['tools/gui.exe', exe], ['readme.txt', readme]]);
  const path = join(scratch, 'bundle.zip');
  writeFileSync(path, zip, { mode: 0o444 });
  await drop(path); // from History: nothing is being read, so the result opens
  await waitForView(session, 'overview', sha256Of(zip), 60000);
  await navigate('tree');
  await waitForView(session, 'tree', sha256Of(zip));
  const labels = await session.executeScript(() => [...document.querySelectorAll('svg.container-tree g.node .label')].map((t) => t.textContent));
  assert.deepEqual(labels, ['bundle.zip', 'tools/gui.exe', 'readme.txt']);
  assert.equal(await count(`svg.container-tree g.node[data-sha256="${sha256Of(exe)}"] .meta`), 1);
  const facts = await session.executeScript((h) => document.querySelector(`svg.container-tree g.node[data-sha256="${h}"] .meta`).textContent, sha256Of(exe));
  assert.match(facts, /^pe · 11\.5 KiB$/);
  assert.match(await session.findElement(By.css('.extraction-card')).getText(), /bundle\.zip\s*OPENED/i);
  mkdirSync(screenshots, { recursive: true });
  writeFileSync(join(screenshots, 'tree.png'), await takeScreenshot(session));
  // A click on a child opens its overview, which names the container it came out of.
  await session.executeScript((h) => document.querySelector(`svg.container-tree g.node[data-sha256="${h}"] text.name`).dispatchEvent(new MouseEvent('click', { bubbles: true })), sha256Of(exe));
  await waitForView(session, 'overview', sha256Of(exe));
  assert.match(await session.findElement(By.css('[data-testid="found-in"]')).getText(), /Found in:\s*bundle\.zip/);
});

test('screenshots of every view', { timeout: 120_000 }, async () => {
  mkdirSync(screenshots, { recursive: true });
  const ref = reference(PE);
  await session.executeScript((h) => window.__fcasTest.open(h), ref.sha256);
  for (const view of ['overview', 'filemap', 'imports', 'strings', 'structure', 'code', 'similar', 'history', 'settings']) {
    await navigate(view);
    await waitForView(session, view);
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (view === 'strings') {
      // The report opened without its strings; the view read them through the app.
      const counted = await session.findElement(By.css('.view-strings .count')).getText();
      const [, shown, total] = counted.match(/^(\d+) of (\d+)$/) ?? [];
      assert.ok(Number(shown) > 10 && shown === total, `strings shown: ${counted}`);
    }
    const png = await takeScreenshot(session);
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), `the ${view} screenshot is not a PNG`);
    writeFileSync(join(screenshots, `${view}.png`), png);
  }
  // The hex drawer over the Overview, reading the original file's bytes through the app.
  await navigate('overview');
  await waitForView(session, 'overview', ref.sha256);
  await session.executeScript(() => window.__fcasTest.openHex(0x40));
  await session.wait(async () => (await count('[data-testid="hex-drawer"]:not([hidden]) .hex-row')) > 8, 20000, 'the hex drawer shows no rows');
  const shown = await session.executeScript(() => [...document.querySelectorAll('[data-testid="hex-drawer"] .hex-row[data-row-offset="64"] .hex-bytes span')].map((s) => s.textContent.trim().toLowerCase()));
  const expected = [...readFileSync(file(PE)).subarray(0x40, 0x50)].map((b) => b.toString(16).padStart(2, '0'));
  assert.deepEqual(shown, expected, 'the row at 0x40 shows the file\'s bytes');
  writeFileSync(join(screenshots, 'hex.png'), await takeScreenshot(session));
});
