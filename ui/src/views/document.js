// Document: what makes a document, shortcut or script dangerous. VBA macros with their triggers and
// suspicious keywords marked in the source, Excel 4.0 macros, DDE, relationships leaving the file,
// embedded objects (opening their reports), PDF keywords, scripts and links, a shortcut's target,
// a script's decoded payloads. All of it is hostile text: shown as text, links never made clickable.
import { createPdfKeywords } from '../charts/pdfKeywords.js';
import { emptyNote, h, panel } from '../components/dom.js';
import { formatBytes, shortHash } from '../data/format.js';
import {
  decodedPayloads,
  documentSections,
  documentSummary,
  embeddedObjects,
  extraFields,
  hasDocument,
  lnkFields,
  moduleHighlights,
  pdfKeywordRows,
  splitHighlights,
  unmatchedKeywords,
} from '../data/document.js';

/** Renders the Document view of `ctx.sample` into `root`. */
export async function renderDocument(root, ctx) {
  const { report } = ctx.sample;
  if (!hasDocument(report)) {
    root.append(panel('Document', emptyNote('This file is not a document, shortcut or script, so there is no document analysis. Office files, RTF, PDF, OneNote, shortcuts and scripts show their macros, links and payloads here.')));
    return;
  }
  const open = (sha256) => ctx.openSample(sha256, { view: 'overview' });
  const summary = documentSummary(report);
  // Objects found deeper than the direct children (a package inside an object the document
  // carries) are looked up in the case store; the view is ready once they are.
  const lookups = [];
  const sections = {
    summary: () => summaryPanel(summary),
    vba: () => vbaPanel(report.document),
    xlm: () => xlmPanel(report.document.xlm),
    dde: () => ddePanel(report.document.dde ?? []),
    external: () => externalPanel(report.document.external_relationships ?? []),
    embedded: () => embeddedPanel(report, open, ctx.api, lookups),
    pdf: () => pdfPanels(report.pdf, ctx),
    lnk: () => lnkPanel(report.lnk),
    script: () => scriptPanel(report, open),
  };
  for (const id of documentSections(report)) root.append(sections[id]());
  await Promise.all(lookups);
}

function fact(label, value, attrs = {}) {
  return h('div', { class: 'fact', ...attrs }, h('span', { class: 'fact-label' }, label), h('span', { class: 'fact-value' }, value));
}

function summaryPanel(s) {
  const c = s.counts;
  const facts = [fact('Kind', s.kind, { title: s.kindLabel, 'data-testid': 'document-kind' }), fact('Encrypted', s.encrypted ? `yes${s.encryption ? ` (${s.encryption})` : ''}` : 'no', { 'data-testid': 'document-encrypted' })];
  const counted = [
    ['VBA modules', c.modules],
    ['Auto-run triggers', c.autoexec],
    ['Suspicious keywords', c.suspicious],
    ['XLM formulas', c.xlmFormulas],
    ['DDE fields', c.dde],
    ['External links', c.external],
    ['Embedded', c.embedded ? `${c.extracted}/${c.embedded} extracted` : 0],
    ['PDF scripts', c.pdfScripts],
    ['URIs', c.uris],
    ['Decoded payloads', c.decoded],
  ];
  for (const [label, value] of counted) if (value) facts.push(fact(label, value));
  if (s.stomped) facts.push(fact('VBA stomping', 'yes', { class: 'fact stomped', title: "the compiled p-code does not match the source (see VBA macros)" }));
  return panel(
    'Document',
    h('p', { class: 'muted' }, s.kindLabel),
    h('div', { class: 'facts doc-summary' }, facts),
    s.encrypted ? h('p', { class: 'note' }, `The content is encrypted${s.encryption ? ` (${s.encryption})` : ''}: what it carries could not be read without the password.`) : null,
    s.truncated.length ? h('div', { class: 'doc-truncated note', 'data-testid': 'document-truncated' }, 'Cut at a limit, so these lists are not complete: ', s.truncated.map((t) => h('code', {}, t)).flatMap((n, i) => (i ? [', ', n] : [n]))) : null,
  );
}

