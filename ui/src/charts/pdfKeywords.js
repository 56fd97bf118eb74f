// One horizontal bar per PDF keyword found (its count), the dangerous ones (scripts, actions,
// embedded files, forms) emphasised.
import * as d3 from 'd3';
import { contentWidth } from '../components/dom.js';

/** Creates the chart in `container`; call `update(rows)` with `pdfKeywordRows()` output (counted ones). */
export function createPdfKeywords(container, { width = 560, rowHeight = 22 } = {}) {
  const margin = { top: 6, right: 48, bottom: 24, left: 120 };
  const svg = d3.select(container).append('svg').attr('class', 'chart pdf-keywords').attr('role', 'img');
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const axis = plot.append('g').attr('class', 'axis');

  function update(rows) {
    const w = Math.max(360, contentWidth(container, width));
    const innerWidth = w - margin.left - margin.right;
    const x = d3
      .scaleLinear()
      .domain([0, d3.max(rows, (d) => d.count) || 1])
      .nice()
      .range([0, innerWidth]);
    const height = Math.max(1, rows.length) * rowHeight;
    const dangerous = rows.filter((d) => d.dangerous).length;
    svg.attr('viewBox', `0 0 ${w} ${height + margin.top + margin.bottom}`).attr('aria-label', `Counts of ${rows.length} PDF keywords, ${dangerous} of them dangerous`);
    axis.attr('transform', `translate(0,${height})`).call(d3.axisBottom(x).ticks(Math.min(5, x.domain()[1])).tickFormat(d3.format('d')));
    const bars = plot
      .selectAll('g.keyword')
      .data(rows, (d) => d.name)
      .join((enter) => {
        const g = enter.append('g');
        g.append('text').attr('class', 'keyword-name').attr('x', -8).attr('dy', '0.35em').attr('text-anchor', 'end');
        g.append('rect').attr('class', 'bar').attr('rx', 2);
        g.append('text').attr('class', 'count').attr('dy', '0.35em');
        g.append('title');
        return g;
      });
    bars.attr('class', (d) => `keyword${d.dangerous ? ' dangerous' : ''}`).attr('data-keyword', (d) => d.name).attr('transform', (_, i) => `translate(0,${i * rowHeight})`);
    // A warning sign marks the dangerous keywords besides their colour.
    bars.select('.keyword-name').attr('y', rowHeight * 0.4).text((d) => (d.dangerous ? `⚠ ${d.name}` : d.name));
    bars
      .select('.bar')
      .attr('y', rowHeight * 0.1)
      .attr('height', rowHeight * 0.6)
      .attr('width', (d) => x(d.count));
    bars
      .select('.count')
      .attr('x', (d) => x(d.count) + 6)
      .attr('y', rowHeight * 0.4)
      .text((d) => d.count);
    bars.select('title').text((d) => `${d.name}: ${d.count}${d.dangerous ? ' (can act on its own or carry content)' : ''}`);
  }
  return { update, node: svg.node() };
}
