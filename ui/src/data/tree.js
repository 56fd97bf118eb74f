// Data for the Tree view: a submitted container and everything found inside it, from the case
// store's parent-child edges and the containers' own reports.
import { baseName, shortHash } from './format.js';

/** How deep the tree is followed, and how many samples it holds at most. */
export const TREE_LIMITS = { maxDepth: 12, maxNodes: 2000, maxReports: 100 };

/** Whether a report has a place in a tree: it is a container with children, or came out of one. */
export function hasTree(report) {
  return (report?.children ?? []).length > 0 || (report?.lineage ?? []).length > 0;
}

/** Where the tree starts: the submitted file the report came out of (from `lineage`), else itself. */
export function treeRoot(sample) {
  const report = sample.report;
  const first = (report.lineage ?? [])[0];
  if (first?.sha256) return { sha256: first.sha256, name: baseName(first.name) || shortHash(first.sha256) };
  return { sha256: report.hashes.sha256, name: displayName(sample) };
}

/** The name a stored sample is shown under: its latest name, else the last part of its path. */
export function displayName(sample) {
  const path = sample?.report?.path ?? '';
  return sample?.names?.[0] || baseName(path).split('!').pop() || shortHash(sample?.report?.hashes?.sha256);
}

/**
 * Reads what the tree needs through `api` (`children(sha256)`, `getReport(sha256)`), breadth
 * first from `root`: each sample's stored children, and the report of each sample that has any
 * (its extraction, and its children in container order with their duplicate marks). A sample met
 * again is not read twice (a ZIP holding itself stops); children are listed down to `maxDepth`
 * (the samples there are listed, not opened, so the tree can say it was cut); at most `maxNodes`
 * samples and `maxReports` reports are read. Failures are kept as missing, never thrown.
 * `known` holds reports already at hand (the open sample's). Returns `{reports, edges, truncated}`.
 */
export async function loadTree(api, root, known = new Map(), limits = TREE_LIMITS) {
  const reports = new Map(known);
  const edges = new Map();
  let truncated = false;
  let level = [root.sha256];
  const seen = new Set(level);
  for (let depth = 0; level.length; depth += 1) {
    const listed = await Promise.all(level.map((sha256) => Promise.resolve(api.children(sha256)).catch(() => [])));
    const next = [];
    const containers = [];
    level.forEach((sha256, i) => {
      edges.set(sha256, listed[i] ?? []);
      if (listed[i]?.length && !reports.has(sha256)) containers.push(sha256);
      for (const edge of listed[i] ?? []) {
        if (!edge.stored || seen.has(edge.sha256)) continue;
        if (depth + 1 > limits.maxDepth || seen.size >= limits.maxNodes) {
          truncated = true;
          continue;
        }
        seen.add(edge.sha256);
        next.push(edge.sha256);
      }
    });
    const read = containers.slice(0, Math.max(0, limits.maxReports - reports.size));
    truncated ||= read.length < containers.length;
    const loaded = await Promise.all(read.map((sha256) => Promise.resolve(api.getReport(sha256)).then((s) => s?.report ?? null, () => null)));
    read.forEach((sha256, i) => reports.set(sha256, loaded[i]));
    level = next;
  }
  return { reports, edges, truncated };
}

/**
 * The hierarchy `d3.hierarchy` draws: `{sha256, name, format, size, verdict, duplicate, stored,
 * missing, extraction, current, onPath, cut, children}` from `root` down. A container's children
 * come in the order its report lists them (with its duplicate marks), enriched with what the store
 * says of each (stored, latest verdict); children only the store lists follow; without the
 * container's report the store's edges alone are used. A sample met a second time is a duplicate
 * and is not expanded again; below `maxDepth` the tree is cut (`cut: 'depth'`); past `maxNodes`
 * the remaining children are left out (`cut: 'nodes'` on their parent).
 */
