// Data for the Similar view: a graph with the sample at the centre and its neighbours around it.

/**
 * Nodes and links for the force layout. A neighbour found by both hashes is one node with both
 * scores. `closeness` in 0..1 (1 = identical) drives link length: TLSH distance d maps to
 * 1 - d/300 (the store's cut-off), ssdeep score s to s/100; the larger wins.
 */
export function similarityGraph(similarity, centre) {
  const nodes = new Map();
  nodes.set(similarity.sha256, { id: similarity.sha256, name: centre?.name ?? 'this sample', verdict: centre?.verdict ?? null, centre: true, closeness: 1 });
  for (const hit of similarity.hits ?? []) {
    if (hit.sha256 === similarity.sha256) continue;
    const existing = nodes.get(hit.sha256) ?? { id: hit.sha256, name: hit.name || hit.sha256.slice(0, 12), verdict: hit.verdict ?? null, format: hit.format, centre: false, tlsh: null, ssdeep: null, closeness: 0 };
    if (Number.isFinite(hit.tlsh_distance)) existing.tlsh = hit.tlsh_distance;
    if (Number.isFinite(hit.ssdeep_score)) existing.ssdeep = hit.ssdeep_score;
    existing.closeness = closeness(existing);
    nodes.set(hit.sha256, existing);
  }
  const list = [...nodes.values()];
  const links = list.filter((n) => !n.centre).map((n) => ({ source: similarity.sha256, target: n.id, closeness: n.closeness }));
  return { nodes: list, links };
}

/** Closeness of a neighbour from its TLSH distance and ssdeep score. */
export function closeness({ tlsh, ssdeep }) {
  const byTlsh = Number.isFinite(tlsh) ? Math.max(0, 1 - tlsh / 300) : 0;
  const bySsdeep = Number.isFinite(ssdeep) ? Math.min(1, Math.max(0, ssdeep / 100)) : 0;
  return Math.max(byTlsh, bySsdeep);
}

/** Link length in px for a closeness: close samples sit near the centre. */
export function linkDistance(closenessValue, min = 60, max = 260) {
  return max - (max - min) * Math.min(1, Math.max(0, closenessValue));
}
