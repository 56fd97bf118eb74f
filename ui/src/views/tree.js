// Tree: the submitted container the open sample belongs to and everything found inside it, with how
// each container was opened; clicking a sample opens its report.
import { createContainerTree } from '../charts/containerTree.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { formatBytes, shortHash } from '../data/format.js';
import { TREE_LIMITS, buildTree, flatten, hasTree, loadTree, treeRoot } from '../data/tree.js';

/** Renders the Tree view of `ctx.sample` into `root`. */
export async function renderTree(root, ctx) {
  const { report } = ctx.sample;
  const sha256 = report.hashes.sha256;
  if (!hasTree(report)) {
    root.append(panel('Tree', emptyNote('This file is not a container and was not found inside one. Archives, disk images and installers show what was found inside them here.')));
    return;
  }
  const start = treeRoot(ctx.sample);
  const treePanel = panel(start.sha256 === sha256 ? `${start.name} and what was found inside` : `Where ${ctx.sample.names?.[0] ?? 'this file'} sits in ${start.name}`);
  root.append(treePanel);
  const loaded = await loadTree(ctx.api, start, new Map([[sha256, report]]));
  const tree = buildTree({ root: start, current: sha256, reports: loaded.reports, edges: loaded.edges });
  const open = (hash) => ctx.openSample(hash, { view: 'overview' });
  const holder = h('div', { class: 'container-holder' });
  treePanel.append(holder);
  const chart = createContainerTree(holder, { onOpen: open });
  chart.update(tree);
  ctx.registerChart('Container tree', chart.node);
  const nodes = flatten(tree);
  treePanel.append(h('p', { class: 'muted' }, `${nodes.length - 1} samples inside ${start.name}; click a name to open its report, a dot to fold or unfold it.`));
  if (loaded.truncated) treePanel.append(h('p', { class: 'note' }, `The tree is cut: nothing deeper than ${TREE_LIMITS.maxDepth} levels and at most ${TREE_LIMITS.maxNodes} samples are shown.`));

  const containers = nodes.filter((n) => n.extraction && !n.duplicate);
  if (containers.length) root.append(panel('Extraction', h('div', { class: 'extractions' }, containers.map((n) => extractionCard(n)))));
  const children = nodes.find((n) => n.current && n.children.length)?.children ?? [];
  if (children.length) root.append(panel(`Children of this file (${children.length})`, childTable(children, open)));
}

function extractionCard(node) {
  const x = node.extraction;
  const list = (title, items) => (items.length ? h('div', {}, h('strong', {}, title), h('ul', {}, items.map((i) => h('li', {}, i)))) : null);
  return h(
    'div',
    { class: `extraction-card status-${x.status}`, 'data-sha256': node.sha256 },
    h('div', { class: 'extraction-head' }, h('strong', {}, node.name), ' ', h('span', { class: `pill status-${x.status}` }, x.status.replace('_', ' ')), x.format ? h('span', { class: 'muted' }, ` ${x.format}`) : null),
    x.password ? h('div', {}, 'opened with the password ', h('code', {}, x.password)) : null,
    x.message ? h('div', { class: 'muted' }, x.message) : null,
    list('Limits hit', x.limits),
    list('Skipped', x.skipped),
    list('Listed, not extracted', x.listed),
  );
}

function childTable(children, open) {
  return h(
    'table',
    { class: 'hits children' },
    h('thead', {}, h('tr', {}, ['Name', 'Format', 'Size', 'Verdict', 'SHA-256', ''].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      children.map((c) => {
        const openable = c.stored;
        return h(
          'tr',
          { tabindex: openable ? 0 : -1, class: openable ? 'clickable' : 'missing', onclick: () => openable && open(c.sha256), onkeydown: (e) => openable && e.key === 'Enter' && open(c.sha256) },
          h('td', {}, c.name),
          h('td', {}, c.format || '—'),
          h('td', { class: 'num' }, formatBytes(c.size)),
          h('td', {}, h('span', { class: `pill verdict-${c.verdict ?? 'none'}` }, c.verdict ?? '—')),
          h('td', {}, h('code', {}, shortHash(c.sha256, 16))),
          h('td', {}, [c.duplicate ? 'duplicate' : null, c.missing ? 'no report' : null].filter(Boolean).join(' · ')),
        );
      }),
    ),
  );
}
