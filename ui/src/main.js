// The app shell: navigation, the queue panel, drops and dialogs, keyboard shortcuts, and the
// view router. Views render from the stored sample the backend returns.
import './style.css';
import { api, onDragDrop, onScan } from './api.js';
import { h, replace } from './components/dom.js';
import { createHexDrawer } from './components/hexDrawer.js';
import { enhanceTables, installTableTools, setTableExportPrefix } from './components/tableTools.js';
import { renderCode } from './views/code.js';
import { renderDocument } from './views/document.js';
import { renderFileMap } from './views/filemap.js';
import { renderHistory } from './views/history.js';
import { renderImports } from './views/imports.js';
import { renderOverview } from './views/overview.js';
import { renderSettings } from './views/settings.js';
import { renderSimilar } from './views/similar.js';
import { renderStrings } from './views/strings.js';
import { renderStructure } from './views/structure.js';
import { renderTree } from './views/tree.js';
import { renderWelcome } from './views/welcome.js';
import { applyScanEvent, clearFinished, emptyQueue, queueCounts, queueItems } from './data/queue.js';
import { baseName, formatBytes } from './data/format.js';
import { hasTree } from './data/tree.js';
import { hasDocument } from './data/document.js';
import { buildHtmlReport } from './data/exportHtml.js';
import { exportCharts } from './exportCharts.js';

const VIEWS = [
  { id: 'overview', label: 'Overview', key: '1', needsSample: true, render: renderOverview },
  { id: 'filemap', label: 'File map', key: '2', needsSample: true, render: renderFileMap },
  { id: 'imports', label: 'Imports', key: '3', needsSample: true, render: renderImports },
  { id: 'strings', label: 'Strings & IOCs', key: '4', needsSample: true, render: renderStrings },
  // Every key but `s` is a digit; the ten digits were taken.
  { id: 'structure', label: 'Structure', key: 's', needsSample: true, render: renderStructure },
  { id: 'code', label: 'Code', key: '5', needsSample: true, render: renderCode },
  { id: 'similar', label: 'Similar', key: '6', needsSample: true, render: renderSimilar },
  // Shown for a container with children and for a file found inside one.
  { id: 'tree', label: 'Tree', key: '7', needsSample: true, render: renderTree, applies: (sample) => hasTree(sample.report) },
  // Shown for a document, shortcut or script (the report has a `document` part).
  { id: 'document', label: 'Document', key: '0', needsSample: true, render: renderDocument, applies: (sample) => hasDocument(sample.report) },
  { id: 'history', label: 'History', key: '8', needsSample: false, render: renderHistory },
  { id: 'settings', label: 'Settings', key: '9', needsSample: false, render: renderSettings },
];

const state = { view: 'overview', focus: null, sample: null, queue: emptyQueue(), pendingOpen: null, renderToken: 0, leaveHandlers: [] };
const timings = { dropAt: null, lastDropToRendered: null, lastBackendMs: null, lastStagesMs: {}, lastReportLoadMs: null, interactiveAt: null };

const nav = h('nav', { class: 'views', 'aria-label': 'Views' });
const title = h('div', { class: 'sample-title', 'aria-live': 'polite' });
const exportJson = h('button', { type: 'button', disabled: true, onclick: () => exportReport('json') }, 'Export JSON');
const exportHtml = h('button', { type: 'button', disabled: true, onclick: () => exportReport('html') }, 'Export HTML');
const main = h('main', { id: 'view', tabindex: -1 });
const queueList = h('ol', { class: 'queue-list', 'aria-label': 'Queue' });
const queueHeader = h('div', { class: 'queue-header' });
const toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
const overlay = h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, h('div', {}, 'Drop to analyse'));
// The hex drawer over every report view: links to an offset open it.
const hexDrawer = createHexDrawer({ api });

document.getElementById('app').replaceChildren(
  h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, 'FCAS'),
    title,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => pick(false), title: 'Open files (o)' }, 'Open files…'), h('button', { type: 'button', onclick: () => pick(true), title: 'Open a folder (Shift+O)' }, 'Open folder…'), exportJson, exportHtml),
  ),
  h('div', { class: 'body' }, nav, main, h('aside', { class: 'queue', 'aria-label': 'Analysis queue' }, queueHeader, queueList)),
  hexDrawer.node,
  toast,
  overlay,
);

for (const view of VIEWS) {
  nav.append(h('button', { type: 'button', 'data-view': view.id, onclick: () => navigate(view.id), title: `${view.label} (${view.key})` }, h('span', { class: 'key' }, view.key), view.label));
}

/** Switches view; `focus` says what the view shows first (an import, a call site, an offset). */
function navigate(viewId, focus = null) {
  state.view = viewId;
  state.focus = focus;
  return renderView();
}

