//! Reading an Authenticode PKCS#7 SignedData: certificates, signer, digest and signing time.
//! No signature or chain is verified: this reports what the blob claims.
use fcas_report::{hex, PeCertificate, PeSignature};
use x509_parser::asn1_rs::{Any, Class, FromBer, FromDer, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::num_bigint::BigUint;
use x509_parser::time::ASN1Time;
use x509_parser::x509::X509Name;

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const OID_COUNTER_SIGNATURE: &str = "1.2.840.113549.1.9.6";
const OID_RFC3161_TIMESTAMP: &str = "1.3.6.1.4.1.311.3.3.1";
const OID_NESTED_SIGNATURE: &str = "1.3.6.1.4.1.311.2.4.1";
/// Children read from one SET or SEQUENCE; real signatures have a handful.
const MAX_CHILDREN: usize = 256;

/// Why a signature blob could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum Pkcs7Error {
    /// A required part is missing or not valid DER.
    #[error("PKCS#7 {0} is missing or not valid DER")]
    Missing(&'static str),
    /// The blob is a ContentInfo of another type.
    #[error("PKCS#7 content type is {0}, not SignedData")]
    NotSignedData(String),
}

use Pkcs7Error::Missing;

/// One DER element: its decoded header and content, and its whole encoding.
struct Tlv<'a> {
    any: Any<'a>,
    raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    fn parse(input: &'a [u8]) -> Option<Self> {
        let (rest, any) = Any::from_ber(input).ok()?;
        let raw = input.get(..input.len().checked_sub(rest.len())?)?;
        Some(Self { any, raw })
    }

    /// The elements inside a constructed element, up to the first one that does not parse.
    fn children(&self) -> Vec<Tlv<'a>> {
        let mut out = Vec::new();
        let mut input = self.any.data;
        while !input.is_empty() && out.len() < MAX_CHILDREN {
            let Ok((rest, any)) = Any::from_ber(input) else { break };
            let Some(raw) = input.get(..input.len() - rest.len()) else { break };
            out.push(Tlv { any, raw });
            input = rest;
        }
        out
    }

    fn is(&self, tag: Tag) -> bool {
        self.any.header.class() == Class::Universal && self.any.header.tag() == tag
    }

    fn is_context(&self, number: u32) -> bool {
        self.any.header.class() == Class::ContextSpecific && self.any.header.tag().0 == number
    }

    fn oid(&self) -> Option<String> {
        self.is(Tag::Oid).then(|| self.any.as_oid().ok().map(|oid| oid.to_id_string())).flatten()
    }

    /// The single element inside an explicit tag.
    fn explicit_inner(&self) -> Option<Tlv<'a>> {
        Tlv::parse(self.any.data)
    }
}

/// Reads a `ContentInfo` holding SignedData (the body of a `WIN_CERT_TYPE_PKCS_SIGNED_DATA`).
/// Certificates beyond `max_certificates` are not listed.
pub(super) fn parse_signed_data(blob: &[u8], max_certificates: usize) -> Result<PeSignature, Pkcs7Error> {
    let signed_data = signed_data(blob)?;
    let parts = signed_data.children();
    let mut signature = PeSignature::default();

    let encapsulated = parts.iter().find(|p| p.is(Tag::Sequence)).ok_or(Missing("encapsulated content"))?;
    if let Some((algorithm, digest)) = spc_digest(encapsulated) {
        signature.signed_digest_algorithm = algorithm;
        signature.signed_digest = digest;
    }

    if let Some(certificates) = parts.iter().find(|p| p.is_context(0)) {
        signature.certificates = certificates_in(certificates, max_certificates);
    }

    let signer_infos = parts.iter().rev().find(|p| p.is(Tag::Set)).ok_or(Missing("signerInfos"))?;
    let signer = signer_infos.children().into_iter().next().ok_or(Missing("signerInfo"))?;
    let signer_parts = signer.children();
    let identifier = signer_parts.get(1).filter(|p| p.is(Tag::Sequence)).ok_or(Missing("signer identifier"))?;
    let (issuer_raw, serial) = issuer_and_serial(identifier).ok_or(Missing("signer issuer and serial number"))?;
    signature.signer_issuer = name_string(issuer_raw);
    signature.signer_serial = serial.clone();
    signature.digest_algorithm = signer_parts.get(2).and_then(algorithm_oid).map(|oid| digest_name(&oid)).unwrap_or_default();

    let signed_attributes = signer_parts.iter().find(|p| p.is_context(0)).map(Tlv::children).unwrap_or_default();
    let unsigned_attributes = signer_parts.iter().find(|p| p.is_context(1)).map(Tlv::children).unwrap_or_default();
    if let Some(time) = attribute_values(&signed_attributes, OID_SIGNING_TIME).first().and_then(time_string) {
        signature.signing_time = Some(time);
        signature.signing_time_source = Some("signing_time".into());
    } else if let Some((time, source)) = timestamp(&unsigned_attributes) {
        signature.signing_time = Some(time);
        signature.signing_time_source = Some(source.into());
    }
    signature.nested_signatures = attribute_values(&unsigned_attributes, OID_NESTED_SIGNATURE).len() as u32;

    signature.self_signed = signature
        .certificates
        .iter()
        .find(|c| c.serial_number == serial && c.issuer == signature.signer_issuer)
        .is_some_and(|c| c.self_signed);
    Ok(signature)
}

