// History: every stored sample, sorted and filtered by the case store (its indexes keep this fast
// with 100,000 samples), looked up by any hash or imphash, with a quick search over the loaded
// rows, the reviewed mark, tags added to or removed from the checked rows, and the checked samples
// exported into an encrypted ZIP. Filters, order, search, selection and scroll are kept while a
// sample is opened and until History is shown again.
import { emptyNote, h, panel } from '../components/dom.js';
import { exchangeExportButtons } from '../components/exchangeExport.js';
import { sampleExportButton } from '../components/sampleExport.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { formatBytes, formatDate, shortHash } from '../data/format.js';
import { facets, historyQuery, parseTags, searchRows, SORTABLE } from '../data/history.js';
import { verdictText } from '../data/triage.js';

/** Rows fetched per call; pages are fetched until the store runs out or `MAX_ROWS` is reached. */
const PAGE = 1000;
const MAX_ROWS = 50_000;
const ROW_HEIGHT = 26;

/** What the analyst set, kept across visits (the page lives as long as the app). */
const kept = { verdict: '', format: '', tag: '', reviewed: '', hash: '', search: '', sort: 'date', ascending: false, scrollTop: 0, selected: new Set(), facets: null };

/** Renders the History view into `root`. */
export async function renderHistory(root, ctx) {
  const search = h('input', { type: 'search', class: 'filter', placeholder: 'search name, hash prefix, type, tag', 'aria-label': 'Search history', 'data-shortcut': 'search', value: kept.search });
  const lookup = h('input', { type: 'search', class: 'hash-lookup', placeholder: 'MD5, SHA-1, SHA-256 or imphash', 'aria-label': 'Look up a hash', spellcheck: false, value: kept.hash });
  const verdict = h('select', { 'aria-label': 'Verdict' }, h('option', { value: '' }, 'any verdict'));
  const format = h('select', { 'aria-label': 'Format' }, h('option', { value: '' }, 'any format'));
  const tag = h('select', { 'aria-label': 'Tag' }, h('option', { value: '' }, 'any tag'));
  const reviewed = h('select', { 'aria-label': 'Reviewed' }, h('option', { value: '' }, 'reviewed or not'), h('option', { value: 'no' }, 'not reviewed'), h('option', { value: 'yes' }, 'reviewed'));
  const count = h('span', { class: 'count' });
  // Kept across searches, filters and visits: the count says how many are selected in all.
  const selected = kept.selected;
  const selectShown = h('input', { type: 'checkbox', class: 'select-shown', 'aria-label': 'Select every shown sample', title: 'Select every shown sample' });
  const selectedCount = h('span', { class: 'selected-count' });
  const clearSelection = h('button', { type: 'button', class: 'small' }, 'Clear selection');
  const tagInput = h('input', { type: 'text', class: 'bulk-tags', placeholder: 'tags for the checked rows', 'aria-label': 'Tags for the checked samples' });
  const addTags = h('button', { type: 'button', class: 'small', 'data-testid': 'bulk-add-tags' }, 'Add tags');
  const removeTags = h('button', { type: 'button', class: 'small', 'data-testid': 'bulk-remove-tags' }, 'Remove tags');
  const bulkStatus = h('span', { class: 'bulk-status' });
  const exporter = sampleExportButton(ctx, { label: 'Export samples (encrypted ZIP)', sha256s: () => [...selected] });
  const exchange = exchangeExportButtons(ctx, { sha256s: () => [...selected] });
  const container = panel(
    'History',
    h('div', { class: 'toolbar' }, search, lookup, verdict, format, tag, reviewed, count),
    h('div', { class: 'toolbar selection-bar' }, selectedCount, clearSelection, tagInput, addTags, removeTags, bulkStatus, exporter.node, exchange.node),
  );
  root.append(container);
  const select = (sha256, on) => (on ? selected.add(sha256) : selected.delete(sha256));
  // A column header sorts by its column (again: the other way round), through the store.
  const sortHeader = (key, label) =>
    h('button', { type: 'button', class: 'sort', 'data-sort': key, title: `Sort by ${label.toLowerCase()}`, onclick: () => sortBy(key) }, label, kept.sort === key ? (kept.ascending ? ' ▲' : ' ▼') : '');
  // The order is told on the column header (`aria-sort` belongs to it, not to its button).
  const markSortedColumn = () => {
    for (const button of container.querySelectorAll('button.sort')) {
      const on = button.dataset.sort === kept.sort;
      button.closest('[role="columnheader"]')?.setAttribute('aria-sort', on ? (kept.ascending ? 'ascending' : 'descending') : 'none');
      button.lastChild.textContent = on ? (kept.ascending ? ' ▲' : ' ▼') : '';
    }
  };
  const table = createVirtualTable(container, {
    label: 'Stored samples',
    height: Math.max(320, window.innerHeight - 280),
    rowHeight: ROW_HEIGHT,
    onActivate: (row) => ctx.openFromList(row.sha256, shown.map((r) => r.sha256)),
    columns: [
      {
        key: 'select',
        name: 'Selected',
        label: selectShown,
        text: (r) => (selected.has(r.sha256) ? 'yes' : ''),
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
      { key: 'name', name: 'Name', label: sortHeader('name', 'Name'), width: 'minmax(140px, 2fr)', text: (r) => r.name ?? '', render: (r) => [r.name || '—', r.children ? h('span', { class: 'chip inside', title: `a container: ${r.children} entries found inside` }, `${r.children} inside`) : null] },
      { key: 'verdict', name: 'Verdict', label: sortHeader('verdict', 'Verdict'), width: '92px', text: (r) => r.verdict ?? '', render: (r) => h('span', { class: `pill verdict-${r.verdict ?? 'none'}` }, verdictText(r.verdict)) },
      { key: 'score', name: 'Score', label: sortHeader('score', 'Score'), width: '60px', className: 'num', text: (r) => (Number.isFinite(r.score) ? r.score.toFixed(3) : ''), render: (r) => (Number.isFinite(r.score) ? r.score.toFixed(3) : '—') },
      { key: 'reviewed', name: 'Reviewed', label: h('span', { title: 'Reviewed', 'aria-label': 'Reviewed' }, '✓'), width: '24px', text: (r) => (r.reviewed_at ? formatDate(r.reviewed_at) : ''), render: (r) => (r.reviewed_at ? h('span', { class: 'pill reviewed on', title: `reviewed ${formatDate(r.reviewed_at)}` }, '✓') : '') },
      { key: 'format', name: 'Format', label: sortHeader('format', 'Format'), width: '64px', text: (r) => r.format ?? '' },
      { key: 'size', name: 'Size', label: sortHeader('size', 'Size'), width: '76px', className: 'num', text: (r) => String(r.size ?? ''), render: (r) => formatBytes(r.size) },
      { key: 'tags', label: 'Tags', width: 'minmax(60px, 1fr)', text: (r) => (r.tags ?? []).join(' '), render: (r) => (r.tags ?? []).map((t) => h('span', { class: 'chip tag' }, t)) },
      { key: 'sha256', label: 'SHA-256', width: '110px', text: (r) => r.sha256, render: (r) => h('code', {}, shortHash(r.sha256, 12)) },
      { key: 'analysed_at', name: 'Analysed', label: sortHeader('date', 'Analysed'), width: '120px', text: (r) => formatDate(r.analysed_at), render: (r) => formatDate(r.analysed_at) },
    ],
  });
  markSortedColumn();
  const viewport = container.querySelector('.vt-viewport');
  viewport.addEventListener('scroll', () => (kept.scrollTop = viewport.scrollTop), { passive: true });
  let rows = [];
  let shown = [];
  let loadToken = 0;
  function syncSelection() {
    selectedCount.textContent = `${selected.size} selected`;
    clearSelection.disabled = selected.size === 0;
    addTags.disabled = removeTags.disabled = selected.size === 0;
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
  async function bulkTags(add) {
    const tags = parseTags(tagInput.value);
    if (!tags.length || !selected.size) {
      bulkStatus.textContent = selected.size ? 'Type the tags first.' : 'Check some rows first.';
      bulkStatus.className = 'bulk-status error';
      return;
    }
    const change = { add_tags: add ? tags : [], remove_tags: add ? [] : tags, note: null };
    try {
      await ctx.api.updateSamples([...selected], change);
      bulkStatus.textContent = `${add ? 'Tagged' : 'Untagged'} ${selected.size} sample${selected.size === 1 ? '' : 's'}: ${tags.join(', ')}`;
      bulkStatus.className = 'bulk-status ok';
      kept.facets = null;
      await load({ keepScroll: true });
    } catch (error) {
      bulkStatus.textContent = `Nothing was changed: ${error.message}`;
      bulkStatus.className = 'bulk-status error';
    }
  }
  addTags.addEventListener('click', () => bulkTags(true));
  removeTags.addEventListener('click', () => bulkTags(false));
  const fill = (menu, values, current) => {
    menu.replaceChildren(menu.firstChild);
    for (const v of values) menu.append(h('option', { value: v.value }, `${v.value} (${v.count})`));
    // A kept choice stays selectable even when the loaded rows no longer count it.
    if (current && !values.some((v) => v.value === current)) menu.append(h('option', { value: current }, current));
    menu.value = current;
  };
  const fillFacets = () => {
    if (!kept.facets) return;
    fill(verdict, kept.facets.verdicts, kept.verdict);
    fill(format, kept.facets.formats, kept.format);
    fill(tag, kept.facets.tags, kept.tag);
  };
  reviewed.value = kept.reviewed;
  fillFacets();
  function sortBy(key) {
    if (!SORTABLE.includes(key)) return;
    kept.ascending = kept.sort === key ? !kept.ascending : key === 'name' || key === 'format';
    kept.sort = key;
    markSortedColumn();
    load({ keepScroll: false });
  }
  async function load({ keepScroll }) {
    const token = ++loadToken;
    const query = historyQuery(kept, PAGE);
    let loaded = [];
    try {
      for (;;) {
        const page = await ctx.api.listSamples(query);
        if (token !== loadToken) return;
        loaded = loaded.concat(page);
        rows = loaded;
        show();
        if (loaded.length === page.length && keepScroll) viewport.scrollTop = kept.scrollTop;
        if (page.length < PAGE || loaded.length >= MAX_ROWS) break;
        query.offset += PAGE;
      }
    } catch (error) {
      if (token !== loadToken) return;
      rows = [];
      show();
      count.textContent = error.code === 'invalid' ? error.message : `cannot read the store: ${error.message}`;
      return;
    }
    if (keepScroll) viewport.scrollTop = kept.scrollTop;
    if (!kept.facets && !kept.verdict && !kept.format && !kept.tag && !kept.reviewed && !kept.hash) {
      kept.facets = facets(rows);
      fillFacets();
    }
    container.querySelector('.empty-note')?.remove();
    if (!rows.length && !kept.hash && !kept.verdict && !kept.format && !kept.tag && !kept.reviewed) {
      container.append(emptyNote('Nothing stored yet. Drop files on the window to analyse them; each report is kept here.'));
    }
  }
  function show() {
    shown = searchRows(rows, search.value);
    count.textContent = `${shown.length} of ${rows.length}`;
    table.setRows(shown);
    syncSelection();
  }
  let timer = null;
  search.addEventListener('input', () => {
    kept.search = search.value;
    clearTimeout(timer);
    timer = setTimeout(show, 60);
  });
  let lookupTimer = null;
  lookup.addEventListener('input', () => {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(() => {
      kept.hash = lookup.value.trim();
      load({ keepScroll: false });
    }, 200);
  });
  for (const [menu, key] of [[verdict, 'verdict'], [format, 'format'], [tag, 'tag'], [reviewed, 'reviewed']]) {
    menu.addEventListener('change', () => {
      kept[key] = menu.value;
      load({ keepScroll: false });
    });
  }
  await load({ keepScroll: true });
}
