//! The HTTP transport under the index client: one `reqwest` client with the operating system's
//! trust store, credentials scoped to their origin, redirects followed by hand, retries with
//! backoff, and bounded or streamed bodies.
//!
//! Input: a [`Url`] (which may carry `user:password@`; it is moved into the [`AuthStore`] and
//! never sent or shown), [`HttpOptions`] and an [`AuthStore`]. Output: a page in memory
//! ([`Http::get_bytes`]), a file streamed to disk with its digests ([`Http::download`]) or a byte
//! range ([`Http::get_range`]); every failure is an [`IndexError`] whose URL is [`Redacted`].
//!
//! # Trust
//! TLS is `reqwest`'s rustls with `rustls-platform-verifier`. On Linux that verifier loads its
//! roots with `rustls_native_certs::load_native_certs`, which reads `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` when either is set and the system store otherwise (checked in the sources of
//! rustls-platform-verifier 0.7 and rustls-native-certs 0.8). `--cert FILE` adds a PEM CA on top
//! of those roots; `--client-cert FILE` (a PEM certificate followed by its key) enables mTLS. An
//! explicitly set `SSL_CERT_FILE`/`SSL_CERT_DIR` that does not exist fails fast, unless `--cert`
//! is given, which takes precedence (the environment problem is then only logged). Certificate
//! failures become [`IndexError::Tls`] and are never retried.
//!
//! # Proxies
//! `reqwest`'s `system-proxy` reads `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` in
//! upper or lower case (upper first) through `hyper-util`, but it silently ignores a value it
//! cannot parse; [`Http::new`] therefore checks them first and refuses a bad one. Proxy
//! credentials go in the proxy URL and only ever reach the proxy. A 407 answer is
//! [`IndexError::Auth`] with status 407.
//!
//! # Credentials and redirects
//! Redirects are followed here, not by `reqwest` (its policy can only stop or follow, it cannot
//! re-scope credentials): every hop is a new request whose `Authorization` is computed for that
//! hop's own realm (scheme, host, port), so credentials never leave their origin, and a target
//! with its own credentials still gets them. At most 10 hops; `file:`, `ftp:` and other schemes
//! and `https` → `http` downgrades are refused. No cookie store is used.
//!
//! # Bodies
//! Downloads and range reads send `Accept-Encoding: identity`; pages send `gzip`. A file body
//! is never decoded: when a server gzips it anyway, the raw bytes are what is written and
//! hashed, so such a wheel fails its hash check (or, without a hash, the wheel checks) and is
//! never stored. A file body is capped at the size the caller gives (the index's declared
//! `size`), else at [`HttpOptions::max_file`] (1 GiB by default): a larger `Content-Length` or
//! body is [`IndexError::TooLarge`] (exit 4). A page body arriving with `Content-Encoding:
//! gzip` is decoded here (`reqwest` is built without its decompression features); other content
//! codings are refused. Page bodies are bounded by [`HttpOptions::max_body`] (64 MiB by
//! default) after decoding. Every attempt of a request has a total deadline
//! ([`HttpOptions::deadline`]) besides the idle timeout; running past it is retried like a
//! timeout.
//!
//! # Retries
//! 408, 429, 500, 502, 503, 504, connection failures, resets, timeouts and truncated bodies are
//! retried up to [`HttpOptions::retries`] times with exponential backoff and jitter, honouring
//! `Retry-After` (capped); then [`IndexError::Network`] names the URL and the attempts. Other
//! statuses, certificate failures, unsafe redirects and hash mismatches are never retried. A
//! truncated download restarts from scratch.
//!
//! # netrc
//! `NETRC` or `~/.netrc` is parsed here by hand, grammar: whitespace-separated tokens, `#` starts
//! a comment up to the end of the line, `"…"` quotes a token (`\` escapes the next character);
//! `machine NAME`, `default`, `login NAME`, `password PASS`, `account X` (ignored) and
//! `macdef NAME` (its body, up to the next blank line, is skipped). The first `machine` that
//! names the host wins, then `default`. It is hand-written because the netrc crates keep
//! passwords in types that `Debug`-print them and the grammar is a few dozen lines.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as StdError;
use std::ffi::OsString;
use std::fmt;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use crate::hash::{Digest, HashAlgorithm, MultiHasher};
use crate::wheel_name::DEFAULT_MAX_WHEEL_SIZE;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_RANGE, HeaderMap, HeaderName,
    HeaderValue, LOCATION, RANGE, RETRY_AFTER,
};
use url::Url;

use super::{IndexError, Redacted};
mod auth;
mod body;
mod client;
mod download;
mod netrc;
mod proxy;
mod retry;
mod tls;

#[cfg(test)]
mod tests;

pub use auth::{AuthStore, Credentials, Realm};
pub use netrc::{Netrc, NetrcError};

