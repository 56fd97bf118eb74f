// Data for the Code view: entry-point listing, discovered functions and API call sites.
import { sameApi } from './links.js';

/**
 * Listing rows `{address, bytes, mnemonic, text, flow, api}`; `flow` marks calls, jumps and
 * returns, `api` names the imported function a call or jump at that address reaches.
 */
export function listingRows(code) {
  const apis = new Map((code?.api_calls ?? []).map((c) => [c.address, c.api]));
  return (code?.entry_disassembly ?? []).map((i) => ({
    api: apis.get(i.address) ?? null,
    address: i.address,
    bytes: i.bytes ?? '',
    mnemonic: i.mnemonic ?? '',
    text: i.text ?? '',
    flow: flowKind(i.mnemonic ?? ''),
  }));
}

function flowKind(mnemonic) {
  if (mnemonic === 'call') return 'call';
  if (mnemonic.startsWith('ret')) return 'ret';
  if (mnemonic.startsWith('j') || mnemonic.startsWith('loop')) return 'jump';
  return null;
}

/** Functions sorted by `key` (`address`, `size`, `instruction_count`), with their API calls counted. */
export function functionRows(code, key = 'address') {
  const calls = new Map();
  for (const c of code?.api_calls ?? []) calls.set(c.function, (calls.get(c.function) ?? 0) + 1);
  const rows = (code?.functions ?? []).map((f) => ({
    address: f.address,
    size: f.size ?? 0,
    instructionCount: f.instruction_count ?? 0,
    foundBy: f.found_by ?? '',
    cut: Boolean(f.cut),
    apiCalls: calls.get(f.address) ?? 0,
  }));
  const field = { address: 'address', size: 'size', instruction_count: 'instructionCount' }[key] ?? 'address';
  return rows.sort((a, b) => (field === 'address' ? a.address - b.address : b[field] - a[field] || a.address - b.address));
}

/** Code facts as label/value pairs for the summary strip. */
export function codeFacts(code) {
  if (!code) return [];
  const facts = [
    ['Architecture', code.arch],
    ['Functions', code.function_count],
    ['Instructions', code.instruction_count],
    ['Invalid', code.invalid_instruction_count],
    ['Indirect calls', code.indirect_call_count],
  ];
  if (code.truncated) facts.push(['Traversal', 'stopped at a limit']);
  return facts.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([label, value]) => ({ label, value: String(value) }));
}

/** Non-zero pattern counts `[{name, count}]`. */
export function patternCounts(code) {
  return Object.entries(code?.patterns ?? {})
    .filter(([, n]) => Number(n) > 0)
    .map(([name, count]) => ({ name: name.replaceAll('_', ' '), count }))
    .sort((a, b) => b.count - a.count);
}

/**
 * Call sites `{address, api, kind, function}` sorted by address, keeping those of import `api`
 * (when given, see `sameApi`) and of the function at `fn` (when given).
 */
export function callSiteRows(code, { api = null, fn = null } = {}) {
  return (code?.api_calls ?? [])
    .filter((c) => (api === null || sameApi(c.api, api)) && (fn === null || c.function === fn))
    .map((c) => ({ address: c.address, api: c.api ?? '', kind: c.kind ?? '', function: c.function }))
    .sort((a, b) => a.address - b.address);
}
