// The self-contained HTML export: one file, no scripts, charts inlined as SVG, the report's JSON
// embedded for tools. Pure: the page passes the SVG markup of its rendered charts.
import { escapeHtml, formatBytes, hex } from './format.js';
import { identityRows, verdictSummary } from './overview.js';
import { sectionRows } from './filemap.js';
import { importTree } from './imports.js';

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };

/** Every part of one piece of an indicator's evidence: `detail · section .text · api X · offset 0x10`. */
export function evidenceParts(e) {
  return [e.detail, e.section && `section ${e.section}`, e.api && `api ${e.api}`, Number.isFinite(e.offset) ? `offset ${hex(e.offset)}` : null].filter(Boolean).join(' · ');
}

/** Indicators, most severe first, each with all of its evidence. */
export function indicatorsWithEvidence(indicators) {
  return [...(indicators ?? [])]
    .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 4) - (SEVERITY_ORDER[b.severity] ?? 4) || String(a.id).localeCompare(String(b.id)))
    .map((i) => ({ id: i.id, severity: i.severity ?? 'info', title: i.title, attackId: i.attack_id ?? '', evidence: (i.evidence ?? []).map(evidenceParts).filter(Boolean) }));
}

/** Byte length of a found string in the file (UTF-16 takes two bytes a character). */
const byteLength = (item) => String(item.value ?? '').length * (item.encoding === 'utf16le' ? 2 : 1);

/**
 * Each IOC with the string of the file it was found in (the string whose bytes hold its offset;
 * none for an IOC from decoded document text, or past the strings' cap).
 */
export function iocsWithStrings(strings) {
  const items = [...(strings?.items ?? [])].sort((a, b) => a.offset - b.offset);
  return (strings?.iocs ?? []).map((ioc) => {
    let found = null;
    if (!ioc.source) {
      // The last string starting at or before the IOC (binary search), if it reaches the IOC.
      let lo = 0;
      let hi = items.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (items[mid].offset <= ioc.offset) (found = items[mid]), (lo = mid + 1);
        else hi = mid - 1;
      }
      if (found && found.offset + byteLength(found) <= ioc.offset) found = null;
    }
    return { kind: ioc.kind, value: ioc.value, offset: ioc.offset, count: ioc.count ?? 1, source: ioc.source ?? 'file', string: found?.value ?? '' };
  });
}

