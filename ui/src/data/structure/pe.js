// The PE part: headers, directories, sections, imports with their IAT slots, exports, Rich
// header, debug entries, TLS, resources, version information, Authenticode, .NET.
import { hex } from '../format.js';
import { columns, entropyText, facts, flagsText, listText, table, text, timestampText, yesNo } from './blocks.js';

/** Blocks of a report's `pe` part. */
export function peBlocks(pe) {
  const hd = pe.headers ?? {};
  const blocks = [
    facts('Headers', [
      ['Machine', `${hd.machine_name || 'unknown'} (${hex(hd.machine)})`],
      ['Compile time stamp', timestampText(hd.timestamp)],
      ['Subsystem', `${hd.subsystem_name || 'unknown'} (${hd.subsystem})`],
      ['Subsystem version', `${hd.major_subsystem_version}.${hd.minor_subsystem_version}`],
      ['DLL characteristics', flagsText(hd.dll_characteristics, hd.dll_characteristics_flags)],
      ['Characteristics', flagsText(hd.characteristics, hd.characteristics_flags)],
      ['Optional header', `${hex(hd.optional_magic)} (${hd.is_pe32_plus ? 'PE32+' : 'PE32'})`],
      ['Entry point', `${hex(hd.entry_point)}${pe.entry_point_section ? ` in ${pe.entry_point_section}` : ''}`],
      ['Image base', hex(hd.image_base)],
      ['Size of image', hd.size_of_image],
      ['Size of headers', hd.size_of_headers],
      ['Size of code', hd.size_of_code],
      ['Section alignment', hex(hd.section_alignment)],
      ['File alignment', hex(hd.file_alignment)],
      ['Linker version', `${hd.major_linker_version}.${hd.minor_linker_version}`],
      ['OS version', `${hd.major_os_version}.${hd.minor_os_version}`],
      ['Image version', `${hd.major_image_version}.${hd.minor_image_version}`],
      ['Checksum (stored / computed)', `${hex(hd.checksum)} / ${hex(pe.checksum_computed)}`],
      ['Sections declared', hd.number_of_sections],
      ['Data directories declared', hd.number_of_rva_and_sizes],
      ['COFF symbol table', `${hex(hd.pointer_to_symbol_table)}, ${hd.number_of_symbols} symbols`],
      ['Optional header size', hd.size_of_optional_header],
      ['NT headers offset (e_lfanew)', hex(hd.dos_e_lfanew)],
      ['Overlay', pe.overlay?.offset === null || pe.overlay?.offset === undefined ? 'none' : `${pe.overlay.size} bytes at ${hex(pe.overlay.offset)}`],
      ['Import hash', pe.imphash],
      ['Export hash', pe.exphash],
      ['Imported functions', `${pe.import_function_count} (${pe.ordinal_import_count} by ordinal)`],
    ]),
    table(
      'Data directories',
      [['index', '#'], ['name', 'Name'], ['address', 'RVA'], ['size', 'Size']],
      (pe.data_directories ?? []).map((d) => ({ index: String(d.index), name: d.name, address: hex(d.virtual_address), size: String(d.size) })),
      'The optional header lists no data directory.',
    ),
    table(
      'Sections',
      [['name', 'Name'], ['raw_name', 'Raw name'], ['va', 'Virtual address'], ['vsize', 'Virtual size'], ['pointer', 'Raw offset'], ['rsize', 'Raw size'], ['characteristics', 'Characteristics'], ['access', 'Access'], ['entropy', 'Entropy'], ['md5', 'MD5']],
      (pe.sections ?? []).map((s) => ({
        name: s.name,
        raw_name: s.name_raw_hex,
        va: hex(s.virtual_address),
        vsize: String(s.virtual_size),
        pointer: hex(s.raw_pointer),
        rsize: String(s.raw_size),
        characteristics: flagsText(s.characteristics, s.characteristics_flags),
        access: `${s.is_readable ? 'r' : '-'}${s.is_writable ? 'w' : '-'}${s.is_executable ? 'x' : '-'}${s.is_code ? ' code' : ''}`,
        entropy: entropyText(s.entropy),
        md5: s.md5,
      })),
      'No section header could be read.',
    ),
    importBlock('Imports', pe.imports, 'Nothing is imported (no import directory, or it could not be read).'),
    importBlock('Delay-load imports', pe.delay_imports, 'No delay-load import directory.'),
    exportBlock(pe),
    richBlock(pe.rich_header),
    table(
      'Debug directory',
      [['type', 'Type'], ['timestamp', 'Time stamp'], ['size', 'Size'], ['address', 'RVA'], ['pointer', 'File offset'], ['codeview', 'CodeView'], ['pdb', 'PDB path'], ['guid', 'PDB GUID'], ['age', 'Age']],
      (pe.debug ?? []).map((d) => ({
        type: `${d.type_name ?? 'unknown'} (${d.type})`,
        timestamp: timestampText(d.timestamp),
        size: String(d.size),
        address: hex(d.address_of_raw_data),
        pointer: hex(d.pointer_to_raw_data),
        codeview: text(d.codeview_signature),
        pdb: text(d.pdb),
        guid: text(d.pdb_guid),
        age: text(d.pdb_age),
      })),
      'No debug directory: no PDB path or build record.',
    ),
    tlsBlock(pe.tls),
    table(
      'Resources',
      [['type', 'Type'], ['name', 'Name / id'], ['language', 'Language'], ['rva', 'RVA'], ['offset', 'File offset'], ['size', 'Size'], ['in_file', 'Bytes in file'], ['code_page', 'Code page'], ['entropy', 'Entropy'], ['content', 'Content']],
      (pe.resources ?? []).map((r) => ({
        type: r.type_id === null || r.type_id === undefined ? r.kind : `${r.kind} (${r.type_id})`,
        name: r.name ?? text(r.id),
        language: `${r.language || 'unknown'}${r.sublanguage ? ` / ${r.sublanguage}` : ''} (${r.language_id}, ${r.sublanguage_id})`,
        rva: hex(r.rva),
        offset: r.offset === null || r.offset === undefined ? 'outside the file' : hex(r.offset),
        size: String(r.size),
        in_file: String(r.size_in_file),
        code_page: String(r.code_page),
        entropy: entropyText(r.entropy),
        content: text(r.content),
      })),
      'No resource directory.',
    ),
    versionBlock(pe.version_info),
    ...authenticodeBlocks(pe.authenticode),
    clrBlock(pe.clr),
  ];
  return blocks;
}

