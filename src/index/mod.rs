//! Where wheels come from: the Simple Repository API (PEP 503 HTML, PEP 691 JSON),
//! `--find-links` folders and pages, and direct wheel references.
//!
//! Input: a normalised project name. Output: a [`ProjectPage`] listing that project's files
//! ([`DistFile`]) with hashes, `requires-python`, yanked state, PEP 658 metadata availability and
//! PEP 700 upload times; and, for a chosen file, its core metadata ([`metadata::CoreMetadata`]).
//!
//! - [`simple`] parses index pages (no I/O).
//! - [`metadata`] parses `METADATA` files and reads them out of wheels.
//! - [`find_links`] lists local folders of wheels.
//! - [`client`] is the HTTP side: TLS with the OS trust store, auth, retries, the first-index
//!   strategy, concurrency, the on-disk cache.

pub mod cache;
pub mod client;
pub mod find_links;
pub mod http;
pub mod lazy;
pub mod metadata;
pub mod page_cache;
pub mod simple;

use std::collections::BTreeMap;
use std::fmt;

use pep440_rs::VersionSpecifiers;
use pep508_rs::PackageName;
use url::Url;

use crate::exit::ExitCode;
pub(crate) use crate::redact::Redacted;
use crate::wheel_name::WheelName;

pub use client::{Client, ClientOptions, IndexUrl};

/// The hashes an index gives for a file: algorithm (lower case) to hex digest (lower case).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hashes(pub BTreeMap<String, String>);

impl Hashes {
    /// The sha256 digest, when given.
    pub fn sha256(&self) -> Option<&str> {
        self.0.get("sha256").map(String::as_str)
    }

    /// True when no hash is known.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where a file was listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Origin {
    /// The index at this position of the configured index list (see [`client::Client`]).
    Index(usize),
    /// A `--find-links` folder or page.
    FindLinks(usize),
    /// A direct reference in a requirements file.
    Direct,
}

/// One file of a project as an index or folder lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistFile {
    /// The file name as listed (already checked to be one safe path component when it is a
    /// wheel).
    pub filename: String,
    /// The parsed wheel name; `None` for sdists and other non-wheel files (never used).
    pub wheel: Option<WheelName>,
    /// Where to fetch the file (`https://`, `http://` or `file://`), without credentials.
    pub url: Url,
    /// Hashes from the index (`hashes` in JSON, the URL fragment in HTML).
    pub hashes: Hashes,
    /// `requires-python` / `data-requires-python`.
    pub requires_python: Option<VersionSpecifiers>,
    /// `Some(reason)` when yanked (PEP 592); the reason may be empty.
    pub yanked: Option<String>,
    /// PEP 658/714 metadata: `Some(hashes)` when a `.metadata` file is served (hashes may be
    /// empty), `None` when not.
    pub core_metadata: Option<Hashes>,
    /// PEP 700 upload time.
    pub upload_time: Option<jiff::Timestamp>,
    /// PEP 700 size in bytes.
    pub size: Option<u64>,
    /// Which source listed it.
    pub origin: Origin,
}

/// Everything one source lists for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectPage {
    /// The project's normalised name.
    pub name: PackageName,
    /// Its files, in the order listed.
    pub files: Vec<DistFile>,
    /// The `meta.api-version` (JSON) or `pypi:repository-version` (HTML), when given.
    pub api_version: Option<String>,
    /// Listed files that were skipped as malformed, unsafe or foreign (never downloaded, never
    /// chosen), with the reason; named when a requirement has nothing else left.
    pub skipped: Vec<SkippedFile>,
    /// Wheels left out because no requested target could ever use them (see
    /// [`page_cache::PageFilter`]), summarised for the reports: a version that has only such
    /// wheels still says which platforms it has, and whether it is yanked. Empty when the page
    /// was read without a filter.
    pub foreign: Vec<ForeignWheel>,
    /// The PEP 792 project status, when the page gives one other than `active`.
    pub status: Option<ProjectStatus>,
}

