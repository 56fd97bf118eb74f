// The "export samples" action: a button, the password the ZIP will have, and what was written.
import { EXPORT_PASSWORD, exportSummary } from '../data/sampleExport.js';
import { h } from './dom.js';
import { runWithStatus } from './exportStatus.js';

/**
 * `sha256s()` gives the samples to export when the button is pressed (none: the button is
 * disabled after `update()`). The backend asks where to save in its dialog.
 */
export function sampleExportButton(ctx, { label, sha256s }) {
  const status = h('span', { class: 'status-line', role: 'status' });
  const button = h('button', { type: 'button', class: 'export-samples', title: 'Samples are only ever written inside a ZIP encrypted with AES-256' }, label);
  const note = h('small', { class: 'password-note' }, `password: ${EXPORT_PASSWORD}`);
  const update = () => {
    button.disabled = sha256s().length === 0;
  };
  button.addEventListener('click', async () => {
    const wanted = sha256s();
    if (!wanted.length) return;
    button.disabled = true;
    await runWithStatus(
      status,
      async () => {
        const result = await ctx.api.exportSamples(wanted);
        return result ? exportSummary(result, EXPORT_PASSWORD) : { text: 'Export cancelled.', ok: true };
      },
      update,
    );
  });
  update();
  return { node: h('span', { class: 'sample-export' }, button, note, status), update };
}
