//! The pages a run is known to need: a build or resolution remembers the projects it resolved,
//! under a key of its inputs, and the next run with the same key fetches all of them in
//! one concurrent wave at its start, instead of one dependency level per round trip.
//!
//! Why: without `ETag`/`Last-Modified` from the index (this happens: some mirrors send
//! neither), a warm run must fetch every page again, and the resolver discovers them level by
//! level. The list is only a hint: a page fetched for nothing costs a request, never an answer
//! (pages are memoised per project, and what the resolver reads is what it would have fetched),
//! and a missing, stale or corrupt list only loses the head start. The list holds normalised
//! project names, one a line; it is hostile input like the rest of the cache, so it is read up
//! to [`MAX_BYTES`] and [`MAX_PROJECTS`] and every line must be a valid project name.

use std::str::FromStr;

use futures_util::StreamExt as _;
use pep508_rs::PackageName;

use super::Client;

/// The longest list read back.
const MAX_BYTES: u64 = 256 * 1024;

/// The most projects prefetched from one list.
const MAX_PROJECTS: usize = 2000;

/// Pages fetched at once from a list (the resolver's own requests are not counted): a bound on
/// the page bodies in memory at the same time.
const CONCURRENT: usize = 8;

impl Client {
    /// Starts fetching, on `handle`, the pages the last run with this `key` read (see
    /// [`Client::remember_pages`]). Never blocks, never fails; nothing with `--offline`.
    pub fn prefetch_remembered(&self, key: &str, handle: &tokio::runtime::Handle) {
        if self.inner.options.offline {
            return;
        }
        let path = self.inner.cache.remembered_path(key);
        let names = match read_list(&path) {
            Some(names) if !names.is_empty() => names,
            _ => return,
        };
        tracing::debug!("Prefetching {} remembered project pages", names.len());
        let client = self.clone();
        handle.spawn(async move {
            futures_util::stream::iter(names)
                .for_each_concurrent(CONCURRENT, |name| {
                    let client = &client;
                    async move {
                        let _ = client.project(&name).await;
                    }
                })
                .await;
        });
    }

    /// Remembers under `key` the projects a run needed (those of its resolutions). A failure
    /// to write is only logged: the list is a hint.
    pub fn remember_pages<'a>(
        &self,
        key: &str,
        projects: impl IntoIterator<Item = &'a PackageName>,
    ) {
        if self.inner.options.offline {
            return;
        }
        let mut names: Vec<String> = projects.into_iter().map(ToString::to_string).collect();
        names.sort();
        names.dedup();
        let mut text = names.join("\n");
        text.push('\n');
        let path = self.inner.cache.remembered_path(key);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            return;
        }
        if let Err(e) = self.inner.cache.write(&path, text.as_bytes()) {
            tracing::debug!("Could not remember the pages of this run: {e}");
        }
    }
}

/// The names of a list, or `None` when it is absent, too large or holds an invalid line.
fn read_list(path: &std::path::Path) -> Option<Vec<PackageName>> {
    use std::io::Read as _;
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .ok()?;
    if text.len() as u64 > MAX_BYTES {
        return None;
    }
    text.lines()
        .take(MAX_PROJECTS)
        .map(|line| PackageName::from_str(line.trim()).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_strictly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list");
        std::fs::write(&path, "cffi\npycparser\n").unwrap();
        let names = read_list(&path).unwrap();
        assert_eq!(
            names.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["cffi", "pycparser"]
        );
        std::fs::write(&path, "cffi\n../etc/passwd\n").unwrap();
        assert!(read_list(&path).is_none(), "an invalid line voids the list");
        std::fs::write(&path, "a\n".repeat(200_000)).unwrap();
        assert!(read_list(&path).is_none(), "an oversized list is ignored");
        assert!(read_list(&dir.path().join("absent")).is_none());
    }
}