/// What is kept of a wheel that no requested target can use: enough to explain an unavailable
/// version ("has wheels only for …"), its yanked state and the upload-time cutoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignWheel {
    /// The wheel's version.
    pub version: pep440_rs::Version,
    /// Its compressed tag string (`cp312-cp312-win_amd64`).
    pub tags: String,
    /// True when yanked.
    pub yanked: bool,
    /// PEP 700 upload time.
    pub upload_time: Option<jiff::Timestamp>,
    /// Which source listed it.
    pub origin: Origin,
}

/// A listed file that was skipped: its name cannot be used safely, or it does not belong here.
/// One bad file never makes the page unusable (pip and uv skip such files too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file name as listed (escaped when shown).
    pub filename: String,
    /// Why it was skipped.
    pub reason: String,
}

impl fmt::Display for SkippedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` ({})", self.filename.escape_debug(), self.reason)
    }
}

/// A PEP 792 project status marker: `archived`, `deprecated` or `quarantined` (an unknown
/// value is kept as written; `active` is never stored).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProjectStatus {
    /// The status, lower-cased.
    pub status: String,
    /// The index's free-text reason, when given.
    pub reason: Option<String>,
}

impl ProjectStatus {
    /// A status from the page's values; `None` for `active` or an empty value.
    pub fn new(status: &str, reason: Option<&str>) -> Option<Self> {
        let status = status.trim().to_ascii_lowercase();
        if status.is_empty() || status == "active" {
            return None;
        }
        Some(ProjectStatus {
            status,
            reason: reason
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        })
    }

    /// True for `quarantined`: the index says the project must not be installed.
    pub fn is_quarantined(&self) -> bool {
        self.status == "quarantined"
    }
}

/// Why an index, a page or a file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A page could not be parsed.
    #[error("Malformed index page {url}: {reason}")]
    MalformedPage {
        /// The page URL, redacted.
        url: Redacted,
        /// What was wrong.
        reason: String,
    },
    /// The page declares an API version this client cannot read.
    #[error("Index page {url} uses unsupported API version {version}")]
    UnsupportedApiVersion {
        /// The page URL, redacted.
        url: Redacted,
        /// The declared version.
        version: String,
    },
    /// An HTTP request failed for good.
    #[error("Request to {url} failed after {attempts} attempt(s): {reason}")]
    Network {
        /// The URL, redacted.
        url: Redacted,
        /// How many attempts were made.
        attempts: u32,
        /// The last failure.
        reason: String,
    },
    /// The server answered with a status that is not retried.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL, redacted.
        url: Redacted,
        /// The status code.
        status: u16,
    },
    /// Authentication failed.
    #[error("Authentication failed for {url} (HTTP {status}); credential sources tried: {sources}")]
    Auth {
        /// The URL, redacted.
        url: Redacted,
        /// 401, 403 or 407.
        status: u16,
        /// Which sources were tried, e.g. "URL, netrc".
        sources: String,
    },
    /// A TLS certificate could not be verified.
    #[error("TLS certificate verification failed for {url}: {reason}")]
    Tls {
        /// The URL, redacted.
        url: Redacted,
        /// The verifier's reason.
        reason: String,
    },
    /// A downloaded file's hash did not match.
    #[error(
        "Hash mismatch for {what} from {url}: expected {algorithm}:{expected}, computed {algorithm}:{actual}"
    )]
    HashMismatch {
        /// `foo==1.0 (foo-1.0-py3-none-any.whl)` or `foo-1.0-….whl.metadata`.
        what: String,
        /// The URL, redacted.
        url: Redacted,
        /// The algorithm.
        algorithm: String,
        /// The expected digest.
        expected: String,
        /// The computed digest.
        actual: String,
    },
    /// A body exceeded a size limit.
    #[error("{url} exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The URL, redacted.
        url: Redacted,
        /// The limit.
        limit: u64,
    },
    /// Core metadata is unreadable or disagrees with the file name.
    #[error("Invalid metadata for {file}: {reason}")]
    Metadata {
        /// The wheel file name.
        file: String,
        /// What was wrong.
        reason: String,
    },
    /// `--offline` and the cache lacks something.
    #[error("{what} is not in the cache and `--offline` forbids the network")]
    Offline {
        /// What was missing.
        what: String,
    },
    /// A local file or cache operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A network setting (`--cert`, `--client-cert`, `SSL_CERT_FILE`, a proxy variable) is
    /// unusable.
    #[error("Invalid {setting}: {reason}")]
    Config {
        /// The flag or variable, in backticks.
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A redirect went to a forbidden scheme or downgraded `https` to `http`.
    #[error("Refused redirect from {url} to {target}: {reason}")]
    UnsafeRedirect {
        /// The requested URL, redacted.
        url: Redacted,
        /// The redirect target, redacted.
        target: Redacted,
        /// Why it was refused.
        reason: String,
    },
    /// A project matching a private prefix was found on a source not declared private, or no
    /// source is declared private.
    #[error("`{project}` matches the private prefix `{prefix}` but {detail}")]
    PrivatePrefix {
        /// The project.
        project: PackageName,
        /// The prefix it matched.
        prefix: String,
        /// Where it was found and which sources are private (URLs redacted).
        detail: String,
    },
    /// The index marks the project quarantined (PEP 792): it must not be installed.
    #[error("`{project}` is quarantined on {url}{}", reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Quarantined {
        /// The project.
        project: PackageName,
        /// The index, redacted.
        url: Redacted,
        /// The index's reason, when given.
        reason: Option<String>,
    },
}

impl IndexError {
    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            IndexError::MalformedPage { .. }
            | IndexError::UnsupportedApiVersion { .. }
            | IndexError::Tls { .. }
            | IndexError::HashMismatch { .. }
            | IndexError::TooLarge { .. }
            | IndexError::Metadata { .. }
            | IndexError::UnsafeRedirect { .. }
            | IndexError::PrivatePrefix { .. }
            | IndexError::Quarantined { .. } => ExitCode::Integrity,
            IndexError::Config { .. } => ExitCode::Usage,
            IndexError::Network { .. } | IndexError::Auth { .. } => ExitCode::Network,
            IndexError::Status { status, .. } => {
                if *status >= 500 || *status == 407 {
                    ExitCode::Network
                } else {
                    ExitCode::NoSolution
                }
            }
            IndexError::Offline { .. } => ExitCode::NoSolution,
            IndexError::Io { .. } => ExitCode::Environment,
        }
    }

    /// Advice for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            IndexError::Tls { .. } => Some(
                "If you are behind a TLS-inspecting proxy or use a private CA, pass its certificate with `--cert FILE` or set `SSL_CERT_FILE`/`SSL_CERT_DIR`.".into(),
            ),
            IndexError::Auth { status: 407, .. } => Some(
                "The proxy refused the request: put its credentials in the proxy URL (`HTTPS_PROXY=http://user:pass@proxy:3128`).".into(),
            ),
            IndexError::Auth { .. } => Some(
                "Put credentials in the index URL (`https://user:token@host/simple`), in `~/.netrc` (or `NETRC`), or in `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`.".into(),
            ),
            IndexError::Network { .. } => Some(
                "Check the network and the index URL; raise `--retries` or `--timeout` for a flaky link.".into(),
            ),
            IndexError::HashMismatch { .. } => Some(
                "The file differs from what the index promised: it may have been tampered with or corrupted in transit. Do not work around this.".into(),
            ),
            IndexError::Offline { .. } => Some("Run once without `--offline` to fill the cache.".into()),
            IndexError::Quarantined { .. } => Some(
                "The index withholds the project (e.g. as malware): remove it from the requirements or pin another source.".into(),
            ),
            IndexError::TooLarge { .. } => Some(
                "A file is capped at the size its index declares, else at `--max-wheel-size` (default 1G); a page at `NBWHEEL_MAX_PAGE_SIZE` (default 64M). Raise the cap only for a source you trust.".into(),
            ),
            IndexError::PrivatePrefix { .. } => Some(
                "Declare the private index with `--private-index URL` (a source named only in a requirements file is never private), or check the project name for a typo.".into(),
            ),
            _ => None,
        }
    }
}
