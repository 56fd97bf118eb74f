//! Top-level domains accepted for domains and e-mail addresses.
//!
//! A short whitelist rather than the full public-suffix list: binaries are full of dotted names
//! (`kernel32.dll`, `System.IO`, `foo.so`, `setup.py`) and an exhaustive list would turn
//! most of them into "domains". Country codes that are also common file extensions (`.so`,
//! `.py`, `.pl`, `.sh`, `.md`, `.rs`, `.cc`, `.ps`, `.in`, `.am`) and the new `.zip`/`.mov`
//! are left out on purpose; `.com` stays in although `chcp.com` is also a DOS program name.
const WHITELIST: &[&str] = &[
    // Generic and sponsored.
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "name", "pro", "mobi", "asia", "tel", "xxx", "aero", "coop", "museum",
    // New generic TLDs frequent in abuse and in ordinary software.
    "xyz", "top", "online", "site", "club", "app", "dev", "cloud", "shop", "store", "live", "icu", "vip", "work", "link", "click", "space",
    "website", "tech", "fun", "buzz", "today", "pw", "cyou", "rest", "bond", "onion", "bit", "email", "host", "press", "life", "world",
    "news", "blog", "page", "download", "win", "loan", "party", "review", "stream", "science", "racing", "date", "men", "trade", "gdn",
    "services", "support", "network", "systems", "digital", "solutions", "agency", "company", "center", "zone", "ninja", "run", "one",
    // Country codes.
    "ac", "ae", "ag", "ai", "ar", "at", "au", "az", "ba", "bd", "be", "bg", "br", "by", "bz", "ca", "cf", "ch", "cl", "cn", "co", "cx",
    "cz", "de", "dk", "ee", "eg", "es", "eu", "fi", "fm", "fr", "ga", "ge", "gg", "gl", "gq", "gr", "gs", "hk", "hr", "hu", "id", "ie",
    "il", "im", "io", "iq", "ir", "is", "it", "je", "jp", "ke", "kg", "kr", "kz", "la", "li", "lk", "lt", "lu", "lv", "ly", "ma",
    "me", "ml", "mn", "ms", "mx", "my", "ng", "nl", "no", "np", "nu", "nz", "pe", "ph", "pk", "pt", "pw", "qa", "ro", "ru", "sa",
    "sc", "se", "sg", "si", "sk", "st", "su", "sx", "th", "tj", "tk", "tm", "to", "tr", "tv", "tw", "tz", "ua", "ug", "uk", "us", "uz",
    "vc", "ve", "vn", "ws", "za",
];

/// True when `tld` (already lowercase) is an accepted top-level domain.
pub(crate) fn is_known(tld: &str) -> bool {
    WHITELIST.contains(&tld)
}
