// The 16x16 byte-entropy heatmap: rows are entropy bins (low at the bottom), columns byte-value
// bins (0x00 left, 0xf0 right), colour the share of windows.
import * as d3 from 'd3';
import { contentWidth } from '../components/dom.js';

/** Creates the heatmap; `update(cells)` takes `heatmapCells()` output. */
export function createHeatmap(container, { size: fallbackSize = 300 } = {}) {
  const size = contentWidth(container, fallbackSize);
  const margin = { top: 8, right: 8, bottom: 30, left: 34 };
  const inner = size - margin.left - margin.right;
  const cell = inner / 16;
  const svg = d3.select(container).append('svg').attr('class', 'chart heatmap').attr('viewBox', `0 0 ${size} ${margin.top + inner + margin.bottom}`).attr('role', 'img').attr('aria-label', 'Byte-entropy histogram, 16 by 16');
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const colour = d3.scaleSequential(d3.interpolateInferno).domain([0, 1]);
  plot.append('text').attr('class', 'axis-label').attr('x', inner / 2).attr('y', inner + 22).attr('text-anchor', 'middle').text('byte value →');
  plot.append('text').attr('class', 'axis-label').attr('transform', `translate(-22,${inner / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('entropy →');

  function update(cells) {
    plot
      .selectAll('rect.cell')
      .data(cells)
      .join((enter) => enter.append('rect').attr('class', 'cell').call((r) => r.append('title')))
      .attr('x', (d) => d.col * cell)
      .attr('y', (d) => (15 - d.row) * cell)
      .attr('width', cell - 0.5)
      .attr('height', cell - 0.5)
      .classed('empty', (d) => d.value === 0)
      .attr('fill', (d) => (d.value === 0 ? null : colour(Math.sqrt(d.norm))))
      .select('title')
      .text((d) => `entropy bin ${d.row}, bytes 0x${(d.col * 16).toString(16).padStart(2, '0')}–0x${(d.col * 16 + 15).toString(16)}: ${(d.value * 100).toFixed(2)}%`);
  }
  return { update, node: svg.node() };
}