function importBlock(title, imports, empty) {
  const dlls = imports ?? [];
  const count = dlls.reduce((n, d) => n + (d.symbols?.length || d.functions?.length || 0), 0);
  if (!dlls.length) return { kind: 'table', title: `${title} (0)`, columns: [], rows: [], empty };
  return {
    kind: 'group',
    title: `${title}: ${dlls.length} libraries, ${count} functions`,
    blocks: dlls.map((d) => {
      // Older reports have names only; every name still gets a row.
      const symbols = d.symbols?.length ? d.symbols : (d.functions ?? []).map((name) => ({ name }));
      return table(
        d.dll,
        [['name', 'Function'], ['ordinal', 'Ordinal'], ['hint', 'Hint'], ['by', 'Imported by'], ['iat', 'IAT slot (RVA)']],
        symbols.map((s) => ({
          name: text(s.name),
          ordinal: text(s.ordinal),
          hint: text(s.hint),
          by: s.by_ordinal ? 'ordinal' : s.by_ordinal === false ? 'name' : '—',
          iat: s.iat_rva === undefined ? '—' : hex(s.iat_rva),
        })),
        'No function is imported from this library.',
      );
    }),
  };
}

function exportBlock(pe) {
  const dir = pe.export_directory;
  const rows = (pe.exports ?? []).map((e) => ({ name: text(e.name), ordinal: String(e.ordinal), address: hex(e.address), forwarder: text(e.forwarder) }));
  const list = table('Exported symbols', [['name', 'Name'], ['ordinal', 'Ordinal'], ['address', 'RVA'], ['forwarder', 'Forwarded to']], rows, 'Nothing is exported.');
  if (!dir) return list;
  return {
    kind: 'group',
    title: 'Exports',
    blocks: [
      facts('Export directory', [
        ['DLL name', dir.dll_name],
        ['Ordinal base', dir.ordinal_base],
        ['Time stamp', timestampText(dir.timestamp)],
        ['Functions declared', dir.number_of_functions],
        ['Names declared', dir.number_of_names],
      ]),
      list,
    ],
  };
}

function richBlock(rich) {
  if (!rich) return { kind: 'table', title: 'Rich header (0)', columns: [], rows: [], empty: 'No Rich header: the file was not linked by the Microsoft linker, or the header was removed.' };
  return {
    kind: 'group',
    title: 'Rich header',
    blocks: [
      facts('Rich header', [
        ['XOR key', rich.key],
        ['Checksum (stored / computed)', `${hex(rich.checksum)} / ${hex(rich.checksum_computed)}`],
        ['Checksum valid', `${yesNo(rich.checksum_valid)}${rich.checksum_valid ? '' : ' (a mismatch hints at a forged header)'}`],
        ['Clear data MD5', rich.clear_data_md5],
        ['Raw data', rich.raw_data_hex],
        ['Clear data', rich.clear_data_hex],
      ]),
      table('Rich entries', [['prod', 'Product id'], ['build', 'Build'], ['count', 'Count']], (rich.entries ?? []).map((e) => ({ prod: String(e.prod_id), build: String(e.build), count: String(e.count) })), 'The Rich header lists no entry.'),
    ],
  };
}

