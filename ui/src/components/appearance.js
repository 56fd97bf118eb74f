// Applies the theme, the zoom and the queue's folding to the page, and saves each change through
// the backend's `save_appearance` (kept in the settings file like the other settings).
import { DEFAULT_APPEARANCE, nextZoom, normaliseAppearance, resolveTheme } from '../data/appearance.js';

const systemDark = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
let current = { ...DEFAULT_APPEARANCE };
let saveAppearance = async () => {};
let onError = () => {};
const listeners = new Set();

function apply() {
  const root = document.documentElement;
  root.dataset.theme = resolveTheme(current.theme, Boolean(systemDark?.matches));
  root.dataset.themeChoice = current.theme;
  // CSS zoom scales layout, text and charts alike (WebKitGTK and Chromium both have it).
  root.style.zoom = current.zoom_percent === 100 ? '' : String(current.zoom_percent / 100);
  root.classList.toggle('queue-collapsed', current.queue_collapsed);
  listeners.forEach((listener) => listener(current));
}

async function change(patch) {
  current = normaliseAppearance({ ...current, ...patch });
  apply();
  try {
    await saveAppearance(current);
  } catch (error) {
    onError(`The appearance was not saved: ${error.message}`);
  }
}

/**
 * Applies the system's theme at once (before the first paint), then the saved appearance when
 * `loadSaved()` answers. `save(appearance)` keeps a change; `reportError(text)` tells the analyst.
 */
export async function initAppearance({ loadSaved, save, reportError }) {
  saveAppearance = save;
  onError = reportError;
  apply();
  systemDark?.addEventListener?.('change', apply);
  try {
    current = normaliseAppearance(await loadSaved());
  } catch (error) {
    reportError(`The saved appearance could not be read (${error.message}); the system's theme is used.`);
  }
  apply();
}

/** The appearance in force. */
export const appearance = () => current;

/** `system`, `light` or `dark`. */
export const setTheme = (theme) => change({ theme });

/** +1 larger, -1 smaller, 0 back to 100 %. */
export const stepZoom = (direction) => change({ zoom_percent: nextZoom(current.zoom_percent, direction) });

/** Folds or unfolds the queue panel. */
export const toggleQueue = () => change({ queue_collapsed: !current.queue_collapsed });

/** Calls `listener(appearance)` after each change; returns the way to stop. */
export function onAppearance(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