function stompedWarning() {
  return h('div', { class: 'doc-warning', role: 'alert', 'data-testid': 'vba-stomped' }, h('strong', {}, 'VBA stomping: '), "the modules' compiled p-code does not match their source. What runs may not be the source shown here.");
}

function vbaPanel(doc) {
  const vba = doc.vba;
  if (!vba) return panel('VBA macros', emptyNote(doc.encrypted ? 'No macros could be read: the document is encrypted.' : 'No macros: this document carries no VBA project.'));
  const modules = vba.modules ?? [];
  return panel(
    `VBA macros (${modules.length} module${modules.length === 1 ? '' : 's'})`,
    vba.stomped ? stompedWarning() : null,
    modules.length ? modules.map(moduleCard) : emptyNote('The VBA project has no modules with source.'),
  );
}

function moduleCard(module) {
  const ranges = moduleHighlights(module);
  const missing = unmatchedKeywords(module, ranges);
  const chips = (kind, list) => (list ?? []).map((k) => h('span', { class: `chip kw-${kind}` }, k));
  return h(
    'article',
    { class: 'vba-module', 'data-module': module.name },
    h('div', { class: 'vba-head' }, h('strong', { class: 'module-name' }, module.name), module.stream ? h('span', { class: 'muted' }, ` stream ${module.stream}`) : null),
    (module.autoexec ?? []).length ? h('div', {}, h('span', { class: 'fact-label' }, 'Runs on its own: '), chips('autoexec', module.autoexec)) : null,
    (module.suspicious ?? []).length ? h('div', {}, h('span', { class: 'fact-label' }, 'Suspicious: '), chips('suspicious', module.suspicious)) : null,
    missing.length ? h('p', { class: 'muted' }, `Not found as words in the source (obfuscation or a pattern): ${missing.map((m) => m.keyword).join(', ')}`) : null,
    module.truncated ? h('p', { class: 'note' }, 'The source is cut at the size limit.') : null,
    module.source ? sourceBlock(module.source, ranges) : emptyNote('This module has no source (only its compiled p-code).'),
  );
}

/** Source text with highlighted ranges as <mark> elements; only text nodes, never markup. */
function sourceBlock(source, ranges) {
  const parts = splitHighlights(source, ranges).map((p) => (p.kind ? h('mark', { class: `kw kw-${p.kind}`, 'data-keyword': p.keyword, title: p.kind === 'autoexec' ? 'runs on its own' : 'suspicious' }, p.text) : p.text));
  return h('pre', { class: 'doc-source' }, parts);
}

