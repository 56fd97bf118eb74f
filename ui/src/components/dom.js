// Element building without innerHTML, so report text (hostile) is never parsed as markup.
import { copyText } from './clipboard.js';

/** `h('div', {class: 'x', onclick: f}, 'text', child)` -> element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Empties `el` and fills it with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A button that copies `value` to the clipboard and says so. */
export function copyButton(value, label = 'Copy') {
  const button = h('button', { class: 'copy', type: 'button', title: `Copy ${label}`, 'aria-label': `Copy ${label}` }, 'Copy');
  button.addEventListener('click', async () => {
    button.textContent = (await copyText(value)) ? 'Copied' : 'Select & copy';
    setTimeout(() => (button.textContent = 'Copy'), 1200);
  });
  return button;
}

/** A titled panel. */
export function panel(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

/** A message for a view that has nothing to show. */
export function emptyNote(text) {
  return h('p', { class: 'empty-note' }, text);
}

/**
 * The width `el`'s children are laid out in (its content box), or `fallback` when it is not laid
 * out (detached, as for the HTML export). Charts draw at this width, so their text is never scaled down.
 */
export function contentWidth(el, fallback) {
  if (!el?.isConnected || !el.clientWidth) return fallback;
  const style = getComputedStyle(el);
  return Math.floor(el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) || fallback;
}