async function renderView() {
  const token = ++state.renderToken;
  state.leaveHandlers.splice(0).forEach((f) => f());
  for (const button of nav.querySelectorAll('button')) {
    button.setAttribute('aria-current', String(button.dataset.view === state.view));
    const applies = VIEWS.find((v) => v.id === button.dataset.view)?.applies;
    button.hidden = Boolean(applies) && !(state.sample && applies(state.sample)) && button.dataset.view !== state.view;
  }
  const view = VIEWS.find((v) => v.id === state.view) ?? VIEWS[0];
  const root = h('div', { class: `view view-${view.id}` });
  replace(main, root);
  main.dataset.ready = 'false';
  main.dataset.view = view.id;
  const charts = [];
  const ctx = {
    sample: state.sample,
    api,
    openSample,
    navigate,
    // Read once: a later render of the same view starts unfocused.
    focus: state.focus,
    openHex: (offset) => state.sample && hexDrawer.open(state.sample.report, offset),
    pick,
    reload: () => state.sample && openSample(state.sample.report.hashes.sha256, { keepView: true }),
    registerChart: (name, node) => charts.push({ name, node }),
    onLeave: (f) => state.leaveHandlers.push(f),
  };
  state.focus = null;
  try {
    if (view.needsSample && !state.sample) await renderWelcome(root, ctx);
    else await view.render(root, ctx);
  } catch (error) {
    root.append(h('div', { class: 'error-card' }, h('strong', {}, 'This view failed to render. '), String(error?.message ?? error)));
  }
  if (token !== state.renderToken) return;
  main.dataset.ready = 'true';
  main.dataset.sha256 = state.sample?.report.hashes.sha256 ?? '';
}

/** Opens a stored sample (by SHA-256) in the current report view, or in `view` when given. */
async function openSample(sha256, { keepView = false, view = null } = {}) {
  const loadStarted = performance.now();
  try {
    state.sample = await api.getReport(sha256);
    timings.lastReportLoadMs = performance.now() - loadStarted;
  } catch (error) {
    showToast(`Cannot open ${sha256.slice(0, 12)}: ${error.message}`, true);
    return;
  }
  const report = state.sample.report;
  if (hexDrawer.isOpen() && hexDrawer.sha256() !== sha256) hexDrawer.close(); // its bytes were another sample's
  setTableExportPrefix(baseName(report.path));
  replace(title, h('strong', {}, baseName(report.path)), h('span', { class: 'muted' }, ` ${report.file_type?.description || report.format} · ${formatBytes(report.size)}`));
  exportJson.disabled = false;
  exportHtml.disabled = false;
  if (view) state.view = view;
  else if (!keepView && !VIEWS.find((v) => v.id === state.view)?.needsSample) state.view = 'overview';
  await renderView();
  // A drop (or dialog) is timed until the first report it opens has rendered.
  if (timings.dropAt !== null) {
    timings.lastDropToRendered = performance.now() - timings.dropAt;
    timings.dropAt = null;
  }
}

/** What a drop does: queue the paths and open the first report that finishes. */
async function analyzePaths(paths) {
  timings.dropAt = performance.now();
  try {
    const queued = await api.analyzePaths(paths);
    awaitFirstReport(queued.scans);
    for (const note of queued.notes) showToast(note);
    if (!queued.scans.length) showToast('Nothing to analyse in what was dropped.');
  } catch (error) {
    showToast(error.message, true);
  }
}

async function pick(folder) {
  try {
    const queued = await api.pickAndAnalyze(folder);
    if (queued.scans.length) {
      timings.dropAt = performance.now();
      awaitFirstReport(queued.scans);
    }
  } catch (error) {
    showToast(error.message, true);
  }
}

/**
 * Opens the first of `scans` to finish. Events can arrive before the command returns (a stored
 * file is found in milliseconds), so scans that already finished are looked at first.
 */
function awaitFirstReport(scans) {
  state.pendingOpen = new Set(scans.map((s) => s.scan_id));
  for (const scan of scans) {
    const item = state.queue.items.get(scan.scan_id);
    if (item) onScanEvent({ scan_id: item.scanId, stage: item.stage, sha256: item.sha256, elapsed_ms: item.elapsedMs }, { replay: true });
  }
}

/** When each stage of the recent scans began (ms after queueing), for the timings above. */
const stageTimes = new Map();
const STAGE_TIMES_KEPT = 64;

function noteStageTime(event) {
  if (!stageTimes.has(event.scan_id)) {
    if (stageTimes.size >= STAGE_TIMES_KEPT) stageTimes.delete(stageTimes.keys().next().value);
    stageTimes.set(event.scan_id, {});
  }
  stageTimes.get(event.scan_id)[event.stage] = event.elapsed_ms;
}

