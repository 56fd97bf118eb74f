// Data for the Structure view: every header, table and directory the report holds for a PE, ELF
// or Mach-O file, as blocks of text ready to show. Pure functions.
//
// A block is one of
//   {kind: 'facts', title, rows: [{label, value}]}                     a two-column list
//   {kind: 'table', title, columns: [{key, label}], rows: [{...}], empty}  rows of text; `empty`
//                                                                      says why there are none
//   {kind: 'group', title, blocks: [...]}                              a titled set (a slice, a DLL)
// Numbers follow one rule: addresses, offsets, flags and raw ids in hex; sizes, counts and
// versions in decimal, exact (a size is never rounded here).
import { elfBlocks } from './structure/elf.js';
import { machoBlocks } from './structure/macho.js';
import { peBlocks } from './structure/pe.js';

export { entropyText, flagsText, timestampText, versionText, yesNo } from './structure/blocks.js';
export { recordBlocks } from './structure/record.js';

/** The Structure view's blocks for `report`; `[]` when it is not a PE, ELF or Mach-O file. */
export function structureBlocks(report) {
  if (report?.pe) return peBlocks(report.pe);
  if (report?.elf) return elfBlocks(report.elf);
  if (report?.macho) return machoBlocks(report.macho);
  return [];
}

const structureErrors = (report) => (report?.errors ?? []).filter((e) => ['pe', 'elf', 'macho'].includes(e.stage));

/** Why the Structure view is empty for `report`. */
export function noStructureReason(report) {
  const errors = structureErrors(report);
  if (errors.length) return `The ${errors[0].stage.toUpperCase()} headers could not be read: ${errors.map((e) => e.message).join('; ')}`;
  return `This file is ${report?.file_type?.description || report?.format || 'of an unknown type'}, not a PE, ELF or Mach-O executable, so it has no executable structure to show.`;
}

/** What a partly read structure lacks (`null` when it was read whole): the parser's own words. */
export function partialStructureNote(report) {
  const errors = structureErrors(report);
  if (!errors.length) return null;
  return `Read in part, so what follows may stop short: ${errors.map((e) => `${e.stage}: ${e.message}`).join('; ')}`;
}