function tlsBlock(tls) {
  if (!tls) return { kind: 'table', title: 'TLS (0)', columns: [], rows: [], empty: 'No TLS directory: no TLS callback runs before the entry point.' };
  return {
    kind: 'group',
    title: 'TLS',
    blocks: [
      facts('TLS directory', [
        ['Raw data', `${hex(tls.start_address_of_raw_data)} – ${hex(tls.end_address_of_raw_data)}`],
        ['Index address', hex(tls.address_of_index)],
        ['Callbacks address', hex(tls.address_of_callbacks)],
        ['Size of zero fill', tls.size_of_zero_fill],
        ['Characteristics', hex(tls.characteristics)],
      ]),
      table('TLS callbacks', [['index', '#'], ['va', 'Callback (VA)']], (tls.callbacks ?? []).map((va, i) => ({ index: String(i), va: hex(va) })), 'The callback array is empty.'),
    ],
  };
}

function versionBlock(info) {
  const entries = Object.entries(info ?? {});
  return {
    kind: 'table',
    title: `Version information (${entries.length})`,
    columns: columns([
      ['key', 'Key'],
      ['value', 'Value'],
    ]),
    rows: entries.map(([key, value]) => ({ key, value: text(value) })),
    empty: 'No version resource (or it holds no string table).',
  };
}

function authenticodeBlocks(auth) {
  if (!auth) return [{ kind: 'table', title: 'Authenticode (0)', columns: [], rows: [], empty: 'Not signed: the security directory is absent.' }];
  const sig = auth.signature;
  const blocks = [
    facts('Authenticode', [
      ['Security directory', `${auth.security_dir_size} bytes at file offset ${hex(auth.security_dir_offset)}`],
      ['Present', yesNo(auth.present)],
      auth.malformed ? ['Could not be read', auth.malformed] : null,
      ...(sig
        ? [
            ['Signer issuer', sig.signer_issuer],
            ['Signer serial', sig.signer_serial],
            ['Signer self-signed', yesNo(sig.self_signed)],
            ['Signing time', sig.signing_time ? `${sig.signing_time} (from ${sig.signing_time_source ?? 'unknown'})` : '—'],
            ['Digest algorithm', sig.digest_algorithm],
            ['Signed digest', `${sig.signed_digest} (${sig.signed_digest_algorithm})`],
            ['Computed digest', sig.computed_digest],
            ['File unchanged since signing', sig.digest_matches === null || sig.digest_matches === undefined ? 'not checked (no digest to compare)' : sig.digest_matches ? 'yes: the computed digest equals the signed one' : 'no: the file was modified after signing'],
            ['What was checked', 'the file digest against the signed one; the signature and the certificate chain are not verified'],
            ['Nested signatures', sig.nested_signatures],
          ]
        : [['Signature', 'no PKCS#7 signature could be parsed']]),
    ]),
    table(
      'Certificate table entries',
      [['offset', 'File offset'], ['length', 'Length'], ['revision', 'Revision'], ['type', 'Type']],
      (auth.entries ?? []).map((e) => ({ offset: hex(e.offset), length: String(e.length), revision: hex(e.revision), type: `${e.certificate_type_name || 'unknown'} (${e.certificate_type})` })),
      'The security directory holds no WIN_CERTIFICATE entry.',
    ),
  ];
  if (sig) {
    blocks.push(
      table(
        'Certificates',
        [['subject', 'Subject'], ['issuer', 'Issuer'], ['serial', 'Serial'], ['from', 'Valid from'], ['to', 'Valid to'], ['self', 'Self-signed']],
        (sig.certificates ?? []).map((c) => ({ subject: c.subject, issuer: c.issuer, serial: c.serial_number, from: c.not_before, to: c.not_after, self: yesNo(c.self_signed) })),
        'The signature embeds no certificate.',
      ),
    );
  }
  return [{ kind: 'group', title: 'Authenticode signature', blocks }];
}

function clrBlock(clr) {
  if (!clr) return { kind: 'table', title: '.NET (0)', columns: [], rows: [], empty: 'No CLR header: this is native code, not a .NET assembly.' };
  return facts('.NET header', [
    ['Runtime version', clr.runtime_version],
    ['Header runtime version', `${clr.major_runtime_version}.${clr.minor_runtime_version}`],
    ['Header size', clr.header_size],
    [
      'Flags',
      flagsText(
        clr.flags,
        [
          [clr.il_only, 'IL only'],
          [clr.requires_32bit, '32-bit required'],
          [clr.prefers_32bit, '32-bit preferred'],
          [clr.strong_name_signed, 'strong-name signed'],
          [clr.native_entry_point, 'native entry point'],
        ]
          .filter(([set]) => set)
          .map(([, name]) => name),
      ),
    ],
    ['Entry point', `${hex(clr.entry_point)} (${clr.native_entry_point ? 'RVA' : 'token'})`],
    ['Metadata', `${clr.metadata_size} bytes at RVA ${hex(clr.metadata_rva)}`],
    ['Metadata streams', listText(clr.streams)],
  ]);
}
