// The app shell: navigation, the queue panel, drops and dialogs, keyboard shortcuts, and the
// view router. Views render from the stored sample the backend returns.
import './theme.css';
import './style.css';
import { api, onDownload, onDragDrop, onScan } from './api.js';
import { h, replace } from './components/dom.js';
import { createHexDrawer } from './components/hexDrawer.js';
import { enhanceTables, installTableTools, setTableExportPrefix } from './components/tableTools.js';
import { renderCode } from './views/code.js';
import { renderDocument } from './views/document.js';
import { renderFileMap } from './views/filemap.js';
import { renderHistory } from './views/history.js';
import { renderHunts } from './views/hunts.js';
import { renderImports } from './views/imports.js';
import { renderOverview } from './views/overview.js';
import { renderSettings } from './views/settings.js';
import { renderSimilar } from './views/similar.js';
import { renderStrings } from './views/strings.js';
import { renderStructure } from './views/structure.js';
import { renderTree } from './views/tree.js';
import { renderWelcome } from './views/welcome.js';
import { applyScanEvent, clearFinished, emptyQueue, queueItems } from './data/queue.js';
import { finishedSamples, storedCounts, storedCountsText, verdictText, walkStep } from './data/triage.js';
import { baseName, formatBytes } from './data/format.js';
import { hasTree } from './data/tree.js';
import { hasDocument } from './data/document.js';
import { buildHtmlReport } from './data/exportHtml.js';
import { completeStrings } from './data/sampleStrings.js';
import { exportCharts } from './exportCharts.js';
import { appearance, initAppearance, onAppearance, stepZoom, toggleQueue } from './components/appearance.js';
import { zoomKey } from './data/appearance.js';

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
  { id: 'hunts', label: 'Hunts', key: 'u', needsSample: false, render: renderHunts },
  { id: 'settings', label: 'Settings', key: '9', needsSample: false, render: renderSettings },
];

// `walk`: the SHA-256 list j/k step through (History's shown rows when a sample was opened from
// there; else the queue's finished files). `newResults`: files of a drop that finished while a
// report was being read (a drop never replaces the report in view). `verdicts`: per SHA-256,
// `{verdict, reviewed_at}` for the queue cards.
const state = { view: 'overview', focus: null, sample: null, queue: emptyQueue(), pendingOpen: null, notify: new Set(), newResults: [], walk: null, verdicts: new Map(), renderToken: 0, leaveHandlers: [] };
/** Queue cards whose verdict is looked up at most (the most recent ones). */
const VERDICTS_KEPT = 500;
const timings = { dropAt: null, lastDropToRendered: null, lastBackendMs: null, lastStagesMs: {}, lastReportLoadMs: null, interactiveAt: null };

