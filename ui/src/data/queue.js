// The queue panel's state, folded from `fcas://scan` events. Pure: (state, event) -> state.

const STAGE_ORDER = { queued: 0, hashing: 1, analyzing: 2, storing: 3, done: 4, failed: 4 };

/** An empty queue. */
export function emptyQueue() {
  return { items: new Map(), order: [] };
}

/**
 * Applies one event. Events of a scan may arrive out of order across threads; a later stage never
 * goes back to an earlier one, and a finished scan stays finished.
 */
export function applyScanEvent(queue, event) {
  const items = new Map(queue.items);
  const order = queue.items.has(event.scan_id) ? queue.order : [...queue.order, event.scan_id];
  const previous = items.get(event.scan_id);
  if (previous && (STAGE_ORDER[previous.stage] ?? 0) > (STAGE_ORDER[event.stage] ?? 0)) return queue;
  if (previous && (previous.stage === 'done' || previous.stage === 'failed')) return queue;
  items.set(event.scan_id, {
    scanId: event.scan_id,
    path: event.path,
    stage: event.stage,
    progress: Math.min(1, Math.max(0, event.progress ?? 0)),
    sha256: event.sha256 ?? previous?.sha256 ?? null,
    cached: Boolean(event.cached),
    message: event.message ?? null,
    elapsedMs: event.elapsed_ms ?? 0,
  });
  return { items, order };
}

/** Items in arrival order. */
export function queueItems(queue) {
  return queue.order.map((id) => queue.items.get(id)).filter(Boolean);
}

/** Counts for the panel header: `{total, active, done, failed}`. */
export function queueCounts(queue) {
  const counts = { total: 0, active: 0, done: 0, failed: 0 };
  for (const item of queue.items.values()) {
    counts.total += 1;
    if (item.stage === 'done') counts.done += 1;
    else if (item.stage === 'failed') counts.failed += 1;
    else counts.active += 1;
  }
  return counts;
}

/** Removes finished items (done and failed), keeping those in progress. */
export function clearFinished(queue) {
  const items = new Map([...queue.items].filter(([, item]) => item.stage !== 'done' && item.stage !== 'failed'));
  return { items, order: queue.order.filter((id) => items.has(id)) };
}
