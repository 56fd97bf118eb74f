// The analysis record shown under the structure of every report: how it was made, every
// indicator with its evidence, every IOC with its string, predictions, code facts.
import { indicatorsWithEvidence, iocsWithStrings } from '../exportHtml.js';
import { hex } from '../format.js';
import { facts, table, text } from './blocks.js';

/** Milliseconds with two decimals. */
const msText = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : '—');

/** Where the report was made: `isolated_child`, `worker X`, `local_fallback (reason)`. */
function originText(origin) {
  if (!origin) return '—';
  if (origin.id) return `${origin.kind} ${origin.id}`;
  return origin.reason ? `${origin.kind} (${origin.reason})` : origin.kind;
}

/**
 * The analysis record, for every report: how it was made, every indicator with all its evidence,
 * every IOC with its string, predictions, and the code facts the Code view sums up.
 */
export function recordBlocks(report) {
  const prov = report?.provenance ?? {};
  const strings = report?.strings ?? {};
  const code = report?.code;
  const blocks = [
    facts('Analysis', [
      ['Format', report?.format],
      ['MIME type', report?.file_type?.mime],
      ['Engine version', report?.engine_version],
      ['Report schema', report?.schema_version],
      ['Made by', originText(prov.origin)],
      ['Worker', prov.worker],
      ['Analysis time', msText(prov.analysis_ms)],
      ['Rule set', prov.rules],
      ['Strings found', `${strings.total ?? 0}${strings.truncated ? ` (the first ${strings.items?.length ?? 0} kept)` : ''}`],
      ['IOCs', `${strings.iocs?.length ?? 0}${strings.iocs_truncated ? ' (more were left out at the cap)' : ''}`],
    ]),
    table('Stage timings', [['stage', 'Stage'], ['ms', 'Time']], (prov.stage_ms ?? []).map((t) => ({ stage: t.stage, ms: msText(t.ms) })), 'The report records no stage timing.'),
    table(
      'Indicators',
      [['severity', 'Severity'], ['id', 'Id'], ['title', 'Finding'], ['attack', 'ATT&CK'], ['evidence', 'Evidence']],
      indicatorsWithEvidence(report?.indicators).map((i) => ({ severity: i.severity, id: i.id, title: i.title, attack: i.attackId || '—', evidence: i.evidence.join(' ; ') || '—' })),
      'No indicator was raised.',
    ),
    table(
      'IOCs',
      [['kind', 'Kind'], ['value', 'Value'], ['offset', 'Offset'], ['count', 'Count'], ['string', 'Found in the string']],
      iocsWithStrings(strings).map((i) => ({ kind: i.kind, value: i.value, offset: i.source === 'file' ? hex(i.offset) : i.source, count: String(i.count), string: i.string || '—' })),
      'No URL, domain, address, path or other IOC was found in the strings.',
    ),
    table(
      'Predictions',
      [['model', 'Model'], ['version', 'Version'], ['label', 'Label'], ['score', 'Score'], ['threshold', 'Threshold (strict)'], ['ms', 'Time'], ['reason', 'Reason']],
      (report?.predictions ?? []).map((p) => ({
        model: p.model,
        version: text(p.version),
        label: p.label,
        score: Number.isFinite(p.score) ? p.score.toFixed(4) : '—',
        threshold: `${Number.isFinite(p.threshold) ? p.threshold.toFixed(4) : '—'} (${Number.isFinite(p.strict_threshold) ? p.strict_threshold.toFixed(4) : '—'})`,
        ms: msText(p.ms),
        reason: text(p.reason),
      })),
      'No model ran on this file.',
    ),
  ];
  if (code) {
    blocks.push({
      kind: 'group',
      title: 'Code facts',
      blocks: [
        table(
          'Functions',
          [['address', 'Address'], ['size', 'Size'], ['instructions', 'Instructions'], ['found_by', 'Found by'], ['cut', 'Cut at the budget']],
          (code.functions ?? []).map((f) => ({ address: hex(f.address), size: String(f.size), instructions: String(f.instruction_count), found_by: text(f.found_by), cut: f.cut ? 'yes' : 'no' })),
          'No function was found from the entry point, exports or calls.',
        ),
        table(
          'API call sites',
          [['address', 'Call at'], ['function', 'In function'], ['api', 'API'], ['kind', 'Kind']],
          (code.api_calls ?? []).map((c) => ({ address: hex(c.address), function: hex(c.function), api: c.api, kind: text(c.kind) })),
          'No call to an imported API was seen in the code read.',
        ),
        table('API call counts', [['api', 'API'], ['count', 'Calls']], (code.api_call_counts ?? []).map((c) => ({ api: c.api, count: String(c.count) })), 'No call to an imported API was seen.'),
        table('Mnemonics', [['mnemonic', 'Mnemonic'], ['count', 'Count']], (code.mnemonic_histogram ?? []).map((m) => ({ mnemonic: m.mnemonic, count: String(m.count) })), 'No instruction was decoded.'),
      ],
    });
  }
  return [{ kind: 'group', title: 'Analysis record', blocks }];
}
