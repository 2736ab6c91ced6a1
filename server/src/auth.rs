//! API keys (`--api-keys FILE`): one `tenant key` per line. Keys are kept only as SHA-256
//! hashes; a request's `Authorization: Bearer KEY` names its tenant, and a tenant sees only its
//! own jobs. Without the flag the service is open and every job belongs to no tenant.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Shortest key accepted: a guessable key is no key.
pub const MIN_KEY_LEN: usize = 16;

/// Why a key file was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read the API key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("API key file line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("the API key file has no keys")]
    Empty,
}

/// The tenants' keys, hashed.
#[derive(Clone)]
pub struct ApiKeys {
    by_hash: HashMap<[u8; 32], String>,
    /// Whether `/metrics` also needs a key (`--metrics-need-key`).
    pub protect_metrics: bool,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeys")
            .field("keys", &self.by_hash.len())
            .field("protect_metrics", &self.protect_metrics)
            .finish()
    }
}

fn hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

fn valid_tenant(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 64
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl ApiKeys {
    /// Parse `tenant key` lines; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str) -> Result<Self, KeyFileError> {
        let mut by_hash = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let err = |message: String| KeyFileError::Line { line, message };
            let mut parts = l.split_whitespace();
            let (Some(tenant), Some(key), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(err("expected `tenant key`".into()));
            };
            if !valid_tenant(tenant) {
                return Err(err(format!(
                    "tenant `{tenant}`: expected 1 to 64 letters, digits, `_`, `-` or `.`"
                )));
            }
            if key.len() < MIN_KEY_LEN {
                return Err(err(format!(
                    "the key of tenant `{tenant}` is shorter than {MIN_KEY_LEN} characters"
                )));
            }
            if by_hash.insert(hash(key), tenant.to_string()).is_some() {
                return Err(err("this key is given twice".into()));
            }
        }
        if by_hash.is_empty() {
            return Err(KeyFileError::Empty);
        }
        Ok(ApiKeys {
            by_hash,
            protect_metrics: false,
        })
    }

    /// Read and parse a key file.
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    /// The tenant owning `key`.
    pub fn tenant(&self, key: &str) -> Option<&str> {
        self.by_hash.get(&hash(key)).map(String::as_str)
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// Whether there are no keys (never, for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// How many distinct tenants.
    pub fn tenants(&self) -> usize {
        let mut t: Vec<&String> = self.by_hash.values().collect();
        t.sort();
        t.dedup();
        t.len()
    }
}

/// The tenant of a request (`None` on an open service), put in request extensions by the
/// auth middleware.
#[derive(Debug, Clone, Default)]
pub struct Tenant(pub Option<String>);

impl Tenant {
    /// The tenant's name, `None` on an open service.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_tenants_and_finds_keys_by_hash() {
        let k = ApiKeys::parse("# keys\nacme  0123456789abcdef\n\nglobex fedcba9876543210XYZ\nacme second-key-of-acme\n")
            .unwrap();
        assert_eq!(k.len(), 3);
        assert_eq!(k.tenants(), 2);
        assert_eq!(k.tenant("0123456789abcdef"), Some("acme"));
        assert_eq!(k.tenant("second-key-of-acme"), Some("acme"));
        assert_eq!(k.tenant("fedcba9876543210XYZ"), Some("globex"));
        assert_eq!(k.tenant("0123456789abcdeX"), None);
        assert!(!format!("{k:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        for (text, line, what) in [
            ("acme\n", 1, "expected"),
            ("acme short\n", 1, "shorter"),
            ("a 0123456789abcdef extra\n", 1, "expected"),
            ("ok 0123456789abcdef\nb@d 0123456789abcdeg\n", 2, "tenant"),
            ("a 0123456789abcdef\nb 0123456789abcdef\n", 2, "twice"),
        ] {
            match ApiKeys::parse(text) {
                Err(KeyFileError::Line { line: l, message }) => {
                    assert_eq!(l, line, "{text}");
                    assert!(message.contains(what), "{message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            ApiKeys::parse("# none\n"),
            Err(KeyFileError::Empty)
        ));
    }
}
