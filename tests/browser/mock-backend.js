// A stand-in for the app's Rust commands, installed in the page before it loads. It answers from
// recorded reports (`fixtures/*.json`, produced by `record-fixtures.sh` with the real engine) and
// emits the same `fcas://scan` events the backend emits.
export function installMockBackend(fixtures) {
  const samples = new Map(fixtures.samples.map((s) => [s.report.hashes.sha256, structuredClone(s)]));
  const byPath = new Map(fixtures.samples.map((s) => [s.report.path, s.report.hashes.sha256]));
  const listeners = new Map();
  let nextScan = 1;
  let settings = { mode: 'local', worker_urls: [], token: '', fleet_unreachable: 'fail', database_path: '', analysis: { max_size: 536870912, min_string_len: 0, no_disasm: false, no_models: false }, limits: { timeout_seconds: 60, memory_mib: 4096, workers: 2, max_files_per_drop: 10000 }, extraction: { passwords: [] }, vault: { keep: true, quota_gib: 10 }, appearance: { theme: fixtures.theme ?? 'system', zoom_percent: 100, queue_collapsed: false } };
  const emit = (event, payload) => (listeners.get(event) ?? []).forEach((handler) => handler(payload));
  const row = (s, i) => ({ sha256: s.report.hashes.sha256, name: s.names?.[0] ?? s.report.path.split('/').pop(), format: s.report.format, file_type: s.report.file_type.description, size: s.report.size, verdict: s.report.verdict?.label ?? null, score: s.report.verdict?.score ?? null, tags: s.tags ?? [], analysed_at: 1700000000 + i, error_count: s.report.errors.length, children: new Set((s.report.children ?? []).map((c) => `${c.name}\0${c.sha256}`)).size, reviewed_at: s.reviewed_at ?? null, md5: s.report.hashes.md5, sha1: s.report.hashes.sha1, imphash: s.report.pe?.imphash ?? '' });
  // The store's `HistorySort` orders (ties by newest first), and its hash lookup: a full MD5,
  // SHA-1, SHA-256 or imphash, or a prefix of one.
  const SORT_KEYS = { date: (r) => r.analysed_at, name: (r) => (r.name ?? '').toLowerCase(), verdict: (r) => r.verdict ?? '', score: (r) => r.score ?? -1, size: (r) => r.size, format: (r) => r.format };
  const sortRows = (rows, sort = 'date', ascending = false) => {
    const key = SORT_KEYS[sort] ?? SORT_KEYS.date;
    const sign = ascending ? 1 : -1;
    return [...rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return (x < y ? -1 : x > y ? 1 : 0) * sign || (b.analysed_at - a.analysed_at);
    });
  };
  const hashMatches = (r, hash) => {
    const h = hash.trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(h)) throw { code: 'invalid', message: `"${hash}" is not a hexadecimal hash or hash prefix` };
    if (h.length < 4) throw { code: 'invalid', message: 'give at least 4 hexadecimal characters of the hash' };
    return [r.sha256, r.md5, r.sha1, r.imphash].some((v) => v && v.startsWith(h));
  };
  const reviewedOk = (r, reviewed) => reviewed === null || reviewed === undefined || Boolean(r.reviewed_at) === reviewed;
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
  // Every History query, for the tests that check what the page asked the store for.
  const queries = [];
  const byteReads = [];
  const byteAt = (offset) => (offset * 7 + Math.floor(offset / 256)) & 0xff;
  const exports = [];
  const sampleExports = [];
  const exchangeExports = [];
  // Hunts: a stand-in for the rule engine. A line naming `nope` does not compile; a hunt runs
  // for one progress read, then matches every PE sample with a rule named after the first
  // `rule` of the text.
  const hunts = [];
  const ruleProblems = (text, origin) =>
    text
      .split('\n')
      .map((line, i) => (line.includes('nope') ? { origin, line: i + 1, message: 'unknown identifier `nope`' } : null))
      .filter(Boolean);
  const commands = {
    check_rules: ({ folders, rules }) => (rules != null ? ruleProblems(rules, 'typed rules') : folders.filter((f) => f.includes('broken')).map((f) => ({ origin: `${f}/bad.yar`, line: 2, message: 'unknown identifier `nope`' }))),
    start_hunt: ({ request }) => {
      const problems = ruleProblems(request.rules ?? '', 'typed rules');
      if (problems.length) throw { code: 'invalid', message: `1 error(s) in the rules: typed rules:${problems[0].line}: ${problems[0].message}` };
      const rule = /rule\s+(\w+)/.exec(request.rules ?? '')?.[1] ?? 'rule';
      const pe = [...samples.values()].filter((s) => s.report.format === 'pe');
      const id = hunts.length + 1;
      hunts.unshift({ id, created_at: 1700000000 + id, updated_at: 1700000000 + id, rules_hash: 'f'.repeat(64), rules_source: '/data/hunt-rules/x', since: null, tag: request.tag, status: 'running', checkpoint: null, scanned: 0, matched: 0, bytes: 0, errors: 0, message: '', reads: 0, rule, pe });
      return id;
    },
    list_hunts: () =>
      hunts.map((hunt) => {
        if (hunt.status === 'running' && hunt.reads++ >= 1) Object.assign(hunt, { status: 'done', scanned: samples.size, matched: hunt.pe.length, bytes: [...samples.values()].reduce((n, s) => n + s.report.size, 0) });
        const { reads, rule, pe, ...stored } = hunt;
        return { ...stored, active: stored.status === 'running' };
      }),
    hunt_matches: ({ id }) => {
      const hunt = hunts.find((h) => h.id === id);
      if (!hunt) throw { code: 'not_found', message: `no hunt ${id}` };
      return hunt.status === 'done' ? hunt.pe.map((s) => ({ sha256: s.report.hashes.sha256, rule: hunt.rule, namespace: 'hunt', tags: [], meta: [], strings: [{ identifier: '$mz', offset: 0, length: 2, excerpt: 'MZ' }] })) : [];
    },
    cancel_hunt: ({ id }) => {
      const hunt = hunts.find((h) => h.id === id && h.status === 'running');
      if (!hunt) throw { code: 'not_found', message: `hunt ${id} is not running in this app` };
      hunt.status = 'cancelled';
      return null;
    },
    resume_hunt: ({ id }) => {
      const hunt = hunts.find((h) => h.id === id);
      if (!hunt || hunt.status === 'done') throw { code: 'invalid', message: `hunt ${id} is done already; start a new hunt to run its rules again` };
      Object.assign(hunt, { status: 'running', reads: 0 });
      return null;
    },
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
    // As the app: `strings: false` leaves a non-empty string list out and says so.
    get_report: ({ sha256, strings = true }) => {
      if (!samples.has(sha256)) throw { code: 'not_found', message: `no stored report for ${sha256}` };
      const sample = structuredClone(samples.get(sha256));
      const leftOut = strings === false && (sample.report.strings?.items?.length ?? 0) > 0;
      if (leftOut) sample.report.strings.items = [];
      return { ...sample, strings_left_out: leftOut };
    },
    get_report_strings: ({ sha256 }) => {
      if (!samples.has(sha256)) throw { code: 'not_found', message: `no stored report for ${sha256}` };
      return structuredClone(samples.get(sha256).report.strings?.items ?? []);
    },
    list_samples: ({ query }) => {
      const rows = [...samples.values()].map(row).concat(fixtures.extraRows ?? []);
      queries.push(query);
      const matching = rows.filter(
        (r) =>
          (!query.format || r.format === query.format) &&
          (!query.tag || r.tags.includes(query.tag)) &&
          (!query.verdict || (r.verdict ?? 'none') === query.verdict) &&
          reviewedOk(r, query.reviewed) &&
          (!query.hash || hashMatches(r, query.hash)),
      );
      return sortRows(matching, query.sort, query.ascending).slice(query.offset, query.offset + query.limit);
    },
    similar_samples: ({ sha256 }) => ({
      query: { sha256, names: [] },
      by_tlsh: [...samples.values()].filter((s) => s.report.hashes.sha256 !== sha256).map((s, i) => ({ sample: { sha256: s.report.hashes.sha256, names: s.names ?? [], verdict: s.report.verdict?.label === 'unknown' ? null : s.report.verdict?.label ?? null, format: s.report.format }, matched_by: 'tlsh', tlsh_distance: 40 + 60 * i, ssdeep_score: null })),
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
    update_samples: ({ sha256s, change }) => {
      // All or none, as the store does.
      const unknown = sha256s.find((h) => !samples.has(h));
      if (unknown) throw { code: 'not_found', message: `no sample matches ${unknown}` };
      for (const sha256 of sha256s) commands.update_sample({ sha256, change });
      return null;
    },
    set_reviewed: ({ sha256, reviewed }) => {
      const s = samples.get(sha256);
      if (!s) throw { code: 'not_found', message: `no sample matches ${sha256}` };
      s.reviewed_at = reviewed ? (s.reviewed_at ?? 1700001234) : null;
      return { sha256, reviewed_at: s.reviewed_at };
    },
    get_settings: () => structuredClone(settings),
    save_settings: ({ settings: next }) => {
      if (next.mode === 'connected' && next.worker_urls.length === 0) throw { code: 'invalid', message: 'connected mode needs at least one worker URL' };
      // As the backend: theme and zoom change only through save_appearance.
      settings = { ...next, appearance: settings.appearance };
      return null;
    },
    save_appearance: ({ appearance }) => {
      if (!(appearance.zoom_percent >= 50 && appearance.zoom_percent <= 200)) throw { code: 'invalid', message: 'the zoom must be between 50 % and 200 %' };
      settings = { ...settings, appearance };
      return null;
    },
    app_status: () => ({ version: '0.1.0', analyzer: 'local: 2 analysis process(es)', store: 'mock', stored_samples: samples.size, models: [] }),
    export_report: ({ sha256, format, html }) => {
      exports.push({ sha256, format, html });
      return `/exports/${sha256.slice(0, 16)}.${format}`;
    },
    export_exchange: ({ sha256s, format }) => {
      if (!['stix', 'misp'].includes(format)) throw { code: 'invalid', message: `unknown exchange format ${format}; use stix or misp` };
      const unknown = sha256s.find((h) => !samples.has(h));
      if (unknown) throw { code: 'not_found', message: `no report of ${unknown} is stored` };
      exchangeExports.push({ sha256s, format });
      return sha256s.length === 1 ? `/exports/${sha256s[0].slice(0, 16)}.${format}.json` : `/exports/samples.${format}.json`;
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
    queries,
    byteReads,
    exports,
    sampleExports,
    exchangeExports,
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
