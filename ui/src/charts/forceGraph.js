// Nearest stored samples as a force-directed graph around the open sample. Link length follows
// closeness; node colour follows verdict; clicking (or Enter on) a node opens that sample.
import * as d3 from 'd3';
import { linkDistance } from '../data/similar.js';
import { contentWidth } from '../components/dom.js';

/** Creates the graph; `onOpen(sha256)` fires for a neighbour. */
export function createForceGraph(container, { width: fallbackWidth = 760, height = 520, onOpen = () => {} } = {}) {
  const width = contentWidth(container, fallbackWidth);
  const svg = d3.select(container).append('svg').attr('class', 'chart force-graph').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img');
  const linkLayer = svg.append('g').attr('class', 'links');
  const nodeLayer = svg.append('g').attr('class', 'nodes');
  let simulation = null;

  function update({ nodes, links }) {
    simulation?.stop();
    svg.attr('aria-label', `${nodes.length - 1} similar samples`);
    const nodeData = nodes.map((n) => ({ ...n }));
    const centre = nodeData.find((n) => n.centre);
    if (centre) {
      centre.fx = width / 2;
      centre.fy = height / 2;
    }
    const linkData = links.map((l) => ({ ...l }));
    const link = linkLayer.selectAll('line').data(linkData).join('line').attr('stroke-width', (d) => 1 + 3 * d.closeness);
    const node = nodeLayer
      .selectAll('g.node')
      .data(nodeData, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('tabindex', 0);
        g.append('circle');
        g.append('text').attr('dy', '-0.9em').attr('text-anchor', 'middle');
        g.append('title');
        return g;
      })
      .attr('class', (d) => `node verdict-${d.verdict ?? 'none'}${d.centre ? ' centre' : ''}`)
      .on('click', (_, d) => !d.centre && onOpen(d.id))
      .on('keydown', (event, d) => {
        if ((event.key === 'Enter' || event.key === ' ') && !d.centre) onOpen(d.id);
      });
    node.select('circle').attr('r', (d) => (d.centre ? 14 : 7 + 5 * d.closeness));
    // The verdict in words beside the name: the node's colour is not the only sign of it.
    node.select('text').text((d) => `${truncate(d.name, 24)}${d.verdict && !d.centre ? ` · ${d.verdict}` : ''}`);
    node.select('title').text((d) => (d.centre ? d.name : `${d.name}\nverdict: ${d.verdict ?? 'none'}\nTLSH distance: ${d.tlsh ?? '—'}\nssdeep score: ${d.ssdeep ?? '—'}\nclick to open`));
    simulation = d3
      .forceSimulation(nodeData)
      .force('link', d3.forceLink(linkData).id((d) => d.id).distance((d) => linkDistance(d.closeness)))
      .force('charge', d3.forceManyBody().strength(-180))
      .force('collide', d3.forceCollide(22))
      .force('x', d3.forceX(width / 2).strength(0.02))
      .force('y', d3.forceY(height / 2).strength(0.02))
      .stop();
    const render = () => {
      for (const d of nodeData) {
        d.x = Math.max(20, Math.min(width - 20, d.x));
        d.y = Math.max(20, Math.min(height - 20, d.y));
      }
      link.attr('x1', (d) => d.source.x).attr('y1', (d) => d.source.y).attr('x2', (d) => d.target.x).attr('y2', (d) => d.target.y);
      node.attr('transform', (d) => `translate(${d.x},${d.y})`);
    };
    // A bounded number of ticks up front so the graph is laid out before the first paint.
    simulation.tick(150);
    render();
    simulation.on('tick', render).alpha(0.05).restart();
  }
  return { update, stop: () => simulation?.stop(), node: svg.node() };
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