/// The SignedData SEQUENCE inside a ContentInfo.
fn signed_data(blob: &[u8]) -> Result<Tlv<'_>, Pkcs7Error> {
    let content_info = Tlv::parse(blob).filter(|t| t.is(Tag::Sequence)).ok_or(Missing("ContentInfo"))?;
    let parts = content_info.children();
    let content_type = parts.first().and_then(Tlv::oid).ok_or(Missing("content type"))?;
    if content_type != OID_SIGNED_DATA {
        return Err(Pkcs7Error::NotSignedData(content_type));
    }
    parts.get(1).filter(|p| p.is_context(0)).and_then(Tlv::explicit_inner).filter(|t| t.is(Tag::Sequence)).ok_or(Missing("SignedData"))
}

/// The file digest recorded in SpcIndirectDataContent: its algorithm and lowercase hex value.
fn spc_digest(encapsulated: &Tlv<'_>) -> Option<(String, String)> {
    let content = encapsulated.children().into_iter().find(|p| p.is_context(0))?.explicit_inner()?;
    let digest_info = content.children().into_iter().nth(1)?;
    let parts = digest_info.children();
    let algorithm = parts.first().and_then(algorithm_oid)?;
    let digest = parts.get(1).filter(|d| d.is(Tag::OctetString))?;
    Some((digest_name(&algorithm), hex(digest.any.data)))
}

/// Every certificate of the `[0] IMPLICIT SET OF Certificate`, at most `max`.
fn certificates_in(set: &Tlv<'_>, max: usize) -> Vec<PeCertificate> {
    set.children()
        .iter()
        .filter_map(|c| X509Certificate::from_der(c.raw).ok())
        .take(max)
        .map(|(_, cert)| describe_certificate(&cert))
        .collect()
}

fn describe_certificate(cert: &X509Certificate<'_>) -> PeCertificate {
    PeCertificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial_number: cert.serial.to_str_radix(16),
        not_before: rfc3339(cert.validity().not_before.timestamp()),
        not_after: rfc3339(cert.validity().not_after.timestamp()),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
    }
}

/// `IssuerAndSerialNumber`: the issuer's encoding and the serial in lowercase hex.
fn issuer_and_serial<'a>(identifier: &Tlv<'a>) -> Option<(&'a [u8], String)> {
    let parts = identifier.children();
    let issuer = parts.first().filter(|p| p.is(Tag::Sequence))?;
    let serial = parts.get(1).filter(|p| p.is(Tag::Integer))?;
    let serial = BigUint::from_bytes_be(serial.any.data).to_str_radix(16);
    Some((issuer.raw, serial))
}

fn name_string(raw: &[u8]) -> String {
    X509Name::from_der(raw).map(|(_, name)| name.to_string()).unwrap_or_default()
}

/// The OID of an `AlgorithmIdentifier`.
fn algorithm_oid(algorithm: &Tlv<'_>) -> Option<String> {
    algorithm.children().first().and_then(Tlv::oid)
}

fn digest_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.2.5" => "md5",
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        other => other,
    }
    .to_string()
}

/// The values of every attribute of type `oid` (each attribute is `SEQUENCE { OID, SET }`).
fn attribute_values<'a>(attributes: &[Tlv<'a>], oid: &str) -> Vec<Tlv<'a>> {
    attributes
        .iter()
        .filter_map(|attribute| {
            let parts = attribute.children();
            let mut parts = parts.into_iter();
            (parts.next()?.oid()? == oid).then(|| parts.next())?
        })
        .flat_map(|values| values.children())
        .collect()
}

/// The signing time of a counter-signature or, failing that, of an RFC 3161 timestamp token.
fn timestamp(unsigned_attributes: &[Tlv<'_>]) -> Option<(String, &'static str)> {
    let counter = attribute_values(unsigned_attributes, OID_COUNTER_SIGNATURE).into_iter().find_map(|counter_signer| {
        let signed = counter_signer.children().into_iter().find(|p| p.is_context(0))?.children();
        attribute_values(&signed, OID_SIGNING_TIME).first().and_then(time_string)
    });
    if let Some(time) = counter {
        return Some((time, "counter_signature"));
    }
    attribute_values(unsigned_attributes, OID_RFC3161_TIMESTAMP).into_iter().find_map(|token| {
        let token_data = signed_data(token.raw).ok()?;
        let encapsulated = token_data.children().into_iter().find(|p| p.is(Tag::Sequence))?;
        let content = encapsulated.children().into_iter().find(|p| p.is_context(0))?.explicit_inner()?;
        let tst_info = Tlv::parse(content.any.data).filter(|t| t.is(Tag::Sequence))?;
        // TSTInfo: version, policy, messageImprint, serialNumber, genTime, ...
        let gen_time = tst_info.children().into_iter().find(|p| p.is(Tag::GeneralizedTime))?;
        Some((time_string(&gen_time)?, "rfc3161_timestamp"))
    })
}

fn time_string(time: &Tlv<'_>) -> Option<String> {
    ASN1Time::from_der(time.raw).ok().map(|(_, t)| rfc3339(t.timestamp()))
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Civil date from a day count (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", of_day / 3600, of_day % 3600 / 60, of_day % 60)
}
