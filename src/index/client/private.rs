//! `--private-prefix`: which sources the user declared private, and the check that a project
//! matching a private prefix came only from them.

use pep508_rs::PackageName;

use super::{Client, IndexError, Origin};

/// Which indexes and find-links sources may serve a project matching a private prefix,
/// aligned with [`ClientOptions::indexes`] and [`ClientOptions::find_links`].
#[derive(Debug, Default)]
pub(super) struct PrivateSources {
    pub(super) indexes: Vec<bool>,
    pub(super) find_links: Vec<bool>,
}

impl Client {
    /// Declares which sources are private: `indexes[i]` / `find_links[j]` is true for the
    /// `i`th index / `j`th find-links source the user declared private (`--private-index`, or an
    /// `--extra-index-url` / `--find-links` from the command line, `nbwheel.toml` or the
    /// environment — never one named only in a requirements file). A project matching a
    /// `--private-prefix` may come only from these; without this call no source is private.
    /// Only the first call counts.
    pub fn set_private_sources(&self, indexes: Vec<bool>, find_links: Vec<bool>) {
        let _ = self.inner.private.set(PrivateSources {
            indexes,
            find_links,
        });
    }

    /// True when `origin` is a source the user declared private.
    pub(super) fn is_private(&self, origin: &Origin) -> bool {
        let Some(private) = self.inner.private.get() else {
            return false;
        };
        match origin {
            Origin::Index(i) => private.indexes.get(*i).copied().unwrap_or(false),
            Origin::FindLinks(j) => private.find_links.get(*j).copied().unwrap_or(false),
            Origin::Direct => false,
        }
    }

    /// The names of the private sources, for messages.
    pub(super) fn private_source_names(&self) -> Vec<String> {
        let indexes = (0..self.inner.options.indexes.len()).map(Origin::Index);
        let links = (0..self.inner.options.find_links.len()).map(Origin::FindLinks);
        indexes
            .chain(links)
            .filter(|o| self.is_private(o))
            .map(|o| self.origin_name(&o))
            .collect()
    }

    /// The `--private-prefix` a project name matches, if any.
    pub(super) fn private_prefix(&self, name: &PackageName) -> Option<String> {
        self.inner
            .options
            .private_prefixes
            .iter()
            .find(|p| name.as_ref().starts_with(&normalise_prefix(p)))
            .cloned()
    }

    /// `--private-prefix`: a project matching `prefix` was seen on `seen` (indexes that had a
    /// page, find-links sources that listed it); it is refused unless every one is private.
    pub(super) fn check_private(
        &self,
        name: &PackageName,
        prefix: &str,
        seen: &[Origin],
    ) -> Result<(), IndexError> {
        let mut public: Vec<String> = Vec::new();
        for origin in seen.iter().filter(|o| !self.is_private(o)) {
            let shown = self.origin_name(origin);
            if !public.contains(&shown) {
                public.push(shown);
            }
        }
        if public.is_empty() {
            return Ok(());
        }
        Err(IndexError::PrivatePrefix {
            project: name.clone(),
            prefix: prefix.to_string(),
            detail: format!(
                "was found on {}, which is not declared private (private sources: {})",
                public.join(", "),
                self.private_source_names().join(", ")
            ),
        })
    }
}

fn normalise_prefix(prefix: &str) -> String {
    prefix.to_ascii_lowercase().replace(['_', '.'], "-")
}
