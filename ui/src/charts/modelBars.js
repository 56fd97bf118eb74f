// One horizontal bar per model (score 0..1) with its threshold drawn as a vertical line.
import * as d3 from 'd3';
import { contentWidth } from '../components/dom.js';

/** Creates the chart in `container`; call `update(bars)` with `modelBars()` output. */
export function createModelBars(container, { width = 560, rowHeight = 30 } = {}) {
  const margin = { top: 8, right: 96, bottom: 24, left: 150 };
  const svg = d3.select(container).append('svg').attr('class', 'chart model-bars').attr('role', 'img');
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const axis = plot.append('g').attr('class', 'axis');

  function update(bars) {
    // Drawn at the container's pixel width (when it has one), so labels keep their size.
    const w = Math.max(360, contentWidth(container, width));
    const innerWidth = w - margin.left - margin.right;
    const x = d3.scaleLinear().domain([0, 1]).range([0, innerWidth]);
    const height = Math.max(1, bars.length) * rowHeight;
    svg.attr('viewBox', `0 0 ${w} ${height + margin.top + margin.bottom}`).attr('aria-label', `Scores of ${bars.length} models`);
    axis.attr('transform', `translate(0,${height})`).call(d3.axisBottom(x).ticks(5).tickFormat(d3.format('.0%')));
    const rows = plot
      .selectAll('g.model')
      .data(bars, (d) => d.model)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'model');
        g.append('text').attr('class', 'model-name').attr('x', -8).attr('dy', '0.35em').attr('text-anchor', 'end');
        g.append('rect').attr('class', 'track').attr('height', rowHeight * 0.55).attr('rx', 3);
        g.append('rect').attr('class', 'bar').attr('height', rowHeight * 0.55).attr('rx', 3);
        g.append('line').attr('class', 'threshold');
        g.append('line').attr('class', 'strict-threshold');
        g.append('text').attr('class', 'score').attr('dy', '0.35em');
        g.append('title');
        return g;
      });
    rows.attr('transform', (_, i) => `translate(0,${i * rowHeight})`);
    rows.select('.model-name').attr('y', rowHeight * 0.3).text((d) => d.model);
    rows.select('.track').attr('y', rowHeight * 0.025).attr('width', innerWidth);
    rows
      .select('.bar')
      .attr('y', rowHeight * 0.025)
      .attr('width', (d) => (d.score === null ? 0 : x(d.score)))
      .attr('class', (d) => `bar ${d.over === true ? 'over' : d.over === false ? 'under' : 'none'}`);
    rows
      .select('.threshold')
      .attr('display', (d) => (d.threshold === null ? 'none' : null))
      .attr('x1', (d) => x(d.threshold ?? 0))
      .attr('x2', (d) => x(d.threshold ?? 0))
      .attr('y1', -rowHeight * 0.1)
      .attr('y2', rowHeight * 0.65);
    rows
      .select('.strict-threshold')
      .attr('display', (d) => (d.strictThreshold === null ? 'none' : null))
      .attr('x1', (d) => x(d.strictThreshold ?? 0))
      .attr('x2', (d) => x(d.strictThreshold ?? 0))
      .attr('y1', -rowHeight * 0.1)
      .attr('y2', rowHeight * 0.65);
    rows
      .select('.score')
      .attr('x', innerWidth + 8)
      .attr('y', rowHeight * 0.3)
      // Over or under the threshold in words too, not only by the bar's colour.
      .text((d) => (d.score === null ? d.label.replace('_', ' ') : `${d.score.toFixed(3)}${d.over === true ? ' over' : d.over === false ? ' under' : ''}`));
    rows.select('title').text((d) => `${d.model} ${d.version}: ${d.score === null ? d.reason ?? d.label : `score ${d.score.toFixed(4)}`}${d.threshold === null ? '' : `, threshold ${d.threshold}`}${d.strictThreshold === null ? '' : `, strict threshold ${d.strictThreshold}`}`);
  }
  return { update, node: svg.node() };
}