const nav = h('nav', { class: 'views', 'aria-label': 'Views' });
const title = h('div', { class: 'sample-title', 'aria-live': 'polite' });
const exportJson = h('button', { type: 'button', disabled: true, onclick: () => exportReport('json') }, 'Export JSON');
const exportHtml = h('button', { type: 'button', disabled: true, onclick: () => exportReport('html') }, 'Export HTML');
const main = h('main', { id: 'view', tabindex: -1 });
const queueList = h('ol', { class: 'queue-list', 'aria-label': 'Queue' });
const queueHeader = h('div', { class: 'queue-header' });
// Folds the queue to a strip (kept in the settings); `q` does the same.
const queueToggle = h('button', { type: 'button', class: 'queue-toggle small', 'aria-controls': 'queue-panel', onclick: () => toggleQueue() });
const syncQueueToggle = ({ queue_collapsed: collapsed }) => {
  queueToggle.setAttribute('aria-expanded', String(!collapsed));
  queueToggle.title = collapsed ? 'Show the queue (q)' : 'Hide the queue (q)';
  queueToggle.setAttribute('aria-label', queueToggle.title);
  queueToggle.textContent = collapsed ? '‹ Queue' : '›';
};
onAppearance(syncQueueToggle);
syncQueueToggle(appearance());
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
  h('div', { class: 'body' }, nav, main, h('aside', { class: 'queue', id: 'queue-panel', 'aria-label': 'Analysis queue' }, queueToggle, queueHeader, queueList)),
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
    // History hands its shown rows over, so that j/k walk them from the sample it opened.
    openFromList: (sha256, list) => openSample(sha256, { walk: list }),
    api,
    openSample,
    navigate,
    // Views that read the report's strings wait for them (they come after the report).
    withStrings: () => completeStrings(state.sample, api.getReportStrings),
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
async function openSample(sha256, { keepView = false, view = null, walk = undefined } = {}) {
  const loadStarted = performance.now();
  try {
    state.sample = await api.getReport(sha256, { strings: false });
    timings.lastReportLoadMs = performance.now() - loadStarted;
  } catch (error) {
    showToast(`Cannot open ${sha256.slice(0, 12)}: ${error.message}`, true);
    return;
  }
  const report = state.sample.report;
  if (walk !== undefined) state.walk = walk;
  state.newResults = state.newResults.filter((h) => h !== sha256);
  if (hexDrawer.isOpen() && hexDrawer.sha256() !== sha256) hexDrawer.close(); // its bytes were another sample's
  setTableExportPrefix(baseName(report.path));
  renderTitle();
  renderQueue();
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

/** The header: name, verdict, reviewed mark, type and size of the sample in view. */
function renderTitle() {
  if (!state.sample) return replace(title);
  const { report, reviewed_at: reviewedAt } = state.sample;
  const verdict = report.verdict?.label ?? null;
  replace(
    title,
    h('strong', {}, baseName(report.path)),
    ' ',
    h('span', { class: `pill verdict-${verdict ?? 'none'}`, 'data-testid': 'header-verdict', title: 'Verdict' }, verdictText(verdict)),
    h('span', { class: `pill reviewed${reviewedAt ? ' on' : ''}`, 'data-testid': 'header-reviewed', title: 'Mark reviewed or not (r)' }, reviewedAt ? '✓ reviewed' : 'not reviewed'),
    h('span', { class: 'muted' }, ` ${report.file_type?.description || report.format} · ${formatBytes(report.size)}`),
  );
}

/** Marks the sample in view reviewed, or not when it was (key `r`). */
async function toggleReviewed() {
  if (!state.sample) return;
  const sha256 = state.sample.report.hashes.sha256;
  try {
    const change = await api.setReviewed(sha256, !state.sample.reviewed_at);
    if (state.sample?.report.hashes.sha256 !== sha256) return;
    state.sample.reviewed_at = change.reviewed_at ?? null;
    const known = state.verdicts.get(sha256);
    if (known) known.reviewed_at = state.sample.reviewed_at;
    renderTitle();
    renderQueue();
    showToast(state.sample.reviewed_at ? 'Marked reviewed.' : 'No longer marked reviewed.');
  } catch (error) {
    showToast(`Cannot mark ${sha256.slice(0, 12)}: ${error.message}`, true);
  }
}

/** Opens the next (`delta` 1, key j) or previous (-1, key k) sample of the list being walked. */
function walkBy(delta) {
  const list = state.walk ?? finishedSamples(queueItems(state.queue));
  const next = walkStep(list, state.sample?.report.hashes.sha256 ?? null, delta);
  if (next && next !== state.sample?.report.hashes.sha256) openSample(next, { keepView: true });
}

/** Looks up the verdict and reviewed mark of a finished queue item once, for its card. */
async function fetchVerdict(sha256) {
  if (state.verdicts.has(sha256)) return;
  if (state.verdicts.size >= VERDICTS_KEPT) state.verdicts.delete(state.verdicts.keys().next().value);
  state.verdicts.set(sha256, { verdict: undefined, reviewed_at: null });
  try {
    const [row] = await api.listSamples({ hash: sha256, limit: 1, offset: 0 });
    if (row) state.verdicts.set(sha256, { verdict: row.verdict ?? null, reviewed_at: row.reviewed_at ?? null });
  } catch {
    state.verdicts.delete(sha256);
    return;
  }
  renderQueue();
}

/** Opens the oldest result that finished while a report was being read. */
function openNewResult() {
  const next = state.newResults.shift();
  if (next) openSample(next, { walk: null });
  renderQueue();
}

/** What a drop does: queue the paths; open the first report that finishes unless a report is being read. */
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
  // Reading a report: a sample is open in one of its views (History and Settings are not one).
  const reading = state.sample && VIEWS.find((v) => v.id === state.view)?.needsSample;
  if (reading) {
    // A report is being read: the drop's results are announced, never opened over it.
    for (const scan of scans) state.notify.add(scan.scan_id);
    for (const scan of scans) {
      const item = state.queue.items.get(scan.scan_id);
      if (item) onScanEvent({ scan_id: item.scanId, stage: item.stage, sha256: item.sha256, elapsed_ms: item.elapsedMs }, { replay: true });
    }
    return;
  }
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
  if (event.stage === 'done' && event.sha256) fetchVerdict(event.sha256);
  if (state.notify.has(event.scan_id) && (event.stage === 'done' || event.stage === 'failed')) {
    state.notify.delete(event.scan_id);
    if (event.stage === 'done' && event.sha256 && event.sha256 !== state.sample?.report.hashes.sha256 && !state.newResults.includes(event.sha256)) {
      state.newResults.push(event.sha256);
      renderQueue();
    }
  }
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
  const counts = storedCounts(queueItems(state.queue));
  const fresh = state.newResults.length;
  replace(
    queueHeader,
    h('h2', {}, 'Queue'),
    h('span', { class: 'count', 'data-testid': 'queue-counts' }, storedCountsText(counts)),
    counts.analysed + counts.reused + counts.failed ? h('button', { type: 'button', class: 'small', onclick: () => ((state.queue = clearFinished(state.queue)), renderQueue()) }, 'Clear') : null,
    fresh
      ? h('button', { type: 'button', class: 'small new-results', 'data-testid': 'new-results', title: 'Results of a drop that finished while you were reading; open the oldest', onclick: openNewResult }, `${fresh} new result${fresh === 1 ? '' : 's'}`)
      : null,
  );
  const items = queueItems(state.queue).slice(-500).reverse();
  replace(
    queueList,
    items.map((item) => {
      const failed = item.stage === 'failed';
      const partial = item.stage === 'done' && Boolean(item.message);
      const known = item.sha256 ? state.verdicts.get(item.sha256) : null;
      const current = item.sha256 && item.sha256 === state.sample?.report.hashes.sha256;
      const card = h(
        'li',
        { class: `queue-item stage-${item.stage}${failed ? ' error-card' : ''}${partial ? ' error-card partial' : ''}${current ? ' current' : ''}`, 'data-scan-id': item.scanId, tabindex: item.stage === 'done' ? 0 : -1, title: item.path },
        h(
          'div',
          { class: 'queue-name' },
          baseName(item.path),
          known && known.verdict !== undefined ? h('span', { class: `pill verdict-${known.verdict ?? 'none'}`, 'data-testid': 'queue-verdict' }, verdictText(known.verdict)) : null,
          known?.reviewed_at ? h('span', { class: 'pill reviewed on', title: 'reviewed' }, '✓') : null,
        ),
        h('div', { class: 'queue-stage' }, failed ? 'failed' : item.stage === 'done' ? (item.cached ? 'already stored' : `done in ${Math.round(item.elapsedMs)} ms`) : `${item.stage}…`),
        failed || partial ? h('div', { class: 'queue-message' }, item.message ?? 'the analysis failed') : null,
        h('progress', { max: 1, value: item.progress }),
      );
      if (item.stage === 'done' && item.sha256) {
        card.addEventListener('click', () => openSample(item.sha256, { walk: null }));
        card.addEventListener('keydown', (e) => e.key === 'Enter' && openSample(item.sha256, { walk: null }));
      }
      return card;
    }),
  );
}

