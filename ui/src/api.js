// The one door to the backend. In the app it is Tauri's IPC; browser tests install a mock as
// `window.__FCAS_BACKEND__ = {invoke(command, args), listen(event, handler)}` before the page loads.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';

/** Name of the progress event (see the backend's `SCAN_EVENT`). */
export const SCAN_EVENT = 'fcas://scan';

const mock = () => globalThis.__FCAS_BACKEND__ ?? null;

/** Every backend error reaches the page as `{code, message}`. */
export function toAppError(error) {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return error;
  return { code: 'internal', message: String(error?.message ?? error) };
}

async function call(command, args = {}) {
  try {
    const backend = mock();
    return await (backend ? backend.invoke(command, args) : tauriInvoke(command, args));
  } catch (error) {
    throw toAppError(error);
  }
}

/** Subscribes to progress events; returns an unsubscribe function (a promise of one). */
export function onScan(handler) {
  const backend = mock();
  if (backend) return backend.listen(SCAN_EVENT, handler);
  return tauriListen(SCAN_EVENT, (event) => handler(event.payload));
}

/** Name of the event saying where a file the page saved went (see the backend's `DOWNLOAD_EVENT`). */
export const DOWNLOAD_EVENT = 'fcas://download';

/** Subscribes to saved files: `handler({path, success})`. */
export function onDownload(handler) {
  const backend = mock();
  if (backend) return backend.listen(DOWNLOAD_EVENT, handler);
  return tauriListen(DOWNLOAD_EVENT, (event) => handler(event.payload));
}

/** Subscribes to file drops on the window: `handler({type, paths})`. */
export function onDragDrop(handler) {
  if (mock()) return () => {};
  return getCurrentWebview().onDragDropEvent((event) => handler(event.payload));
}

/** The app's commands. */
export const api = {
  analyzePaths: (paths) => call('analyze_paths', { paths }),
  pickAndAnalyze: (folder) => call('pick_and_analyze', { folder }),
  // `{strings: false}`: without the report's string list (`strings_left_out` says whether it was
  // left out); `getReportStrings` reads it.
  getReport: (sha256, { strings = true } = {}) => call('get_report', { sha256, strings }),
  getReportStrings: (sha256) => call('get_report_strings', { sha256 }),
  listSamples: (query) => call('list_samples', { query }),
  similarSamples: (sha256, top = 20) => call('similar_samples', { sha256, top }),
  children: (sha256) => call('children', { sha256 }),
  parents: (sha256) => call('parents', { sha256 }),
  updateSample: (sha256, change) => call('update_sample', { sha256, change }),
  // The same tag change on many samples, all or none.
  updateSamples: (sha256s, change) => call('update_samples', { sha256s, change }),
  setReviewed: (sha256, reviewed) => call('set_reviewed', { sha256, reviewed }),
  getSettings: () => call('get_settings'),
  saveSettings: (settings) => call('save_settings', { settings }),
  saveAppearance: (appearance) => call('save_appearance', { appearance }),
  appStatus: () => call('app_status'),
  exportReport: (sha256, format, html = null) => call('export_report', { sha256, format, html }),
  // `null` password: the default, `infected` (EXPORT_PASSWORD). Resolves to `null` when cancelled.
  exportSamples: (sha256s, password = null) => call('export_samples', { sha256s, password }),
  exportExchange: (sha256s, format) => call('export_exchange', { sha256s, format }),
  checkRules: (folders, rules = null) => call('check_rules', { folders, rules }),
  startHunt: (request) => call('start_hunt', { request }),
  resumeHunt: (id) => call('resume_hunt', { id }),
  cancelHunt: (id) => call('cancel_hunt', { id }),
  listHunts: () => call('list_hunts'),
  huntMatches: (id) => call('hunt_matches', { id }),
  // At most 64 KiB from `offset` (the backend's MAX_WINDOW_BYTES): `{sha256, size, offset, bytes, source}`.
  readSampleBytes: (sha256, offset, length) => call('read_sample_bytes', { sha256, offset, length }),
};