export function buildTree({ root, current, reports, edges }, limits = TREE_LIMITS) {
  const path = new Set(pathTo(current, reports));
  const expanded = new Set();
  let count = 0;
  const make = (item, depth, duplicateMark) => {
    count += 1;
    const report = reports.get(item.sha256) ?? null;
    const node = {
      sha256: item.sha256,
      name: item.name,
      format: item.format || report?.format || '',
      size: Number.isFinite(item.size) ? item.size : (report?.size ?? null),
      verdict: item.verdict ?? report?.verdict?.label ?? null,
      duplicate: Boolean(duplicateMark) || expanded.has(item.sha256),
      stored: item.stored !== false,
      missing: item.stored === false,
      extraction: report?.extraction ? extractionSummary(report.extraction) : null,
      current: item.sha256 === current,
      onPath: path.has(item.sha256),
      cut: null,
      children: [],
    };
    if (node.duplicate || node.missing) return node;
    expanded.add(item.sha256);
    const listed = childrenOf(report, edges.get(item.sha256));
    if (!listed.length) return node;
    if (depth >= limits.maxDepth) {
      node.cut = 'depth';
      return node;
    }
    for (const child of listed) {
      if (count >= limits.maxNodes) {
        node.cut = 'nodes';
        break;
      }
      node.children.push(make(child, depth + 1, child.duplicate));
    }
    return node;
  };
  const rootReport = reports.get(root.sha256);
  return make({ sha256: root.sha256, name: root.name, format: rootReport?.format, size: rootReport?.size, verdict: rootReport?.verdict?.label ?? null, stored: true }, 0, false);
}

/**
 * A container's children: its report's `children[]` in container order, each matched with the
 * store's edge of the same sha256 and name; then edges the report does not list.
 */
export function childrenOf(report, storeEdges = []) {
  const edges = storeEdges ?? [];
  const used = new Set();
  const fromReport = (report?.children ?? []).map((child) => {
    const index = edges.findIndex((e, i) => !used.has(i) && e.sha256 === child.sha256 && e.name === child.name);
    const edge = index >= 0 ? edges[index] : null;
    if (index >= 0) used.add(index);
    return {
      sha256: child.sha256,
      name: child.name,
      format: edge?.format || child.format,
      size: edge?.size ?? child.size,
      verdict: edge?.verdict ?? child.verdict ?? null,
      stored: edge ? edge.stored : edges.length ? edges.some((e) => e.sha256 === child.sha256 && e.stored) : true,
      duplicate: Boolean(child.duplicate),
    };
  });
  const onlyStored = edges.filter((_, i) => !used.has(i)).map((e) => ({ ...e, duplicate: false }));
  return fromReport.concat(onlyStored);
}

/** The SHA-256s from the tree's root down to `current`, as `current`'s report's lineage says. */
export function pathTo(current, reports) {
  const report = reports.get(current);
  return [...(report?.lineage ?? []).map((s) => s.sha256), current];
}

/** What opening a container gave, for a person: status, password, limits met, skipped entries. */
export function extractionSummary(extraction) {
  return {
    status: extraction?.status ?? 'opened',
    format: extraction?.format ?? '',
    password: extraction?.password ?? null,
    limits: (extraction?.limits_hit ?? []).map((l) => `${l.limit}: ${l.detail}`),
    skipped: (extraction?.skipped ?? []).map((s) => `${s.name}: ${s.reason}`),
    listed: (extraction?.entries ?? []).map((e) => `${e.name}${e.encrypted ? ' (encrypted)' : ''}`),
    message: extraction?.message ?? null,
  };
}

/** Nodes of the tree, depth first (the tree's own order). */
export function flatten(node, out = []) {
  out.push(node);
  for (const child of node.children ?? []) flatten(child, out);
  return out;
}

/**
 * The containers a sample was found in, for "Found in": its lineage (the submitted file down to its
 * parent) as the first place, then the other containers the store lists as its parents, each once
 * (one already on the lineage, e.g. holding a second copy, is not repeated).
 * `names` maps a parent's SHA-256 to its name when it is known.
 */
export function foundIn(report, parents = [], names = new Map()) {
  const lineage = (report?.lineage ?? []).map((step) => ({ sha256: step.sha256, name: baseName(step.name) || shortHash(step.sha256) }));
  const onLineage = new Set(lineage.map((step) => step.sha256));
  const others = [];
  for (const parent of parents ?? []) {
    if (onLineage.has(parent.sha256) || others.some((o) => o.sha256 === parent.sha256)) continue;
    others.push({ sha256: parent.sha256, name: names.get(parent.sha256) ?? `${parent.format || 'container'} ${shortHash(parent.sha256)}`, as: parent.name, stored: parent.stored !== false });
  }
  return { lineage, others };
}
