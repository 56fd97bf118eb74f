// Code: facts from disassembly, the entry-point listing, the discovered functions and the API
// call sites. A function leads to its call sites and its bytes; a call site to its bytes.
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { callSiteRows, codeFacts, functionRows, listingRows, patternCounts } from '../data/code.js';
import { fileOffsetOf } from '../data/addresses.js';
import { formatBytes, hex } from '../data/format.js';

/** Renders the Code view of `ctx.sample` into `root`. */
export function renderCode(root, ctx) {
  const code = ctx.sample.report.code;
  if (!code) {
    root.append(panel('Code', emptyNote('No disassembly: the file is not x86/x64 code, or disassembly was turned off in Settings.')));
    return;
  }
  root.append(
    h('div', { class: 'facts' }, codeFacts(code).map((f) => h('div', { class: 'fact' }, h('span', { class: 'fact-label' }, f.label), h('span', { class: 'fact-value' }, f.value)))),
  );
  const patterns = patternCounts(code);
  if (patterns.length) root.append(panel('Instruction patterns', h('div', { class: 'chips' }, patterns.map((p) => h('span', { class: 'chip' }, `${p.name} ×${p.count}`)))));
  const grid = h('div', { class: 'stack' });
  root.append(grid);
  const listing = listingRows(code);
  const listingPanel = panel(`Entry point ${code.entry_point === undefined || code.entry_point === null ? '' : hex(code.entry_point)}`);
  grid.append(listingPanel);
  if (listing.length) {
    listingPanel.append(
      h(
        'table',
        { class: 'listing' },
        listing.map((i) => h('tr', { class: i.flow ? `flow-${i.flow}` : null }, h('td', { class: 'num' }, hex(i.address)), h('td', { class: 'bytes', title: i.bytes }, i.bytes.length > 24 ? `${i.bytes.slice(0, 22)}…` : i.bytes), h('td', {}, h('code', {}, i.text), i.api ? h('span', { class: 'api-note' }, ` ; ${i.api}`) : null))),
      ),
    );
  } else {
    listingPanel.append(emptyNote('No listing from the entry point in this report.'));
  }
  const functionsPanel = panel(`Functions (${(code.functions ?? []).length} listed, ${code.function_count ?? 0} found)`);
  grid.append(functionsPanel);
  const sort = h('select', { 'aria-label': 'Sort functions' }, h('option', { value: 'address' }, 'by address'), h('option', { value: 'size' }, 'by size'), h('option', { value: 'instruction_count' }, 'by instructions'));
  functionsPanel.append(h('div', { class: 'toolbar' }, sort));
  const table = createVirtualTable(functionsPanel, {
    label: 'Functions',
    // A click or Enter shows the function's call sites; its bytes are a button away (a click
    // that opened the drawer would take the keyboard from the table).
    onActivate: (row) => showFunction(row.address),
    height: 420,
    columns: [
      { key: 'address', label: 'Address', width: '120px', className: 'num', render: (r) => hex(r.address) },
      { key: 'size', label: 'Size', width: '80px', className: 'num', render: (r) => formatBytes(r.size) },
      { key: 'instructionCount', label: 'Instr.', width: '70px', className: 'num' },
      { key: 'apiCalls', label: 'API calls', width: '80px', className: 'num' },
      { key: 'foundBy', label: 'Found by', width: '1fr', render: (r) => `${r.foundBy}${r.cut ? ' (cut)' : ''}` },
    ],
  });
  const refresh = () => table.setRows(functionRows(code, sort.value));
  sort.addEventListener('change', refresh);
  refresh();

  const report = ctx.sample.report;
  const bytesAt = (address) => {
    const offset = fileOffsetOf(report, address);
    return offset === null ? null : () => ctx.openHex(offset);
  };
  const sitesPanel = panel(`API call sites (${(code.api_calls ?? []).length})`);
  grid.append(sitesPanel);
  const scope = h('div', { class: 'toolbar', 'data-testid': 'call-site-scope' });
  sitesPanel.append(scope);
  const sites = createVirtualTable(sitesPanel, {
    label: 'API call sites',
    height: 320,
    columns: [
      // The address opens the call's bytes (when the loaded sections map it to the file).
      { key: 'address', label: 'Address', width: '130px', className: 'num', text: (r) => hex(r.address), render: (r) => (bytesAt(r.address) ? h('button', { type: 'button', class: 'link', 'data-link': 'hex', title: 'Its bytes in the hex drawer', onclick: bytesAt(r.address) }, hex(r.address)) : hex(r.address)) },
      { key: 'api', label: 'API', width: '2fr', render: (r) => h('code', {}, r.api) },
      { key: 'kind', label: 'Kind', width: '70px' },
      { key: 'function', label: 'In function', width: '130px', className: 'num', render: (r) => h('button', { type: 'button', class: 'link', 'data-link': 'function', onclick: () => showFunction(r.function) }, hex(r.function)) },
    ],
  });
  /** Shows the call sites of `filter` (`{api}`, `{fn}` or none), marking the one at `mark`. */
  function showSites(filter = {}, mark = null) {
    const rows = callSiteRows(code, filter);
    sites.setRows(rows);
    const what = filter.api ? `calls of ${filter.api}` : filter.fn !== undefined ? `calls from the function at ${hex(filter.fn)}` : 'call sites';
    const bytes = filter.fn !== undefined ? bytesAt(filter.fn) : null;
    scope.replaceChildren(
      h('span', { class: 'count', 'data-testid': 'call-site-count' }, `${rows.length} ${what}`),
      bytes ? h('button', { type: 'button', class: 'link', 'data-link': 'function-bytes', onclick: bytes }, 'show its code bytes') : null,
      filter.api || filter.fn !== undefined ? h('button', { type: 'button', class: 'small', onclick: () => showSites() }, 'Show all') : null,
    );
    const index = mark === null ? -1 : rows.findIndex((r) => r.address === mark);
    if (index >= 0) sites.scrollToIndex(index);
  }
  /** A function's code: its row, its call sites, and a button to its bytes. */
  function showFunction(address) {
    const index = table.count() ? functionRows(code, sort.value).findIndex((f) => f.address === address) : -1;
    if (index >= 0) table.scrollToIndex(index);
    showSites({ fn: address });
  }
  const focus = ctx.focus ?? {};
  if (focus.function !== undefined) showFunction(focus.function);
  else if (focus.api) showSites({ api: focus.api }, focus.callSite ?? null);
  else showSites();
  if (focus.api || focus.function !== undefined) sitesPanel.scrollIntoView({ block: 'start' });
}
