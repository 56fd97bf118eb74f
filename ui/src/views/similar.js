// Similar: nearest stored samples (TLSH and ssdeep) as a force-directed graph; click to open.
import { createForceGraph } from '../charts/forceGraph.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { baseName, shortHash } from '../data/format.js';
import { similarityGraph } from '../data/similar.js';

/** Renders the Similar view of `ctx.sample` into `root`. */
export async function renderSimilar(root, ctx) {
  const { report } = ctx.sample;
  const sha256 = report.hashes.sha256;
  const graphPanel = panel('Nearest stored samples');
  root.append(graphPanel);
  let similarity;
  try {
    similarity = await ctx.api.similarSamples(sha256, 20);
  } catch (error) {
    graphPanel.append(emptyNote(`Similarity search failed: ${error.message}`));
    return;
  }
  for (const note of similarity.notes ?? []) graphPanel.append(h('p', { class: 'note' }, note));
  const graph = similarityGraph(similarity, { name: baseName(report.path), verdict: report.verdict?.label });
  if (graph.nodes.length <= 1) {
    graphPanel.append(emptyNote('No stored sample is close to this one yet. Each file you analyse joins the store and shows up here when it resembles another.'));
    return;
  }
  const chart = createForceGraph(graphPanel, { onOpen: (hash) => ctx.openSample(hash) });
  chart.update(graph);
  ctx.registerChart('Similar samples', chart.node);
  ctx.onLeave(() => chart.stop());
  root.append(
    panel(
      'Neighbours',
      h(
        'table',
        { class: 'hits' },
        h('thead', {}, h('tr', {}, ['Name', 'SHA-256', 'Verdict', 'TLSH distance', 'ssdeep score'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          graph.nodes
            .filter((n) => !n.centre)
            .sort((a, b) => b.closeness - a.closeness)
            .map((n) => h('tr', { tabindex: 0, class: 'clickable', onclick: () => ctx.openSample(n.id), onkeydown: (e) => e.key === 'Enter' && ctx.openSample(n.id) }, h('td', {}, n.name), h('td', {}, h('code', {}, shortHash(n.id, 16))), h('td', {}, n.verdict ?? '—'), h('td', { class: 'num' }, n.tlsh ?? '—'), h('td', { class: 'num' }, n.ssdeep ?? '—'))),
        ),
      ),
    ),
  );
}
