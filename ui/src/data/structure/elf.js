// The ELF part: header, dynamic section, hardening, segments, sections, symbols.
import { hex } from '../format.js';
import { entropyText, facts, listText, symbolTable, table, yesNo } from './blocks.js';

/** Blocks of a report's `elf` part. */
export function elfBlocks(elf) {
  const hd = elf.header ?? {};
  const hard = elf.hardening ?? {};
  return [
    facts('Header', [
      ['Class', hd.class],
      ['Endianness', hd.endianness],
      ['OS ABI', hd.os_abi],
      ['Machine', `${hd.machine} (${hd.machine_id})`],
      ['File type', hd.file_type],
      ['Entry point', hex(hd.entry_point)],
      ['Entry in an executable segment', yesNo(elf.entry_in_executable_segment)],
      ['Program headers', `${hd.declared_segments} declared at ${hex(hd.program_header_offset)}`],
      ['Section headers', `${hd.declared_sections} declared at ${hex(hd.section_header_offset)}`],
      ['Section name table index', hd.section_name_table_index],
      ['Processor flags', hex(hd.processor_flags)],
      ['Header size', hd.header_size],
      ['Interpreter', elf.interpreter],
    ]),
    facts('Dynamic section', [
      ['SONAME', elf.soname],
      ['Needed libraries', listText(elf.libraries)],
      ['RPATH', listText(elf.rpaths)],
      ['RUNPATH', listText(elf.runpaths)],
      ['Dynamic symbols (.dynsym)', elf.dynamic_symbol_count],
      ['Static symbols (.symtab)', elf.symtab_symbol_count],
      ['Imported symbols', (elf.imported_symbols ?? []).length],
      ['Exported symbols', (elf.exported_symbols ?? []).length],
    ]),
    facts('Hardening', [
      ['PIE', yesNo(hard.pie)],
      ['NX stack', yesNo(hard.nx)],
      ['RELRO', hard.relro],
      ['Stack canary', yesNo(hard.stack_canary)],
      ['Fortify', yesNo(hard.fortify)],
      ['Fortified functions', listText(hard.fortified_functions)],
      ['Stripped', yesNo(hard.stripped)],
      ['Writable and executable segments', (elf.writable_executable_segments ?? []).length ? elf.writable_executable_segments.map((i) => `#${i}`).join(', ') : 'none'],
    ]),
    table(
      'Segments',
      [['index', '#'], ['type', 'Type'], ['permissions', 'Flags'], ['offset', 'Offset'], ['va', 'Virtual address'], ['pa', 'Physical address'], ['file_size', 'File size'], ['memory_size', 'Memory size'], ['alignment', 'Alignment']],
      (elf.segments ?? []).map((s, i) => ({
        index: String(i),
        type: s.segment_type,
        permissions: `${s.permissions} (${hex(s.raw_flags)}${s.raw_flags !== s.flags ? `, ${hex(s.flags)}` : ''})`,
        offset: hex(s.offset),
        va: hex(s.virtual_address),
        pa: hex(s.physical_address),
        file_size: String(s.file_size),
        memory_size: String(s.memory_size),
        alignment: hex(s.alignment),
      })),
      'No program header could be read (an object file has none).',
    ),
    table(
      'Sections',
      [['index', '#'], ['name', 'Name'], ['type', 'Type'], ['flags', 'Flags'], ['address', 'Address'], ['offset', 'Offset'], ['size', 'Size'], ['alignment', 'Align'], ['entry_size', 'Entry size'], ['link', 'Link'], ['info', 'Info'], ['entropy', 'Entropy']],
      (elf.sections ?? []).map((s, i) => ({
        index: String(i),
        name: s.name || '—',
        type: s.section_type,
        flags: `${s.flag_letters || '—'} (${hex(s.flags)})`,
        address: hex(s.address),
        offset: hex(s.offset),
        size: String(s.size),
        alignment: String(s.alignment),
        entry_size: String(s.entry_size),
        link: String(s.link),
        info: String(s.info),
        entropy: entropyText(s.entropy),
      })),
      'No section header could be read (stripped of its section table, or malformed).',
    ),
    symbolTable('Imported symbols', elf.imported_symbols, 'No undefined function or object symbol.'),
    symbolTable('Exported symbols', elf.exported_symbols, 'No defined global function or object symbol.'),
  ];
}
