//! A forgiving walk over XML parts: element starts with their attributes (local names, values
//! unescaped), ends and text, which is all the Office parts we read need. Malformed XML ends the
//! walk with an error after what was read; each event consumes input, so the walk is bounded.
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// One step of the walk.
pub(super) enum Node {
    /// An element start (`empty` for `<a/>`), local name and attributes by local name.
    Open { name: String, attributes: Vec<(String, String)>, empty: bool },
    /// An element end, by local name.
    Close { name: String },
    /// Text, entity references resolved.
    Text(String),
}

/// Walks `xml`, handing each node to `visit`.
pub(super) fn walk(xml: &[u8], mut visit: impl FnMut(Node)) -> Result<(), String> {
    let text = String::from_utf8_lossy(xml);
    let mut reader = Reader::from_str(&text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => visit(open(&element, false)),
            Ok(Event::Empty(element)) => visit(open(&element, true)),
            Ok(Event::End(element)) => visit(Node::Close { name: element.local_name().as_ref().to_string() }),
            Ok(Event::Text(content)) => visit(Node::Text(content.xml10_content().into_owned())),
            Ok(Event::CData(content)) => visit(Node::Text(content.into_inner().into_owned())),
            Ok(Event::GeneralRef(reference)) => visit(Node::Text(entity(&reference.into_inner()))),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(error) => return Err(format!("xml at {}: {error}", reader.error_position())),
        }
    }
}

fn open(element: &quick_xml::events::BytesStart<'_>, empty: bool) -> Node {
    let name = element.local_name().as_ref().to_string();
    let attributes = element
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|attribute| {
            let key = attribute.key.local_name().as_ref().to_string();
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_or_else(|_| attribute.value.to_string(), |value| value.into_owned());
            (key, value)
        })
        .collect();
    Node::Open { name, attributes, empty }
}

/// The text of an entity reference (`amp`, `#x41`, `#65`); an unknown one as written.
fn entity(name: &str) -> String {
    let character = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|decimal| decimal.parse().ok()))
            .and_then(char::from_u32),
    };
    character.map_or_else(|| format!("&{name};"), String::from)
}

/// The value of attribute `name`.
pub(super) fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}
