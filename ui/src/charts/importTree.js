// Imports as a collapsible indented tree: DLLs, then their functions; functions with a known
// behaviour are coloured by severity. DLLs holding suspicious functions start open.
import * as d3 from 'd3';

const ROW = 22;

/**
 * Creates the tree; `update(tree)` takes `importTree()` output (optionally filtered).
 * `onFunction(dll, name)` fires when a function is clicked or Enter is pressed on it.
 */
export function createImportTree(container, { width = 640, onFunction = null } = {}) {
  const svg = d3.select(container).append('svg').attr('class', 'chart import-tree').attr('role', 'tree');
  const plot = svg.append('g').attr('transform', 'translate(8,8)');
  let root = null;

  function update(tree, { expandAll = false } = {}) {
    root = d3.hierarchy(tree, (d) => d.children);
    for (const dll of root.children ?? []) {
      const suspicious = (dll.children ?? []).some((f) => f.data.behaviour);
      if (!expandAll && !suspicious) {
        dll._children = dll.children;
        dll.children = null;
      }
    }
    draw();
  }

  function draw() {
    const nodes = [];
    root.eachBefore((n) => {
      if (n.depth > 0) nodes.push(n);
    });
    // Drawn at the container's pixel width, never scaled, so the text stays readable.
    const w = Math.max(320, (container.clientWidth || width) - 4);
    const h = Math.max(1, nodes.length) * ROW + 16;
    svg.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    const rows = plot
      .selectAll('g.node')
      .data(nodes, (n) => (n.depth === 1 ? `dll:${n.data.name}:${n.data.delay}` : `fn:${n.parent.data.name}:${n.data.name}`))
      .join((enter) => {
        const g = enter.append('g').attr('role', 'treeitem').attr('tabindex', (n) => (n.depth === 1 || onFunction ? 0 : -1));
        g.append('circle').attr('r', 4);
        g.append('text').attr('class', 'label').attr('dy', '0.35em').attr('x', 10);
        g.append('text').attr('class', 'badge').attr('dy', '0.35em');
        g.append('title');
        g.on('click', (_, n) => activate(n)).on('keydown', (event, n) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            activate(n);
          }
        });
        return g;
      });
    rows
      .attr('transform', (n, i) => `translate(${(n.depth - 1) * 20},${i * ROW + ROW / 2})`)
      .attr('class', (n) => `node depth-${n.depth}${n.data.behaviour ? ` sev-${n.data.behaviour.severity}` : ''}${n.data.delay ? ' delay' : ''}`)
      .attr('aria-expanded', (n) => (n.depth === 1 ? String(Boolean(n.children)) : null));
    rows.select('circle').attr('class', (n) => (n._children ? 'collapsed' : ''));
    rows.select('.label').text((n) => (n.depth === 1 ? `${n.data.name}${n.data.delay ? ' (delay-loaded)' : ''}` : n.data.name));
    rows
      .select('.badge')
      .attr('x', (n) => 16 + n.data.name.length * 7.4 + (n.data.delay ? 100 : 0))
      // The severity in words, besides the label's colour.
      .text((n) => (n.depth === 1 ? `${(n.children ?? n._children ?? []).length}` : n.data.behaviour ? `${n.data.behaviour.severity} · ${n.data.behaviour.title}${n.data.behaviour.attackId ? ` · ${n.data.behaviour.attackId}` : ''}` : ''));
    rows.select('title').text((n) => (n.data.behaviour ? `${n.data.name}: ${n.data.behaviour.title}` : n.data.name));
  }

  function activate(n) {
    if (n.depth === 2 && onFunction) onFunction(n.parent.data.name, n.data.name);
    else toggle(n);
  }

  /** Marks the functions `match(dll, name)` accepts; returns the first one's element (or null). */
  function highlight(match) {
    const rows = plot.selectAll('g.node').classed('focused', (n) => n.depth === 2 && match(n.parent.data.name, n.data.name));
    return rows.filter('.focused').node();
  }

  function toggle(n) {
    if (n.depth !== 1) return;
    if (n.children) {
      n._children = n.children;
      n.children = null;
    } else {
      n.children = n._children;
      n._children = null;
    }
    draw();
  }
  return { update, highlight, node: svg.node() };
}
