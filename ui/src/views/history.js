// History: every stored sample, searchable and filterable, in a virtualised list; samples
// selected with their checkboxes are exported together into an encrypted ZIP.
import { emptyNote, h, panel } from '../components/dom.js';
import { exchangeExportButtons } from '../components/exchangeExport.js';
import { sampleExportButton } from '../components/sampleExport.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { formatBytes, formatDate, shortHash } from '../data/format.js';
import { facets, searchRows } from '../data/history.js';

/** Rows fetched per call; pages are fetched until the store runs out or `MAX_ROWS` is reached. */
const PAGE = 1000;
const MAX_ROWS = 50_000;

/** Renders the History view into `root`. */
export async function renderHistory(root, ctx) {
  const search = h('input', { type: 'search', class: 'filter', placeholder: 'search name, hash prefix, type, tag', 'aria-label': 'Search history', 'data-shortcut': 'search' });
  const verdict = h('select', { 'aria-label': 'Verdict' }, h('option', { value: '' }, 'any verdict'));
  const format = h('select', { 'aria-label': 'Format' }, h('option', { value: '' }, 'any format'));
  const tag = h('select', { 'aria-label': 'Tag' }, h('option', { value: '' }, 'any tag'));
  const count = h('span', { class: 'count' });
  // Kept across searches and filters: the count says how many are selected in all.
  const selected = new Set();
  const selectShown = h('input', { type: 'checkbox', class: 'select-shown', 'aria-label': 'Select every shown sample', title: 'Select every shown sample' });
  const selectedCount = h('span', { class: 'selected-count' });
  const clearSelection = h('button', { type: 'button', class: 'small' }, 'Clear selection');
  const exporter = sampleExportButton(ctx, { label: 'Export samples (encrypted ZIP)', sha256s: () => [...selected] });
  const exchange = exchangeExportButtons(ctx, { sha256s: () => [...selected] });
  const container = panel(
    'History',
    h('div', { class: 'toolbar' }, search, verdict, format, tag, count),
    h('div', { class: 'toolbar selection-bar' }, selectedCount, clearSelection, exporter.node, exchange.node),
  );
  root.append(container);
  const select = (sha256, on) => (on ? selected.add(sha256) : selected.delete(sha256));
  const table = createVirtualTable(container, {
    label: 'Stored samples',
    height: Math.max(320, window.innerHeight - 250),
    onActivate: (row) => ctx.openSample(row.sha256),
    columns: [
      {
        key: 'select',
        label: selectShown,
        width: '28px',
        render: (r) =>
          h('input', {
            type: 'checkbox',
            class: 'select',
            checked: selected.has(r.sha256),
            'aria-label': `Select ${r.name || r.sha256}`,
            dataset: { sha256: r.sha256 },
            onchange: (event) => (select(r.sha256, event.target.checked), syncSelection()),
          }),
      },
      { key: 'name', label: 'Name', width: '2fr', render: (r) => [r.name || '—', r.children ? h('span', { class: 'chip inside', title: `a container: ${r.children} entries found inside` }, `${r.children} inside`) : null] },
      { key: 'verdict', label: 'Verdict', width: '100px', render: (r) => h('span', { class: `pill verdict-${r.verdict ?? 'none'}` }, r.verdict ?? '—') },
      { key: 'format', label: 'Format', width: '70px' },
      { key: 'size', label: 'Size', width: '90px', className: 'num', render: (r) => formatBytes(r.size) },
      { key: 'tags', label: 'Tags', width: '1fr', render: (r) => (r.tags ?? []).map((t) => h('span', { class: 'chip tag' }, t)) },
      { key: 'sha256', label: 'SHA-256', width: '150px', render: (r) => h('code', {}, shortHash(r.sha256, 16)) },
      { key: 'analysed_at', label: 'Analysed', width: '140px', render: (r) => formatDate(r.analysed_at) },
    ],
  });
  let rows = [];
  let shown = [];
  let facetsFilled = false;
  function syncSelection() {
    selectedCount.textContent = `${selected.size} selected`;
    clearSelection.disabled = selected.size === 0;
    selectShown.checked = shown.length > 0 && shown.every((r) => selected.has(r.sha256));
    exporter.update();
    exchange.update();
  }
  selectShown.addEventListener('change', () => {
    for (const r of shown) select(r.sha256, selectShown.checked);
    table.setRows(shown);
    syncSelection();
  });
  clearSelection.addEventListener('click', () => {
    selected.clear();
    table.setRows(shown);
    syncSelection();
  });
  const fill = (select, values) => {
    for (const v of values) select.append(h('option', { value: v.value }, `${v.value} (${v.count})`));
  };
  async function load() {
    const query = { verdict: verdict.value || null, format: format.value || null, tag: tag.value || null, limit: PAGE, offset: 0 };
    rows = [];
    try {
      for (;;) {
        const page = await ctx.api.listSamples(query);
        rows = rows.concat(page);
        show();
        if (page.length < PAGE || rows.length >= MAX_ROWS) break;
        query.offset += PAGE;
      }
    } catch (error) {
      count.textContent = `cannot read the store: ${error.message}`;
      return;
    }
    if (!facetsFilled) {
      const f = facets(rows);
      fill(verdict, f.verdicts);
      fill(format, f.formats);
      fill(tag, f.tags);
      facetsFilled = true;
    }
    if (!rows.length) container.append(emptyNote('Nothing stored yet. Drop files on the window to analyse them; each report is kept here.'));
  }
  function show() {
    shown = searchRows(rows, search.value);
    count.textContent = `${shown.length} of ${rows.length}`;
    table.setRows(shown);
    syncSelection();
  }
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 60);
  });
  for (const select of [verdict, format, tag]) select.addEventListener('change', load);
  await load();
}
