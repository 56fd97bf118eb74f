// Figures of the desktop app, measured on the real app through tauri-driver:
//   cold start to interactive (session request until the page says it is interactive), and
//   drop-to-rendered for a 1 MiB PE with the app and its analysis processes warm (the drop call
//   until the Overview of the new report has rendered, timed inside the page).
// Usage: node bench/app.mjs [runs]   (under an X display; bench/app.sh sets one up)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, startDriver, waitForView } from '../tests/e2e/driver.js';
import { createHash } from 'node:crypto';

const runs = Number(process.argv[2] ?? 5);
const corpus = join(repo, 'tests', 'fixtures', 'corpus', 'files');
const BASE_PE = join(corpus, 'pe', 'deb-libwine-amd64', 'ws2_32.dll');
const WARM_UP_PE = join(corpus, 'pe', 'deb-libwine-amd64', 'ping.exe');
const MIB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), 'fcas-bench-'));

/** A 1 MiB PE the app has never seen: the base PE plus a seeded overlay. */
function onePePerRun(seed) {
  const base = readFileSync(BASE_PE);
  const out = Buffer.alloc(MIB);
  base.copy(out);
  let x = seed * 2654435761 + 1;
  for (let i = base.length; i < MIB; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  const path = join(work, `bench-${seed}.dll`);
  writeFileSync(path, out, { mode: 0o644 });
  return { path, sha256: createHash('sha256').update(out).digest('hex') };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold = [];
const coldPage = [];
for (let i = 0; i < 3; i += 1) {
  const driver = await startDriver({ grant: [work, corpus] });
  const { session, coldStartMs } = await driver.session();
  cold.push(coldStartMs);
  coldPage.push(await session.executeScript('return window.__fcasTest.timings.interactiveAt'));
  await session.quit();
  driver.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const driver = await startDriver({ grant: [work, corpus] });
const { session } = await driver.session();
// Each drop is made from History: a drop while a report is read is announced, not opened.
const drop = async (path, sha256) => {
  await session.executeScript(() => window.__fcasTest.navigate('history'));
  await waitForView(session, 'history');
  await session.executeScript((p) => window.__fcasTest.drop([p]), path);
  await waitForView(session, 'overview', sha256, 60000);
  return session.executeScript('return window.__fcasTest.timings');
};
await drop(WARM_UP_PE, createHash('sha256').update(readFileSync(WARM_UP_PE)).digest('hex'));
const warm = [];
const warmBackend = [];
const warmStages = [];
const cached = [];
for (let i = 1; i <= runs; i += 1) {
  const { path, sha256 } = onePePerRun(i);
  const first = await drop(path, sha256);
  warm.push(first.lastDropToRendered);
  warmBackend.push(first.lastBackendMs);
  warmStages.push({ ...first.lastStagesMs, report_load: first.lastReportLoadMs });
  cached.push((await drop(path, sha256)).lastDropToRendered);
}
await session.quit();
driver.stop();

const result = {
  runs,
  cold_start_to_interactive_ms: { median: median(cold), all: cold },
  page_interactive_after_navigation_ms: { median: median(coldPage), all: coldPage },
  drop_to_rendered_new_1mib_pe_warm_ms: { median: median(warm), all: warm },
  backend_part_of_new_pe_ms: { median: median(warmBackend), all: warmBackend },
  stage_start_ms_new_pe: warmStages,
  drop_to_rendered_already_stored_ms: { median: median(cached), all: cached },
};
console.log(JSON.stringify(result, null, 2));
