// Renders the report's charts off screen for the HTML export, as SVG markup.
import { createEntropyProfile } from './charts/entropyProfile.js';
import { createHeatmap } from './charts/heatmap.js';
import { createModelBars } from './charts/modelBars.js';
import { entropySeries, explainedRegions, heatmapCells, sectionBands } from './data/filemap.js';
import { modelBars } from './data/overview.js';

/** `[{title, svg}]` for the export. */
export function exportCharts(report) {
  const charts = [];
  const render = (title, make) => {
    const holder = document.createElement('div');
    make(holder);
    const svg = holder.querySelector('svg');
    if (svg) charts.push({ title, svg: svg.outerHTML });
  };
  const bars = modelBars(report.predictions);
  if (bars.length) render('Models', (el) => createModelBars(el).update(bars));
  render('Entropy over the file', (el) =>
    createEntropyProfile(el).update({ series: entropySeries(report.entropy_profile), bands: sectionBands(report), regions: explainedRegions(report.predictions, report.size), size: report.size }),
  );
  if ((report.byte_entropy_histogram ?? []).length === 256) render('Byte-entropy histogram', (el) => createHeatmap(el).update(heatmapCells(report.byte_entropy_histogram)));
  return charts;
}
