// The first screen: what to do, how, and what the app keeps.
import { h } from '../components/dom.js';

/** Renders the empty state into `root`. */
export async function renderWelcome(root, ctx) {
  // Without a status (the backend not ready yet) the first screen still shows what to do.
  const status = await ctx.api.appStatus().catch(() => null);
  const stored = status?.stored_samples ?? 0;
  root.append(
    h(
      'section',
      { class: 'welcome', 'data-testid': 'welcome' },
      h('div', { class: 'drop-target' }, h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇣'), h('h1', {}, 'Drop files or folders here'), h('p', {}, 'Each file is analysed in a separate, time- and memory-limited process. Nothing is executed, and nothing leaves this machine in local mode.')),
      h('div', { class: 'welcome-actions' }, h('button', { type: 'button', class: 'primary', onclick: () => ctx.pick(false) }, 'Open files…'), h('button', { type: 'button', onclick: () => ctx.pick(true) }, 'Open a folder…'), stored ? h('button', { type: 'button', onclick: () => ctx.navigate('history') }, `Browse ${stored} stored sample${stored === 1 ? '' : 's'}`) : null),
      h(
        'dl',
        { class: 'shortcuts' },
        [['1–9, 0', 'switch views'], ['/', 'search in the current view'], ['o / Shift+O', 'open files / a folder'], ['↑ ↓ Enter', 'move and open in lists'], ['q', 'hide or show the queue'], ['Ctrl+= Ctrl+- Ctrl+0', 'zoom in, out, back to 100 %']].map(([k, v]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, v)]),
      ),
      status ? h('p', { class: 'muted' }, `Analysis: ${status.analyzer}. Case store: ${status.store}.`) : null,
    ),
  );
}
