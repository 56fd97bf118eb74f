//! Authenticode: absent, damaged, self-signed, or no longer matching the file.
use fcas_report::{Evidence, PeReport, Severity};

use super::{indicator, Indicator};

pub(super) fn pe(pe: &PeReport, found: &mut Vec<Indicator>) {
    let Some(auth) = pe.authenticode.as_ref().filter(|a| a.present) else {
        found.push(indicator("pe.signature.absent", Severity::Info, "Not signed (no Authenticode signature)", None));
        return;
    };
    let at = Evidence { offset: Some(u64::from(auth.security_dir_offset)), ..Evidence::default() };
    if let Some(reason) = &auth.malformed {
        let mut ind = indicator("pe.signature.malformed", Severity::High, "Authenticode signature is malformed", Some("T1553.002"));
        ind.evidence.push(Evidence { detail: Some(reason.clone()), ..at.clone() });
        found.push(ind);
    }
    let Some(signature) = &auth.signature else { return };
    if signature.digest_matches == Some(false) {
        let mut ind = indicator(
            "pe.signature.digest_mismatch",
            Severity::High,
            "File was modified after it was signed (Authenticode digest does not match)",
            Some("T1553.002"),
        );
        ind.evidence.push(Evidence {
            detail: Some(format!("signed {}, computed {}", signature.signed_digest, signature.computed_digest)),
            ..at.clone()
        });
        found.push(ind);
    }
    if signature.self_signed {
        let mut ind = indicator("pe.signature.self_signed", Severity::Medium, "Signed with a self-signed certificate", Some("T1553.002"));
        ind.evidence.push(Evidence { detail: Some(signature.signer_issuer.clone()), ..at });
        found.push(ind);
    }
}
