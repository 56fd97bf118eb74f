// Structure: every header, directory and table the report holds for a PE, ELF or Mach-O file
// (data/structure.js), as key/value lists and tables, then the analysis record (how the report was
// made, every indicator, IOC, prediction and code fact); long tables are virtual.
import { emptyNote, h, panel } from '../components/dom.js';
import { createVirtualTable } from '../components/virtualTable.js';
import { noStructureReason, partialStructureNote, recordBlocks, structureBlocks } from '../data/structure.js';

/** Tables longer than this are virtual: thousands of symbols would slow every other view. */
const VIRTUAL_FROM = 200;
const ROW_HEIGHT = 26;

/** Renders the Structure of `ctx.sample` into `root`. */
export async function renderStructure(root, ctx) {
  await ctx.withStrings?.(); // its record lists the IOCs with the strings they were found in
  const { report } = ctx.sample;
  const blocks = structureBlocks(report);
  if (!blocks.length) root.append(panel('Structure', emptyNote(noStructureReason(report))));
  const partial = blocks.length ? partialStructureNote(report) : null;
  if (partial) root.append(h('div', { class: 'error-card partial', 'data-testid': 'structure-partial' }, partial));
  for (const block of [...blocks, ...recordBlocks(report)]) root.append(renderBlock(block, 2));
}

function renderBlock(block, level) {
  const section = level === 2 ? panel(block.title) : h('section', { class: 'sub-block' }, h('h3', {}, block.title));
  section.dataset.block = block.title.replace(/ \(\d+\)$/, '');
  if (block.kind === 'group') {
    for (const inner of block.blocks) section.append(renderBlock(inner, level + 1));
  } else if (block.kind === 'facts') {
    section.append(h('table', { class: 'kv structure-facts', 'aria-label': block.title }, h('tbody', {}, block.rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, h('code', {}, r.value)))))));
  } else if (!block.rows.length) {
    section.append(emptyNote(block.empty));
  } else if (block.rows.length > VIRTUAL_FROM) {
    createVirtualTable(section, {
      label: block.title,
      rowHeight: ROW_HEIGHT,
      height: Math.min(480, block.rows.length * ROW_HEIGHT + 4),
      columns: block.columns.map((c, i) => ({ key: c.key, label: c.label, width: i === 0 && block.columns.length > 2 ? '3rem' : '1fr' })),
    }).setRows(block.rows);
  } else {
    // Wide tables scroll sideways in their own box rather than past the panel.
    section.append(
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'structure-table', 'aria-label': block.title },
          h('thead', {}, h('tr', {}, block.columns.map((c) => h('th', { scope: 'col' }, c.label)))),
          h('tbody', {}, block.rows.map((row) => h('tr', {}, block.columns.map((c) => h('td', {}, row[c.key]))))),
        ),
      ),
    );
  }
  return section;
}
