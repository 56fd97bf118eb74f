// Evidence as buttons that take the analyst to it (see `data/links.js`), with the evidence's
// text beside them when it has more to say.
import { evidenceLinks } from '../data/links.js';
import { h } from './dom.js';

/** A link button for `target` (`{hex}` opens the hex drawer, `{view, focus}` another view). */
export function linkButton(ctx, label, target, kind = 'view') {
  const follow = () => (target.hex !== undefined ? ctx.openHex(target.hex) : ctx.navigate(target.view, target.focus));
  return h('button', { type: 'button', class: `link evidence-link link-${kind}`, 'data-link': kind, onclick: follow }, label);
}

/** One piece of evidence: its links, then its detail text. */
export function evidenceNode(ctx, evidence, report) {
  const links = evidenceLinks(evidence, report).map((l) => linkButton(ctx, l.label, l.target, l.kind));
  const detail = evidence.detail ? h('span', { class: 'evidence-detail' }, evidence.detail) : null;
  return h('span', { class: 'evidence-item' }, links, detail);
}
