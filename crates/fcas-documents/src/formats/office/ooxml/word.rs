//! Field codes of WordprocessingML (docx and Word 2003 XML): `w:fldSimple w:instr` and the
//! `w:instrText` runs between `w:fldChar` begin and end, joined as Word joins split runs.
use super::super::fields::is_dde_instruction;
use super::super::xml::{self, Node};

/// The DDE field instructions of a WordprocessingML part.
pub(in super::super) fn dde_fields(part: &[u8], max: usize) -> (Vec<String>, Option<String>) {
    let mut fields = Vec::new();
    let mut level = 0i64;
    let mut instruction = String::new();
    let mut in_instruction = false;
    let push = |fields: &mut Vec<String>, text: String| {
        if is_dde_instruction(&text) && fields.len() < max {
            fields.push(text);
        }
    };
    let result = xml::walk(part, |node| match node {
        Node::Open { name, attributes, empty } => match name.as_str() {
            "fldSimple" => {
                if let Some(text) = xml::attribute(&attributes, "instr") {
                    push(&mut fields, text.to_string());
                }
            }
            "fldChar" => match xml::attribute(&attributes, "fldCharType") {
                Some("begin") => level += 1,
                Some("end") => {
                    level -= 1;
                    if level <= 0 {
                        push(&mut fields, std::mem::take(&mut instruction));
                        level = 0;
                    }
                }
                _ => {}
            },
            "instrText" => in_instruction = !empty,
            _ => {}
        },
        Node::Close { name } if name == "instrText" => in_instruction = false,
        Node::Text(text) if in_instruction && instruction.len() < 1 << 16 => instruction.push_str(&text),
        _ => {}
    });
    (fields, result.err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_runs_are_joined() {
        let part = br#"<w:document xmlns:w="w"><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
            <w:r><w:instrText>DDEAUTO c:\\windows\\cmd.exe </w:instrText></w:r><w:r><w:instrText>"/k calc.exe"</w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr=" DDE x y "/><w:fldSimple w:instr="PAGE"/></w:p></w:document>"#;
        let (fields, error) = dde_fields(part, 10);
        assert_eq!(error, None);
        assert_eq!(fields, vec!["DDEAUTO c:\\\\windows\\\\cmd.exe \"/k calc.exe\"".to_string(), " DDE x y ".to_string()]);
    }
}
