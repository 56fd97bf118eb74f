// Hunts: YARA rules typed here (or read from a file) run over every sample the vault keeps;
// the hunt's progress, its matches (each opens its sample) and earlier hunts.
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { formatDate, shortHash } from '../data/format.js';
import { canResume, huntSummary, isRunning, matchRows, problemText } from '../data/hunts.js';

/** How often a running hunt's progress is read. */
const POLL_MS = 400;

const EXAMPLE = 'rule example_upx_sections {\n  strings:\n    $upx0 = "UPX0"\n    $upx1 = "UPX1"\n  condition:\n    uint16(0) == 0x5A4D and all of them\n}\n';

/** Renders the Hunts view into `root`. */
export async function renderHunts(root, ctx) {
  const rules = h('textarea', { name: 'rules', rows: 12, spellcheck: 'false', class: 'rules-editor', 'aria-label': 'YARA rules' });
  rules.value = EXAMPLE;
  const file = h('input', { type: 'file', accept: '.yar,.yara,.txt', 'aria-label': 'Read rules from a file' });
  const since = h('input', { type: 'date', name: 'since', 'aria-label': 'Only samples first seen on or after' });
  const tag = h('input', { type: 'text', name: 'tag', placeholder: 'tag (optional)', 'aria-label': 'Only samples with this tag' });
  const check = h('button', { type: 'button' }, 'Check rules');
  const run = h('button', { type: 'button', class: 'primary' }, 'Run hunt');
  const problems = h('ul', { class: 'rule-problems', 'aria-live': 'polite' });
  const status = h('p', { class: 'status-line', role: 'status' });
  const hunts = h('ul', { class: 'hunt-list' });
  const matchesPanel = panel('Matches', h('p', { class: 'muted' }, 'Pick a hunt to see its matches.'));
  root.append(
    panel(
      'New hunt',
      h('p', { class: 'muted' }, 'Rules run over the bytes of every sample the vault keeps (Settings → vault); the built-in rules are not part of a hunt.'),
      rules,
      h('div', { class: 'toolbar' }, file, h('label', {}, 'first seen since ', since), tag, check, run),
      problems,
      status,
    ),
    panel('Hunts', hunts),
    matchesPanel,
  );
  let timer = null;
  ctx.onLeave?.(() => clearTimeout(timer));

  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) rules.value = await chosen.text();
  });

  function showProblems(list) {
    problems.replaceChildren(...list.map((p) => h('li', { class: 'error' }, problemText(p))));
  }

  check.addEventListener('click', async () => {
    try {
      const list = await ctx.api.checkRules([], rules.value);
      showProblems(list);
      status.textContent = list.length ? `${list.length} problem(s) in the rules` : 'The rules compile.';
      status.className = `status-line ${list.length ? 'error' : 'ok'}`;
    } catch (error) {
      status.textContent = error.message;
      status.className = 'status-line error';
    }
  });

  run.addEventListener('click', async () => {
    showProblems([]);
    try {
      const id = await ctx.api.startHunt({ rules: rules.value, since: since.value || null, tag: tag.value || null });
      status.textContent = `hunt ${id} started`;
      status.className = 'status-line ok';
      await refresh(id);
    } catch (error) {
      status.textContent = error.message;
      status.className = 'status-line error';
    }
  });

  async function showMatches(hunt) {
    const body = h('div', {});
    const title = h('p', { class: 'muted' }, huntSummary(hunt));
    matchesPanel.replaceChildren(h('h2', {}, `Matches of hunt ${hunt.id}`), title, body);
    const rows = matchRows(await ctx.api.huntMatches(hunt.id));
    if (!rows.length) return body.append(emptyNote(isRunning(hunt) ? 'No match yet.' : 'No sample matched these rules.'));
    const table = createVirtualTable(body, {
      label: `Matches of hunt ${hunt.id}`,
      height: Math.min(420, 40 + rows.length * 26),
      onActivate: (row) => ctx.openSample(row.sha256),
      columns: [
        { key: 'sha256', label: 'Sample', width: '150px', render: (r) => shortHash(r.sha256, 16) },
        { key: 'rule', label: 'Rule' },
        { key: 'first', label: 'First string', width: '200px' },
        { key: 'strings', label: 'Strings', width: '70px' },
        { key: 'tags', label: 'Tags', width: '140px' },
      ],
    });
    table.setRows(rows);
  }

  async function refresh(focus = null) {
    clearTimeout(timer);
    let list;
    try {
      list = await ctx.api.listHunts();
    } catch (error) {
      hunts.replaceChildren(h('li', { class: 'error' }, `cannot read the hunts: ${error.message}`));
      return;
    }
    if (!list.length) hunts.replaceChildren(h('li', { class: 'muted' }, 'No hunt yet.'));
    else hunts.replaceChildren(...list.map(huntItem));
    const focused = list.find((hunt) => hunt.id === focus);
    if (focused) await showMatches(focused);
    if (list.some(isRunning)) timer = setTimeout(() => refresh(focus), POLL_MS);
  }

  function huntItem(hunt) {
    const open = h('button', { type: 'button', class: 'link' }, huntSummary(hunt));
    open.addEventListener('click', () => refresh(hunt.id));
    const meta = h('small', { class: 'muted' }, ` ${formatDate(hunt.created_at)}${hunt.tag ? `, tag ${hunt.tag}` : ''}`);
    const actions = [];
    if (isRunning(hunt)) {
      const cancel = h('button', { type: 'button', class: 'small' }, 'Cancel');
      cancel.addEventListener('click', () => ctx.api.cancelHunt(hunt.id).catch((e) => (status.textContent = e.message)));
      actions.push(cancel);
    } else if (canResume(hunt)) {
      const resume = h('button', { type: 'button', class: 'small' }, 'Resume');
      resume.addEventListener('click', async () => {
        try {
          await ctx.api.resumeHunt(hunt.id);
          await refresh(hunt.id);
        } catch (error) {
          status.textContent = error.message;
          status.className = 'status-line error';
        }
      });
      actions.push(resume);
    }
    return h('li', { class: `hunt hunt-${hunt.status}`, 'data-hunt': String(hunt.id) }, open, meta, ...actions);
  }

  await refresh();
}
