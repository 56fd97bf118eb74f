// Copying text: the asynchronous clipboard where the page may use it, else the older
// `execCommand('copy')` on a hidden text area (WebKitGTK builds without the clipboard API, and a
// page without the permission). No Tauri plugin is needed for either.

const BUFFER_ID = 'fcas-copy-buffer';

/** Copies `text`; resolves to `true` when one of the two ways succeeded. */
export async function copyText(text) {
  const value = String(text ?? '');
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(value);
      return true;
    }
  } catch {
    // Refused (no permission, no user gesture): the fallback below still works.
  }
  return copyWithTextArea(value);
}

/** The fallback: select `text` in an off-screen text area and run the copy command. */
function copyWithTextArea(text) {
  let area = document.getElementById(BUFFER_ID);
  if (!area) {
    area = document.createElement('textarea');
    area.id = BUFFER_ID;
    area.className = 'copy-buffer';
    area.setAttribute('aria-hidden', 'true');
    area.setAttribute('tabindex', '-1');
    area.readOnly = true;
    document.body.append(area);
  }
  const previous = document.activeElement;
  area.value = text;
  area.select();
  let copied;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  // Focus goes back where it was, so Ctrl+C again copies the same row.
  if (previous && previous !== area && typeof previous.focus === 'function') previous.focus();
  return copied;
}
