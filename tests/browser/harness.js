// Shared set-up for the browser tests: serve ui/dist on 127.0.0.1 with the app's CSP, start the
// Debian Chromium headless through playwright-core, install the mock backend before the page loads.
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installMockBackend } from './mock-backend.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repo = join(here, '..', '..');
// The test build of the page: the production one has no test hook (`make ui-test`).
const dist = join(repo, 'ui', 'dist-test');
const require = createRequire(join(repo, 'ui', 'package.json'));
const { chromium } = require('playwright-core');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** The CSP of tauri.conf.json, as a header value (the IPC origins do not apply here). */
export async function appCsp() {
  const config = JSON.parse(await readFile(join(repo, 'tauri.conf.json'), 'utf8'));
  return Object.entries(config.app.security.csp)
    .map(([directive, value]) => `${directive} ${directive === 'connect-src' ? "'self'" : value}`)
    .join('; ');
}

/** Serves ui/dist; returns `{url, close}`. */
export async function serveDist() {
  const csp = await appCsp();
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dist, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Every recorded sample in fixtures/. */
export async function loadFixtures() {
  const folder = join(here, 'fixtures');
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  const samples = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(folder, n), 'utf8'))));
  return Object.fromEntries(names.map((n, i) => [n.replace(/\.json$/, ''), samples[i]]));
}

/** Headless Chromium from Debian. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A page with the mock backend installed. `problems` collects console errors, page errors and CSP
 * violations, which every test expects to stay empty.
 */
export async function openApp(browser, url, fixtures, { colorScheme = 'dark' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP ${e.violatedDirective} ${e.blockedURI}`)));
  await page.addInitScript(installMockBackend, fixtures);
  await page.goto(url);
  await page.waitForSelector('html[data-interactive="true"]');
  return { page, problems, close: () => context.close() };
}

/** Switches to `view` and waits until it has rendered. */
export async function showView(page, view) {
  await page.evaluate((v) => window.__fcasTest.navigate(v), view);
  await page.waitForSelector(`main[data-ready="true"][data-view="${view}"]`);
}
