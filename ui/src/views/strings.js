// Strings and IOCs: a virtualised, filterable table with the IOC types as toggle chips.
import { h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { hex } from '../data/format.js';
import { filterRows, iocChips, stringRows } from '../data/strings.js';

/** Renders the Strings view of `ctx.sample` into `root`. */
export async function renderStrings(root, ctx) {
  await ctx.withStrings?.();
  const strings = ctx.sample.report.strings ?? {};
  const rows = stringRows(strings);
  const kinds = new Set();
  let iocOnly = false;
  const search = h('input', { type: 'search', class: 'filter', placeholder: 'filter (text or /regex/)', 'aria-label': 'Filter strings', 'data-shortcut': 'search' });
  const iocToggle = h('button', { type: 'button', class: 'chip toggle', 'aria-pressed': 'false' }, 'IOCs only');
  const count = h('span', { class: 'count' });
  const chips = iocChips(strings).map((c) => {
    const chip = h('button', { type: 'button', class: `chip toggle ioc-${c.kind}`, 'aria-pressed': 'false', 'data-kind': c.kind }, `${c.kind} ${c.count}`);
    chip.addEventListener('click', () => {
      if (kinds.has(c.kind)) kinds.delete(c.kind);
      else kinds.add(c.kind);
      chip.setAttribute('aria-pressed', String(kinds.has(c.kind)));
      refresh();
    });
    return chip;
  });
  iocToggle.addEventListener('click', () => {
    iocOnly = !iocOnly;
    iocToggle.setAttribute('aria-pressed', String(iocOnly));
    refresh();
  });
  const none = rows.length ? null : h('p', { class: 'empty-note' }, 'No printable strings of the minimum length were found.');
  const truncated = strings.truncated ? h('p', { class: 'note' }, `Showing the first ${strings.items.length} of ${strings.total} strings (the engine's cap).`) : null;
  const container = panel('Strings and IOCs', h('div', { class: 'toolbar' }, search, iocToggle, chips, count), truncated, none);
  root.append(container);
  const table = createVirtualTable(container, {
    label: 'Strings',
    height: Math.max(300, window.innerHeight - 300),
    columns: [
      { key: 'kind', label: 'Type', width: '110px', render: (r) => h('span', { class: r.ioc ? `chip ioc-${r.kind}` : 'enc' }, r.kind) },
      // The offset opens the bytes there; the marker beside it (drawn by CSS, so copying and the
      // CSV export take the offset alone) shows its place on the file map.
      {
        key: 'offset',
        label: 'Offset',
        width: '130px',
        className: 'num',
        text: (r) => hex(r.offset),
        render: (r) =>
          h(
            'span',
            { class: 'row-links' },
            h('button', { type: 'button', class: 'link', 'data-link': 'hex', title: 'Its bytes in the hex drawer', onclick: () => ctx.openHex(r.offset) }, hex(r.offset)),
            h('button', { type: 'button', class: 'link map-marker', 'data-link': 'map', title: 'Its place on the file map', 'aria-label': `Show ${hex(r.offset)} on the file map`, onclick: () => ctx.navigate('filemap', { offset: r.offset }) }),
          ),
      },
      { key: 'value', label: 'Value', width: '1fr', className: 'value', render: (r) => r.value },
    ],
  });
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 80);
  });
  function refresh() {
    const shown = filterRows(rows, { text: search.value, kinds, iocOnly });
    count.textContent = `${shown.length} of ${rows.length}`;
    table.setRows(shown);
  }
  refresh();
}
