//! Where reports go: a human summary, JSON Lines, or one JSON array. Each is a sink that receives
//! reports in input order.
use std::io::{self, Write};

use fcas_report::{PackedReport, Report};

use crate::tree::{write_tree, Node};

/// Receives each report as it is ready.
pub trait ReportSink {
    /// Writes one report.
    fn accept(&mut self, report: &Report) -> io::Result<()>;
    /// Writes a submitted file's report, then those of everything found inside it (kept
    /// packed, each opened in turn).
    fn accept_submission(&mut self, root: &Report, descendants: &[PackedReport]) -> io::Result<()> {
        self.accept(root)?;
        descendants.iter().try_for_each(|packed| self.accept(&unpack(packed)?))
    }
    /// Called once after the last report.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One JSON object per line.
pub struct JsonLines<W: Write>(pub W);

impl<W: Write> ReportSink for JsonLines<W> {
    fn accept(&mut self, report: &Report) -> io::Result<()> {
        serde_json::to_writer(&mut self.0, report)?;
        self.0.write_all(b"\n")
    }
    /// A descendant's packed JSON is the line itself: written without being parsed.
    fn accept_submission(&mut self, root: &Report, descendants: &[PackedReport]) -> io::Result<()> {
        self.accept(root)?;
        for packed in descendants {
            self.0.write_all(&packed.json().map_err(io::Error::other)?)?;
            self.0.write_all(b"\n")?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// One pretty-printed JSON array of reports, streamed.
pub struct JsonArray<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> JsonArray<W> {
    /// An array sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self { out, count: 0 }
    }
}

impl<W: Write> ReportSink for JsonArray<W> {
    fn accept(&mut self, report: &Report) -> io::Result<()> {
        self.out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut self.out, report)?;
        self.count += 1;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// A few lines per file for a person at a terminal.
pub struct Human<W: Write>(pub W);

impl<W: Write> ReportSink for Human<W> {
    /// The tree of a container first (also when every child repeats an earlier file, as in a
    /// quine), then each file's summary. Each descendant is opened once: what the tree shows of
    /// it and its summary are kept until the tree is written.
    fn accept_submission(&mut self, root: &Report, descendants: &[PackedReport]) -> io::Result<()> {
        let mut nodes = Vec::with_capacity(descendants.len());
        let mut summaries = Human(Vec::new());
        for packed in descendants {
            let report = unpack(packed)?;
            nodes.push(Node::of(&report));
            summaries.accept(&report)?;
        }
        if !root.children.is_empty() {
            write_tree(&mut self.0, root, &nodes)?;
            writeln!(self.0)?;
        }
        self.accept(root)?;
        self.0.write_all(&summaries.0)
    }

    fn accept(&mut self, report: &Report) -> io::Result<()> {
        let out = &mut self.0;
        writeln!(out, "{}", report.path)?;
        let description = if report.file_type.description.is_empty() { "-" } else { &report.file_type.description };
        writeln!(out, "  type      {} ({})", report.format.as_str(), description)?;
        writeln!(out, "  size      {} bytes, entropy {:.3}", report.size, report.entropy)?;
        if !report.hashes.sha256.is_empty() {
            writeln!(out, "  sha256    {}", report.hashes.sha256)?;
            writeln!(out, "  md5       {}", report.hashes.md5)?;
            writeln!(out, "  ssdeep    {}", report.hashes.ssdeep.as_deref().unwrap_or("-"))?;
            writeln!(out, "  tlsh      {}", report.hashes.tlsh.as_deref().unwrap_or("-"))?;
        }
        if let Some(pe) = &report.pe {
            let imphash = if pe.imphash.is_empty() { "-" } else { &pe.imphash };
            writeln!(
                out,
                "  pe        {} sections, {} imported DLLs, {} exports, imphash {}",
                pe.sections.len(),
                pe.imports.len(),
                pe.exports.len(),
                imphash
            )?;
        }
        if let Some(elf) = &report.elf {
            writeln!(out, "  elf       {} needed libraries", elf.libraries.len())?;
        }
        if let Some(macho) = &report.macho {
            writeln!(out, "  macho     {} slices", macho.slices.len())?;
        }
        if let Some(code) = &report.code {
            writeln!(out, "  code      {} functions, {} instructions ({})", code.function_count, code.instruction_count, code.arch)?;
        }
        writeln!(out, "  strings   {} ({} IOCs)", report.strings.total, report.strings.iocs.len())?;
        crate::document::write(out, report)?;
        crate::rule_matches::write(out, report)?;
        if let Some(extraction) = &report.extraction {
            write_extraction(out, extraction, report.children.len())?;
        }
        if let Some(verdict) = &report.verdict {
            let score = verdict.score.map(|s| format!(", score {s:.3}")).unwrap_or_default();
            writeln!(out, "  verdict   {}{score}", verdict.label)?;
            for reason in &verdict.reasons {
                writeln!(out, "            {reason}")?;
            }
        }
        for prediction in report.predictions.iter().filter(|p| p.applicable) {
            let score = prediction.score.map(|s| format!("{s:.4}")).unwrap_or_else(|| "-".into());
            let why = prediction.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            writeln!(out, "  model     {} {}: {} {score}{why}", prediction.model, prediction.version, prediction.label)?;
        }
        let mut indicators: Vec<_> = report.indicators.iter().collect();
        indicators.sort_by_key(|indicator| std::cmp::Reverse(indicator.severity));
        for indicator in indicators {
            let attack = indicator.attack_id.as_deref().map(|id| format!(" [{id}]")).unwrap_or_default();
            writeln!(out, "  {:<9} {}{}", indicator.severity.as_str(), indicator.title, attack)?;
        }
        for error in &report.errors {
            writeln!(out, "  error     {}: {}", error.stage, error.message)?;
        }
        writeln!(out)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A descendant's report, opened for writing.
fn unpack(packed: &PackedReport) -> io::Result<Report> {
    packed.unpack().map_err(io::Error::other)
}

/// How a container opened, what came out and what did not.
fn write_extraction(out: &mut impl Write, extraction: &fcas_report::Extraction, children: usize) -> io::Result<()> {
    let password = extraction.password.as_deref().map(|p| format!(", password \"{p}\"")).unwrap_or_default();
    writeln!(out, "  container {} {}{password}, {children} children", extraction.format, extraction.status.as_str())?;
    if let Some(message) = &extraction.message {
        writeln!(out, "            {message}")?;
    }
    for hit in &extraction.limits_hit {
        writeln!(out, "  limit     {}: {}", hit.limit, hit.detail)?;
    }
    for skipped in &extraction.skipped {
        writeln!(out, "  skipped   {}: {}", skipped.name, skipped.reason)?;
    }
    for entry in &extraction.entries {
        writeln!(out, "  listed    {} ({} bytes{})", entry.name, entry.size, if entry.encrypted { ", encrypted" } else { "" })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use fcas_report::{ChildRef, Report};

    use super::{Human, ReportSink};

    #[test]
    fn a_container_whose_children_all_repeat_still_shows_its_tree() {
        // A quine: the one child is the container itself, so no descendant report follows.
        let mut root = Report { path: "quine.zip".into(), ..Report::default() };
        root.hashes.sha256 = "q".into();
        root.children =
            vec![ChildRef { name: "r/r.zip".into(), sha256: "q".into(), format: "zip".into(), duplicate: true, ..ChildRef::default() }];
        let mut out = Vec::new();
        Human(&mut out).accept_submission(&root, &[]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("quine.zip  unknown\n└── r/r.zip  zip (same content as a file listed earlier)\n\nquine.zip\n"), "{text}");
    }

    #[test]
    fn a_file_without_children_has_no_tree() {
        let report = Report { path: "a.exe".into(), ..Report::default() };
        let mut out = Vec::new();
        Human(&mut out).accept_submission(&report, &[]).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("a.exe\n  type "));
    }
}
