//! Fault knobs of the fake index, settable while it runs.
//!
//! Input: calls on [`Knobs`] (through `FakeIndex::knobs()`). Output: the state the server and the
//! page renderer consult on every request. Knobs about the *listing* (hashes, metadata) take a
//! key that is either a file name (`a-1.0-py3-none-any.whl`) or a normalised project name
//! (`a`); knobs about *requests* (failures, delays, truncation, gzip) take a path prefix
//! (`/files/`, `/simple/a/`, or one exact path). `Knobs::reset` clears everything.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How a file's hash is advertised in the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashMode {
    /// The sha256 of other bytes.
    Wrong,
    /// No hash at all (`"hashes": {}`, no URL fragment).
    None,
    /// Only an md5 (correct for the bytes).
    Md5Only,
}

/// How a wheel's PEP 658 `.metadata` is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataMode {
    /// Listed, but with the sha256 of other bytes.
    WrongHash,
    /// Listed with a correct hash, but the contents differ from the wheel's METADATA (an extra
    /// `Requires-Dist: injected-by-fake-index`).
    Differs,
    /// Not listed and 404.
    Absent,
}

/// Which page format to serve whatever the `Accept` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PEP 691 JSON.
    Json,
    /// PEP 503 HTML.
    Html,
}

/// A pending failure: the next `remaining` requests under a prefix get `status`.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub prefix: String,
    pub remaining: usize,
    pub status: u16,
    pub retry_after: Option<u64>,
}

/// A pending truncation: the next `remaining` responses under a prefix stop after `after` body
/// bytes and the connection is closed.
#[derive(Debug, Clone)]
pub(crate) struct Truncation {
    pub prefix: String,
    pub remaining: usize,
    pub after: usize,
}

/// Everything the knobs hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnobState {
    pub hash: HashMap<String, HashMode>,
    pub metadata: HashMap<String, MetadataMode>,
    pub failures: Vec<Failure>,
    pub delays: Vec<(String, Duration)>,
    pub throttles: Vec<(String, u64)>,
    pub truncations: Vec<Truncation>,
    pub gzip: Vec<String>,
    pub auth: Option<(String, String)>,
    pub format: Option<Format>,
    pub api_version: Option<String>,
    pub relative_urls: bool,
    /// PEP 792 status and reason, by normalised project name.
    pub project_status: HashMap<String, (String, Option<String>)>,
    /// Yank reasons added after publishing, by file name.
    pub yanks: HashMap<String, String>,
}

/// The handle tests use to inject faults.
#[derive(Debug, Default)]
pub struct Knobs {
    pub(crate) state: Mutex<KnobState>,
}

impl KnobState {
    /// The listing hash mode of a file (file-name key beats project key).
    pub fn hash_mode(&self, filename: &str, project: &str) -> Option<HashMode> {
        self.hash
            .get(filename)
            .or_else(|| self.hash.get(project))
            .copied()
    }

    /// The metadata mode of a file (file-name key beats project key).
    pub fn metadata_mode(&self, filename: &str, project: &str) -> Option<MetadataMode> {
        self.metadata
            .get(filename)
            .or_else(|| self.metadata.get(project))
            .copied()
    }

    /// Takes one pending failure for `path`, if any.
    pub fn take_failure(&mut self, path: &str) -> Option<(u16, Option<u64>)> {
        let f = self
            .failures
            .iter_mut()
            .find(|f| f.remaining > 0 && path.starts_with(&f.prefix))?;
        f.remaining -= 1;
        Some((f.status, f.retry_after))
    }

    /// Takes one pending truncation for `path`, if any.
    pub fn take_truncation(&mut self, path: &str) -> Option<usize> {
        let t = self
            .truncations
            .iter_mut()
            .find(|t| t.remaining > 0 && path.starts_with(&t.prefix))?;
        t.remaining -= 1;
        Some(t.after)
    }

    /// The delay before answering `path`.
    pub fn delay(&self, path: &str) -> Option<Duration> {
        self.delays
            .iter()
            .filter(|(p, _)| path.starts_with(p.as_str()))
            .map(|(_, d)| *d)
            .max()
    }

    /// The bandwidth limit for `path`, bytes per second.
    pub fn throttle(&self, path: &str) -> Option<u64> {
        self.throttles
            .iter()
            .filter(|(p, _)| path.starts_with(p.as_str()))
            .map(|(_, b)| *b)
            .min()
    }

    /// Whether `path` is served gzip-encoded.
    pub fn gzip(&self, path: &str) -> bool {
        self.gzip.iter().any(|p| path.starts_with(p.as_str()))
    }
}