function onScanEvent(event, { replay = false } = {}) {
  if (!replay) {
    state.queue = applyScanEvent(state.queue, event);
    renderQueue();
  }
  if (!replay) noteStageTime(event);
  const waiting = state.pendingOpen?.has(event.scan_id);
  if (!state.pendingOpen) return;
  if (waiting && event.stage === 'done' && event.sha256) {
    state.pendingOpen = null;
    timings.lastBackendMs = event.elapsed_ms ?? null;
    timings.lastStagesMs = stageTimes.get(event.scan_id) ?? {};
    openSample(event.sha256);
  } else if (waiting && event.stage === 'failed') {
    state.pendingOpen.delete(event.scan_id);
  }
}

function renderQueue() {
  const counts = queueCounts(state.queue);
  replace(
    queueHeader,
    h('h2', {}, 'Queue'),
    h('span', { class: 'count' }, counts.total ? `${counts.active} running · ${counts.done} done · ${counts.failed} failed` : 'empty'),
    counts.done + counts.failed ? h('button', { type: 'button', class: 'small', onclick: () => ((state.queue = clearFinished(state.queue)), renderQueue()) }, 'Clear') : null,
  );
  const items = queueItems(state.queue).slice(-500).reverse();
  replace(
    queueList,
    items.map((item) => {
      const failed = item.stage === 'failed';
      const partial = item.stage === 'done' && Boolean(item.message);
      const card = h(
        'li',
        { class: `queue-item stage-${item.stage}${failed ? ' error-card' : ''}${partial ? ' error-card partial' : ''}`, 'data-scan-id': item.scanId, tabindex: item.stage === 'done' ? 0 : -1, title: item.path },
        h('div', { class: 'queue-name' }, baseName(item.path)),
        h('div', { class: 'queue-stage' }, failed ? 'failed' : item.stage === 'done' ? (item.cached ? 'opened from the store' : `done in ${Math.round(item.elapsedMs)} ms`) : `${item.stage}…`),
        failed || partial ? h('div', { class: 'queue-message' }, item.message ?? 'the analysis failed') : null,
        h('progress', { max: 1, value: item.progress }),
      );
      if (item.stage === 'done' && item.sha256) {
        card.addEventListener('click', () => openSample(item.sha256));
        card.addEventListener('keydown', (e) => e.key === 'Enter' && openSample(item.sha256));
      }
      return card;
    }),
  );
}

async function exportReport(format) {
  if (!state.sample) return;
  const report = state.sample.report;
  try {
    const html = format === 'html' ? buildHtmlReport(report, exportCharts(report)) : null;
    const path = await api.exportReport(report.hashes.sha256, format, html);
    if (path) showToast(`Saved ${path}`);
  } catch (error) {
    showToast(error.message, true);
  }
}

let toastTimer = null;
function showToast(text, error = false) {
  toast.textContent = text;
  toast.className = `toast visible${error ? ' error' : ''}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.className = 'toast'), 5000);
}

document.addEventListener('keydown', (event) => {
  const typing = event.target.closest?.('input, textarea, select');
  if (event.key === 'Escape' && typing) return event.target.blur();
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const view = VIEWS.find((v) => v.key === event.key);
  if (view) return navigate(view.id);
  if (event.key === '/') {
    const search = main.querySelector('[data-shortcut="search"]');
    if (search) {
      event.preventDefault();
      search.focus();
    }
  } else if (event.key === 'o') pick(false);
  else if (event.key === 'O') pick(true);
});

onDragDrop((payload) => {
  if (payload.type === 'enter' || payload.type === 'over') overlay.classList.add('visible');
  else overlay.classList.remove('visible');
  if (payload.type === 'drop' && payload.paths?.length) analyzePaths(payload.paths);
});
onScan(onScanEvent);
installTableTools();
// Every table a view builds (also after the view's first render, e.g. once a list has loaded)
// gets the CSV button, copying and the cell menu.
new MutationObserver(() => enhanceTables(main)).observe(main, { childList: true, subtree: true });

// Automated tests drive exactly what a drop does, and read the timings. Only the test build
// (`make ui-test`, VITE_FCAS_TEST_HOOK=1) has this hook: Vite replaces the condition at build
// time and the production bundle leaves the branch out.
if (import.meta.env.VITE_FCAS_TEST_HOOK === '1') {
  window.__fcasTest = { drop: analyzePaths, open: openSample, navigate, timings, openHex: (offset) => state.sample && hexDrawer.open(state.sample.report, offset), state: () => ({ view: state.view, sha256: state.sample?.report.hashes.sha256 ?? null }) };
}

renderQueue();
renderView().then(() => {
  timings.interactiveAt = performance.now();
  document.documentElement.dataset.interactive = 'true';
});
