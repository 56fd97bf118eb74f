// Code: facts from disassembly, the entry-point listing and the discovered functions.
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { codeFacts, functionRows, listingRows, patternCounts } from '../data/code.js';
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
}
