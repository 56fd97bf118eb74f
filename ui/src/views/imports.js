// Imports: the DLL -> function tree with suspicious APIs coloured by behaviour, the behaviours
// found, libraries and exports.
import { createImportTree } from '../charts/importTree.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { hex } from '../data/format.js';
import { behaviourGroups, exportRows, filterTree, importTree, libraries } from '../data/imports.js';

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
    const chart = createImportTree(holder);
    chart.update(tree);
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
