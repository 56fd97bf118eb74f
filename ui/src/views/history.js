// History: every stored sample, searchable and filterable, in a virtualised list.
import { emptyNote, h, panel } from '../components/dom.js';
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
  const container = panel('History', h('div', { class: 'toolbar' }, search, verdict, format, tag, count));
  root.append(container);
  const table = createVirtualTable(container, {
    label: 'Stored samples',
    height: Math.max(320, window.innerHeight - 220),
    onActivate: (row) => ctx.openSample(row.sha256),
    columns: [
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
  let facetsFilled = false;
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
    const shown = searchRows(rows, search.value);
    count.textContent = `${shown.length} of ${rows.length}`;
    table.setRows(shown);
  }
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 60);
  });
  for (const select of [verdict, format, tag]) select.addEventListener('change', load);
  await load();
}
