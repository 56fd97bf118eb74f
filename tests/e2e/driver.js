// Starts the real app under tauri-driver (WebKitWebDriver underneath) and hands out a Selenium
// session. Needs an X display (the Makefile runs the tests under xvfb-run).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const require = createRequire(join(repo, 'ui', 'package.json'));
const { Builder, By, Key, until } = require('selenium-webdriver');
export { By, Key, until };

const PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);

/** The app binary: `FCAS_APP` or target/debug/fcas-app. */
export function appBinary() {
  const binary = process.env.FCAS_APP ?? join(repo, 'target', 'debug', 'fcas-app');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`make app\` first`);
  return binary;
}

function tauriDriverBinary() {
  const home = process.env.HOME ?? '/root';
  const local = join(home, '.cargo', 'bin', 'tauri-driver');
  return existsSync(local) ? local : 'tauri-driver';
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve()));
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts tauri-driver with a fresh data folder for the app and the given granted paths (the
 * paths a drop would grant), and `env` added to the app's environment. Returns
 * `{session(), dataDir, stop()}`.
 */
export async function startDriver({ grant = [], env: extra = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fcas-e2e-'));
  // Models are looked up relative to the repository, so reasons and screenshots name `models/...`.
  const env = { ...process.env, FCAS_APP_DATA_DIR: dataDir, FCAS_APP_GRANT: grant.join(':'), FCAS_MODELS_DIR: process.env.FCAS_MODELS_DIR ?? 'models', NO_AT_BRIDGE: '1', ...extra };
  const driver = spawn(tauriDriverBinary(), ['--port', String(PORT), '--native-driver', '/usr/bin/WebKitWebDriver'], { env, cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(PORT, 15000);
  return {
    dataDir,
    async session() {
      const started = Date.now();
      const session = await new Builder()
        .usingServer(`http://127.0.0.1:${PORT}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appBinary() } })
        .build();
      await session.wait(async () => (await session.executeScript('return document.documentElement.dataset.interactive')) === 'true', 20000);
      return { session, coldStartMs: Date.now() - started };
    },
    // Call after the session has quit (the app has exited): the app's data folder (its case
    // store, vault and settings) goes with the driver, so runs leave nothing in the temp folder.
    stop() {
      driver.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Waits until the page's main view is rendered for `view` (and `sha256` when given). */
export async function waitForView(session, view, sha256 = null, timeoutMs = 30000) {
  await session.wait(
    async () =>
      session.executeScript(
        (v, h) => {
          const main = document.querySelector('main');
          return main.dataset.ready === 'true' && main.dataset.view === v && (!h || main.dataset.sha256 === h);
        },
        view,
        sha256,
      ),
    timeoutMs,
    `view ${view} ${sha256 ?? ''} did not render`,
  );
}

/**
 * A PNG of the window. WebKitWebDriver takes it at the page's next presentation update; without
 * accelerated compositing (the app's default, see src-tauri/src/main.rs) a page that has finished
 * drawing presents nothing more, and the screenshot would wait forever. An invisible pixel that
 * changes every frame while the screenshot is taken gives it a frame to take.
 */
export async function takeScreenshot(session) {
  await session.executeScript(() => {
    const pixel = document.createElement('div');
    pixel.id = '__fcas-repaint';
    pixel.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;opacity:0.01';
    document.body.append(pixel);
    let flip = false;
    const tick = () => {
      flip = !flip;
      pixel.style.opacity = flip ? '0.02' : '0.01';
      window.__fcasRepaint = requestAnimationFrame(tick);
    };
    tick();
  });
  try {
    return Buffer.from(await session.takeScreenshot(), 'base64');
  } finally {
    await session.executeScript(() => {
      cancelAnimationFrame(window.__fcasRepaint);
      document.getElementById('__fcas-repaint')?.remove();
    });
  }
}
