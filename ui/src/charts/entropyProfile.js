// Entropy over file offset as an area, with section bands behind it and the regions a model says
// drove its score painted on top. Clicking a band selects that section.
import * as d3 from 'd3';

/** Creates the chart; `onSelect(sectionId)` fires when a band is clicked. */
export function createEntropyProfile(container, { width = 900, height = 260, onSelect = () => {} } = {}) {
  const margin = { top: 22, right: 16, bottom: 30, left: 40 };
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const svg = d3.select(container).append('svg').attr('class', 'chart entropy-profile').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img');
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const bandLayer = plot.append('g').attr('class', 'bands');
  const area = plot.append('path').attr('class', 'entropy-area');
  const line = plot.append('path').attr('class', 'entropy-line');
  const regionLayer = plot.append('g').attr('class', 'regions');
  const markLayer = plot.append('g').attr('class', 'marks');
  let x = null;
  const xAxis = plot.append('g').attr('class', 'axis').attr('transform', `translate(0,${innerHeight})`);
  const yAxis = plot.append('g').attr('class', 'axis');
  const y = d3.scaleLinear().domain([0, 8]).range([innerHeight, 0]);
  let selected = null;

  function update({ series, bands, regions, size }) {
    x = d3.scaleLinear().domain([0, Math.max(1, size)]).range([0, innerWidth]);
    svg.attr('aria-label', `Entropy over ${series.length} windows, ${bands.length} sections`);
    xAxis.call(d3.axisBottom(x).ticks(8).tickFormat((v) => `0x${Math.round(v).toString(16)}`));
    yAxis.call(d3.axisLeft(y).ticks(4));
    const steps = series.flatMap((p) => [{ at: p.start, e: p.entropy }, { at: p.end, e: p.entropy }]);
    area.datum(steps).attr('d', d3.area().x((d) => x(d.at)).y0(innerHeight).y1((d) => y(d.e)));
    line.datum(steps).attr('d', d3.line().x((d) => x(d.at)).y((d) => y(d.e)));
    const band = bandLayer
      .selectAll('g.band')
      .data(bands, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'band').attr('tabindex', 0);
        g.append('rect');
        g.append('text').attr('y', -6);
        g.append('title');
        g.on('click', (_, d) => onSelect(d.id)).on('keydown', (event, d) => {
          if (event.key === 'Enter' || event.key === ' ') onSelect(d.id);
        });
        return g;
      });
    band.attr('class', (d) => `band ${d.kind}${d.id === selected ? ' selected' : ''}`);
    band.select('rect').attr('x', (d) => x(d.start)).attr('width', (d) => Math.max(1, x(d.end) - x(d.start))).attr('y', 0).attr('height', innerHeight);
    band
      .select('text')
      .attr('x', (d) => x(d.start) + 2)
      .text((d) => (x(d.end) - x(d.start) > 28 ? d.name : ''));
    band.select('title').text((d) => `${d.name}: 0x${d.start.toString(16)}–0x${d.end.toString(16)}${d.entropy === null ? '' : `, entropy ${d.entropy.toFixed(2)}`}`);
    regionLayer
      .selectAll('rect.region')
      .data(regions)
      .join('rect')
      .attr('class', 'region')
      .attr('x', (d) => x(d.start))
      .attr('width', (d) => Math.max(2, x(d.end) - x(d.start)))
      .attr('y', innerHeight - 8)
      .attr('height', 8)
      .attr('opacity', (d) => 0.35 + 0.65 * d.weight)
      .selectAll('title')
      .data((d) => [d])
      .join('title')
      .text((d) => `${d.model} explains 0x${d.start.toString(16)}–0x${d.end.toString(16)} (weight ${d.weight.toFixed(2)})`);
  }

  /** Highlights one section band (null clears). */
  function select(id) {
    selected = id;
    bandLayer.selectAll('g.band').classed('selected', (d) => d.id === id);
  }
  /** Marks file offset `offset` with a labelled line (null clears); call after `update`. */
  function mark(offset) {
    const data = offset === null || !x ? [] : [offset];
    const g = markLayer.selectAll('g.mark').data(data).join((enter) => {
      const m = enter.append('g').attr('class', 'mark');
      m.append('line');
      m.append('text').attr('y', -8).attr('text-anchor', 'middle');
      return m;
    });
    g.attr('transform', (d) => `translate(${x(d)},0)`);
    g.select('line').attr('y1', -4).attr('y2', innerHeight);
    g.select('text').text((d) => `0x${d.toString(16)}`);
  }
  return { update, select, mark, node: svg.node() };
}
