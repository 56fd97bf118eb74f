//! Bearer tokens: loaded from a file or the environment, compared in constant time.
use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Environment variable holding accepted tokens (comma-separated) when no token file is given,
/// and the client's token when it has no token file.
pub const TOKEN_ENV: &str = "FCAS_TOKEN";

/// Why tokens could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The token file could not be read.
    #[error("cannot read the token file {path}: {source}")]
    Unreadable {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No token was found.
    #[error("no token found in {0} (one token per line; lines starting with # are comments)")]
    Empty(String),
}

/// The accepted tokens. Only their SHA-256 digests are kept, so that comparing a presented
/// token takes the same time whatever its length and whichever token it resembles.
#[derive(Clone)]
pub struct Tokens {
    digests: Vec<[u8; 32]>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} configured)", self.digests.len())
    }
}

impl Tokens {
    /// Tokens from a list (empty entries ignored).
    pub fn new<S: AsRef<str>>(tokens: impl IntoIterator<Item = S>) -> Self {
        let digests = tokens.into_iter().filter_map(|t| non_empty(t.as_ref()).map(digest)).collect();
        Self { digests }
    }

    /// Tokens from a file: one per line, blank lines and `#` comments ignored.
    pub fn from_file(path: &Path) -> Result<Self, TokenError> {
        let text = read_token_file(path)?;
        let tokens = Self::new(token_lines(&text));
        if tokens.is_empty() {
            return Err(TokenError::Empty(path.display().to_string()));
        }
        Ok(tokens)
    }

    /// Tokens from the `FCAS_TOKEN` environment variable (comma-separated).
    pub fn from_env() -> Result<Self, TokenError> {
        let value = std::env::var(TOKEN_ENV).unwrap_or_default();
        let tokens = Self::new(value.split(','));
        if tokens.is_empty() {
            return Err(TokenError::Empty(format!("the {TOKEN_ENV} environment variable")));
        }
        Ok(tokens)
    }

    /// Whether no token is configured.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Whether `presented` is one of the tokens. Every configured token is compared, in
    /// constant time, so the answer's timing reveals neither which one matched nor how much.
    pub fn accepts(&self, presented: &str) -> bool {
        let presented = digest(presented);
        let mut matched = subtle::Choice::from(0u8);
        for known in &self.digests {
            matched |= known.ct_eq(&presented);
        }
        matched.into()
    }

    /// Whether an `Authorization` header value carries an accepted bearer token.
    pub fn accepts_header(&self, authorization: Option<&str>) -> bool {
        match authorization.and_then(bearer_token) {
            Some(token) => self.accepts(token),
            None => false,
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value (scheme case-insensitive).
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// The client's token: the first token line of `file`, else `FCAS_TOKEN`'s first entry.
pub fn client_token(file: Option<&Path>) -> Result<Option<String>, TokenError> {
    if let Some(path) = file {
        let text = read_token_file(path)?;
        return token_lines(&text).next().map(|t| Some(t.to_string())).ok_or_else(|| TokenError::Empty(path.display().to_string()));
    }
    let value = std::env::var(TOKEN_ENV).unwrap_or_default();
    Ok(value.split(',').find_map(non_empty).map(str::to_string))
}

fn read_token_file(path: &Path) -> Result<String, TokenError> {
    std::fs::read_to_string(path).map_err(|source| TokenError::Unreadable { path: path.display().to_string(), source })
}

fn token_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn non_empty(token: &str) -> Option<&str> {
    Some(token.trim()).filter(|t| !t.is_empty())
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_configured_tokens() {
        let tokens = Tokens::new(["alpha", " beta ", ""]);
        assert!(tokens.accepts("alpha"));
        assert!(tokens.accepts("beta"));
        assert!(!tokens.accepts("alph"));
        assert!(!tokens.accepts(""));
        assert!(tokens.accepts_header(Some("Bearer alpha")));
        assert!(tokens.accepts_header(Some("bearer beta")));
        assert!(!tokens.accepts_header(Some("Basic alpha")));
        assert!(!tokens.accepts_header(Some("Bearer ")));
        assert!(!tokens.accepts_header(None));
    }

    #[test]
    fn token_file_skips_comments_and_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        std::fs::write(&path, "# fleet tokens\n\n  first  \nsecond\n").unwrap();
        let tokens = Tokens::from_file(&path).unwrap();
        assert!(tokens.accepts("first") && tokens.accepts("second"));
        assert_eq!(client_token(Some(&path)).unwrap().as_deref(), Some("first"));
        std::fs::write(&path, "# only a comment\n").unwrap();
        assert!(matches!(Tokens::from_file(&path), Err(TokenError::Empty(_))));
    }
}
