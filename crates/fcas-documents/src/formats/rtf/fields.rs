//! Field instructions: a `DDE` or `DDEAUTO` field runs a command through Dynamic Data Exchange
//! (automatically on open for `DDEAUTO`).

/// Whether a field instruction is a DDE link (`DDE` or `DDEAUTO`, then a space).
pub(super) fn is_dde(instruction: &str) -> bool {
    let words = instruction.trim_start();
    let Some(keyword) = words.get(..3).filter(|k| k.eq_ignore_ascii_case("dde")) else { return false };
    let rest = &words[keyword.len()..];
    let rest = match rest.get(..4) {
        Some(auto) if auto.eq_ignore_ascii_case("auto") => &rest[4..],
        _ => rest,
    };
    rest.starts_with(|c: char| c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dde_fields() {
        assert!(is_dde("DDEAUTO c:\\windows\\system32\\cmd.exe \"/k calc\""));
        assert!(is_dde("  dde excel \"x\""));
        assert!(!is_dde("DDEAUTOx"));
        assert!(!is_dde("HYPERLINK \"http://x\""));
        assert!(!is_dde("DDE"));
        assert!(!is_dde("dd\u{e9} x"));
    }
}