// Chart text is never under 11 px: every SVG text gets 11 px (a CSS rule beats the font-size
// attribute d3's axes set), and charts keep their drawn size, scrolling in a narrow window instead
// of being scaled down with their text.
const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eaeef2;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,monospace;word-break:break-all}.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;font-weight:600}
.danger{background:#ffebe9;color:#82071e}.warn{background:#fff8c5;color:#7d4e00}.ok{background:#dafbe1;color:#116329}.neutral{background:#eaeef2}
.chart{overflow-x:auto}svg{max-width:none;height:auto}svg text{font:11px system-ui,sans-serif}.axis text{fill:#59636e}.axis path,.axis line{stroke:#d0d7de}
.entropy-area{fill:#0969da;fill-opacity:.25}.entropy-line{fill:none;stroke:#0969da;stroke-width:1.5}.band rect{fill-opacity:.13}
.band.code rect{fill:#0550ae}.band.data rect{fill:#8250df}.band.rodata rect{fill:#57606a}.band text{fill:#59636e}.region{fill:#cf222e}
.model-bars .track{fill:#f0f3f6}.model-bars .bar.over{fill:#cf222e}.model-bars .bar.under{fill:#1a7f37}.model-bars .threshold{stroke:#1f2328;stroke-width:2;stroke-dasharray:3 2}
.heatmap .cell.empty{fill:#f0f3f6}`;

/** A complete HTML document for `report`; `charts` is `[{title, svg}]` (SVG markup). */
export function buildHtmlReport(report, charts = [], generatedAt = new Date()) {
  const verdict = verdictSummary(report);
  const identity = identityRows(report)
    .map((r) => `<tr><th>${escapeHtml(r.label)}</th><td><code>${escapeHtml(r.value)}</code></td></tr>`)
    .join('');
  const indicators = indicatorsWithEvidence(report.indicators)
    .map((i) => `<tr><td>${escapeHtml(i.severity)}</td><td>${escapeHtml(i.title)}<br><code>${escapeHtml(i.id)}</code></td><td>${escapeHtml(i.attackId)}</td><td>${i.evidence.length ? `<ul>${i.evidence.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : ''}</td></tr>`)
    .join('');
  const imports = importTree(report)
    .children.map((d) => `<tr><td><code>${escapeHtml(d.name)}</code>${d.delay ? ' (delay-load)' : ''}</td><td>${d.children.length}</td><td><code>${escapeHtml(d.children.map((f) => f.name).join(', '))}</code></td></tr>`)
    .join('');
  const iocs = iocsWithStrings(report.strings)
    .map((i) => `<tr><td>${escapeHtml(i.kind)}</td><td><code>${escapeHtml(i.value)}</code></td><td>${i.source === 'file' ? hex(i.offset) : escapeHtml(i.source)}</td><td>${i.count}</td><td><code>${escapeHtml(i.string)}</code></td></tr>`)
    .join('');
  const sections = sectionRows(report)
    .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${s.start}</td><td>${s.rawSize}</td><td>${s.entropy === null ? '' : s.entropy.toFixed(3)}</td><td>${escapeHtml(s.flags)}</td></tr>`)
    .join('');
  const chartBlocks = charts
    .filter((c) => typeof c.svg === 'string' && c.svg.trim().startsWith('<svg'))
    .map((c) => `<h2>${escapeHtml(c.title)}</h2><div class="chart">${atDrawnSize(stripScripts(c.svg))}</div>`)
    .join('');
  // `<` is escaped so the embedded JSON can never close its script element.
  const json = JSON.stringify(report).replaceAll('<', '\\u003c');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>FCAS report: ${escapeHtml(report.path)}</title><style>${STYLE}</style></head><body>
<h1>FCAS report: ${escapeHtml(report.path)}</h1>
<p>${escapeHtml(report.file_type?.description ?? report.format)} · ${escapeHtml(formatBytes(report.size))} · generated ${escapeHtml(generatedAt.toISOString())}</p>
<p><span class="verdict ${verdict.tone}">${escapeHtml(verdict.label)}</span>${verdict.score === null ? '' : ` score ${verdict.score.toFixed(3)}`}</p>
<h2>Identity</h2><table>${identity}</table>
<h2>Indicators</h2><table><tr><th>Severity</th><th>Finding</th><th>ATT&amp;CK</th><th>Evidence</th></tr>${indicators}</table>
<h2>Imports</h2><table><tr><th>Library</th><th>Functions</th><th>Names</th></tr>${imports}</table>
<h2>Strings with IOCs</h2><table><tr><th>Kind</th><th>IOC</th><th>Offset</th><th>Count</th><th>String</th></tr>${iocs}</table>
<h2>Sections</h2><table><tr><th>Name</th><th>Offset</th><th>Size</th><th>Entropy</th><th>Flags</th></tr>${sections}</table>
${chartBlocks}
<script type="application/json" id="fcas-report">${json}</script>
</body></html>`;
}

/** Removes script elements and inline event handlers from SVG markup. */
/**
 * The SVG with the width and height of its viewBox, when it has no width of its own: the app's
 * charts fill their box, and a document read in a narrow window would scale them, text included.
 */
export function atDrawnSize(svg) {
  const open = svg.match(/^<svg\b[^>]*>/)?.[0];
  const box = open?.match(/\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/);
  if (!open || !box || /\swidth=/.test(open)) return svg;
  return `<svg width="${box[1]}" height="${box[2]}"${svg.slice(4)}`;
}

export function stripScripts(svg) {
  return svg.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '');
}
