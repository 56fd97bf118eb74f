// Where each piece of evidence leads: an offset to the hex drawer, an import to its row in the
// Imports view, a call site to the Code view, a section to the File map. Pure functions; the
// views turn the targets into buttons (`components/evidenceLinks.js`).

/** `dll!function` or `function` as `{dll, name}` (dll '' when absent). */
export function splitApi(api) {
  const text = String(api ?? '');
  const bang = text.indexOf('!');
  return bang >= 0 ? { dll: text.slice(0, bang), name: text.slice(bang + 1) } : { dll: '', name: text };
}

/** Whether call-site API `api` names the import `wanted` (`dll!fn` or `fn`), case-insensitively. */
export function sameApi(api, wanted) {
  const a = splitApi(api);
  const b = splitApi(wanted);
  if (a.name.toLowerCase() !== b.name.toLowerCase()) return false;
  return !a.dll || !b.dll || a.dll.toLowerCase() === b.dll.toLowerCase();
}

/** The call sites of import `api` in the report's code (`[]` without disassembly). */
export function callSitesOf(report, api) {
  return (report?.code?.api_calls ?? []).filter((c) => sameApi(c.api, api));
}

/** The call-site address a call-site evidence's detail names ("call at 0x401234 in the function at 0x401000"). */
function callSiteAddress(detail) {
  const match = /\bat 0x([0-9a-f]+) in the function at 0x([0-9a-f]+)/i.exec(String(detail ?? ''));
  return match ? { address: parseInt(match[1], 16), function: parseInt(match[2], 16) } : null;
}

/**
 * Links of one piece of evidence: `[{kind, label, target}]`, where `target` is
 * `{hex: offset}` or `{view, focus}`. Evidence without anything to follow gives `[]`.
 */
export function evidenceLinks(evidence, report) {
  const links = [];
  if (Number.isFinite(evidence?.offset)) links.push({ kind: 'offset', label: `offset 0x${evidence.offset.toString(16)}`, target: { hex: evidence.offset } });
  if (evidence?.section) links.push({ kind: 'section', label: `section ${evidence.section}`, target: { view: 'filemap', focus: { section: evidence.section } } });
  if (evidence?.api) {
    const site = callSiteAddress(evidence.detail);
    if (site) {
      links.push({ kind: 'call', label: `call at 0x${site.address.toString(16)}`, target: { view: 'code', focus: { callSite: site.address, api: evidence.api } } });
      links.push({ kind: 'function', label: `function 0x${site.function.toString(16)}`, target: { view: 'code', focus: { function: site.function } } });
    }
    links.push({ kind: 'import', label: evidence.api, target: { view: 'imports', focus: { api: evidence.api } } });
    const calls = callSitesOf(report, evidence.api).length;
    if (!site && calls) links.push({ kind: 'calls', label: `${calls} call site${calls === 1 ? '' : 's'}`, target: { view: 'code', focus: { api: evidence.api } } });
  }
  return links;
}
