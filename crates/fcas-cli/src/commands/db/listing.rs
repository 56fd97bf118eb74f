//! `history`, `lookup`, `imphash`, `imports`, `search`, `indicator`: listings of samples.
use std::io::{self, Write};

use clap::Args;
use fcas_store::query::{HistoryFilter, ImportSpec, DEFAULT_LIMIT};
use fcas_store::{parse_date, Result, Store, StoreError};

use super::render::{output_error, print_json, print_samples, printable, sample_line, when};
use crate::exit::Exit;

/// Filters shared by `history` and `export`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only reports with this verdict (`malicious`, `suspicious`, `benign`, `unknown`, or `none`).
    #[arg(long)]
    verdict: Option<String>,
    /// Only reports analysed on or after this date (YYYY-MM-DD[THH:MM:SS], UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only reports analysed before this date (YYYY-MM-DD[THH:MM:SS], UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only samples carrying this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only each sample's latest report.
    #[arg(long)]
    latest: bool,
}

impl FilterArgs {
    /// The store's filter for samples of `format` (paging left at its defaults).
    pub fn to_filter(&self, format: Option<&str>) -> Result<HistoryFilter> {
        let date = |text: &Option<String>| -> Result<Option<i64>> {
            text.as_deref()
                .map(|t| {
                    parse_date(t)
                        .ok_or_else(|| StoreError::InvalidQuery(format!("{t:?} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")))
                })
                .transpose()
        };
        Ok(HistoryFilter {
            verdict: self.verdict.clone(),
            format: format.map(str::to_owned),
            since: date(&self.since)?,
            until: date(&self.until)?,
            tag: self.tag.clone(),
            latest_only: self.latest,
            ..HistoryFilter::default()
        })
    }
}

/// Arguments of `fcas db history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only samples of this format (`pe`, `elf`, `macho`, `pdf`, ...).
    #[arg(long)]
    format: Option<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Rows per page.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1)]
    page: u32,
}

/// `fcas db history`.
pub fn history(store: &Store, args: &HistoryArgs, json: bool) -> Result<Exit> {
    let mut filter = args.filter.to_filter(args.format.as_deref())?;
    filter.limit = args.limit;
    filter.offset = args.page.saturating_sub(1).saturating_mul(args.limit);
    let entries = store.history(&filter)?;
    if json {
        print_json(&entries)?;
        return Ok(Exit::Success);
    }
    let mut out = io::stdout().lock();
    for e in &entries {
        let verdict = e.verdict.as_deref().unwrap_or("-");
        let tags = if e.tags.is_empty() { String::new() } else { format!("  [{}]", printable(&e.tags.join(", "))) };
        let name = printable(e.name.as_deref().unwrap_or("-"));
        writeln!(out, "{}  {}  {:<7} {:<10} {}{}", when(e.analysed_at), e.sha256, e.format, verdict, name, tags).map_err(output_error)?;
    }
    Ok(Exit::Success)
}

/// Arguments of `fcas db lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// MD5, SHA-1, SHA-256, SHA-512, or a prefix of one (at least 4 hex digits).
    #[arg(value_name = "HASH|PREFIX")]
    hash: String,
    /// Most samples listed.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
}

/// `fcas db lookup`.
pub fn lookup(store: &Store, args: &LookupArgs, json: bool) -> Result<Exit> {
    print_samples(&store.lookup(&args.hash, args.limit)?, json, &args.hash)
}

/// Arguments of `fcas db imphash`.
#[derive(Debug, Args)]
pub struct ImphashArgs {
    /// The import hash (32 hex digits).
    imphash: String,
    /// Most samples listed.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
}

/// `fcas db imphash`.
pub fn imphash(store: &Store, args: &ImphashArgs, json: bool) -> Result<Exit> {
    print_samples(&store.by_imphash(&args.imphash, args.limit)?, json, &args.imphash)
}

/// Arguments of `fcas db imports`.
#[derive(Debug, Args)]
pub struct ImportsArgs {
    /// `kernel32.dll!VirtualAllocEx`, `kernel32.dll` or `VirtualAllocEx` (case ignored).
    #[arg(value_name = "DLL!FUNC")]
    import: String,
    /// Most samples listed.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
}

/// `fcas db imports`.
pub fn imports(store: &Store, args: &ImportsArgs, json: bool) -> Result<Exit> {
    print_samples(&store.by_import(&ImportSpec::parse(&args.import)?, args.limit)?, json, &args.import)
}

/// Arguments of `fcas db indicator`.
#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// Indicator id (`pe.packer.upx`), or a prefix ending in `*` (`pe.packer.*`).
    id: String,
    /// Most samples listed.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
}

/// `fcas db indicator`.
pub fn indicator(store: &Store, args: &IndicatorArgs, json: bool) -> Result<Exit> {
    print_samples(&store.by_indicator(&args.id, args.limit)?, json, &args.id)
}

/// Arguments of `fcas db search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words that must all occur (case ignored; `evil.com` matches the words in that order).
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    text: Vec<String>,
    /// Search the IOCs only (URLs, domains, addresses, ...), not every string.
    #[arg(long)]
    iocs: bool,
    /// Most samples listed.
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: u32,
}

/// `fcas db search`.
pub fn search(store: &Store, args: &SearchArgs, json: bool) -> Result<Exit> {
    let text = args.text.join(" ");
    let hits = store.search_text(&text, args.iocs, args.limit)?;
    if json {
        print_json(&hits)?;
    } else {
        let mut out = io::stdout().lock();
        for hit in &hits {
            writeln!(out, "{}", sample_line(&hit.sample)).map_err(output_error)?;
            for (kind, value) in &hit.matches {
                let shown: String = value.chars().take(160).collect();
                writeln!(out, "    {:<12} {}", printable(kind), printable(&shown)).map_err(output_error)?;
            }
        }
    }
    if hits.is_empty() {
        eprintln!("fcas: no stored sample contains {text:?}");
        return Ok(Exit::NotFound);
    }
    Ok(Exit::Success)
}
