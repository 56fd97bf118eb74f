// The hex drawer's first render on a 1 GiB sample, in headless Chromium with the page's test build
// and the browser tests' mock backend (whose bytes cost what building a 64 KiB array costs): from
// the click on an offset until the drawer's rows with their bytes are drawn. The real command's
// latency is measured by `hex_bench` (see run.sh). Prints one JSON object.
//
// node bench/hex/render.mjs [RUNS]
import { launchBrowser, loadFixtures, openApp, serveDist } from '../../tests/browser/harness.js';

const runs = Number(process.argv[2] ?? 21);
const fixtures = await loadFixtures();
const big = structuredClone(fixtures.pe);
big.report.hashes.sha256 = 'b'.repeat(64);
big.report.size = 2 ** 30;
const server = await serveDist();
const browser = await launchBrowser();
const app = await openApp(browser, server.url, { samples: [big] });
try {
  await app.page.evaluate((h) => window.__fcasTest.open(h, { view: 'strings' }), big.report.hashes.sha256);
  await app.page.waitForSelector('main[data-ready="true"][data-view="strings"]');
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const ms = await app.page.evaluate(async (run) => {
      document.querySelector('[data-testid="hex-drawer"] button[aria-label="Close the hex drawer"]').click();
      // A new offset each run, 64 KiB apart at least, so no window read before is reused.
      const offset = Math.floor((((run * 7919) % 1000) / 1000) * 2 ** 30) + 12345;
      const started = performance.now();
      await window.__fcasTest.openHex(offset);
      // Until the frame with the rows is painted.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - started;
    }, i);
    times.push(ms);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(JSON.stringify({ figure: 'hex drawer first render, 1 GiB sample, mock backend', runs, median_ms: Number(sorted[Math.floor(runs / 2)].toFixed(1)), max_ms: Number(sorted[runs - 1].toFixed(1)), rows: await app.page.locator('.hex-row').count() }));
} finally {
  await app.close();
  await browser.close();
  await server.close();
}
