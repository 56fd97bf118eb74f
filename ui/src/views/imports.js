// Imports: the DLL -> function tree with suspicious APIs coloured by behaviour, the behaviours
// found, libraries and exports.
import { createImportTree } from '../charts/importTree.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { hex } from '../data/format.js';
import { behaviourGroups, exportRows, filterTree, importTree, libraries } from '../data/imports.js';
import { callSitesOf, sameApi, splitApi } from '../data/links.js';

/** Renders the Imports of `ctx.sample` into `root`. */
export function renderImports(root, ctx) {
  const { report } = ctx.sample;
  const tree = importTree(report);
  const functionCount = tree.children.reduce((n, d) => n + d.children.length, 0);
  const groups = behaviourGroups(tree);
  root.append(
    panel(
      `Behaviours (${groups.length})`,
      groups.length
        ? h(
            'ul',
            { class: 'behaviours' },
            groups.map((g) => h('li', { class: `sev-${g.severity}` }, h('span', { class: `pill sev-${g.severity}` }, g.severity), h('strong', {}, g.title), g.attackId ? h('span', { class: 'chip attack' }, g.attackId) : null, h('div', { class: 'evidence' }, g.apis.join(', ')))),
          )
        : emptyNote('No imported API is tied to a suspicious behaviour.'),
    ),
  );
  const grid = h('div', { class: 'grid-2 wide-left' });
  root.append(grid);
  const treePanel = panel(`Imports: ${tree.children.length} libraries, ${functionCount} functions`);
  grid.append(treePanel);
  if (!functionCount) {
    treePanel.append(emptyNote('Nothing is imported.'));
  } else {
    const filter = h('input', { type: 'search', placeholder: 'filter DLLs and functions', 'aria-label': 'Filter imports', class: 'filter' });
    const holder = h('div', { class: 'tree-holder' });
    treePanel.append(filter, holder);
    // PE functions are named `dll!function` like the call sites; ELF and Mach-O symbols alone.
    const apiOf = (dll, name) => (report.pe ? `${dll}!${name}` : name);
    const hasCode = (report.code?.api_calls ?? []).length > 0;
    const chart = createImportTree(holder, { onFunction: hasCode ? (dll, name) => ctx.navigate('code', { api: apiOf(dll, name) }) : null });
    chart.update(tree);
    treePanel.insertBefore(h('p', { class: 'note' }, hasCode ? 'Click a function to see where the code calls it.' : 'No disassembly in this report, so no call sites to show.'), holder);
    const wanted = ctx.focus?.api;
    if (wanted) {
      // Opened from an indicator: the import alone, marked, with how often it is called.
      filter.value = splitApi(wanted).name;
      chart.update(filterTree(tree, filter.value), { expandAll: true });
      chart.highlight((dll, name) => sameApi(apiOf(dll, name), wanted))?.scrollIntoView({ block: 'center' });
      const calls = callSitesOf(report, wanted).length;
      treePanel.insertBefore(
        h('p', { class: 'note focus-note', 'data-testid': 'import-focus' }, `${wanted}: `, calls ? h('button', { type: 'button', class: 'link', 'data-link': 'calls', onclick: () => ctx.navigate('code', { api: wanted }) }, `${calls} call site${calls === 1 ? '' : 's'} in the code`) : 'no call site found in the code'),
        holder,
      );
    }
    ctx.registerChart('Imports', chart.node);
    filter.addEventListener('input', () => {
      const text = filter.value;
      chart.update(filterTree(tree, text), { expandAll: text.trim().length > 0 });
    });
  }
  const side = h('div', { class: 'stack' });
  grid.append(side);
  const libs = libraries(report);
  side.append(panel(`Libraries (${libs.length})`, libs.length ? h('ul', { class: 'plain' }, libs.map((l) => h('li', {}, h('code', {}, l)))) : emptyNote('None.')));
  const exports = exportRows(report);
  const exportsPanel = panel(`Exports (${exports.length})`);
  side.append(exportsPanel);
  if (!exports.length) {
    exportsPanel.append(emptyNote('Nothing is exported.'));
  } else {
    const table = createVirtualTable(exportsPanel, {
      label: 'Exports',
      height: Math.min(360, exports.length * 26 + 4),
      columns: [
        { key: 'name', label: 'Name', width: '2fr', render: (r) => h('code', {}, r.name) },
        { key: 'ordinal', label: 'Ordinal', width: '70px', className: 'num' },
        { key: 'address', label: 'RVA / target', width: '1.2fr', render: (r) => r.forwarder ?? hex(r.address) },
      ],
    });
    table.setRows(exports);
  }
}
