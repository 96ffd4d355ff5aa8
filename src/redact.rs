//! Text that is safe to print: URLs with their credentials removed.
//!
//! A foundation module (it imports nothing from the crate). [`Redacted`] has no public
//! constructor other than the two that redact, so a value of this type in an error message
//! is a promise that no user info, token or signature reaches the terminal or a log.

use std::fmt;

use url::Url;

/// A URL (or a text naming a place) with any credentials removed, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted(String);

impl Redacted {
    /// Removes user info and the whole query (where signed URLs carry their secrets) from a URL.
    pub fn new(url: &Url) -> Self {
        let mut u = url.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        // A signed URL may carry its secret in any parameter (`sig`, `X-Amz-Signature`,
        // `X-Goog-Signature`, a token of any name): the whole query goes.
        u.set_query(None);
        Redacted(u.to_string())
    }

    /// Redacts a text that may or may not be a URL (a folder, a label such as `find-links`,
    /// a `Location` header that did not parse): a parsable URL goes through [`Redacted::new`];
    /// otherwise any `user:password@` after a `//` is cut out.
    pub fn text(text: &str) -> Self {
        if let Ok(url) = Url::parse(text)
            && url.has_host()
        {
            return Redacted::new(&url);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("//") {
            let (head, tail) = rest.split_at(at + 2);
            out.push_str(head);
            let authority_end = tail.find(['/', '?', '#', ' ']).unwrap_or(tail.len());
            match tail[..authority_end].rfind('@') {
                Some(user_end) => rest = &tail[user_end + 1..],
                None => rest = tail,
            }
        }
        out.push_str(rest);
        Redacted(out)
    }

    /// The redacted text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_user_info_and_the_whole_query() {
        for q in [
            "X-Amz-Signature=s&page=2",
            "sv=2024&sig=s",
            "X-Goog-Signature=s",
            "t=abc",
        ] {
            let u = Url::parse(&format!("https://user:pw@host/simple/?{q}")).unwrap();
            assert_eq!(Redacted::new(&u).as_str(), "https://host/simple/");
        }
    }

    #[test]
    fn texts_lose_user_info() {
        assert_eq!(Redacted::text("find-links").as_str(), "find-links");
        assert_eq!(Redacted::text("/srv/wheels").as_str(), "/srv/wheels");
        assert_eq!(Redacted::text("https://u:p@h/x").as_str(), "https://h/x");
        assert_eq!(Redacted::text("<bad> //u:p@h /x").as_str(), "<bad> //h /x");
    }
}
