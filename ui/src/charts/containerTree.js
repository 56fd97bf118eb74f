// A container and what was found inside it, as a left-to-right tree: each sample with its format,
// size and verdict (coloured like elsewhere), duplicates dashed, samples without a report of their
// own greyed. Clicking a name (or Enter) opens that sample; clicking a container's dot (or Space,
// the arrow keys) folds and unfolds it.
import * as d3 from 'd3';
import { formatBytes } from '../data/format.js';

const ROW = 40;
const COLUMN = 230;
const NAME_CHARS = 30;
/** Above this many samples, only the way to the open sample and the first level start unfolded. */
const OPEN_ALL_UP_TO = 150;

/** Creates the tree; `update(tree)` takes `buildTree()` output; `onOpen(sha256)` opens a sample. */
export function createContainerTree(container, { onOpen = () => {} } = {}) {
  const svg = d3.select(container).append('svg').attr('class', 'chart container-tree').attr('role', 'tree');
  const plot = svg.append('g');
  const linkLayer = plot.append('g').attr('class', 'links');
  const nodeLayer = plot.append('g').attr('class', 'nodes');
  let root = null;

  function update(tree) {
    root = d3.hierarchy(tree, (d) => d.children);
    const foldRest = root.descendants().length > OPEN_ALL_UP_TO;
    root.eachAfter((n) => {
      if (n.children && foldRest && n.depth >= 1 && !n.data.onPath) fold(n);
    });
    svg.attr('aria-label', `${root.data.name}: ${root.descendants().length - 1} samples inside`);
    draw();
  }

  function draw() {
    d3.tree().nodeSize([ROW, COLUMN]).separation(() => 1)(root);
    const nodes = root.descendants();
    const [top, bottom] = d3.extent(nodes, (n) => n.x);
    const depth = d3.max(nodes, (n) => n.depth);
    const width = (depth + 1) * COLUMN + 40;
    const height = bottom - top + ROW + 16;
    svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    plot.attr('transform', `translate(12,${-top + ROW / 2 + 4})`);
    const link = d3
      .linkHorizontal()
      .x((p) => p.y)
      .y((p) => p.x);
    linkLayer
      .selectAll('path')
      .data(root.links(), (l) => key(l.target))
      .join('path')
      .attr('class', (l) => (l.target.data.duplicate ? 'duplicate' : null))
      .attr('d', link);
    const rows = nodeLayer
      .selectAll('g.node')
      .data(nodes, key)
      .join((enter) => {
        const g = enter.append('g').attr('role', 'treeitem').attr('tabindex', 0);
        g.append('circle').attr('r', 6).on('click', (event, n) => (event.stopPropagation(), toggle(n)));
        const name = g.append('text').attr('class', 'name').attr('x', 11).attr('dy', '-0.15em');
        name.append('tspan').attr('class', 'label');
        name.append('tspan').attr('class', 'mark').attr('dx', 6);
        const facts = g.append('text').attr('class', 'facts').attr('x', 11).attr('dy', '1.05em');
        facts.append('tspan').attr('class', 'meta');
        facts.append('tspan').attr('class', 'verdict').attr('dx', 6);
        g.append('title');
        g.on('click', (_, n) => open(n)).on('keydown', (event, n) => keydown(event, n));
        return g;
      });
    rows
      .attr('transform', (n) => `translate(${n.y},${n.x})`)
      .attr('class', (n) => nodeClass(n))
      .attr('data-sha256', (n) => n.data.sha256)
      .attr('aria-level', (n) => n.depth + 1)
      .attr('aria-current', (n) => (n.data.current ? 'true' : null))
      .attr('aria-expanded', (n) => (n.children ? 'true' : n._children ? 'false' : null));
    rows.select('circle').attr('class', (n) => (n._children ? 'folded' : null));
    rows.select('.label').text((n) => truncate(n.data.name, NAME_CHARS));
    rows.select('.mark').text((n) => marks(n.data).join(' · '));
    rows.select('.meta').text((n) => [n.data.format || 'unknown', formatBytes(n.data.size)].join(' · '));
    rows
      .select('.verdict')
      .attr('class', (n) => `verdict verdict-${n.data.verdict ?? 'none'}`)
      .text((n) => n.data.verdict ?? '');
    rows.select('title').text((n) => describe(n));
  }

  function open(n) {
    if (n.data.stored && !n.data.current) onOpen(n.data.sha256);
  }

  function toggle(n) {
    if (n.children) fold(n);
    else if (n._children) unfold(n);
    else return;
    draw();
  }

  function keydown(event, n) {
    if (event.key === 'Enter') open(n);
    else if (event.key === ' ' || (event.key === 'ArrowRight' && n._children) || (event.key === 'ArrowLeft' && n.children)) toggle(n);
    else return;
    event.preventDefault();
  }

  return { update, node: svg.node() };
}

function fold(n) {
  n._children = n.children;
  n.children = null;
}

function unfold(n) {
  n.children = n._children;
  n._children = null;
}

/** A node's identity across redraws: the way to it from the root, by child index. */
function key(n) {
  const steps = [];
  for (let p = n; p.parent; p = p.parent) steps.push((p.parent.children ?? p.parent._children).indexOf(p));
  return steps.reverse().join('/');
}

function nodeClass(n) {
  const d = n.data;
  const flags = [d.duplicate && 'duplicate', d.missing && 'missing', d.current && 'current', d.onPath && 'on-path', d.stored && !d.current && 'openable', d.extraction && `extraction-${d.extraction.status}`];
  return ['node', `depth-${n.depth}`, `verdict-${d.verdict ?? 'none'}`, ...flags.filter(Boolean)].join(' ');
}

function marks(d) {
  const out = [];
  if (d.duplicate) out.push('duplicate');
  if (d.missing) out.push('no report');
  if (d.extraction && d.extraction.status !== 'opened') out.push(d.extraction.status.replace('_', ' '));
  if (d.extraction?.password) out.push('password');
  if (d.cut === 'depth') out.push('deeper levels not shown');
  if (d.cut === 'nodes') out.push('more inside');
  return out;
}

function describe(n) {
  const d = n.data;
  const lines = [d.name, `${d.format || 'unknown'} · ${formatBytes(d.size)} · ${d.verdict ?? 'no verdict'}`];
  if (d.duplicate) lines.push('already found earlier in this tree (analysed once)');
  if (d.missing) lines.push('listed by its container; no report of its own is stored');
  if (d.extraction) lines.push(`extraction: ${d.extraction.status}${d.extraction.password ? ` (password ${d.extraction.password})` : ''}`);
  if (n.children || n._children) lines.push('click the dot to fold or unfold');
  if (d.stored && !d.current) lines.push('click to open');
  return lines.join('\n');
}

function truncate(text, n) {
  const s = String(text ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
