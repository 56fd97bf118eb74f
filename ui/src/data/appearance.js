// Theme and zoom as values: which theme a choice means under the system's preference, and the
// zoom steps Ctrl+= and Ctrl+- walk. The shell applies them (components/appearance.js).

/** The zoom levels, in percent, as browsers offer them; the backend accepts 50 to 200. */
export const ZOOM_STEPS = [50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200];

/** What a settings file without an appearance means. */
export const DEFAULT_APPEARANCE = Object.freeze({ theme: 'system', zoom_percent: 100, queue_collapsed: false });

/** `light` or `dark`: the saved choice, or the system's when the choice is `system` (or unknown). */
export function resolveTheme(choice, systemPrefersDark) {
  if (choice === 'light' || choice === 'dark') return choice;
  return systemPrefersDark ? 'dark' : 'light';
}

/**
 * The next zoom step from `current` in `direction` (+1 larger, -1 smaller, 0 back to 100); a
 * value between steps (a hand-edited file) moves to the nearest step that way, and the ends stay.
 */
export function nextZoom(current, direction) {
  if (direction === 0 || !Number.isFinite(current)) return 100;
  if (direction > 0) return ZOOM_STEPS.find((step) => step > current) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1];
  return [...ZOOM_STEPS].reverse().find((step) => step < current) ?? ZOOM_STEPS[0];
}

/** The zoom change a key press asks for (Ctrl with =, +, - or 0), or null. */
export function zoomKey(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  if (event.key === '=' || event.key === '+') return 1;
  if (event.key === '-' || event.key === '_') return -1;
  if (event.key === '0') return 0;
  return null;
}

/** A saved appearance with every field present and in range (older files, hand edits). */
export function normaliseAppearance(saved) {
  const theme = ['system', 'light', 'dark'].includes(saved?.theme) ? saved.theme : DEFAULT_APPEARANCE.theme;
  const zoom = Number(saved?.zoom_percent);
  const zoom_percent = Number.isFinite(zoom) ? Math.min(ZOOM_STEPS[ZOOM_STEPS.length - 1], Math.max(ZOOM_STEPS[0], Math.round(zoom))) : 100;
  return { theme, zoom_percent, queue_collapsed: Boolean(saved?.queue_collapsed) };
}