use auth::strip_userinfo;
use body::{Decoder, Hashers, PartialFile, incomplete, parse_content_range};
use proxy::check_proxy_env;
use tls::{certificate_failure, check_cert_env, describe};

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 10;

/// Settings of the transport.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Connect timeout and idle read timeout (not a total deadline): `--timeout`.
    pub timeout: Duration,
    /// How many times a transient failure is retried: `--retries`.
    pub retries: u32,
    /// A PEM file of extra CA certificates: `--cert`.
    pub cert: Option<PathBuf>,
    /// A PEM file with a client certificate and its private key: `--client-cert`.
    pub client_cert: Option<PathBuf>,
    /// `--offline`: every request fails with [`IndexError::Offline`].
    pub offline: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The largest page body kept in memory ([`Http::get_bytes`], [`Http::get_range`]).
    pub max_body: u64,
    /// The first retry waits about this long; each further retry doubles it (with jitter).
    pub backoff_base: Duration,
    /// The longest wait between two attempts, for the backoff and for `Retry-After`.
    pub backoff_cap: Duration,
    /// Whether `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` are honoured.
    pub proxy_from_env: bool,
    /// The largest file body a download accepts when the caller gives no size of its own
    /// (`--max-wheel-size`, default [`DEFAULT_MAX_WHEEL_SIZE`]).
    pub max_file: u64,
    /// The total time one attempt of a request may take, head and body, whatever the idle
    /// timeout (`--max-request-time`, default [`DEFAULT_DEADLINE`]): a server trickling one byte
    /// a second cannot hold a request forever.
    pub deadline: Duration,
}

/// The default cap of a page body held in memory: 64 MiB.
pub const DEFAULT_MAX_PAGE: u64 = 64 * 1024 * 1024;

/// The default total deadline of one request attempt: 15 minutes (1 GiB at about 1.2 MB/s).
pub const DEFAULT_DEADLINE: Duration = Duration::from_mins(15);

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            retries: 3,
            cert: None,
            client_cert: None,
            offline: false,
            user_agent: concat!("nbwheel/", env!("CARGO_PKG_VERSION")).to_string(),
            max_body: DEFAULT_MAX_PAGE,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(10),
            proxy_from_env: true,
            max_file: DEFAULT_MAX_WHEEL_SIZE,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

/// A page fetched into memory.
#[derive(Debug, Clone)]
pub struct Response {
    /// The final status (2xx or 304).
    pub status: StatusCode,
    /// The final response's headers.
    pub headers: HeaderMap,
    /// The URL after redirects, without userinfo.
    pub url: Url,
    /// The decoded body (empty for 304).
    pub body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.header(&reqwest::header::CONTENT_TYPE)
    }

    /// `ETag`.
    pub fn etag(&self) -> Option<&str> {
        self.header(&reqwest::header::ETAG)
    }

    /// `Last-Modified`.
    pub fn last_modified(&self) -> Option<&str> {
        self.header(&reqwest::header::LAST_MODIFIED)
    }
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// The lower-case hex sha256 of the file.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A byte range to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSpec {
    /// Bytes `start..=end`.
    Bounded {
        /// The first byte.
        start: u64,
        /// The last byte, inclusive.
        end: u64,
    },
    /// The last `n` bytes.
    Suffix(u64),
}

impl RangeSpec {
    fn header(self) -> String {
        match self {
            RangeSpec::Bounded { start, end } => format!("bytes={start}-{end}"),
            RangeSpec::Suffix(n) => format!("bytes=-{n}"),
        }
    }

    fn len(self) -> u64 {
        match self {
            RangeSpec::Bounded { start, end } => end.saturating_sub(start).saturating_add(1),
            RangeSpec::Suffix(n) => n,
        }
    }
}

/// The answer to a range read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeBody {
    /// The offset of the first byte returned.
    pub start: u64,
    /// The full size of the resource, when the server said.
    pub total: Option<u64>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why one attempt stopped.
enum Stop {
    /// Worth another attempt.
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// Final.
    Fail(IndexError),
}

impl From<IndexError> for Stop {
    fn from(err: IndexError) -> Self {
        Stop::Fail(err)
    }
}

/// What kind of body a request wants, which sets `Accept-Encoding`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Page,
    File,
}

struct Inner {
    client: reqwest::Client,
    options: HttpOptions,
    auth: RwLock<AuthStore>,
    /// Bytes of file downloads received since the last [`Http::drain_progress`], by file name.
    progress: std::sync::Mutex<HashMap<String, u64>>,
    /// Per origin, open once its first request has an answer ([`Http::open`]).
    first_contact: std::sync::Mutex<HashMap<String, Arc<tokio::sync::OnceCell<()>>>>,
}

/// The HTTP transport; cheap to clone.
#[derive(Clone)]
pub struct Http {
    inner: Arc<Inner>,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

fn config_error(setting: impl Into<String>, reason: impl Into<String>) -> IndexError {
    IndexError::Config {
        setting: setting.into(),
        reason: reason.into(),
    }
}
