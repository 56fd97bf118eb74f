//! The passwords tried on encrypted containers, in order.

/// Tried first, in this order: the conventions of malware repositories and sandboxes.
pub const DEFAULT_PASSWORDS: &[&str] = &["infected", "malware", "virus", "password"];

/// An ordered list of passwords without repeats. Never logged: only the report says which one
/// opened a container.
#[derive(Clone, PartialEq, Eq)]
pub struct Passwords(Vec<String>);

impl Default for Passwords {
    fn default() -> Self {
        Self(DEFAULT_PASSWORDS.iter().map(|p| p.to_string()).collect())
    }
}

impl std::fmt::Debug for Passwords {
    // Passwords stay out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Passwords({} entries)", self.0.len())
    }
}

impl Passwords {
    /// The default list followed by `extra`, in order, repeats dropped.
    pub fn with_extra(extra: impl IntoIterator<Item = String>) -> Self {
        let mut list = Self::default();
        list.extend(extra);
        list
    }

    /// Appends `extra` (empty passwords and repeats are dropped).
    pub fn extend(&mut self, extra: impl IntoIterator<Item = String>) {
        for password in extra {
            if !password.is_empty() && !self.0.contains(&password) {
                self.0.push(password);
            }
        }
    }

    /// The passwords in the order they are tried.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The passwords as a list (to hand to an isolated process or a worker).
    pub fn to_vec(&self) -> Vec<String> {
        self.0.clone()
    }

    /// Reads a passwords file: one password per line, blank lines ignored, the line ends
    /// (`\n` or `\r\n`) not part of the password.
    pub fn parse_file(text: &str) -> Vec<String> {
        text.lines().map(|line| line.strip_suffix('\r').unwrap_or(line)).filter(|line| !line.is_empty()).map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_come_first_then_extras_in_order_without_repeats() {
        let list = Passwords::with_extra(["s3cret".to_string(), "infected".to_string(), String::new(), "two".to_string()]);
        assert_eq!(list.iter().collect::<Vec<_>>(), ["infected", "malware", "virus", "password", "s3cret", "two"]);
        assert_eq!(format!("{list:?}"), "Passwords(6 entries)");
        assert_eq!(Passwords::parse_file("a\r\n\nb c\n"), ["a", "b c"]);
    }
}
