//! Microsoft Equation Editor objects, the target of CVE-2017-11882 and CVE-2018-0802: known by
//! their OLE1 class, or (when the class is disguised) by the compound file they carry.

/// Whether an object of OLE1 `class` whose compound file (if any) looks like an equation is an
/// Equation Editor object.
pub(super) fn is_equation_editor(class: Option<&str>, compound_file_is_equation: bool) -> bool {
    compound_file_is_equation || class.is_some_and(is_equation_class)
}

fn is_equation_class(class: &str) -> bool {
    let class = class.trim_end_matches('\0');
    ["Equation", "Equation.2", "Equation.3"].iter().any(|known| class.eq_ignore_ascii_case(known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_recognised_whatever_the_case() {
        assert!(is_equation_editor(Some("Equation.3"), false));
        assert!(is_equation_editor(Some("eQuAtIoN.3\0"), false));
        assert!(is_equation_editor(Some("Equation"), false));
        assert!(!is_equation_editor(Some("Package"), false));
        assert!(!is_equation_editor(Some("Equation.30"), false));
        assert!(is_equation_editor(Some("Disguised.1"), true));
        assert!(!is_equation_editor(None, false));
    }
}
