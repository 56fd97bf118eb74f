// What every table offers, virtual or not: a "CSV" export button, Ctrl+C on the focused row (tab
// separated), a context menu on a cell that copies its value, its row or its column, and the
// whole text of a truncated cell on hover. A table registers a `source` that gives its text;
// `enhanceTables` does it for the plain <table>s a view built, from their cells.
import { csvFileName, toCsv, toTsv } from '../data/csv.js';
import { copyText } from './clipboard.js';

/** host element (marked `data-table-tools`) -> source. */
const sources = new WeakMap();
/** Prefix of exported file names: the open sample's name (set by the shell). */
let exportPrefix = '';
/** Text longer than this gets its whole text as a title up front (cells are cut by CSS). */
const TITLE_FROM = 40;

/** Names exported files after the open sample. */
export function setTableExportPrefix(name) {
  exportPrefix = name ?? '';
}

/**
 * Registers `source` for `host` and puts a CSV button before it. `source`: `{name, headers() ->
 * string[], rows() -> string[][], focusedRow() -> string[] | null, locate(cell) -> {row, column}
 * | null}` (`row` -1 for a header cell).
 */
export function attachTableTools(host, source) {
  host.dataset.tableTools = source.name;
  sources.set(host, source);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small csv-export';
  button.textContent = 'CSV';
  button.title = `Export ${source.name} as CSV`;
  button.addEventListener('click', () => downloadText(toCsv(source.headers(), source.rows()), csvFileName(exportPrefix, source.name), 'text/csv'));
  const bar = document.createElement('div');
  bar.className = 'table-tools';
  bar.append(button);
  host.before(bar);
  return button;
}

/** Gives every plain table under `root` that has none its tools (every view's tables). */
export function enhanceTables(root) {
  for (const table of root.querySelectorAll('table:not([data-table-tools])')) attachTableTools(table, staticSource(table));
}

/** Text of a cell without its buttons ("Copy" buttons are not data). */
export function cellText(cell) {
  if (!cell) return '';
  if (!cell.querySelector('button')) return cell.textContent.trim();
  const clone = cell.cloneNode(true);
  clone.querySelectorAll('button').forEach((b) => b.remove());
  return clone.textContent.trim();
}

/** A title with the whole text, for text the cell may cut. */
export function titleFor(text) {
  return text.length > TITLE_FROM ? text : null;
}

function staticSource(table) {
  const head = () => (table.tHead ? [...table.tHead.rows] : []);
  const bodyRows = () => [...table.rows].filter((r) => r.parentElement !== table.tHead);
  for (const row of bodyRows()) {
    row.tabIndex = -1;
    for (const cell of row.cells) if (!cell.title && titleFor(cellText(cell))) cell.title = cellText(cell);
  }
  const name = table.getAttribute('aria-label') || table.closest('section')?.querySelector('h2, h3')?.textContent || table.className || 'table';
  return {
    name: name.trim(),
    headers: () => {
      const cells = head()[0]?.cells;
      if (cells) return [...cells].map(cellText);
      const width = Math.max(0, ...bodyRows().map((r) => r.cells.length));
      return Array.from({ length: width }, (_, i) => `column ${i + 1}`);
    },
    rows: () => bodyRows().map((r) => [...r.cells].map(cellText)),
    focusedRow: () => {
      const row = document.activeElement?.closest?.('tr');
      return row && row.closest('table') === table && row.parentElement !== table.tHead ? [...row.cells].map(cellText) : null;
    },
    locate: (target) => {
      // The menu key on a focused row (no cell under a pointer) opens the menu for its first cell.
      const cell = target.closest('td, th') ?? (target.tagName === 'TR' ? target.cells[0] : null);
      if (!cell || cell.closest('table') !== table) return null;
      return { row: bodyRows().indexOf(cell.parentElement), column: cell.cellIndex };
    },
  };
}

/** Saves `text` as a file through the page's download (a Blob URL, revoked once used). */
function downloadText(text, fileName, type) {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

let menu = null;

function closeMenu() {
  menu?.remove();
  menu = null;
}

/** The cell's menu: copy value, row, column (header cells: the column only). */
function openMenu(event, source, place) {
  closeMenu();
  const rows = () => source.rows();
  const items = [];
  if (place.row >= 0) {
    items.push(['Copy value', () => rows()[place.row]?.[place.column] ?? '']);
    items.push(['Copy row', () => toTsv([rows()[place.row] ?? []])]);
  }
  items.push(['Copy column', () => [source.headers()[place.column] ?? '', ...rows().map((r) => r[place.column] ?? '')].join('\n')]);
  menu = document.createElement('div');
  menu.className = 'context-menu';
  menu.setAttribute('role', 'menu');
  for (const [label, text] of items) {
    const item = document.createElement('button');
    item.type = 'button';
    item.setAttribute('role', 'menuitem');
    item.textContent = label;
    item.addEventListener('click', () => {
      copyText(text());
      closeMenu();
    });
    menu.append(item);
  }
  // Opened from the keyboard, the event has no pointer position: the menu goes by the element.
  const box = event.clientX || event.clientY ? { left: event.clientX, top: event.clientY } : event.target.getBoundingClientRect();
  menu.style.left = `${Math.min(box.left, window.innerWidth - 160)}px`;
  menu.style.top = `${Math.min(box.top, window.innerHeight - 100)}px`;
  document.body.append(menu);
  menu.querySelector('button')?.focus();
}

/** Installs the page-wide handlers (once, by the shell). */
export function installTableTools(doc = document) {
  doc.addEventListener('contextmenu', (event) => {
    const host = event.target.closest?.('[data-table-tools]');
    const source = host && sources.get(host);
    const place = source?.locate(event.target);
    if (!place) return;
    event.preventDefault();
    openMenu(event, source, place);
  });
  doc.addEventListener('click', (event) => menu && !menu.contains(event.target) && closeMenu());
  doc.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu) return closeMenu();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'c') return;
    if (event.target.closest?.('input, textarea, select')) return;
    // Selected text is the browser's to copy (every engine does it, and keeps the selection).
    if (window.getSelection?.().toString()) return;
    const host = doc.activeElement?.closest?.('[data-table-tools]');
    const row = host && sources.get(host)?.focusedRow();
    if (!row) return;
    event.preventDefault();
    copyText(toTsv([row]));
  });
  // Moving through a plain table's rows with the arrow keys, as in the virtual ones.
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const row = doc.activeElement;
    if (row?.tagName !== 'TR' || !row.closest('table[data-table-tools]')) return;
    const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
    if (next?.tagName === 'TR' && next.tabIndex === -1) {
      event.preventDefault();
      next.focus();
    }
  });
  // A cut cell shows its whole text on hover.
  doc.addEventListener('mouseover', (event) => {
    const cell = event.target.closest?.('[data-table-tools] td, [data-table-tools] th, [data-table-tools] [role="gridcell"]');
    if (cell && !cell.title && cell.scrollWidth > cell.clientWidth) cell.title = cellText(cell);
  });
}
