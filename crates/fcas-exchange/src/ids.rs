//! Identifiers. Exports are repeatable: the same stored analyses give the same ids, so a platform
//! importing a second export updates its objects instead of duplicating them.
use uuid::{Builder, Uuid};

/// The namespace STIX 2.1 (section 2.9) fixes for the UUIDv5 of cyber-observable objects.
const STIX_NAMESPACE: Uuid = Uuid::from_u128(0x00ab_edb4_aa42_466c_9c01_fed2_3315_a9b7);

/// FCAS's own namespace for the ids of the objects it makes up (analyses, indicators, MISP
/// objects and attributes).
const FCAS_NAMESPACE: Uuid = Uuid::from_u128(0x7a81_3092_c902_4eaa_bb1f_47ab_5f60_ba2f);

/// A STIX cyber-observable id: `kind--` and the UUIDv5 of the canonical JSON (RFC 8785) of its
/// id-contributing properties, as the STIX specification requires.
pub fn observable(kind: &str, canonical_json: &str) -> String {
    format!("{kind}--{}", Uuid::new_v5(&STIX_NAMESPACE, canonical_json.as_bytes()))
}

/// A STIX domain or relationship object id. STIX wants UUIDv4 for these (strict validation
/// refuses others); the random bits are taken from a hash of `key` so the id is repeatable.
pub fn domain(kind: &str, key: &str) -> String {
    format!("{kind}--{}", repeatable_v4(kind, key))
}

/// A MISP uuid (event, object, attribute, reference) for `key`.
pub fn misp(kind: &str, key: &str) -> String {
    repeatable_v4(kind, key).to_string()
}

fn repeatable_v4(kind: &str, key: &str) -> Uuid {
    let digest = Uuid::new_v5(&FCAS_NAMESPACE, format!("{kind}\n{key}").as_bytes());
    Builder::from_random_bytes(digest.into_bytes()).into_uuid()
}

/// The canonical JSON of a string: serde_json escapes exactly what RFC 8785 escapes
/// (`"`, `\` and control characters, with lowercase `\u00xx`).
pub fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_ids_are_version_4_and_repeatable() {
        let id = domain("indicator", "abc");
        assert_eq!(id, domain("indicator", "abc"));
        assert_ne!(id, domain("indicator", "abd"));
        let uuid = Uuid::parse_str(id.trim_start_matches("indicator--")).unwrap_or_default();
        assert_eq!(uuid.get_version_num(), 4);
    }

    #[test]
    fn observable_ids_are_version_5() {
        let id = observable("file", r#"{"hashes":{"MD5":"00"}}"#);
        let uuid = Uuid::parse_str(id.trim_start_matches("file--")).unwrap_or_default();
        assert_eq!(uuid.get_version_num(), 5);
    }
}
