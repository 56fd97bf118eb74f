//! What an analysis is asked to do: one type for every front end. The CLI's flags
//! (`--max-size`, `--min-string-len`, `--no-disasm`, `--no-models`, `--no-extract`, `--max-depth`,
//! `--no-rules`), the isolated child's request,
//! the worker's HTTP query, the fleet client and the app's settings all carry these same fields
//! under these same names.
use serde::{Deserialize, Serialize};

/// Options of one analysis. Zero means "the engine's default" for the numeric fields, so an
/// older peer that omits a field asks for the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisOptions {
    /// Refuse files larger than this many bytes (0: the engine's default, 2 GiB).
    pub max_size: u64,
    /// Minimum length of reported strings (0: the engine's default, 5).
    pub min_string_len: usize,
    /// Skip disassembly.
    pub no_disasm: bool,
    /// Skip model predictions.
    pub no_models: bool,
    /// Do not open containers (archives, images, installers): report the wrapper only.
    pub no_extract: bool,
    /// Deepest container nesting (0: the default, 8): a container this deep is listed, not opened.
    /// 1 opens the submitted file but none of its children.
    pub max_depth: u32,
    /// Skip the YARA rules stage.
    pub no_rules: bool,
}

impl AnalysisOptions {
    /// The options as URL query pairs, named as everywhere else (`max_size=...&no_disasm=true`).
    /// Fields at their default are left out, so the query stays short and old workers accept it.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.max_size > 0 {
            pairs.push(("max_size", self.max_size.to_string()));
        }
        if self.min_string_len > 0 {
            pairs.push(("min_string_len", self.min_string_len.to_string()));
        }
        if self.no_disasm {
            pairs.push(("no_disasm", "true".into()));
        }
        if self.no_models {
            pairs.push(("no_models", "true".into()));
        }
        if self.no_extract {
            pairs.push(("no_extract", "true".into()));
        }
        if self.max_depth > 0 {
            pairs.push(("max_depth", self.max_depth.to_string()));
        }
        if self.no_rules {
            pairs.push(("no_rules", "true".into()));
        }
        pairs
    }

    /// [`Self::query_pairs`] joined as a query string (values are digits and `true`, so no
    /// escaping is needed).
    pub fn to_query(&self) -> String {
        self.query_pairs().iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join("&")
    }

    /// `max_size`, or `default` when it asks for the default.
    pub fn max_size_or(&self, default: u64) -> u64 {
        if self.max_size == 0 {
            default
        } else {
            self.max_size
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_uses_the_json_field_names() {
        let options = AnalysisOptions {
            max_size: 1024,
            min_string_len: 8,
            no_disasm: true,
            no_models: true,
            no_extract: true,
            max_depth: 3,
            no_rules: true,
        };
        let json = serde_json::to_value(options).unwrap();
        for (key, value) in options.query_pairs() {
            assert_eq!(json[key].to_string(), value, "{key}");
        }
        assert_eq!(
            options.to_query(),
            "max_size=1024&min_string_len=8&no_disasm=true&no_models=true&no_extract=true&max_depth=3&no_rules=true"
        );
        assert_eq!(AnalysisOptions::default().to_query(), "");
        let partial: AnalysisOptions = serde_json::from_str(r#"{"no_disasm":true}"#).unwrap();
        assert_eq!(partial, AnalysisOptions { no_disasm: true, ..AnalysisOptions::default() });
        assert_eq!(partial.max_size_or(7), 7);
    }
}
