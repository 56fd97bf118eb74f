// Entropy over file offset as an area, with section bands behind it and the regions a model says
// drove its score painted on top. Clicking a band selects that section.
import * as d3 from 'd3';
import { contentWidth } from '../components/dom.js';
import { bandLabels, hexTicks } from '../data/filemap.js';

/** Distinguishes the pattern ids of several charts in one page. */
let instances = 0;

/** Pixels per character of a section name (12 px text), for placing the names. */
const LABEL_CHAR_WIDTH = 7.4;

/** Creates the chart; `onSelect(sectionId)` fires when a band is clicked. */
export function createEntropyProfile(container, { width: fallbackWidth = 900, height = 260, onSelect = () => {}, onRuleMark = () => {} } = {}) {
  const width = contentWidth(container, fallbackWidth);
  const margin = { top: 32, right: 16, bottom: 30, left: 40 };
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const svg = d3.select(container).append('svg').attr('class', 'chart entropy-profile').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img');
  // Writable data is hatched and read-only data dotted, so a section's kind shows without its colour.
  const patternId = `entropy-profile-${++instances}`;
  const defs = svg.append('defs');
  defs.append('pattern').attr('id', `${patternId}-data`).attr('class', 'texture data').attr('width', 6).attr('height', 6).attr('patternUnits', 'userSpaceOnUse').attr('patternTransform', 'rotate(45)').append('line').attr('x1', 1).attr('y1', 0).attr('x2', 1).attr('y2', 6);
  defs.append('pattern').attr('id', `${patternId}-rodata`).attr('class', 'texture rodata').attr('width', 6).attr('height', 6).attr('patternUnits', 'userSpaceOnUse').append('circle').attr('cx', 3).attr('cy', 3).attr('r', 1.2);
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const structureLayer = plot.append('g').attr('class', 'structure-bands');
  const bandLayer = plot.append('g').attr('class', 'bands');
  const area = plot.append('path').attr('class', 'entropy-area');
  const line = plot.append('path').attr('class', 'entropy-line');
  const regionLayer = plot.append('g').attr('class', 'regions');
  const ruleLayer = plot.append('g').attr('class', 'rule-marks');
  const markLayer = plot.append('g').attr('class', 'marks');
  let x = null;
  const xAxis = plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${innerHeight})`);
  const yAxis = plot.append('g').attr('class', 'axis');
  const y = d3.scaleLinear().domain([0, 8]).range([innerHeight, 0]);
  let selected = null;

  function update({ series, bands, structure = [], regions, rules = [], size }) {
    x = d3.scaleLinear().domain([0, Math.max(1, size)]).range([0, innerWidth]);
    svg.attr('aria-label', `Entropy over ${series.length} windows, ${bands.length} sections`);
    xAxis.call(d3.axisBottom(x).tickValues(hexTicks(size, 8)).tickFormat((v) => `0x${Math.round(v).toString(16)}`));
    yAxis.call(d3.axisLeft(y).ticks(4));
    const steps = series.flatMap((p) => [{ at: p.start, e: p.entropy }, { at: p.end, e: p.entropy }]);
    area.datum(steps).attr('d', d3.area().x((d) => x(d.at)).y0(innerHeight).y1((d) => y(d.e)));
    line.datum(steps).attr('d', d3.line().x((d) => x(d.at)).y((d) => y(d.e)));
    const band = bandLayer
      .selectAll('g.band')
      .data(bands, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'band').attr('tabindex', 0);
        g.append('rect').attr('class', 'tint');
        g.append('rect').attr('class', 'texture');
        g.append('text').attr('y', -6);
        g.append('title');
        g.on('click', (_, d) => onSelect(d.id)).on('keydown', (event, d) => {
          if (event.key === 'Enter' || event.key === ' ') onSelect(d.id);
        });
        return g;
      });
    band.attr('class', (d) => `band ${d.kind}${d.id === selected ? ' selected' : ''}`);
    band.selectAll('rect').attr('x', (d) => x(d.start)).attr('width', (d) => Math.max(1, x(d.end) - x(d.start))).attr('y', 0).attr('height', innerHeight);
    band.select('rect.texture').style('fill', (d) => (d.kind === 'data' || d.kind === 'rodata' ? `url(#${patternId}-${d.kind})` : 'none'));
    // Every name that fits on one of two rows above the plot, none over another.
    const labelRow = new Map(bandLabels(bands, x, LABEL_CHAR_WIDTH).map((l) => [l.id, l.row]));
    band
      .select('text')
      .attr('x', (d) => x(d.start) + 2)
      .attr('y', (d) => (labelRow.get(d.id) === 1 ? -18 : -6))
      .text((d) => (labelRow.has(d.id) ? d.name : ''));
    structureLayer
      .selectAll('g.structure-band')
      .data(structure, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect');
        g.append('title');
        return g;
      })
      .attr('class', (d) => `structure-band ${d.kind}`)
      .call((g) => g.select('rect').attr('x', (d) => x(d.start)).attr('width', (d) => Math.max(1, x(d.end) - x(d.start))).attr('y', 0).attr('height', innerHeight))
      .call((g) => g.select('title').text((d) => `${d.name}: 0x${d.start.toString(16)}–0x${d.end.toString(16)}`));
    band.select('title').text((d) => `${d.name}: 0x${d.start.toString(16)}–0x${d.end.toString(16)}${d.entropy === null ? '' : `, entropy ${d.entropy.toFixed(2)}`}`);
    regionLayer
      .selectAll('rect.region')
      .data(regions)
      .join('rect')
      .attr('class', (d) => `region toward-${d.tone}`)
      .attr('x', (d) => x(d.start))
      .attr('width', (d) => Math.max(2, x(d.end) - x(d.start)))
      .attr('y', innerHeight - 8)
      .attr('height', 8)
      .attr('opacity', (d) => 0.35 + 0.65 * d.weight)
      .selectAll('title')
      .data((d) => [d])
      .join('title')
      .text((d) => `${d.model} (called it ${d.tone}) drew its score from 0x${d.start.toString(16)}–0x${d.end.toString(16)} (weight ${d.weight.toFixed(2)})`);
    // YARA string matches: a downward triangle on the plot's top edge per match (shape, not only
    // colour), its rule and string in the title; a click or Enter opens its bytes.
    ruleLayer
      .selectAll('path.rule-mark')
      .data(rules)
      .join((enter) =>
        enter
          .append('path')
          .attr('class', 'rule-mark')
          .attr('tabindex', 0)
          .attr('d', 'M-4,-1 L4,-1 L0,6 Z')
          .on('click', (_, d) => onRuleMark(d))
          .on('keydown', (event, d) => (event.key === 'Enter' || event.key === ' ') && onRuleMark(d))
          .call((p) => p.append('title')),
      )
      .attr('transform', (d) => `translate(${x(d.start)},0)`)
      .select('title')
      .text((d) => `rule ${d.rule}: ${d.identifier} at 0x${d.start.toString(16)}–0x${d.end.toString(16)}`);
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
