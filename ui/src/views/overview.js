// Overview: verdict, where the file was found (inside containers), the sample's export (an
// encrypted ZIP), one bar per model, top indicators, identity and hashes, tags and notes.
import { createModelBars } from '../charts/modelBars.js';
import { copyButton, emptyNote, h, panel } from '../components/dom.js';
import { exchangeExportButtons } from '../components/exchangeExport.js';
import { evidenceNode } from '../components/evidenceLinks.js';
import { sampleExportButton } from '../components/sampleExport.js';
import { formatBytes, formatDate, percent } from '../data/format.js';
import { parseTags } from '../data/history.js';
import { displayName, foundIn } from '../data/tree.js';
import { analysisProblems, identityRows, indicatorCountText, modelBars, severityCounts, topIndicators, verdictSummary } from '../data/overview.js';

/** Containers named by "Found in" besides the file's own lineage, whose names are looked up. */
const OTHER_PLACES_NAMED = 5;

/** Renders the Overview of `ctx.sample` into `root`. */
export async function renderOverview(root, ctx) {
  const { report } = ctx.sample;
  const verdict = verdictSummary(report);
  const counts = severityCounts(report.indicators);
  const problems = analysisProblems(report);
  root.append(
    h(
      'section',
      { class: `verdict-card tone-${verdict.tone}`, 'data-testid': 'verdict' },
      h('div', { class: 'verdict-label' }, verdict.label),
      h(
        'div',
        { class: 'verdict-facts' },
        h(
          'span',
          { 'data-testid': 'verdict-score', title: "Mean of the models' scores, each calibrated so that its decision threshold is 0.5" },
          `calibrated ensemble score ${verdict.score === null ? '—' : verdict.score.toFixed(3)} (threshold 0.5)`,
        ),
        h('span', { title: 'Spread between the models (0 agree, 1 opposite)' }, `disagreement ${percent(verdict.disagreement)}`),
        h('span', { 'data-testid': 'verdict-indicators' }, indicatorCountText(counts)),
      ),
      problems.length
        ? h(
            'div',
            { class: 'analysis-problems', 'data-testid': 'verdict-problems', role: 'note' },
            h('strong', {}, problems.some((p) => p.parse) ? 'The file did not parse in full; this verdict rests on part of it. ' : 'Part of the analysis failed. '),
            h('ul', {}, problems.map((p) => h('li', {}, h('code', {}, p.stage), ' ', p.message))),
          )
        : null,
      verdict.reasons.length ? h('ul', { class: 'reasons' }, verdict.reasons.map((r) => h('li', {}, r))) : null,
    ),
  );
  const place = await foundInLine(ctx);
  if (place) root.append(place);
  const exporter = sampleExportButton(ctx, { label: 'Export sample (encrypted ZIP)', sha256s: () => [report.hashes.sha256] });
  const exchange = exchangeExportButtons(ctx, { sha256s: () => [report.hashes.sha256] });
  root.append(h('div', { class: 'sample-actions' }, exporter.node, exchange.node));
  const grid = h('div', { class: 'grid-2' });
  root.append(grid);

  const bars = modelBars(report.predictions);
  const modelsPanel = panel('Models');
  grid.append(modelsPanel); // attached first: the chart takes the panel's width
  let drawBars = () => {};
  if (bars.length) {
    const chart = createModelBars(modelsPanel);
    ctx.registerChart('Models', chart.node);
    // Drawn once every panel is in the grid, when the panel has its final width.
    drawBars = () => chart.update(bars);
    modelsPanel.append(
      h(
        'p',
        { class: 'legend', 'data-testid': 'model-legend' },
        'Raw model scores. Dashed line: the threshold each label was taken at',
        bars.some((b) => b.strictThreshold !== null) ? '; red line: the stricter threshold a model alone must pass to call a file malicious' : '',
        '.',
      ),
    );
  } else {
    modelsPanel.append(emptyNote('No model predictions in this report. Models run inside the analysis process when they are installed.'));
  }

  const indicators = topIndicators(report.indicators, 12);
  const total = (report.indicators ?? []).length;
  grid.append(
    panel(
      total > indicators.length ? `Indicators (${total}, the ${indicators.length} most severe shown)` : `Indicators (${total}, info included)`,
      indicators.length
        ? h(
            'ul',
            { class: 'indicators' },
            indicators.map((i) =>
              h(
                'li',
                { class: `sev-${i.severity}` },
                h('span', { class: `pill sev-${i.severity}` }, i.severity),
                h('span', { class: 'indicator-title' }, i.title),
                i.attackId ? h('span', { class: 'chip attack', title: 'MITRE ATT&CK technique' }, i.attackId) : null,
                i.sources.length ? h('div', { class: 'evidence' }, i.sources.map((e) => evidenceNode(ctx, e, report))) : null,
              ),
            ),
          )
        : emptyNote('Nothing worth flagging was found.'),
    ),
  );

  grid.append(
    panel(
      'Identity',
      h(
        'table',
        { class: 'identity' },
        identityRows(report).map((r) =>
          h('tr', {}, h('th', {}, r.label), h('td', {}, h('code', {}, r.label === 'Size' ? `${r.value} (${formatBytes(Number(r.value))})` : r.value)), h('td', {}, r.copy ? copyButton(r.value, r.label) : null)),
        ),
      ),
    ),
  );
  grid.append(annotations(ctx));
  drawBars();
  if ((report.errors ?? []).length) {
    root.append(panel('Stage errors', h('ul', { class: 'errors' }, report.errors.map((e) => h('li', {}, h('code', {}, e.stage), ' ', e.message)))));
  }
}

