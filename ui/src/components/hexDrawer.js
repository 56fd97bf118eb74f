// The hex drawer: a sample's bytes at any offset, as offset / hex / ASCII rows coloured by what
// the report says each byte is (section, headers, overlay, explained region). Only the rows in
// view exist in the page, and bytes are read in bounded windows through `read_sample_bytes`, so
// a 1 GiB file opens as fast as a small one. When the bytes cannot be read it says why.
import { byteRegions, hexRowText, hexWindow, regionAt, scrollTopFor } from '../data/hexRegions.js';
import { formatBytes } from '../data/format.js';
import { h, replace } from './dom.js';

const BYTES_PER_ROW = 16;
const ROW_HEIGHT = 18;
/** Bytes asked per read: the backend's cap (`MAX_WINDOW_BYTES`). */
const WINDOW = 64 * 1024;
/** Windows kept in memory (1 MiB); the least recently used goes first. */
const WINDOWS_KEPT = 16;

/** Creates the drawer (hidden until `open`). `api.readSampleBytes(sha256, offset, length)` reads bytes. */
export function createHexDrawer({ api }) {
  const title = h('strong', {}, 'Bytes');
  const source = h('span', { class: 'hex-source muted' });
  const goto = h('input', { type: 'text', class: 'hex-goto', placeholder: 'offset (0x… or decimal)', 'aria-label': 'Go to offset', spellcheck: 'false' });
  const close = h('button', { type: 'button', class: 'small', 'aria-label': 'Close the hex drawer', title: 'Close (Esc)' }, 'Close');
  const legend = h('div', { class: 'hex-legend' });
  const status = h('div', { class: 'hex-status', role: 'status', 'aria-live': 'polite' });
  const spacer = h('div', { class: 'hex-spacer' });
  const body = h('div', { class: 'hex-body' });
  const viewport = h('div', { class: 'hex-viewport', tabindex: 0, role: 'grid', 'aria-label': 'Bytes: offset, hex and ASCII' }, spacer, body);
  const node = h(
    'section',
    { class: 'hex-drawer', 'data-testid': 'hex-drawer', 'aria-label': 'Hex view', hidden: true },
    h('header', { class: 'hex-head' }, title, source, h('form', { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), jump(goto.value)) }, goto), close),
    legend,
    status,
    viewport,
  );

  let sample = null; // {sha256, size, regions}
  let cursor = 0;
  let windows = new Map(); // window index -> Uint8Array | {error} | 'loading'
  let generation = 0;
  let rendered = null; // resolves when the first rows with bytes are drawn

  close.addEventListener('click', () => hide());
  viewport.addEventListener('scroll', () => requestAnimationFrame(draw), { passive: true });
  viewport.addEventListener('keydown', onKey);
  viewport.addEventListener('click', (event) => {
    const cell = event.target.closest('[data-offset]');
    if (cell) moveTo(Number(cell.dataset.offset), false);
  });

  /** Shows `report`'s bytes from `offset` (clamped to the file). Resolves once rows are drawn. */
  function open(report, offset = 0) {
    const sha256 = report.hashes.sha256;
    if (sample?.sha256 !== sha256) {
      windows = new Map();
      sample = { sha256, size: Number(report.size) || 0, regions: byteRegions(report) };
      replace(legend, legendItems(sample.regions));
    }
    for (const [index, value] of windows) if (value?.error) windows.delete(index); // asked again

    generation += 1;
    node.hidden = false;
    replace(title, `Bytes of ${report.path.split(/[\\/]/).pop()} (${formatBytes(sample.size)})`);
    status.textContent = '';
    node.dataset.state = 'loading';
    const ready = new Promise((resolve) => (rendered = resolve));
    moveTo(Math.max(0, Math.min(Number(offset) || 0, Math.max(0, sample.size - 1))), true);
    viewport.focus({ preventScroll: true });
    return ready;
  }

  function hide() {
    node.hidden = true;
    generation += 1;
    node.dispatchEvent(new CustomEvent('hexclose', { bubbles: true }));
  }

  function rowCount() {
    return Math.max(1, Math.ceil(sample.size / BYTES_PER_ROW));
  }

  /** Puts the cursor on `offset`; `top` scrolls its row to the top, otherwise only into view. */
  function moveTo(offset, top) {
    if (!sample) return;
    cursor = Math.max(0, Math.min(offset, Math.max(0, sample.size - 1)));
    node.dataset.cursor = String(cursor);
    const row = Math.floor(cursor / BYTES_PER_ROW);
    const height = viewport.clientHeight || 360;
    const { first, visible } = hexWindow(rowCount(), viewport.scrollTop, height, ROW_HEIGHT);
    if (top || row < first || row >= first + visible - 1) {
      const target = top ? row : row < first ? row : row - visible + 2;
      spacer.style.height = `${hexWindow(rowCount(), 0, height, ROW_HEIGHT).spacer}px`;
      viewport.scrollTop = scrollTopFor(Math.max(0, target), rowCount(), height, ROW_HEIGHT);
    }
    draw();
  }

  function jump(text) {
    const value = String(text).trim().toLowerCase();
    const offset = value.startsWith('0x') ? parseInt(value.slice(2), 16) : /^[0-9]+$/.test(value) ? parseInt(value, 10) : NaN;
    if (!Number.isFinite(offset) || offset < 0 || offset >= sample.size) {
      status.textContent = `“${text}” is not an offset in this file (0 to 0x${Math.max(0, sample.size - 1).toString(16)}).`;
      return;
    }
    status.textContent = '';
    moveTo(offset, true);
    viewport.focus();
  }

  function onKey(event) {
    if (!sample) return;
    const page = Math.max(1, Math.floor((viewport.clientHeight || 360) / ROW_HEIGHT) - 1) * BYTES_PER_ROW;
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: BYTES_PER_ROW, ArrowUp: -BYTES_PER_ROW, PageDown: page, PageUp: -page };
    if (event.key in moves) moveTo(cursor + moves[event.key], false);
    else if (event.key === 'Home') moveTo(event.ctrlKey ? 0 : cursor - (cursor % BYTES_PER_ROW), event.ctrlKey);
    else if (event.key === 'End') moveTo(event.ctrlKey ? sample.size - 1 : cursor - (cursor % BYTES_PER_ROW) + BYTES_PER_ROW - 1, event.ctrlKey);
    else if (event.key === 'Escape') hide();
    else if (event.key === 'g') goto.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  /** Draws the rows in view; asks for the windows they need. */
  function draw() {
    if (!sample || node.hidden) return;
    const height = viewport.clientHeight || 360;
    const { first, visible, spacer: spacerHeight } = hexWindow(rowCount(), viewport.scrollTop, height, ROW_HEIGHT);
    spacer.style.height = `${spacerHeight}px`;
    body.style.transform = `translateY(${viewport.scrollTop}px)`;
    const last = Math.min(rowCount(), first + visible + 1);
    const missing = new Set();
    let failure = null;
    const fragment = document.createDocumentFragment();
    for (let row = first; row < last; row += 1) {
      const start = row * BYTES_PER_ROW;
      const bytes = [];
      for (let offset = start; offset < Math.min(sample.size, start + BYTES_PER_ROW); offset += 1) {
        const win = windows.get(Math.floor(offset / WINDOW));
        if (win instanceof Uint8Array) bytes.push(win[offset % WINDOW] ?? null);
        else {
          bytes.push(null);
          if (win?.error) failure = win.error;
          else if (win !== 'loading') missing.add(Math.floor(offset / WINDOW));
        }
      }
      fragment.append(rowNode(start, bytes));
    }
    body.replaceChildren(fragment);
    node.dataset.rows = String(last - first);
    if (failure) showUnavailable(failure);
    for (const index of missing) load(index);
    if (!missing.size && !failure && ![...windowsFor(first, last)].some((i) => windows.get(i) === 'loading')) {
      node.dataset.state = 'ready';
      rendered?.();
      rendered = null;
    }
  }

  function* windowsFor(firstRow, lastRow) {
    const from = Math.floor((firstRow * BYTES_PER_ROW) / WINDOW);
    const to = Math.floor((Math.max(firstRow, lastRow - 1) * BYTES_PER_ROW + BYTES_PER_ROW - 1) / WINDOW);
    for (let i = from; i <= to; i += 1) yield i;
  }

  function rowNode(start, bytes) {
    const { offset, hexes, ascii } = hexRowText(start, bytes);
    const hexCells = [];
    const asciiCells = [];
    bytes.forEach((_, i) => {
      const at = start + i;
      const region = regionAt(sample.regions, at);
      const cls = `${region ? `hex-${region.kind}` : 'hex-plain'}${at === cursor ? ' cursor' : ''}`;
      hexCells.push(h('span', { class: cls, 'data-offset': at, title: region ? `0x${at.toString(16)}: ${region.label}` : null }, hexes[i]));
      asciiCells.push(h('span', { class: cls, 'data-offset': at }, ascii[i]));
    });
    const row = h('div', { class: 'hex-row', role: 'row', 'data-row-offset': start }, h('span', { class: 'hex-offset', role: 'rowheader' }, offset), h('span', { class: 'hex-bytes', role: 'gridcell' }, hexCells), h('span', { class: 'hex-ascii', role: 'gridcell' }, asciiCells));
    row.style.height = `${ROW_HEIGHT}px`;
    return row;
  }

  async function load(index) {
    const asked = generation;
    const wanted = sample.sha256;
    windows.set(index, 'loading');
    let value;
    try {
      const window = await api.readSampleBytes(wanted, index * WINDOW, WINDOW);
      value = Uint8Array.from(window.bytes);
      source.textContent = window.source?.kind === 'original' ? `read from ${window.source.path}` : 'read from the sample vault';
    } catch (error) {
      value = { error: error.message ?? String(error) };
    }
    if (sample?.sha256 !== wanted) return;
    windows.delete(index); // re-inserted last: the most recently used
    windows.set(index, value);
    while (windows.size > WINDOWS_KEPT) windows.delete(windows.keys().next().value);
    if (asked === generation || !value.error) draw();
  }

  function showUnavailable(message) {
    node.dataset.state = 'unavailable';
    replace(status, h('div', { class: 'hex-unavailable error-card', 'data-testid': 'hex-unavailable' }, h('strong', {}, 'The bytes cannot be shown. '), message));
    rendered?.();
    rendered = null;
  }

  return { node, open, close: hide, isOpen: () => !node.hidden, cursor: () => cursor, sha256: () => sample?.sha256 ?? null };
}

/** One swatch per kind of region present. */
function legendItems(regions) {
  const names = { code: 'code', data: 'writable data', rodata: 'read-only', header: 'headers', overlay: 'overlay', explained: "explains a model's score" };
  const kinds = [...new Set(regions.map((r) => r.kind))];
  return kinds.map((k) => h('span', { class: 'hex-key' }, h('span', { class: `swatch hex-${k}` }), names[k] ?? k));
}