impl Knobs {
    fn with<R>(&self, f: impl FnOnce(&mut KnobState) -> R) -> R {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut state)
    }

    /// A copy of the current state.
    pub(crate) fn snapshot(&self) -> KnobState {
        self.with(|s| s.clone())
    }

    /// Clears every knob.
    pub fn reset(&self) {
        self.with(|s| *s = KnobState::default());
    }

    /// Advertises the sha256 of other bytes for a file or project.
    pub fn wrong_hash(&self, key: &str) {
        self.with(|s| s.hash.insert(key.to_string(), HashMode::Wrong));
    }

    /// Advertises no hash for a file or project.
    pub fn no_hash(&self, key: &str) {
        self.with(|s| s.hash.insert(key.to_string(), HashMode::None));
    }

    /// Advertises only an md5 for a file or project.
    pub fn md5_only(&self, key: &str) {
        self.with(|s| s.hash.insert(key.to_string(), HashMode::Md5Only));
    }

    /// Lists the `.metadata` of a file or project with a wrong sha256.
    pub fn metadata_wrong_hash(&self, key: &str) {
        self.with(|s| s.metadata.insert(key.to_string(), MetadataMode::WrongHash));
    }

    /// Serves a `.metadata` that differs from the wheel's METADATA.
    pub fn metadata_differs(&self, key: &str) {
        self.with(|s| s.metadata.insert(key.to_string(), MetadataMode::Differs));
    }

    /// Serves no `.metadata` (and does not list one).
    pub fn no_metadata(&self, key: &str) {
        self.with(|s| s.metadata.insert(key.to_string(), MetadataMode::Absent));
    }

    /// The next `n` requests whose path starts with `prefix` get `status`; 429 and 503 carry
    /// `Retry-After: 1`, 401 carries `WWW-Authenticate`.
    pub fn fail_next(&self, prefix: &str, n: usize, status: u16) {
        let retry_after = matches!(status, 429 | 503).then_some(1);
        self.fail_next_retry_after(prefix, n, status, retry_after);
    }

    /// Like [`Knobs::fail_next`] with an explicit `Retry-After` (seconds) or none.
    pub fn fail_next_retry_after(
        &self,
        prefix: &str,
        n: usize,
        status: u16,
        retry_after: Option<u64>,
    ) {
        self.with(|s| {
            s.failures.push(Failure {
                prefix: prefix.to_string(),
                remaining: n,
                status,
                retry_after,
            });
        });
    }

    /// Waits `delay` before answering any request under `prefix`.
    pub fn delay(&self, prefix: &str, delay: Duration) {
        self.with(|s| s.delays.push((prefix.to_string(), delay)));
    }

    /// Sends bodies under `prefix` at about `bytes_per_sec`.
    pub fn throttle(&self, prefix: &str, bytes_per_sec: u64) {
        self.with(|s| s.throttles.push((prefix.to_string(), bytes_per_sec.max(1))));
    }

    /// The next `n` responses under `prefix` announce the full `Content-Length` but close the
    /// connection after `after` body bytes.
    pub fn truncate_next(&self, prefix: &str, n: usize, after: usize) {
        self.with(|s| {
            s.truncations.push(Truncation {
                prefix: prefix.to_string(),
                remaining: n,
                after,
            });
        });
    }

    /// Every response under `prefix` is truncated after `after` body bytes.
    pub fn truncate(&self, prefix: &str, after: usize) {
        self.truncate_next(prefix, usize::MAX, after);
    }

    /// Serves bodies under `prefix` with `Content-Encoding: gzip`.
    pub fn gzip(&self, prefix: &str) {
        self.with(|s| s.gzip.push(prefix.to_string()));
    }

    /// Requires HTTP basic auth with these credentials on every route.
    pub fn require_auth(&self, user: &str, password: &str) {
        self.with(|s| s.auth = Some((user.to_string(), password.to_string())));
    }

    /// Serves only JSON (ignores `Accept`).
    pub fn json_only(&self) {
        self.with(|s| s.format = Some(Format::Json));
    }

    /// Serves only HTML (ignores `Accept`).
    pub fn html_only(&self) {
        self.with(|s| s.format = Some(Format::Html));
    }

    /// Declares this `meta.api-version` / `pypi:repository-version` instead of 1.1.
    pub fn api_version(&self, version: &str) {
        self.with(|s| s.api_version = Some(version.to_string()));
    }

    /// Lists file URLs relative to the page (`../../files/x.whl`) instead of absolute.
    pub fn relative_urls(&self, relative: bool) {
        self.with(|s| s.relative_urls = relative);
    }

    /// Marks a project with a PEP 792 status (`archived`, `deprecated`, `quarantined`).
    pub fn project_status(&self, project: &str, status: &str, reason: Option<&str>) {
        self.with(|s| {
            s.project_status.insert(
                project.to_string(),
                (status.to_string(), reason.map(str::to_string)),
            );
        });
    }

    /// Yanks a published file with this reason.
    pub fn yank(&self, filename: &str, reason: &str) {
        self.with(|s| {
            s.yanks.insert(filename.to_string(), reason.to_string());
        });
    }
}