function annotations(ctx) {
  const { sample } = ctx;
  const sha256 = sample.report.hashes.sha256;
  const tagList = h('div', { class: 'tags' }, (sample.tags ?? []).map((t) => h('span', { class: 'chip tag' }, t, h('button', { class: 'chip-x', type: 'button', 'aria-label': `Remove tag ${t}`, onclick: () => save({ remove_tags: [t] }) }, '×'))));
  const tagInput = h('input', { type: 'text', placeholder: 'add tags (comma or space separated)', 'aria-label': 'Add tags' });
  const noteInput = h('textarea', { rows: 2, placeholder: 'add a note', 'aria-label': 'Add a note' });
  const status = h('span', { class: 'status-line' });
  async function save(change) {
    try {
      await ctx.api.updateSample(sha256, { add_tags: [], remove_tags: [], note: null, ...change });
      await ctx.reload();
    } catch (error) {
      status.textContent = error.message;
    }
  }
  return panel(
    'Tags and notes',
    tagList,
    h('form', { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), save({ add_tags: parseTags(tagInput.value) })) }, tagInput, h('button', { type: 'submit' }, 'Add')),
    h('ul', { class: 'notes' }, (sample.notes ?? []).map((n) => h('li', {}, h('time', {}, formatDate(n.created_at)), ' ', n.text))),
    h('form', { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), save({ note: noteInput.value })) }, noteInput, h('button', { type: 'submit' }, 'Add note')),
    status,
  );
}

/**
 * "Found in: sample.zip › inner.7z" from the report's lineage, then the other containers the store
 * knows it came out of; each name opens that container. `null` for a file found in none.
 */
async function foundInLine(ctx) {
  const { report } = ctx.sample;
  const parents = await Promise.resolve(ctx.api.parents(report.hashes.sha256)).catch(() => []);
  const names = new Map();
  const { others } = foundIn(report, parents);
  await Promise.all(
    others
      .filter((o) => o.stored)
      .slice(0, OTHER_PLACES_NAMED)
      .map((o) => Promise.resolve(ctx.api.getReport(o.sha256)).then((s) => names.set(o.sha256, displayName(s)), () => {})),
  );
  const place = foundIn(report, parents, names);
  if (!place.lineage.length && !place.others.length) return null;
  const link = (step, title) => h('button', { type: 'button', class: 'link', title, 'data-sha256': step.sha256, onclick: () => ctx.openSample(step.sha256) }, step.name);
  const chain = place.lineage.flatMap((step, i) => [i ? h('span', { class: 'sep' }, '›') : null, link(step, `Open ${step.name}`)]);
  const elsewhere = place.others.flatMap((o, i) => [i ? h('span', { class: 'sep' }, ',') : null, o.stored ? link(o, `Open ${o.name} (it holds this file as ${o.as})`) : h('span', { title: `as ${o.as}` }, o.name)]);
  return h(
    'p',
    { class: 'found-in', 'data-testid': 'found-in' },
    h('strong', {}, 'Found in:'),
    chain.length ? chain : elsewhere,
    chain.length && elsewhere.length ? h('span', { class: 'also' }, 'also in:') : null,
    chain.length ? elsewhere : null,
  );
}
