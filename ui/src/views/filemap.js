// File map: entropy over offset with section bands, model-explained regions and the YARA rules'
// string matches, the byte-entropy heatmap, and the sections table linked both ways with the map.
import { createEntropyProfile } from '../charts/entropyProfile.js';
import { createHeatmap } from '../charts/heatmap.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { entropySeries, explainedRegions, heatmapCells, ruleMarks, sectionAt, sectionBands, sectionRows, structureBands } from '../data/filemap.js';
import { formatBytes, hex } from '../data/format.js';

/** Renders the File map of `ctx.sample` into `root`. */
export function renderFileMap(root, ctx) {
  const { report } = ctx.sample;
  const series = entropySeries(report.entropy_profile);
  const bands = sectionBands(report);
  const regions = explainedRegions(report.predictions, report.size);
  const structure = structureBands(report);
  const rules = ruleMarks(report);
  const rows = sectionRows(report);
  const mapPanel = panel('Entropy over the file');
  root.append(mapPanel);
  let table = null;
  const select = (id) => {
    profile.select(id);
    table?.querySelectorAll('tr[data-id]').forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === id));
  };
  const profile = createEntropyProfile(mapPanel, { onSelect: select, onRuleMark: (m) => ctx.openHex(m.start) });
  profile.update({ series, bands, structure, regions, rules: rules.marks, size: report.size });
  ctx.registerChart('Entropy over the file', profile.node);
  // Opened from a string or an indicator: the offset marked, its section selected.
  const focus = ctx.focus ?? {};
  const focusSection = focus.section ? bands.find((b) => b.name === focus.section)?.id : Number.isFinite(focus.offset) ? sectionAt(bands, focus.offset) : null;
  if (Number.isFinite(focus.offset)) {
    profile.mark(focus.offset);
    mapPanel.append(
      h('p', { class: 'note focus-note', 'data-testid': 'map-focus' }, `Offset ${hex(focus.offset)}${focusSection ? ` is in ${bands.find((b) => b.id === focusSection).name}` : ''}. `, h('button', { type: 'button', class: 'link', 'data-link': 'hex', onclick: () => ctx.openHex(focus.offset) }, 'show its bytes')),
    );
  }
  mapPanel.append(
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'swatch code' }), 'code ', h('span', { class: 'swatch data' }), 'writable data ', h('span', { class: 'swatch rodata' }), 'read-only ',
      structure.some((b) => b.kind === 'header') ? [h('span', { class: 'swatch header' }), 'headers '] : null,
      structure.some((b) => b.kind === 'overlay') ? [h('span', { class: 'swatch overlay' }), 'overlay '] : null,
      regions.length
        ? [
            regions.some((r) => r.tone === 'malicious') ? [h('span', { class: 'swatch region toward-malicious' }), 'regions behind a malicious score '] : null,
            regions.some((r) => r.tone === 'benign') ? [h('span', { class: 'swatch region toward-benign' }), 'regions behind a benign score '] : null,
            `(${regions.length})`,
          ]
        : [h('span', { class: 'swatch region' }), 'no model explanation in this report'],
      ' ',
      rules.total
        ? [h('span', { class: 'glyph rule-mark', 'aria-hidden': 'true' }, '▼'), ` YARA string matches (${rules.total}${rules.total > rules.marks.length ? `, the first ${rules.marks.length} drawn` : ''}; click one for its bytes)`]
        : 'no YARA rule matched',
    ),
  );

  const grid = h('div', { class: 'grid-map' });
  root.append(grid);
  const heatPanel = panel('Byte-entropy histogram');
  grid.append(heatPanel);
  if ((report.byte_entropy_histogram ?? []).length === 256) {
    const heatmap = createHeatmap(heatPanel);
    heatmap.update(heatmapCells(report.byte_entropy_histogram));
    ctx.registerChart('Byte-entropy histogram', heatmap.node);
  } else {
    heatPanel.append(emptyNote('No byte-entropy histogram in this report.'));
  }
  const sectionsPanel = panel(`Sections (${rows.length})`);
  grid.append(sectionsPanel);
  if (!rows.length) {
    sectionsPanel.append(emptyNote('This file has no sections the engine could read.'));
    return;
  }
  table = h(
    'table',
    { class: 'sections', 'data-testid': 'sections-table' },
    h('thead', {}, h('tr', {}, ['Name', 'Offset', 'Raw size', 'Virtual size', 'Entropy', 'Flags'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      rows.map((s) =>
        h(
          'tr',
          { 'data-id': s.id, class: `kind-${s.kind}`, tabindex: 0, onclick: () => select(s.id), onkeydown: (e) => e.key === 'Enter' && select(s.id) },
          h('td', {}, h('code', {}, s.name)),
          h('td', { class: 'num' }, hex(s.start)),
          h('td', { class: 'num', title: `${s.rawSize} bytes` }, formatBytes(s.rawSize)),
          h('td', { class: 'num' }, formatBytes(s.virtualSize)),
          h('td', { class: `num entropy ${s.entropy !== null && s.entropy > 7.2 ? 'high' : ''}` }, s.entropy === null ? '—' : s.entropy.toFixed(3), s.entropy !== null && s.entropy > 7.2 ? h('span', { class: 'high-mark' }, ' high') : null),
          h('td', {}, h('code', {}, s.flags)),
        ),
      ),
    ),
  );
  sectionsPanel.append(table);
  if (focusSection) select(focusSection);
}
