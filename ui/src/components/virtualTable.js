// A table that renders only the rows in view, so 20,000 strings or 10,000 samples scroll smoothly.
import { visibleWindow } from '../data/strings.js';
import { h } from './dom.js';

/**
 * `columns`: `[{key, label (string|Node), width, render?(row) -> string|Node, className?}]`.
 * `onActivate(row)` fires on click (not on a button or input in the row) or Enter. Arrow keys move
 * the focused row.
 */
export function createVirtualTable(container, { columns, rowHeight = 26, height = 480, onActivate = null, label = 'table' }) {
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  const header = h('div', { class: 'vt-header', role: 'row', style: null }, columns.map((c) => h('div', { role: 'columnheader' }, c.label)));
  header.style.gridTemplateColumns = template;
  const viewport = h('div', { class: 'vt-viewport', tabindex: 0, role: 'grid', 'aria-label': label });
  viewport.style.height = `${height}px`;
  const spacer = h('div', { class: 'vt-spacer' });
  const body = h('div', { class: 'vt-body' });
  spacer.append(body);
  viewport.append(spacer);
  container.append(h('div', { class: 'vt' }, header, viewport));
  let rows = [];
  let focused = -1;

  function render() {
    const win = visibleWindow(rows.length, viewport.scrollTop, viewport.clientHeight || height, rowHeight);
    spacer.style.height = `${win.totalHeight}px`;
    body.style.transform = `translateY(${win.offsetY}px)`;
    const fragment = document.createDocumentFragment();
    for (let i = win.first; i < win.last; i += 1) {
      const row = rows[i];
      const el = h(
        'div',
        { class: `vt-row${i === focused ? ' focused' : ''}${row.className ? ` ${row.className}` : ''}`, role: 'row', dataset: { index: i } },
        columns.map((c) => h('div', { class: c.className ?? null, role: 'gridcell' }, c.render ? c.render(row) : String(row[c.key] ?? ''))),
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
