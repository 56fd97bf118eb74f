// Settings: local or connected mode, worker URLs and token, database location, limits, the
// extra passwords tried on encrypted containers, YARA rule folders (checked with file and line); the app's status and the models it has seen.
import { h, panel } from '../components/dom.js';
import { problemText } from '../data/hunts.js';
import { appearance, onAppearance, setTheme, stepZoom } from '../components/appearance.js';

/** Renders the Settings view into `root`. */
export async function renderSettings(root, ctx) {
  let settings;
  let status;
  try {
    [settings, status] = await Promise.all([ctx.api.getSettings(), ctx.api.appStatus()]);
  } catch (error) {
    root.append(panel('Settings', h('p', { class: 'error' }, error.message)));
    return;
  }
  const limits = settings.limits;
  // What each analysis does: the options the CLI, the worker fleet and the analysis process share.
  const analysis = settings.analysis ?? {};
  const MIB = 1024 * 1024;
  const field = (label, input, help) => h('label', { class: 'field' }, h('span', {}, label), input, help ? h('small', {}, help) : null);
  const number = (name, value, min, max) => h('input', { type: 'number', name, value, min, max, required: true });
  const mode = h('select', { name: 'mode' }, h('option', { value: 'local' }, 'Local: analyse on this machine, nothing leaves it'), h('option', { value: 'connected' }, 'Connected: send files to the worker fleet'));
  mode.value = settings.mode;
  const urls = h('textarea', { name: 'worker_urls', rows: 3, placeholder: 'http://127.0.0.1:8700' });
  urls.value = (settings.worker_urls ?? []).join('\n');
  const token = h('input', { type: 'password', name: 'token', value: settings.token ?? '', autocomplete: 'off' });
  const unreachable = h(
    'select',
    { name: 'fleet_unreachable' },
    h('option', { value: 'fail' }, 'Fail: show the error, analyse nothing here'),
    h('option', { value: 'local' }, 'Fall back: analyse on this machine'),
  );
  unreachable.value = settings.fleet_unreachable ?? 'fail';
  const database = h('input', { type: 'text', name: 'database_path', value: settings.database_path ?? '', placeholder: 'default: in the app data folder' });
  const inputs = {
    timeout_seconds: number('timeout_seconds', limits.timeout_seconds, 1, 3600),
    memory_mib: number('memory_mib', limits.memory_mib, 64, 65536),
    workers: number('workers', limits.workers, 1, 16),
    max_files_per_drop: number('max_files_per_drop', limits.max_files_per_drop, 1, 100000),
  };
  const maxFileMib = number('max_file_mib', Math.round((analysis.max_size ?? 512 * MIB) / MIB), 1, 16384);
  const noDisasm = h('input', { type: 'checkbox', name: 'no_disasm' });
  noDisasm.checked = Boolean(analysis.no_disasm);
  // One per line; spaces are kept (they can be part of a password), blank lines dropped.
  const passwords = h('textarea', { name: 'passwords', rows: 3, autocomplete: 'off', spellcheck: 'false', placeholder: 'one password per line' });
  passwords.value = (settings.extraction?.passwords ?? []).join('\n');
  // The vault keeps sample bytes beside the case store (on unless turned off).
  const vault = settings.vault ?? { keep: true, quota_gib: 10 };
  const keepBytes = h('input', { type: 'checkbox', name: 'vault_keep' });
  keepBytes.checked = vault.keep !== false;
  const quotaGib = number('vault_quota_gib', vault.quota_gib ?? 10, 1, 1000000);
  // Rule folders run with the built-in rules on every analysis; their compile errors are shown
  // with file and line when checked and after each save.
  const ruleFolders = h('textarea', { name: 'rule_folders', rows: 2, spellcheck: 'false', placeholder: 'one folder of .yar files per line' });
  ruleFolders.value = (settings.rule_folders ?? []).join('\n');
  const folderList = () => ruleFolders.value.split(/\r?\n/).map((f) => f.trim()).filter(Boolean);
  const ruleProblems = h('ul', { class: 'rule-problems', 'aria-live': 'polite' });
  const checkRules = h('button', { type: 'button', class: 'small' }, 'Check rules');
  async function showRuleProblems() {
    try {
      const problems = await ctx.api.checkRules(folderList(), null);
      ruleProblems.replaceChildren(
        ...(problems.length ? problems.map((p) => h('li', { class: 'error' }, problemText(p))) : [h('li', { class: 'ok' }, 'The rules compile.')]),
      );
    } catch (error) {
      ruleProblems.replaceChildren(h('li', { class: 'error' }, error.message));
    }
  }
  checkRules.addEventListener('click', showRuleProblems);
  const message = h('p', { class: 'status-line', role: 'status' });
  const connectedOnly = h(
    'fieldset',
    {},
    h('legend', {}, 'Worker fleet'),
    field('Worker URLs (one per line)', urls),
    field('Token', token, 'Stored in the settings file, readable by you only.'),
    field('When the fleet is unreachable', unreachable),
  );
  const syncMode = () => connectedOnly.toggleAttribute('disabled', mode.value !== 'connected');
  mode.addEventListener('change', syncMode);
  syncMode();
  const form = h(
    'form',
    { class: 'settings-form' },
    field('Mode', mode),
    connectedOnly,
    field('Case store file', database, `Now: ${status.store}`),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Limits'),
      field('Time per file (s)', inputs.timeout_seconds),
      field('Memory per analysis process (MiB)', inputs.memory_mib),
      field('Largest file (MiB)', maxFileMib),
      field('Analysis processes', inputs.workers, 'Applies after a restart.'),
      field('Files per drop', inputs.max_files_per_drop),
      h('label', { class: 'check' }, noDisasm, ' Skip disassembly'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Encrypted containers'),
      field(
        'Extra passwords (one per line)',
        passwords,
        'The defaults infected, malware, virus and password are tried first, then these in order. Kept in the settings file, readable by you only.',
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Sample vault'),
      h('label', { class: 'check' }, keepBytes, ' Keep sample bytes (vault)'),
      field('Vault quota (GiB)', quotaGib, 'Compressed and encoded beside the case store, never executable; beyond the quota the least recently used samples are removed.'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'YARA rules'),
      field('Rule folders (one per line)', ruleFolders, 'Run on every analysis besides the built-in rules and your rule folder; applies to new analyses.'),
      checkRules,
      ruleProblems,
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Save'),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const next = {
      mode: mode.value,
      worker_urls: urls.value.split('\n').map((u) => u.trim()).filter(Boolean),
      token: token.value,
      fleet_unreachable: unreachable.value,
      database_path: database.value.trim(),
      analysis: { ...analysis, max_size: Number(maxFileMib.value) * MIB, no_disasm: noDisasm.checked },
      limits: Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, Number(input.value)])),
      extraction: { ...settings.extraction, passwords: passwords.value.split(/\r?\n/).filter((p) => p !== '') },
      vault: { keep: keepBytes.checked, quota_gib: Number(quotaGib.value) },
      rule_folders: folderList(),
    };
    try {
      await ctx.api.saveSettings(next);
      message.textContent = 'Saved.';
      message.className = 'status-line ok';
      if (next.rule_folders.length) await showRuleProblems();
    } catch (error) {
      message.textContent = error.message;
      message.className = 'status-line error';
    }
  });
  const grid = h('div', { class: 'grid-2' });
  root.append(grid);
  grid.append(panel('Settings', form));
  grid.append(appearancePanel(ctx));
  grid.append(
    panel(
      'Status',
      h(
        'table',
        { class: 'identity' },
        h('tr', {}, h('th', {}, 'Version'), h('td', {}, status.version)),
        h('tr', {}, h('th', {}, 'Analysis'), h('td', {}, status.analyzer)),
        h('tr', {}, h('th', {}, 'Case store'), h('td', {}, status.store)),
        h('tr', {}, h('th', {}, 'Stored samples'), h('td', {}, String(status.stored_samples))),
      ),
      h('h3', {}, 'Models'),
      status.models.length
        ? h('table', { class: 'identity' }, status.models.map((m) => h('tr', {}, h('th', {}, m.model), h('td', {}, m.version), h('td', {}, m.status))))
        : h('p', { class: 'empty-note' }, 'No model has scored a file yet. Models load inside the analysis process; their status appears after the first analysis.'),
    ),
  );
}