function xlmPanel(xlm) {
  if (!xlm) return panel('Excel 4.0 macros', emptyNote('No Excel 4.0 (XLM) macro sheets in this document.'));
  const sheets = xlm.sheets ?? [];
  const formulas = xlm.formulas ?? [];
  return panel(
    `Excel 4.0 macros (${sheets.length} sheet${sheets.length === 1 ? '' : 's'}, ${formulas.length} formula${formulas.length === 1 ? '' : 's'})`,
    sheets.length
      ? h(
          'ul',
          { class: 'plain xlm-sheets' },
          sheets.map((s) => h('li', {}, h('strong', {}, s.name), ' ', h('span', { class: `pill visibility-${s.visibility}` }, String(s.visibility ?? '').replace('_', ' ')))),
        )
      : null,
    formulas.length
      ? h(
          'table',
          { class: 'hits xlm-formulas' },
          h('thead', {}, h('tr', {}, ['Sheet', 'Cell', 'Formula'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            formulas.map((f) => h('tr', {}, h('td', {}, f.sheet), h('td', {}, h('code', {}, f.cell)), h('td', {}, h('code', { class: 'formula' }, f.formula)))),
          ),
        )
      : emptyNote('The macro sheets hold no formulas that could be read.'),
  );
}

function ddePanel(dde) {
  return panel(`DDE (${dde.length})`, dde.length ? h('ul', { class: 'plain dde-fields' }, dde.map((d) => h('li', {}, h('pre', { class: 'doc-source' }, d)))) : emptyNote('No DDE fields or formulas: nothing in the document asks to run a command through DDE.'));
}

function externalPanel(rels) {
  return panel(
    `Links leaving the file (${rels.length})`,
    rels.length
      ? h(
          'table',
          { class: 'hits external-relationships' },
          h('thead', {}, h('tr', {}, ['Type', 'Target', 'Part'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            rels.map((r) => h('tr', { class: /template|oleobject|frame/i.test(r.type) ? 'risky' : null }, h('td', {}, r.type), h('td', {}, h('code', { class: 'target' }, r.target)), h('td', {}, h('code', {}, r.part)))),
          ),
        )
      : emptyNote('No external relationships: no remote template, linked object or frame is fetched when the document opens.'),
  );
}

function childLink(child, open, label) {
  return h('button', { type: 'button', class: 'link child-link', 'data-sha256': child.sha256, title: `Open the report of ${child.name}`, onclick: () => open(child.sha256) }, label ?? child.name);
}

/**
 * The cell of an object that is not a direct child: a link when the case store has it (it was
 * found inside another object the document carries), else why it was not extracted.
 */
function storedOrReason(object, open, api, lookups) {
  const cell = h('td', {}, h('span', { class: 'muted not-extracted' }, object.reason));
  if (api?.getReport) {
    lookups.push(
      Promise.resolve(api.getReport(object.sha256)).then(
        (stored) => {
          if (!stored?.report) return;
          const found = { sha256: object.sha256, name: object.name };
          cell.replaceChildren(childLink(found, open, 'Open report'), h('span', { class: 'muted' }, ' found inside an object it carries'));
        },
        () => {},
      ),
    );
  }
  return cell;
}

function embeddedPanel(report, open, api, lookups) {
  const objects = embeddedObjects(report);
  return panel(
    `Embedded objects (${objects.length})`,
    objects.length
      ? h(
          'table',
          { class: 'hits embedded' },
          h('thead', {}, h('tr', {}, ['Name', 'Class', 'Size', 'SHA-256', 'Report'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            objects.map((o) =>
              h(
                'tr',
                { 'data-sha256': o.sha256, class: o.child ? null : 'missing' },
                h('td', {}, o.name),
                h('td', {}, o.class ?? '—'),
                h('td', { class: 'num' }, formatBytes(o.size)),
                h('td', {}, h('code', { title: o.sha256 }, shortHash(o.sha256, 16))),
                o.child ? h('td', {}, childLink(o.child, open, 'Open report'), o.child.verdict ? h('span', { class: `pill verdict-${o.child.verdict}` }, o.child.verdict) : null) : storedOrReason(o, open, api, lookups),
              ),
            ),
          ),
        )
      : emptyNote('No embedded objects or files.'),
  );
}

function pdfPanels(pdf, ctx) {
  const out = h('div', { class: 'doc-group' });
  if (!pdf) {
    out.append(panel('PDF', emptyNote('The PDF could not be read beyond its header, so there are no keyword counts.')));
    return out;
  }
  const rows = pdfKeywordRows(pdf.keywords);
  const known = ['version', 'keywords', 'javascript', 'uris'];
  const extra = extraFields(pdf, known);
  const keywordPanel = panel(`PDF ${pdf.version || ''} keywords`.replace(/\s+/g, ' '));
  if (rows.length) {
    const counted = rows.filter((r) => r.count > 0);
    if (counted.length) {
      const holder = h('div', { class: 'pdf-keywords-holder' });
      keywordPanel.append(holder);
      const chart = createPdfKeywords(holder);
      chart.update(counted);
      ctx.registerChart('PDF keywords', chart.node);
    }
    keywordPanel.append(
      h(
        'table',
        { class: 'hits pdf-keywords-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Keyword'), h('th', { class: 'num' }, 'Count'))),
        h(
          'tbody',
          {},
          rows.map((r) => h('tr', { class: r.dangerous && r.count ? 'dangerous' : r.dangerous ? 'dangerous-absent' : null, 'data-keyword': r.name }, h('td', {}, h('code', {}, r.name), r.dangerous ? h('span', { class: 'can-act' }, ' can act') : null), h('td', { class: 'num' }, r.count))),
        ),
      ),
    );
  } else keywordPanel.append(emptyNote('No triage keywords were counted.'));
  if (extra.length) keywordPanel.append(h('h3', {}, 'Other fields'), kvTable(extra, 'pdf-extra'));
  out.append(keywordPanel);
  const scripts = pdf.javascript ?? [];
  out.append(
    panel(
      `PDF JavaScript (${scripts.length})`,
      scripts.length
        ? scripts.map((s, i) => h('div', { class: 'pdf-script' }, h('div', { class: 'muted' }, s.object !== null && s.object !== undefined ? `object ${s.object}` : `script ${i + 1}`, s.truncated ? ' · cut at the size limit' : ''), h('pre', { class: 'doc-source' }, s.source)))
        : emptyNote('No JavaScript: the PDF runs no script when it is opened.'),
    ),
  );
  const uris = pdf.uris ?? [];
  out.append(panel(`URIs (${uris.length})`, uris.length ? h('ul', { class: 'plain uris' }, uris.map((u) => h('li', {}, h('code', { class: 'uri' }, u)))) : emptyNote('No URI actions.')));
  return out;
}

function kvTable(fields, cls) {
  return h(
    'table',
    { class: `identity kv ${cls}` },
    h(
      'tbody',
      {},
      fields.map((f) => h('tr', { 'data-field': f.key }, h('th', {}, f.label), h('td', {}, f.key === 'arguments' ? h('pre', { class: 'doc-source' }, f.value) : h('code', {}, f.value)))),
    ),
  );
}

function lnkPanel(lnk) {
  if (!lnk) return panel('Shortcut', emptyNote('The shortcut could not be read: no target or arguments were found.'));
  const fields = lnkFields(lnk);
  return panel('Shortcut', fields.length ? kvTable(fields, 'lnk-fields') : emptyNote('The shortcut names no target, arguments or origin.'));
}

function scriptPanel(report, open) {
  const script = report.script;
  if (!script) return panel('Script', emptyNote('The script could not be read.'));
  const payloads = decodedPayloads(report);
  const extra = extraFields(script, ['language', 'decoded']);
  return panel(
    'Script',
    h('p', {}, 'Language: ', h('strong', { 'data-testid': 'script-language' }, script.language || 'unknown')),
    extra.length ? kvTable(extra, 'script-extra') : null,
    h('h3', {}, `Decoded payloads (${payloads.length})`),
    payloads.length
      ? payloads.map((p) =>
          h(
            'div',
            { class: 'decoded-payload', 'data-sha256': p.sha256 },
            h(
              'div',
              { class: 'payload-head' },
              h('span', { class: 'pill' }, p.encoding),
              h('span', { class: 'muted' }, ` at offset ${p.offset} · ${formatBytes(p.size)} · `),
              p.child ? childLink(p.child, open, shortHash(p.sha256, 16)) : h('code', { title: p.sha256 }, shortHash(p.sha256, 16)),
              p.child ? null : h('span', { class: 'muted' }, ' (no report of its own)'),
            ),
            p.text ? h('pre', { class: 'doc-source' }, p.text) : h('p', { class: 'muted' }, 'Binary content: no text excerpt.'),
          ),
        )
      : emptyNote('No encoded payloads were found and decoded in this script.'),
  );
}
