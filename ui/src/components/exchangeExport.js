// The "export for a threat-intelligence platform" actions: a STIX 2.1 bundle or a MISP event of
// the chosen samples (their hashes, verdicts, indicators and ATT&CK techniques; never their bytes).
import { h } from './dom.js';
import { runWithStatus } from './exportStatus.js';

/** The formats offered, as the backend names them, with their button labels. */
export const EXCHANGE_FORMATS = [
  { format: 'stix', label: 'STIX 2.1 bundle' },
  { format: 'misp', label: 'MISP event' },
];

/**
 * `sha256s()` gives the samples to export when a button is pressed (none: the buttons are
 * disabled after `update()`). The backend asks where to save in its dialog.
 */
export function exchangeExportButtons(ctx, { sha256s }) {
  const status = h('span', { class: 'status-line', role: 'status' });
  const buttons = EXCHANGE_FORMATS.map(({ format, label }) => {
    const button = h('button', { type: 'button', class: `export-${format}`, title: `Export the hashes, verdict and findings as a ${label} (no sample bytes)` }, `Export ${label}`);
    button.addEventListener('click', () => run(format));
    return button;
  });
  const update = () => buttons.forEach((button) => (button.disabled = sha256s().length === 0));
  async function run(format) {
    const wanted = sha256s();
    if (!wanted.length) return;
    buttons.forEach((button) => (button.disabled = true));
    await runWithStatus(
      status,
      async () => {
        const path = await ctx.api.exportExchange(wanted, format);
        const plural = wanted.length === 1 ? 'sample' : 'samples';
        return { text: path ? `${wanted.length} ${plural} written to ${path}` : 'Export cancelled.', ok: true };
      },
      update,
    );
  }
  update();
  return { node: h('span', { class: 'exchange-export' }, ...buttons, status), update };
}
