//! What the YARA rules said about a file (`rules`), and the shape of one rule match, shared by
//! the rules stage, the sample vault's retro-hunts, the store and the app.
use serde::{Deserialize, Serialize};

/// The rules stage's result for one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RulesReport {
    /// The rule set that ran (see [`Provenance::rules`](crate::Provenance::rules)).
    pub rule_set: String,
    /// Every rule that matched, in the order the scanner gave them.
    pub matches: Vec<RuleMatch>,
    /// The scan stopped at its time limit: `matches` may miss rules.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

/// One rule that matched a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleMatch {
    /// The rule's identifier.
    pub rule: String,
    /// The rule's namespace (the built-in set is `fcas`; a user folder's files are named by
    /// their path relative to the folder).
    pub namespace: String,
    /// The rule's tags.
    pub tags: Vec<String>,
    /// The rule's metadata, in declaration order (`description`, `severity`, `attack`, ...).
    pub meta: Vec<RuleMeta>,
    /// Where its patterns matched (bounded per rule; see README "Limits").
    pub strings: Vec<RuleStringMatch>,
}

/// One metadata entry of a rule. Values keep their YARA type (string, integer, float, boolean).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleMeta {
    /// The metadata identifier.
    pub key: String,
    /// Its value.
    pub value: MetaValue,
}

/// A metadata value as YARA types it; serialised as the plain JSON value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetaValue {
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
    /// Text (YARA strings may hold any bytes; others are escaped as `\xNN`).
    Text(String),
}

impl Default for MetaValue {
    fn default() -> Self {
        Self::Text(String::new())
    }
}

impl std::fmt::Display for MetaValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(value) => write!(f, "{value}"),
            Self::Integer(value) => write!(f, "{value}"),
            Self::Float(value) => write!(f, "{value}"),
            Self::Text(value) => f.write_str(value),
        }
    }
}

/// One place a rule's pattern matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleStringMatch {
    /// The pattern's identifier (`$a`).
    pub identifier: String,
    /// File offset of the match.
    pub offset: u64,
    /// Length of the match in bytes.
    pub length: u64,
    /// The first bytes of the match as text, non-printable bytes escaped (`\x00`), at most 64
    /// bytes of the file.
    pub excerpt: String,
}

impl RuleMatch {
    /// The value of metadata `key` as text, if the rule has it.
    pub fn meta_text(&self, key: &str) -> Option<String> {
        self.meta.iter().find(|m| m.key == key).map(|m| m.value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_values_keep_their_json_type() {
        let meta: Vec<RuleMeta> =
            serde_json::from_str(r#"[{"key":"a","value":"text"},{"key":"b","value":3},{"key":"c","value":1.5},{"key":"d","value":true}]"#)
                .unwrap();
        let values: Vec<&MetaValue> = meta.iter().map(|m| &m.value).collect();
        assert_eq!(values, [&MetaValue::Text("text".into()), &MetaValue::Integer(3), &MetaValue::Float(1.5), &MetaValue::Bool(true)]);
        let rule = RuleMatch { meta, ..RuleMatch::default() };
        assert_eq!(rule.meta_text("b").as_deref(), Some("3"));
        assert_eq!(rule.meta_text("missing"), None);
    }
}