async function exportReport(format) {
  if (!state.sample) return;
  try {
    const { report } = format === 'html' ? await completeStrings(state.sample, api.getReportStrings) : state.sample;
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
  const zoom = zoomKey(event);
  if (zoom !== null) {
    event.preventDefault();
    return stepZoom(zoom);
  }
  const typing = event.target.closest?.('input, textarea, select');
  if (event.key === 'Escape' && typing) return event.target.blur();
  // A focused table moves its own row with j/k and the arrows.
  if (typing || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const view = VIEWS.find((v) => v.key === event.key);
  if (view) return navigate(view.id);
  if (event.key === '/') {
    const search = main.querySelector('[data-shortcut="search"]');
    if (search) {
      event.preventDefault();
      search.focus();
    }
  } else if (event.key === 'q') toggleQueue();
  else if (event.key === 'j') walkBy(1);
  else if (event.key === 'k') walkBy(-1);
  else if (event.key === 'r') toggleReviewed();
  else if (event.key === 'o') pick(false);
  else if (event.key === 'O') pick(true);
});

onDragDrop((payload) => {
  if (payload.type === 'enter' || payload.type === 'over') overlay.classList.add('visible');
  else overlay.classList.remove('visible');
  if (payload.type === 'drop' && payload.paths?.length) analyzePaths(payload.paths);
});
onScan(onScanEvent);
// A table's CSV is saved by the webview; the app says where it went.
onDownload(({ path, success }) => showToast(success ? `Saved ${path}` : `Could not save ${path ?? 'the file'}: the download failed`, !success));
installTableTools();
// Every table a view builds (also after the view's first render, e.g. once a list has loaded)
// gets the CSV button, copying and the cell menu.
new MutationObserver(() => enhanceTables(main)).observe(main, { childList: true, subtree: true });

// Automated tests drive exactly what a drop does, and read the timings. Only the test build
// (`make ui-test`, VITE_FCAS_TEST_HOOK=1) has this hook: Vite replaces the condition at build
// time and the production bundle leaves the branch out.
if (import.meta.env.VITE_FCAS_TEST_HOOK === '1') {
  window.__fcasTest = { drop: analyzePaths, open: openSample, navigate, timings, openHex: (offset) => state.sample && hexDrawer.open(state.sample.report, offset), state: () => ({ view: state.view, sha256: state.sample?.report.hashes.sha256 ?? null, newResults: state.newResults.length }) };
}

initAppearance({ loadSaved: async () => (await api.getSettings()).appearance, save: (next) => api.saveAppearance(next), reportError: (text) => showToast(text, true) });
renderQueue();
renderView().then(() => {
  timings.interactiveAt = performance.now();
  document.documentElement.dataset.interactive = 'true';
});
