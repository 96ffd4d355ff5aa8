//! Progress events from the library to whoever shows them.
//!
//! The library never prints; it calls a [`Reporter`]. The binary implements it with indicatif
//! bars on a terminal (hidden under `-q` or when stderr is not a TTY); tests use [`Silent`].

use crate::target::Target;

/// Receives progress events. Every method has an empty default.
pub trait Reporter: Send + Sync {
    /// Resolution for `target` starts.
    fn resolve_started(&self, _target: &Target) {}
    /// Resolution for `target` finished with `packages` projects.
    fn resolve_finished(&self, _target: &Target, _packages: usize) {}
    /// Downloads start: `files` files, `bytes` in total when known.
    fn download_started(&self, _files: usize, _bytes: u64) {}
    /// `bytes` more bytes of `filename` arrived from the network (called as the body streams,
    /// any number of times before [`Reporter::download_finished`]; optional: a transport that
    /// never calls it still gives per-file progress).
    fn download_progress(&self, _filename: &str, _bytes: u64) {}
    /// One file is on disk (downloaded, or `reused` from the cache or a local folder).
    fn download_finished(&self, _filename: &str, _bytes: u64, _reused: bool) {}
    /// Every download is done.
    fn downloads_done(&self) {}
    /// Checking and packing starts for an archive.
    fn pack_started(&self, _path: &std::path::Path) {}
    /// A warning for the user.
    fn warn(&self, _message: &str) {}
}

/// A reporter that shows nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Reporter for Silent {}