/** Theme and zoom, applied and saved as they change (not by the Settings form's Save). */
function appearancePanel(ctx) {
  const theme = h(
    'select',
    { name: 'theme' },
    h('option', { value: 'system' }, 'As the system (prefers-color-scheme)'),
    h('option', { value: 'light' }, 'Light'),
    h('option', { value: 'dark' }, 'Dark'),
  );
  theme.addEventListener('change', () => setTheme(theme.value));
  const zoom = h('output', { name: 'zoom', 'aria-live': 'polite' });
  const sync = (now) => {
    theme.value = now.theme;
    zoom.textContent = `${now.zoom_percent} %`;
  };
  sync(appearance());
  ctx.onLeave(onAppearance(sync));
  return panel(
    'Appearance',
    h(
      'div',
      { class: 'settings-form' },
      h('label', { class: 'field' }, h('span', {}, 'Theme'), theme),
      h(
        'div',
        { class: 'field' },
        h('span', { id: 'zoom-label' }, 'Zoom'),
        h(
          'div',
          { class: 'zoom-controls', role: 'group', 'aria-labelledby': 'zoom-label' },
          h('button', { type: 'button', onclick: () => stepZoom(-1), title: 'Zoom out (Ctrl+-)', 'aria-label': 'Zoom out' }, '−'),
          zoom,
          h('button', { type: 'button', onclick: () => stepZoom(1), title: 'Zoom in (Ctrl+=)', 'aria-label': 'Zoom in' }, '+'),
          h('button', { type: 'button', onclick: () => stepZoom(0), title: 'Back to 100 % (Ctrl+0)' }, 'Reset'),
        ),
        h('small', {}, 'Saved as you change them. Ctrl+= and Ctrl+- zoom from any view, Ctrl+0 goes back to 100 %.'),
      ),
    ),
  );
}
