// A stand-in for the app's Rust commands, installed in the page before it loads. It answers from
// recorded reports (`fixtures/*.json`, produced by `record-fixtures.sh` with the real engine) and
// emits the same `fcas://scan` events the backend emits.
export function installMockBackend(fixtures) {
  const samples = new Map(fixtures.samples.map((s) => [s.report.hashes.sha256, structuredClone(s)]));
  const byPath = new Map(fixtures.samples.map((s) => [s.report.path, s.report.hashes.sha256]));
  const listeners = new Map();
  let nextScan = 1;
  let settings = { mode: 'local', worker_urls: [], token: '', fleet_unreachable: 'fail', database_path: '', analysis: { max_size: 536870912, min_string_len: 0, no_disasm: false, no_models: false }, limits: { timeout_seconds: 60, memory_mib: 4096, workers: 2, max_files_per_drop: 10000 }, extraction: { passwords: [] }, vault: { keep: true, quota_gib: 10 } };
  const emit = (event, payload) => (listeners.get(event) ?? []).forEach((handler) => handler(payload));
  const row = (s, i) => ({ sha256: s.report.hashes.sha256, name: s.names?.[0] ?? s.report.path.split('/').pop(), format: s.report.format, file_type: s.report.file_type.description, size: s.report.size, verdict: s.report.verdict?.label ?? null, score: s.report.verdict?.score ?? null, tags: s.tags ?? [], analysed_at: 1700000000 + i, error_count: s.report.errors.length, children: new Set((s.report.children ?? []).map((c) => `${c.name}\0${c.sha256}`)).size });
  // The store's parent-child edges, as the containers' reports listed their children.
  const edges = [...samples.values()].flatMap((s) => (s.report.children ?? []).map((c) => ({ parent: s.report.hashes.sha256, child: c })));
  const edge = (sha256, name, listed) => {
    const stored = samples.get(sha256)?.report;
    return { sha256, name, format: stored?.format ?? listed.format ?? '', size: stored?.size ?? listed.size ?? 0, verdict: stored?.verdict?.label ?? null, stored: Boolean(stored) };
  };
  const known = (sha256) => {
    if (!samples.has(sha256) && !edges.some((e) => e.parent === sha256 || e.child.sha256 === sha256)) throw { code: 'not_found', message: `no sample matches ${sha256}` };
  };
  const calls = [];
  const byteReads = [];
  const byteAt = (offset) => (offset * 7 + Math.floor(offset / 256)) & 0xff;
  const exports = [];
  const sampleExports = [];
  const commands = {
    analyze_paths: ({ paths }) => {
      const scans = paths.map((path) => ({ scan_id: nextScan++, path }));
      for (const scan of scans) {
        const sha256 = byPath.get(scan.path);
        const base = { scan_id: scan.scan_id, path: scan.path, sha256: null, cached: false, message: null, elapsed_ms: 1 };
        setTimeout(() => emit('fcas://scan', { ...base, stage: 'queued', progress: 0 }), 0);
        setTimeout(() => emit('fcas://scan', { ...base, stage: 'analyzing', progress: 0.3 }), 5);
        setTimeout(
          () =>
            emit('fcas://scan', sha256 ? { ...base, stage: 'done', progress: 1, sha256 } : { ...base, stage: 'failed', progress: 1, message: 'the analysis process crashed (signal 11)' }),
          10,
        );
      }
      return { scans, notes: [] };
    },
    pick_and_analyze: () => ({ scans: [], notes: [] }),
    get_report: ({ sha256 }) => {
      if (!samples.has(sha256)) throw { code: 'not_found', message: `no stored report for ${sha256}` };
      return structuredClone(samples.get(sha256));
    },
    list_samples: ({ query }) => {
      const rows = [...samples.values()].map(row).concat(fixtures.extraRows ?? []);
      return rows.filter((r) => (!query.format || r.format === query.format) && (!query.tag || r.tags.includes(query.tag))).slice(query.offset, query.offset + query.limit);
    },
    similar_samples: ({ sha256 }) => ({
      query: { sha256, names: [] },
      by_tlsh: [...samples.values()].filter((s) => s.report.hashes.sha256 !== sha256).map((s, i) => ({ sample: { sha256: s.report.hashes.sha256, names: s.names ?? [], verdict: null, format: s.report.format }, matched_by: 'tlsh', tlsh_distance: 40 + 60 * i, ssdeep_score: null })),
      by_ssdeep: [],
      notes: [],
    }),
    children: ({ sha256 }) => {
      known(sha256);
      return edges.filter((e) => e.parent === sha256).map((e) => edge(e.child.sha256, e.child.name, e.child)).sort((a, b) => a.name.localeCompare(b.name));
    },
    parents: ({ sha256 }) => {
      known(sha256);
      return edges.filter((e) => e.child.sha256 === sha256).map((e) => edge(e.parent, e.child.name, {}));
    },
    update_sample: ({ sha256, change }) => {
      const s = samples.get(sha256);
      s.tags = [...new Set([...(s.tags ?? []).filter((t) => !change.remove_tags.includes(t)), ...change.add_tags])].sort();
      if (change.note) (s.notes ??= []).push({ created_at: 1700000000, text: change.note });
      return null;
    },
    get_settings: () => structuredClone(settings),
    save_settings: ({ settings: next }) => {
      if (next.mode === 'connected' && next.worker_urls.length === 0) throw { code: 'invalid', message: 'connected mode needs at least one worker URL' };
      settings = next;
      return null;
    },
    app_status: () => ({ version: '0.1.0', analyzer: 'local: 2 analysis process(es)', store: 'mock', stored_samples: samples.size, models: [] }),
    export_report: ({ sha256, format, html }) => {
      exports.push({ sha256, format, html });
      return `/exports/${sha256.slice(0, 16)}.${format}`;
    },
    export_samples: ({ sha256s, password }) => {
      sampleExports.push({ sha256s, password });
      // A stored sample is written; a hash the store does not hold is missing, as the backend says.
      const written = sha256s.filter((h) => samples.has(h));
      const missing = sha256s.filter((h) => !samples.has(h)).map((sha256) => ({ sha256, reason: 'no report of it is stored' }));
      return { path: sha256s.length === 1 ? `/exports/${sha256s[0].slice(0, 16)}.zip` : '/exports/samples.zip', written, missing };
    },
    // Like the backend: at most 64 KiB, never past the end, an offset past it refused. The bytes
    // are a pattern of their offset (`byteAt`), so a test can check which bytes it sees; a sample
    // named in `fixtures.bytesUnavailable` answers with that reason instead.
    read_sample_bytes: ({ sha256, offset, length }) => {
      const s = samples.get(sha256);
      if (!s) throw { code: 'not_found', message: `no report of ${sha256} is stored; analyse the file first` };
      const reason = fixtures.bytesUnavailable?.[sha256];
      if (reason) throw { code: 'unavailable', message: reason };
      const size = s.report.size;
      if (!(offset >= 0 && offset <= size)) throw { code: 'invalid', message: `offset ${offset} is past the end of the ${size}-byte file` };
      const n = Math.max(0, Math.min(length, 65536, size - offset));
      byteReads.push({ sha256, offset, length: n });
      return { sha256, size, offset, bytes: Array.from({ length: n }, (_, i) => byteAt(offset + i)), source: { kind: 'vault' } };
    },
  };
  window.__FCAS_BACKEND__ = {
    calls,
    byteReads,
    exports,
    sampleExports,
    async invoke(command, args) {
      calls.push(command);
      if (!(command in commands)) throw { code: 'internal', message: `unknown command ${command}` };
      return commands[command](args ?? {});
    },
    listen(event, handler) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(handler);
      return Promise.resolve(() => {});
    },
  };
}
