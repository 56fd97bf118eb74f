// Data for the Similar view: a graph with the sample at the centre and its neighbours around it.

/**
 * Nodes and links for the force layout. A neighbour found by both hashes is one node with both
 * scores. `closeness` in 0..1 (1 = identical) drives link length: TLSH distance d maps to
 * 1 - d/300 (the store's cut-off), ssdeep score s to s/100; the larger wins.
 */
export function similarityGraph(similarity, centre) {
  // The case store's answer: `{query, by_tlsh, by_ssdeep, notes}`, each hit `{sample, matched_by, tlsh_distance, ssdeep_score}`.
  const queried = similarity.query?.sha256;
  const nodes = new Map();
  nodes.set(queried, { id: queried, name: centre?.name ?? 'this sample', verdict: centre?.verdict ?? null, centre: true, closeness: 1 });
  for (const hit of [...(similarity.by_tlsh ?? []), ...(similarity.by_ssdeep ?? [])]) {
    const sample = hit.sample ?? {};
    if (!sample.sha256 || sample.sha256 === queried) continue;
    const existing = nodes.get(sample.sha256) ?? { id: sample.sha256, name: sample.names?.[0] || sample.sha256.slice(0, 12), verdict: sample.verdict ?? null, format: sample.format, centre: false, tlsh: null, ssdeep: null, closeness: 0 };
    if (Number.isFinite(hit.tlsh_distance)) existing.tlsh = hit.tlsh_distance;
    if (Number.isFinite(hit.ssdeep_score)) existing.ssdeep = hit.ssdeep_score;
    existing.closeness = closeness(existing);
    nodes.set(sample.sha256, existing);
  }
  const list = [...nodes.values()];
  const links = list.filter((n) => !n.centre).map((n) => ({ source: queried, target: n.id, closeness: n.closeness }));
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
