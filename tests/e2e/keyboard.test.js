// The triage loop without a mouse, in the real app: 20 files are dropped (the one step an
// analyst takes with the mouse), then everything else is keys sent to whatever has the focus:
// `8` opens History, Tab reaches its rows, `j` focuses the first, Ctrl+C copies it (read back from
// the X clipboard), Enter opens it, `r` marks each
// sample reviewed and `j` opens the next, `8` goes back to History, Tab reaches its CSV button and
// Enter exports. The CSV must land in the Downloads folder (the XDG user folder the app is given)
// with the 20 samples, each reviewed, and the app must say where it went.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Key, repo, startDriver, waitForView } from './driver.js';

const corpus = join(repo, 'tests', 'fixtures', 'corpus', 'files');
const FOLDERS = ['pe/deb-libwine-amd64', 'pe/deb-libwine-i386'];
const SAMPLES = 20;
const scratch = mkdtempSync(join(tmpdir(), 'samples-'));
// Downloads go where the user's XDG folders say; the app gets a config folder of its own.
const config = mkdtempSync(join(tmpdir(), 'config-'));
const downloads = join(config, 'Downloads');
mkdirSync(downloads);
writeFileSync(join(config, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`);

/** 20 distinct corpus PEs copied read-only into the scratch folder. */
function samples() {
  const paths = [];
  for (const folder of FOLDERS) {
    for (const name of readdirSync(join(corpus, folder)).sort()) {
      if (paths.length === SAMPLES) return paths;
      const copy = join(scratch, `${folder.replaceAll('/', '_')}_${name}`);
      copyFileSync(join(corpus, folder, name), copy);
      chmodSync(copy, 0o444);
      paths.push(copy);
    }
  }
  return paths;
}

/** The X clipboard's text (xclip, on the display the app runs on). */
const clipboard = () => {
  try {
    return execFileSync('xclip', ['-o', '-selection', 'clipboard'], { encoding: 'utf8', timeout: 5000 });
  } catch {
    return '';
  }
};

let driver;
let session;

before(async () => {
  driver = await startDriver({ grant: [scratch], env: { XDG_CONFIG_HOME: config } });
  ({ session } = await driver.session());
});

after(async () => {
  await session?.quit();
  driver?.stop();
  // The read-only sample copies go with the run (their folder is ours to empty).
  rmSync(scratch, { recursive: true, force: true });
});

const count = (css) => session.executeScript((c) => document.querySelectorAll(c).length, css);
const state = () => session.executeScript(() => window.__fcasTest.state());
/** Presses `key` on whatever element has the focus, as a keyboard does. */
const press = (key) => session.actions().sendKeys(key).perform();
/** Presses Tab until `css` has the focus (at most `limit` times). */
async function tabTo(css, limit = 80) {
  for (let i = 0; i < limit; i += 1) {
    if (await session.executeScript((c) => document.activeElement?.matches(c) ?? false, css)) return;
    await press(Key.TAB);
  }
  assert.fail(`Tab never reached ${css}`);
}

test('20 files are triaged with the keys alone: walked, marked reviewed and exported as CSV', { timeout: 300_000 }, async () => {
  const paths = samples();
  assert.equal(paths.length, SAMPLES);
  await session.executeScript((p) => window.__fcasTest.drop(p), paths);
  await session.wait(
    async () => (await count('.queue-item')) === SAMPLES && (await count('.queue-item.stage-queued, .queue-item.stage-hashing, .queue-item.stage-analyzing, .queue-item.stage-storing')) === 0,
    180_000,
    'the 20 files did not finish',
  );

  await press('8');
  await waitForView(session, 'history');
  await session.wait(async () => (await count('.vt-row')) === SAMPLES, 10_000, 'History does not list the 20 samples');
  await tabTo('.vt-viewport');
  await press('j');
  // Ctrl+C copies the focused row into the X clipboard, as tab-separated text.
  await session.actions().keyDown(Key.CONTROL).sendKeys('c').keyUp(Key.CONTROL).perform();
  const firstRow = await session.executeScript(() => document.querySelector('.vt-row.focused, .vt-row[aria-selected="true"]')?.textContent ?? '');
  let copied = '';
  await session.wait(async () => {
    copied = clipboard();
    return copied.includes('\t');
  }, 10_000, 'nothing was copied to the clipboard');
  const copiedSha = copied.split('\t').find((cell) => /^[0-9a-f]{64}$/.test(cell));
  assert.ok(copiedSha && firstRow.length > 0, `copied: ${copied}`);
  await press(Key.ENTER);
  await waitForView(session, 'overview');
  assert.equal((await state()).sha256, copiedSha, 'the copied row is the one Enter opened');

  const seen = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const { sha256 } = await state();
    assert.ok(sha256 && !seen.includes(sha256), `sample ${i + 1} is a new one`);
    seen.push(sha256);
    await press('r');
    await session.wait(async () => (await session.executeScript(() => document.querySelector('.toast')?.textContent ?? '')).includes('Marked reviewed'), 10_000, `sample ${i + 1} was not marked reviewed`);
    if (i + 1 < SAMPLES) {
      await press('j');
      await session.wait(async () => (await state()).sha256 !== sha256, 10_000, `j did not open sample ${i + 2}`);
      await waitForView(session, 'overview');
    }
  }

  await press('8');
  await waitForView(session, 'history');
  await session.wait(async () => (await count('.vt-row .pill.reviewed.on')) === SAMPLES, 10_000, 'History does not show 20 reviewed samples');
  await tabTo('button.csv-export');
  await press(Key.ENTER);
  await session.wait(async () => readdirSync(downloads).some((name) => name.endsWith('.csv')), 10_000, `no CSV in ${downloads}`);
  const [csvName] = readdirSync(downloads).filter((name) => name.endsWith('.csv'));
  // The download is renamed into place when complete; read once it has all its lines.
  let lines = [];
  await session.wait(
    async () => {
      lines = readFileSync(join(downloads, csvName), 'utf8').trim().split(/\r?\n/);
      return lines.length === SAMPLES + 1;
    },
    10_000,
    'the CSV does not hold the 20 samples',
  );
  const header = lines[0].split(',');
  const shaColumn = header.indexOf('SHA-256');
  const reviewedColumn = header.findIndex((name) => /reviewed/i.test(name));
  assert.ok(shaColumn >= 0 && reviewedColumn >= 0, lines[0]);
  const rows = lines.slice(1).map((line) => line.split(','));
  assert.deepEqual(rows.map((r) => r[shaColumn]).sort(), [...seen].sort());
  assert.ok(rows.every((r) => r[reviewedColumn] !== ''), 'every exported row is reviewed');
  // The app says where the file went.
  const saved = `Saved ${join(downloads, csvName)}`;
  await session.wait(async () => (await session.executeScript(() => document.querySelector('.toast')?.textContent ?? '')) === saved, 10_000, `the app did not say "${saved}"`);
});
