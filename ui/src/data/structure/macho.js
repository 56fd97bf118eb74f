// The Mach-O part: every slice's header, load commands, segments, sections, libraries, symbols.
import { hex } from '../format.js';
import { entropyText, facts, flagsText, listText, symbolTable, table, versionText, yesNo } from './blocks.js';

/** Blocks of a report's `macho` part: the file, then a group per slice. */
export function machoBlocks(macho) {
  const slices = macho.slices ?? [];
  const blocks = [
    facts('File', [
      ['Universal (fat)', yesNo(macho.fat)],
      ['Slices declared', macho.declared_slices],
      ['Slices read', slices.length],
    ]),
  ];
  if (!slices.length) blocks.push({ kind: 'table', title: 'Slices (0)', columns: [], rows: [], empty: 'No slice could be read: the stage errors say why.' });
  slices.forEach((slice, i) => blocks.push({ kind: 'group', title: `Slice ${i + 1}: ${slice.cpu} ${slice.file_type}`, blocks: sliceBlocks(slice) }));
  return blocks;
}

function sliceBlocks(s) {
  return [
    facts('Header', [
      ['CPU', `${s.cpu} (subtype ${hex(s.cpu_subtype)})`],
      ['Magic', s.magic],
      ['File type', s.file_type],
      ['Flags', flagsText(s.flags, s.flag_names)],
      ['Offset in the file', hex(s.fat_offset)],
      ['Size', s.size],
      ['Load commands', `${s.declared_commands} declared, ${s.commands_size} bytes`],
      ['Entry point', s.entry_point === null || s.entry_point === undefined ? '—' : hex(s.entry_point)],
      ['UUID', s.uuid],
      ['Install name', s.install_name],
      ['Dynamic linker', s.dylinker],
      ['Run paths', listText(s.rpaths)],
      ['Build version', s.build_version ? `${s.build_version.platform} min ${versionText(s.build_version.minos)}, SDK ${versionText(s.build_version.sdk)}` : '—'],
      ['Minimum version', s.version_min ? `${s.version_min.command} ${versionText(s.version_min.version)}, SDK ${versionText(s.version_min.sdk)}` : '—'],
      ['Code signature', s.has_code_signature ? (s.code_signature ? `${s.code_signature.size} bytes at ${hex(s.code_signature.offset)}` : 'present') : 'none'],
      ['Encryption', s.encryption ? `${s.encryption.size} bytes at ${hex(s.encryption.offset)}, cryptid ${s.encryption.cryptid}${s.encryption.cryptid ? ' (encrypted)' : ''}` : 'none'],
    ]),
    table(
      'Load commands',
      [['index', '#'], ['command', 'Command'], ['id', 'cmd'], ['offset', 'Offset'], ['size', 'Size']],
      (s.load_commands ?? []).map((c, i) => ({ index: String(i), command: c.command, id: hex(c.id), offset: hex(c.offset), size: String(c.size) })),
      'No load command could be read.',
    ),
    table(
      'Segments',
      [['name', 'Name'], ['va', 'VM address'], ['vsize', 'VM size'], ['offset', 'File offset'], ['file_size', 'File size'], ['protection', 'Protection (init / max)'], ['nsections', 'Sections'], ['flags', 'Flags'], ['entropy', 'Entropy']],
      (s.segments ?? []).map((g) => ({
        name: g.name,
        va: hex(g.virtual_address),
        vsize: String(g.virtual_size),
        offset: hex(g.file_offset),
        file_size: String(g.file_size),
        protection: `${g.permissions} (${g.init_protection} / ${g.max_protection})`,
        nsections: String(g.nsections),
        flags: hex(g.flags),
        entropy: entropyText(g.entropy),
      })),
      'No segment command.',
    ),
    table(
      'Sections',
      [['name', 'Name'], ['segment', 'Segment'], ['address', 'Address'], ['size', 'Size'], ['offset', 'Offset'], ['alignment', 'Align (2^n)'], ['type', 'Type'], ['flags', 'Flags'], ['entropy', 'Entropy']],
      (s.sections ?? []).map((c) => ({
        name: c.name,
        segment: c.segment,
        address: hex(c.address),
        size: String(c.size),
        offset: hex(c.offset),
        alignment: String(c.alignment),
        type: c.section_type,
        flags: hex(c.flags),
        entropy: entropyText(c.entropy),
      })),
      'No section.',
    ),
    table(
      'Linked libraries',
      [['command', 'Command'], ['name', 'Install name'], ['current', 'Current version'], ['compatibility', 'Compatibility version']],
      (s.dylibs ?? []).map((d) => ({ command: d.command, name: d.name, current: versionText(d.current_version), compatibility: versionText(d.compatibility_version) })),
      'No library is linked.',
    ),
    symbolTable('Imported symbols', s.imported_symbols, 'No undefined external symbol.'),
    symbolTable('Exported symbols', s.exported_symbols, 'The export trie is empty or absent.'),
  ];
}
