//! EMBER's raw feature dictionary, field for field (so reference JSON deserialises into it).
use serde::{Deserialize, Serialize};

/// Everything EMBER v2 extracts before vectorising.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct RawFeatures {
    pub sha256: String,
    pub histogram: Vec<u64>,
    pub byteentropy: Vec<u64>,
    pub strings: StringFeatures,
    pub general: GeneralFeatures,
    pub header: HeaderFeatures,
    pub section: SectionFeatures,
    /// Library name as written -> function names (`ordinalN` for ordinals), in file order.
    #[serde(with = "ordered_map")]
    pub imports: Vec<(String, Vec<String>)>,
    pub exports: Vec<String>,
    pub datadirectories: Vec<DataDirectoryFeature>,
}

/// Printable-string statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct StringFeatures {
    pub numstrings: u64,
    pub avlength: f64,
    pub printabledist: Vec<u64>,
    pub printables: u64,
    pub entropy: f64,
    pub paths: u64,
    pub urls: u64,
    pub registry: u64,
    #[serde(rename = "MZ")]
    pub mz: u64,
}

/// General file facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct GeneralFeatures {
    pub size: u64,
    pub vsize: u64,
    pub has_debug: u64,
    pub exports: u64,
    pub imports: u64,
    pub has_relocations: u64,
    pub has_resources: u64,
    pub has_signature: u64,
    pub has_tls: u64,
    pub symbols: u64,
}

/// COFF and optional header facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct HeaderFeatures {
    pub coff: CoffFeatures,
    pub optional: OptionalFeatures,
}

/// COFF header facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct CoffFeatures {
    pub timestamp: u64,
    pub machine: String,
    pub characteristics: Vec<String>,
}

/// Optional header facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct OptionalFeatures {
    pub subsystem: String,
    pub dll_characteristics: Vec<String>,
    pub magic: String,
    pub major_image_version: u64,
    pub minor_image_version: u64,
    pub major_linker_version: u64,
    pub minor_linker_version: u64,
    pub major_operating_system_version: u64,
    pub minor_operating_system_version: u64,
    pub major_subsystem_version: u64,
    pub minor_subsystem_version: u64,
    pub sizeof_code: u64,
    pub sizeof_headers: u64,
    pub sizeof_heap_commit: u64,
}

/// Sections and the entry point's section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct SectionFeatures {
    pub entry: String,
    pub sections: Vec<SectionFeature>,
}

/// One section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct SectionFeature {
    pub name: String,
    pub size: u64,
    pub entropy: f64,
    pub vsize: u64,
    pub props: Vec<String>,
}

/// One data directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct DataDirectoryFeature {
    pub name: String,
    pub size: u64,
    pub virtual_address: u64,
}

/// EMBER writes imports as a JSON object whose key order is the file's order: keep it.
mod ordered_map {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(entries: &[(String, Vec<String>)], serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, Vec<String>)>, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Vec<(String, Vec<String>)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of library names to function lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(entries)
            }
        }
        deserializer.deserialize_map(Entries)
    }
}
