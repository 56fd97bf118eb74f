// Data for the Imports view: DLL -> function hierarchy, behaviour of suspicious APIs, exports.

/**
 * Behaviour of each API named by an indicator's evidence (`dll!function`), lowercased key
 * `function` and `dll!function` -> `{indicatorId, title, severity, attackId}`. The engine's
 * indicators are the one source of which APIs are suspicious, so the view never keeps its own list.
 */
export function apiBehaviours(indicators) {
  const map = new Map();
  for (const indicator of indicators ?? []) {
    for (const e of indicator.evidence ?? []) {
      if (!e.api) continue;
      const info = { indicatorId: indicator.id, title: indicator.title, severity: indicator.severity ?? 'info', attackId: indicator.attack_id ?? null };
      const full = e.api.toLowerCase();
      map.set(full, info);
      const bang = full.indexOf('!');
      if (bang >= 0) map.set(full.slice(bang + 1), info);
    }
  }
  return map;
}

/** Imports as a hierarchy `{name, children: [{name: dll, delay, children: [{name, behaviour}]}]}`. */
export function importTree(report) {
  const behaviours = apiBehaviours(report?.indicators);
  const lookup = (dll, fn) => behaviours.get(`${dll}!${fn}`.toLowerCase()) ?? behaviours.get(String(fn).toLowerCase()) ?? null;
  const dlls = [];
  const add = (imports, delay) => {
    for (const imp of imports ?? []) {
      dlls.push({
        name: imp.dll,
        delay,
        children: (imp.functions ?? []).map((fn) => ({ name: fn, behaviour: lookup(imp.dll, fn) })),
      });
    }
  };
  if (report?.pe) {
    add(report.pe.imports, false);
    add(report.pe.delay_imports, true);
  } else if (report?.elf) {
    dlls.push({ name: 'imported symbols', delay: false, children: (report.elf.imported_symbols ?? []).map((name) => ({ name, behaviour: lookup('', name) })) });
  } else if (report?.macho) {
    const names = new Set((report.macho.slices ?? []).flatMap((s) => s.imported_symbols ?? []));
    dlls.push({ name: 'imported symbols', delay: false, children: [...names].map((name) => ({ name, behaviour: lookup('', name) })) });
  }
  return { name: 'imports', children: dlls.filter((d) => d.children.length > 0 || d.name) };
}

/** Libraries of an ELF or Mach-O file (PE: the DLL names). */
export function libraries(report) {
  if (report?.pe) return [...new Set((report.pe.imports ?? []).map((i) => i.dll))];
  if (report?.elf) return report.elf.libraries ?? [];
  if (report?.macho) return [...new Set((report.macho.slices ?? []).flatMap((s) => s.libraries ?? []))];
  return [];
}

/** Suspicious imports grouped by behaviour title: `[{title, severity, attackId, apis: [...]}]`. */
export function behaviourGroups(tree) {
  const groups = new Map();
  for (const dll of tree.children) {
    for (const fn of dll.children) {
      if (!fn.behaviour) continue;
      const key = fn.behaviour.title;
      if (!groups.has(key)) groups.set(key, { title: key, severity: fn.behaviour.severity, attackId: fn.behaviour.attackId, apis: [] });
      groups.get(key).apis.push(`${dll.name}!${fn.name}`);
    }
  }
  const rank = { high: 3, medium: 2, low: 1, info: 0 };
  return [...groups.values()].sort((a, b) => (rank[b.severity] ?? 0) - (rank[a.severity] ?? 0) || a.title.localeCompare(b.title));
}

/** Exports as rows `{name, ordinal, address, forwarder}`. */
export function exportRows(report) {
  if (report?.pe) {
    return (report.pe.exports ?? []).map((e) => ({ name: e.name ?? `#${e.ordinal}`, ordinal: e.ordinal, address: e.address, forwarder: e.forwarder ?? null }));
  }
  const names = report?.elf?.exported_symbols ?? (report?.macho?.slices ?? []).flatMap((s) => s.exported_symbols ?? []);
  return names.map((name) => ({ name, ordinal: null, address: null, forwarder: null }));
}

/** Tree filtered to functions whose name or DLL contains `text` (case-insensitive). */
export function filterTree(tree, text) {
  const needle = String(text ?? '').trim().toLowerCase();
  if (!needle) return tree;
  return {
    ...tree,
    children: tree.children
      .map((dll) => (dll.name.toLowerCase().includes(needle) ? dll : { ...dll, children: dll.children.filter((f) => f.name.toLowerCase().includes(needle)) }))
      .filter((dll) => dll.children.length > 0),
  };
}
