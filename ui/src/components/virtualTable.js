// A table that renders only the rows in view, so 20,000 strings or 10,000 samples scroll smoothly.
import { visibleWindow } from '../data/strings.js';
import { h } from './dom.js';
import { attachTableTools, titleFor } from './tableTools.js';

/** A column's text for copying, export and titles: `text(row)`, else its rendering's text, else the field. */
/**
 * A column's name in a CSV header or a copied column: its `name`, else its label's accessible
 * name (a label may be a sort button with an arrow, or an icon), else its text.
 */
export function columnName(column) {
  if (column.name) return column.name;
  if (column.label instanceof Node) return column.label.getAttribute?.('aria-label') || column.label.textContent;
  return String(column.label ?? column.key);
}

function cellValue(column, row) {
  if (column.text) return String(column.text(row) ?? '');
  if (column.render) {
    const out = column.render(row);
    return out instanceof Node ? out.textContent : String(out ?? '');
  }
  return String(row[column.key] ?? '');
}

/**
 * `columns`: `[{key, label (string|Node), name? (its name in CSV, else the label's accessible name), width, render?(row) -> string|Node, text?(row) -> string,
 * className?}]` (`text` is what copying and the CSV export take; by default the rendering's text).
 * `onActivate(row)` fires on click (not on a button or input in the row) or Enter. Arrow keys move
 * the focused row.
 */
export function createVirtualTable(container, { columns, rowHeight = 26, height = 480, onActivate = null, label = 'table' }) {
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  const header = h('div', { class: 'vt-header', role: 'row', style: null }, columns.map((c) => h('div', { role: 'columnheader' }, c.label)));
  header.style.gridTemplateColumns = template;
  // The grid holds the header row and the rows' group (ARIA wants a row inside a grid).
  const viewport = h('div', { class: 'vt-viewport', tabindex: 0, role: 'rowgroup', 'aria-label': label });
  viewport.style.height = `${height}px`;
  const spacer = h('div', { class: 'vt-spacer' });
  const body = h('div', { class: 'vt-body' });
  spacer.append(body);
  viewport.append(spacer);
  const host = h('div', { class: 'vt', role: 'grid', 'aria-label': label }, header, viewport);
  container.append(host);
  let rows = [];
  let focused = -1;
  const rowText = (row) => columns.map((c) => cellValue(c, row));
  attachTableTools(host, {
    name: label,
    headers: () => columns.map(columnName),
    rows: () => rows.map(rowText),
    focusedRow: () => (focused >= 0 && focused < rows.length ? rowText(rows[focused]) : null),
    locate: (target) => {
      // The menu key on the focused list (no cell under a pointer): the focused row's first cell.
      if (target === viewport) return focused >= 0 && focused < rows.length ? { row: focused, column: 0 } : null;
      const cell = target.closest('[role="gridcell"], [role="columnheader"]');
      if (!cell || !host.contains(cell)) return null;
      const column = [...cell.parentElement.children].indexOf(cell);
      const rowEl = cell.closest('.vt-row');
      return { row: rowEl ? Number(rowEl.dataset.index) : -1, column };
    },
  });

  function render() {
    // The height first: a shorter list clamps the scroll position, which the window is read from
    // (else the rows of a list that shrank under a deep scroll are drawn below its end).
    spacer.style.height = `${rows.length * rowHeight}px`;
    const win = visibleWindow(rows.length, viewport.scrollTop, viewport.clientHeight || height, rowHeight);
    spacer.style.height = `${win.totalHeight}px`;
    body.style.transform = `translateY(${win.offsetY}px)`;
    const fragment = document.createDocumentFragment();
    for (let i = win.first; i < win.last; i += 1) {
      const row = rows[i];
      const el = h(
        'div',
        { class: `vt-row${i === focused ? ' focused' : ''}${row.className ? ` ${row.className}` : ''}`, role: 'row', dataset: { index: i } },
        columns.map((c) => {
          const content = c.render ? c.render(row) : String(row[c.key] ?? '');
          const text = content instanceof Node ? content.textContent : content;
          return h('div', { class: c.className ?? null, role: 'gridcell', title: titleFor(text) }, content);
        }),
      );
      el.style.gridTemplateColumns = template;
      el.style.height = `${rowHeight}px`;
      fragment.append(el);
    }
    body.replaceChildren(fragment);
  }

  viewport.addEventListener('scroll', () => requestAnimationFrame(render), { passive: true });
  body.addEventListener('click', (event) => {
    const el = event.target.closest('.vt-row');
    if (!el || event.target.closest('button, input, label')) return;
    focused = Number(el.dataset.index);
    render();
    if (onActivate) onActivate(rows[focused]);
  });
  viewport.addEventListener('keydown', (event) => {
    if (!rows.length) return;
    if (event.key === 'ArrowDown' || event.key === 'j') focused = Math.min(rows.length - 1, focused + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') focused = Math.max(0, focused - 1);
    else if (event.key === 'Enter' && focused >= 0 && onActivate) return onActivate(rows[focused]);
    else return;
    event.preventDefault();
    const top = focused * rowHeight;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + rowHeight - viewport.clientHeight;
    render();
  });

  return {
    setRows(next) {
      rows = next;
      focused = Math.min(focused, rows.length - 1);
      render();
    },
    scrollToIndex(i) {
      focused = i;
      viewport.scrollTop = Math.max(0, i * rowHeight - rowHeight * 3);
      render();
    },
    count: () => rows.length,
  };
}
