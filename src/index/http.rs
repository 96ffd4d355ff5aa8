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
//! Downloads and range reads send `Accept-Encoding: identity`; pages send `gzip`. A body that
//! arrives with `Content-Encoding: gzip` anyway is decoded here (`reqwest` is built without its
//! decompression features), so digests are computed over the decoded entity body, as
//! RELIABILITY.md row 20 asks: a file compressed twice then fails its hash check. Other content
//! codings are refused. Page bodies are bounded by [`HttpOptions::max_body`] after decoding.
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
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_RANGE, HeaderMap, HeaderName,
    HeaderValue, LOCATION, RANGE, RETRY_AFTER,
};
use tokio::io::AsyncWriteExt as _;
use url::Url;

use super::{IndexError, Redacted};

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
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            retries: 3,
            cert: None,
            client_cert: None,
            offline: false,
            user_agent: concat!("nbwheel/", env!("CARGO_PKG_VERSION")).to_string(),
            max_body: 64 * 1024 * 1024,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(10),
            proxy_from_env: true,
        }
    }
}

/// A user name and an optional password (or token). `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: Option<String>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(username: impl Into<String>, password: Option<String>) -> Self {
        Credentials {
            username: username.into(),
            password,
        }
    }

    /// The user name (a secret too when it is a token: never print it).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password, when there is one (never print it).
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The percent-decoded userinfo of a URL, when it has any.
    pub fn from_url(url: &Url) -> Option<Self> {
        if url.username().is_empty() && url.password().is_none() {
            return None;
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Some(Credentials {
            username: decode(url.username()),
            password: url.password().map(decode),
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &"<redacted>")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The origin credentials belong to: scheme, host and port (the scheme's default when absent).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Realm {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lower case.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: Option<u16>,
}

impl Realm {
    /// The realm of a URL; `None` for URLs without a host.
    pub fn of(url: &Url) -> Option<Realm> {
        Some(Realm {
            scheme: url.scheme().to_ascii_lowercase(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default(),
        })
    }
}

impl fmt::Display for Realm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}://{}:{port}", self.scheme, self.host),
            None => write!(f, "{}://{}", self.scheme, self.host),
        }
    }
}

/// A netrc file that could not be parsed. The message never quotes a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct NetrcError {
    /// The 1-based line.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
}

/// A parsed netrc file (see the module docs for the grammar).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Netrc {
    machines: Vec<(String, Credentials)>,
    default: Option<Credentials>,
}

impl fmt::Debug for Netrc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Netrc")
            .field(
                "machines",
                &self.machines.iter().map(|(m, _)| m).collect::<Vec<_>>(),
            )
            .field("default", &self.default.is_some())
            .finish()
    }
}

/// One token of a netrc file and the line it starts on.
struct NetrcTokens<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl NetrcTokens<'_> {
    fn next_token(&mut self) -> Option<(usize, String)> {
        loop {
            match self.chars.peek().copied() {
                None => return None,
                Some('\n') => {
                    self.line += 1;
                    self.chars.next();
                }
                Some(c) if c.is_whitespace() => {
                    self.chars.next();
                }
                Some('#') => {
                    while let Some(&c) = self.chars.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.chars.next();
                    }
                }
                Some(_) => break,
            }
        }
        let line = self.line;
        let mut token = String::new();
        if self.chars.peek() == Some(&'"') {
            self.chars.next();
            while let Some(c) = self.chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = self.chars.next() {
                            token.push(escaped);
                        }
                    }
                    '\n' => {
                        self.line += 1;
                        token.push(c);
                    }
                    _ => token.push(c),
                }
            }
        } else {
            while let Some(&c) = self.chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                token.push(c);
                self.chars.next();
            }
        }
        Some((line, token))
    }

    /// Skips a `macdef` body: the rest of the current line, then lines up to a blank one.
    fn skip_macro(&mut self) {
        let mut previous_newline = false;
        for c in self.chars.by_ref() {
            if c == '\n' {
                self.line += 1;
                if previous_newline {
                    return;
                }
                previous_newline = true;
            } else if c != '\r' {
                previous_newline = false;
            }
        }
    }
}

impl Netrc {
    /// Parses netrc text.
    pub fn parse(text: &str) -> Result<Netrc, NetrcError> {
        struct Entry {
            machine: Option<String>,
            login: Option<String>,
            password: Option<String>,
        }
        fn finish(netrc: &mut Netrc, entry: Option<Entry>) {
            let Some(entry) = entry else { return };
            if entry.login.is_none() && entry.password.is_none() {
                return;
            }
            let creds = Credentials::new(entry.login.unwrap_or_default(), entry.password);
            match entry.machine {
                Some(machine) => netrc.machines.push((machine, creds)),
                None => {
                    if netrc.default.is_none() {
                        netrc.default = Some(creds);
                    }
                }
            }
        }

        let mut tokens = NetrcTokens {
            chars: text.chars().peekable(),
            line: 1,
        };
        let mut netrc = Netrc::default();
        let mut current: Option<Entry> = None;
        while let Some((line, keyword)) = tokens.next_token() {
            let mut value = |what: &str| {
                tokens
                    .next_token()
                    .map(|(_, v)| v)
                    .ok_or_else(|| NetrcError {
                        line,
                        reason: format!("`{keyword}` is missing its {what}"),
                    })
            };
            match keyword.as_str() {
                "machine" => {
                    let name = value("host name")?;
                    finish(&mut netrc, current.take());
                    current = Some(Entry {
                        machine: Some(name.to_ascii_lowercase()),
                        login: None,
                        password: None,
                    });
                }
                "default" => {
                    finish(&mut netrc, current.take());
                    current = Some(Entry {
                        machine: None,
                        login: None,
                        password: None,
                    });
                }
                "login" | "password" | "account" => {
                    let v = value("value")?;
                    let Some(entry) = current.as_mut() else {
                        return Err(NetrcError {
                            line,
                            reason: format!("`{keyword}` before any `machine` or `default`"),
                        });
                    };
                    match keyword.as_str() {
                        "login" => entry.login = Some(v),
                        "password" => entry.password = Some(v),
                        _ => {}
                    }
                }
                "macdef" => {
                    value("name")?;
                    tokens.skip_macro();
                }
                _ => {
                    return Err(NetrcError {
                        line,
                        reason: "unknown token (expected `machine`, `default`, `login`, `password`, `account` or `macdef`)".into(),
                    });
                }
            }
        }
        finish(&mut netrc, current);
        Ok(netrc)
    }

    /// The credentials for a host: its first `machine` entry, else `default`.
    pub fn lookup(&self, host: &str) -> Option<&Credentials> {
        self.machines
            .iter()
            .find(|(machine, _)| machine.eq_ignore_ascii_case(host))
            .map(|(_, creds)| creds)
            .or(self.default.as_ref())
    }
}

/// Which credentials go to which realm: URL userinfo first, then netrc. `Debug` shows only realms.
#[derive(Clone, Default)]
pub struct AuthStore {
    from_urls: BTreeMap<Realm, Credentials>,
    netrc: Option<Netrc>,
    /// Realms whose URL credentials came from `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`.
    from_env: std::collections::BTreeSet<Realm>,
}

impl fmt::Debug for AuthStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthStore")
            .field(
                "from_urls",
                &self
                    .from_urls
                    .keys()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .field("netrc", &self.netrc)
            .field(
                "from_env",
                &self
                    .from_env
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl AuthStore {
    /// A store from the userinfo of these URLs (the first URL of a realm wins) and a netrc.
    pub fn new<'a>(urls: impl IntoIterator<Item = &'a Url>, netrc: Option<Netrc>) -> Self {
        let mut store = AuthStore {
            from_urls: BTreeMap::new(),
            netrc,
            from_env: std::collections::BTreeSet::new(),
        };
        for url in urls {
            store.add_url(url);
        }
        store
    }

    /// Like [`AuthStore::new`], with the netrc file named by `NETRC`, else `~/.netrc`. A missing
    /// file is no netrc; an unreadable or malformed one is logged and ignored.
    pub fn from_env<'a>(urls: impl IntoIterator<Item = &'a Url>) -> Self {
        let path = std::env::var_os("NETRC")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::home_dir().map(|home| home.join(".netrc")));
        let netrc = path.and_then(|path| match std::fs::read_to_string(&path) {
            Ok(text) => match Netrc::parse(&text) {
                Ok(netrc) => Some(netrc),
                Err(err) => {
                    tracing::warn!("Ignoring netrc file `{}`: {err}", path.display());
                    None
                }
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                tracing::warn!("Cannot read netrc file `{}`: {err}", path.display());
                None
            }
        });
        let mut store = AuthStore::new(urls, netrc);
        for var in ["NBWHEEL_INDEX_URL", "NBWHEEL_EXTRA_INDEX_URL"] {
            let value = std::env::var(var).unwrap_or_default();
            for url in value.split_whitespace().filter_map(|u| Url::parse(u).ok()) {
                if Credentials::from_url(&url).is_some()
                    && let Some(realm) = Realm::of(&url)
                {
                    store.from_env.insert(realm);
                }
            }
        }
        store
    }

    /// Records the userinfo of `url` for its realm (unless that realm already has URL
    /// credentials) and returns the URL without userinfo.
    pub fn add_url(&mut self, url: &Url) -> Url {
        if let (Some(creds), Some(realm)) = (Credentials::from_url(url), Realm::of(url)) {
            self.from_urls.entry(realm).or_insert(creds);
        }
        strip_userinfo(url)
    }

    /// The credentials to send to `url`'s realm, if any.
    pub fn credentials_for(&self, url: &Url) -> Option<Credentials> {
        let realm = Realm::of(url)?;
        let netrc = self.netrc.as_ref().and_then(|n| n.lookup(&realm.host));
        match self.from_urls.get(&realm) {
            Some(creds) if creds.password.is_none() => {
                // `user@host` in the URL: take the password from netrc when the login matches.
                let password = netrc
                    .filter(|n| n.username == creds.username)
                    .and_then(|n| n.password.clone());
                Some(Credentials::new(creds.username.clone(), password))
            }
            Some(creds) => Some(creds.clone()),
            None => netrc.cloned(),
        }
    }

    /// The credential sources that had an entry for `url`'s realm, for messages.
    pub fn sources_for(&self, url: &Url) -> String {
        let mut sources = Vec::new();
        if let Some(realm) = Realm::of(url) {
            if self.from_urls.contains_key(&realm) {
                sources.push(if self.from_env.contains(&realm) {
                    "the URL in `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`"
                } else {
                    "URL"
                });
            }
            if self
                .netrc
                .as_ref()
                .is_some_and(|n| n.lookup(&realm.host).is_some())
            {
                sources.push("netrc");
            }
        }
        if sources.is_empty() {
            "none (no credentials for this host in the index URL, `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL` or netrc)".to_string()
        } else {
            sources.join(", ")
        }
    }
}

/// A URL without `user:password@`.
fn strip_userinfo(url: &Url) -> Url {
    let mut clean = url.clone();
    if !clean.username().is_empty() || clean.password().is_some() {
        // Only fails for URLs that cannot have userinfo, which then have none.
        let _ = clean.set_username("");
        let _ = clean.set_password(None);
    }
    clean
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

/// Checks `SSL_CERT_FILE` and `SSL_CERT_DIR` (as given by `env`): a path that is set must exist.
fn check_cert_env(env: impl Fn(&str) -> Option<OsString>) -> Result<(), IndexError> {
    if let Some(file) = env("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(file);
        if !path.is_file() {
            return Err(config_error(
                "`SSL_CERT_FILE`",
                format!("`{}` is not a readable file", path.display()),
            ));
        }
    }
    if let Some(dirs) = env("SSL_CERT_DIR").filter(|v| !v.is_empty()) {
        for dir in std::env::split_paths(&dirs).filter(|p| !p.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(config_error(
                    "`SSL_CERT_DIR`",
                    format!("`{}` is not a directory", dir.display()),
                ));
            }
        }
    }
    Ok(())
}

/// Checks the proxy variables (as given by `env`) the way `hyper-util` reads them, since it
/// drops a value it cannot parse without a word. The value is never quoted: it may hold a
/// password.
fn check_proxy_env(env: impl Fn(&str) -> Option<String>) -> Result<(), IndexError> {
    for names in [
        ["ALL_PROXY", "all_proxy"],
        ["HTTP_PROXY", "http_proxy"],
        ["HTTPS_PROXY", "https_proxy"],
    ] {
        let Some((name, value)) = names
            .iter()
            .find_map(|name| env(name).map(|value| (*name, value)))
        else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        let setting = format!("`{name}`");
        let url = Url::parse(&with_scheme)
            .map_err(|err| config_error(&setting, format!("not a valid proxy URL ({err})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(config_error(
                &setting,
                format!(
                    "proxy scheme `{}` is not supported (use `http://` or `https://`)",
                    url.scheme()
                ),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(config_error(&setting, "the proxy URL has no host"));
        }
    }
    Ok(())
}

/// The text of an error and its sources, without repeats.
fn describe(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Whether a rustls error is about a certificate.
fn is_certificate_error(err: &rustls::Error) -> bool {
    use rustls::AlertDescription as A;
    match err {
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::InvalidCertRevocationList(_) => true,
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            A::BadCertificate
                | A::UnsupportedCertificate
                | A::CertificateRevoked
                | A::CertificateExpired
                | A::CertificateUnknown
                | A::UnknownCA
                | A::CertificateRequired
        ),
        _ => false,
    }
}

/// The rustls error inside `err`, looking through nested `io::Error`s (whose `source` skips the
/// wrapped error itself, so the chain alone does not reach it).
fn rustls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = err;
    loop {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        current = current.downcast_ref::<std::io::Error>()?.get_ref()?;
    }
}

/// The certificate failure in an error chain, if there is one.
fn certificate_failure(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(tls) = rustls_error(e)
            && is_certificate_error(tls)
        {
            return Some(tls.to_string());
        }
        current = e.source();
    }
    let text = describe(err);
    let lower = text.to_ascii_lowercase();
    (lower.contains("certificate") || lower.contains("unknownissuer")).then_some(text)
}

/// A `Retry-After` value: delay-seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    let seconds = when.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

/// Streaming decoder for the content codings accepted: none and gzip.
enum Decoder {
    Identity,
    Gzip(Box<flate2::write::GzDecoder<Vec<u8>>>),
}

impl Decoder {
    fn for_headers(headers: &HeaderMap) -> Result<Self, String> {
        let Some(value) = headers.get(CONTENT_ENCODING) else {
            return Ok(Decoder::Identity);
        };
        let value = value.to_str().unwrap_or("").trim().to_ascii_lowercase();
        match value.as_str() {
            "" | "identity" => Ok(Decoder::Identity),
            "gzip" | "x-gzip" => Ok(Decoder::Gzip(Box::new(flate2::write::GzDecoder::new(
                Vec::new(),
            )))),
            other => Err(format!("unsupported `Content-Encoding: {other}`")),
        }
    }

    /// Feeds raw bytes; returns the decoded bytes available so far.
    fn push<'a>(&'a mut self, raw: &'a [u8]) -> std::io::Result<std::borrow::Cow<'a, [u8]>> {
        match self {
            Decoder::Identity => Ok(std::borrow::Cow::Borrowed(raw)),
            Decoder::Gzip(decoder) => {
                decoder.write_all(raw)?;
                Ok(std::borrow::Cow::Owned(std::mem::take(decoder.get_mut())))
            }
        }
    }

    /// Ends the stream; returns the last decoded bytes.
    fn finish(self) -> std::io::Result<Vec<u8>> {
        match self {
            Decoder::Identity => Ok(Vec::new()),
            Decoder::Gzip(decoder) => decoder.finish(),
        }
    }
}

/// The digests computed while a file streams: sha256 always, plus the extra algorithm the
/// index published (sha384 or sha512), through the one [`MultiHasher`].
struct Hashers {
    inner: MultiHasher,
    extra: Option<HashAlgorithm>,
}

impl Hashers {
    fn new(extra: Option<&str>) -> Self {
        let extra = extra
            .and_then(|e| e.parse().ok())
            .filter(|a| *a != HashAlgorithm::Sha256);
        Hashers {
            inner: MultiHasher::new(std::iter::once(HashAlgorithm::Sha256).chain(extra)),
            extra,
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// sha256 hex, and the extra algorithm's hex when one was asked for.
    fn finish(self) -> (String, Option<String>) {
        let digests = self.inner.finish();
        let hex_of = |a: HashAlgorithm| digests.iter().find(|d| d.algorithm == a).map(Digest::hex);
        (
            hex_of(HashAlgorithm::Sha256).unwrap_or_default(),
            self.extra.and_then(hex_of),
        )
    }
}

/// Removes a partly written file when dropped, unless kept.
struct PartialFile<'a> {
    path: &'a Path,
    keep: bool,
}

impl Drop for PartialFile<'_> {
    fn drop(&mut self) {
        if !self.keep {
            match std::fs::remove_file(self.path) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => tracing::warn!(
                    "Cannot remove the partial download `{}`: {err}",
                    self.path.display()
                ),
            }
        }
    }
}

impl Http {
    /// A transport with these options and credentials. Fails (exit 2) when `--cert` or
    /// `--client-cert` cannot be read or parsed, when an explicitly set `SSL_CERT_FILE` or
    /// `SSL_CERT_DIR` does not exist (unless `--cert` is given), or on a bad proxy variable.
    pub fn new(options: HttpOptions, auth: AuthStore) -> Result<Http, IndexError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.timeout)
            .read_timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);

        if let Some(cert) = &options.cert {
            if let Err(err) = check_cert_env(|name| std::env::var_os(name)) {
                tracing::warn!("{err}; using `--cert` and the system store");
            }
            let pem = std::fs::read(cert).map_err(|err| {
                config_error(
                    "`--cert`",
                    format!("cannot read `{}`: {err}", cert.display()),
                )
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| {
                    config_error(
                        "`--cert`",
                        format!("`{}` holds no PEM certificate", cert.display()),
                    )
                })?;
            builder = builder.tls_certs_merge(certs);
        } else {
            check_cert_env(|name| std::env::var_os(name))?;
        }

        if let Some(client_cert) = &options.client_cert {
            let pem = std::fs::read(client_cert).map_err(|err| {
                config_error(
                    "`--client-cert`",
                    format!("cannot read `{}`: {err}", client_cert.display()),
                )
            })?;
            let identity = reqwest::Identity::from_pem(&pem).map_err(|err| {
                config_error(
                    "`--client-cert`",
                    format!(
                        "`{}` must hold a PEM certificate and its private key: {}",
                        client_cert.display(),
                        describe(&err)
                    ),
                )
            })?;
            builder = builder.identity(identity);
        }

        if options.proxy_from_env {
            check_proxy_env(|name| std::env::var(name).ok())?;
        } else {
            builder = builder.no_proxy();
        }

        let client = builder
            .build()
            .map_err(|err| config_error("TLS or proxy settings", describe(&err)))?;
        Ok(Http {
            inner: Arc::new(Inner {
                client,
                options,
                auth: RwLock::new(auth),
                progress: std::sync::Mutex::default(),
            }),
        })
    }

    /// Bytes received by file downloads since the last call, by file name (the URL's last path
    /// segment), for progress bars. Draining resets the counts.
    pub fn drain_progress(&self) -> Vec<(String, u64)> {
        let mut map = self
            .inner
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *map).into_iter().collect()
    }

    fn note_progress(&self, url: &Url, bytes: u64) {
        let name = url
            .path_segments()
            .and_then(Iterator::last)
            .unwrap_or_default()
            .to_string();
        *self
            .inner
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(name)
            .or_default() += bytes;
    }

    /// The options in use.
    pub fn options(&self) -> &HttpOptions {
        &self.inner.options
    }

    /// Moves `url`'s userinfo into the auth store; returns the clean URL.
    fn adopt(&self, url: &Url) -> Result<Url, IndexError> {
        if self.inner.options.offline {
            return Err(IndexError::Offline {
                what: Redacted::new(url).to_string(),
            });
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(IndexError::Network {
                url: Redacted::new(url),
                attempts: 0,
                reason: format!("the `{}:` scheme is not fetched over HTTP", url.scheme()),
            });
        }
        if url.username().is_empty() && url.password().is_none() {
            return Ok(url.clone());
        }
        Ok(self
            .inner
            .auth
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .add_url(url))
    }

    fn credentials_for(&self, url: &Url) -> Option<Credentials> {
        self.inner
            .auth
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .credentials_for(url)
    }

    fn sources_for(&self, url: &Url) -> String {
        self.inner
            .auth
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .sources_for(url)
    }

    /// The wait before attempt `attempt + 1`.
    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        use std::hash::BuildHasher as _;
        let cap = self.inner.options.backoff_cap;
        if let Some(after) = retry_after {
            return after.min(cap);
        }
        let exponential = self
            .inner
            .options
            .backoff_base
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(cap);
        // Jitter: between half and all of the delay.
        let random = std::collections::hash_map::RandomState::new().hash_one(attempt);
        let per_mille = 500 + u32::try_from(random % 501).unwrap_or(500);
        exponential.saturating_mul(per_mille) / 1000
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent.
    async fn with_retries<T, F, Fut>(&self, url: &Url, mut attempt: F) -> Result<T, IndexError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Stop>>,
    {
        let attempts = self.inner.options.retries.saturating_add(1);
        let mut made = 0;
        loop {
            made += 1;
            match attempt().await {
                Ok(value) => return Ok(value),
                Err(Stop::Fail(err)) => return Err(err),
                Err(Stop::Retry { reason, after }) => {
                    if made >= attempts {
                        return Err(IndexError::Network {
                            url: Redacted::new(url),
                            attempts: made,
                            reason,
                        });
                    }
                    let delay = self.backoff(made, after);
                    tracing::warn!(
                        "Attempt {made} of {attempts} for {} failed ({reason}); retrying in {delay:.1?}",
                        Redacted::new(url)
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// Classifies a transport error.
    fn transport_error(&self, err: reqwest::Error, url: &Url) -> Stop {
        let err = err.without_url();
        if let Some(reason) = certificate_failure(&err) {
            return Stop::Fail(IndexError::Tls {
                url: Redacted::new(url),
                reason,
            });
        }
        let detail = describe(&err);
        // A proxy refusing the CONNECT with 407 surfaces as a connect error whose only trace
        // is hyper-util's private `TunnelError` text: match it, so it is not retried and gets
        // the 407 hint.
        if detail.contains("proxy authorization required") {
            return Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: 407,
                sources: "the proxy URL in `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`".into(),
            });
        }
        if err.is_builder() {
            return Stop::Fail(IndexError::Network {
                url: Redacted::new(url),
                attempts: 1,
                reason: detail,
            });
        }
        let timeout = self.inner.options.timeout;
        let reason = if err.is_timeout() && err.is_connect() {
            format!("connect timed out after {timeout:?}")
        } else if err.is_timeout() {
            format!("no data for {timeout:?} (read timeout)")
        } else if err.is_connect() {
            format!("cannot connect: {detail}")
        } else {
            detail
        };
        Stop::Retry {
            reason,
            after: None,
        }
    }

    /// Sends a GET, following redirects by hand with per-realm credentials.
    async fn open(&self, url: &Url, headers: &HeaderMap) -> Result<(reqwest::Response, Url), Stop> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut request = self
                .inner
                .client
                .get(current.clone())
                .headers(headers.clone());
            // `headers` never holds `Authorization` (see `request_headers`): it is added here
            // for this hop's realm only.
            if let Some(creds) = self.credentials_for(&current) {
                request = request.basic_auth(creds.username(), creds.password());
            }
            let response = match request.send().await {
                Ok(response) => response,
                Err(err) => return Err(self.transport_error(err, &current)),
            };
            let status = response.status();
            if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                return Ok((response, current));
            }
            let Some(location) = response.headers().get(LOCATION) else {
                return Ok((response, current));
            };
            let refuse = |target: Redacted, reason: String| {
                Stop::Fail(IndexError::UnsafeRedirect {
                    url: Redacted::new(url),
                    target,
                    reason,
                })
            };
            let Some(target) = location
                .to_str()
                .ok()
                .and_then(|location| current.join(location).ok())
            else {
                return Err(refuse(
                    Redacted::text("<unparsable Location>"),
                    "the `Location` header is not a valid URL".into(),
                ));
            };
            let target = strip_userinfo(&target);
            if !matches!(target.scheme(), "http" | "https") {
                return Err(refuse(
                    Redacted::new(&target),
                    format!("the `{}:` scheme is not allowed", target.scheme()),
                ));
            }
            if current.scheme() == "https" && target.scheme() == "http" {
                return Err(refuse(
                    Redacted::new(&target),
                    "a downgrade from `https` to `http` is not allowed".into(),
                ));
            }
            tracing::debug!(
                "{} redirects ({status}) to {}",
                Redacted::new(&current),
                Redacted::new(&target)
            );
            current = target;
        }
        Err(Stop::Fail(IndexError::Network {
            url: Redacted::new(url),
            attempts: 1,
            reason: format!("too many redirects (more than {MAX_REDIRECTS})"),
        }))
    }

    /// Turns a status that is not a success into the right stop.
    fn status_stop(&self, response: &reqwest::Response, url: &Url) -> Stop {
        let status = response.status();
        let code = status.as_u16();
        match code {
            408 | 429 | 500 | 502 | 503 | 504 => Stop::Retry {
                reason: format!("HTTP {status}"),
                after: response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after),
            },
            401 | 403 => Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: code,
                sources: self.sources_for(url),
            }),
            407 => Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: code,
                sources: "the proxy URL in `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`".into(),
            }),
            _ => Stop::Fail(IndexError::Status {
                url: Redacted::new(url),
                status: code,
            }),
        }
    }

    fn request_headers(
        kind: BodyKind,
        extra: &[(HeaderName, String)],
    ) -> Result<HeaderMap, IndexError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_static(match kind {
                BodyKind::Page => "gzip",
                BodyKind::File => "identity",
            }),
        );
        for (name, value) in extra {
            if *name == AUTHORIZATION {
                // Credentials come from the auth store only, scoped to their realm.
                continue;
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                config_error(
                    format!("`{name}` header"),
                    "the value is not a valid header",
                )
            })?;
            headers.insert(name.clone(), value);
        }
        Ok(headers)
    }

    /// GETs a page fully into memory, bounded by [`HttpOptions::max_body`] (after decoding).
    /// `headers` may add `Accept`, `If-None-Match`, `If-Modified-Since`…; a 304 is returned as
    /// such, with an empty body.
    pub async fn get_bytes(
        &self,
        url: &Url,
        headers: &[(HeaderName, String)],
    ) -> Result<Response, IndexError> {
        let clean = self.adopt(url)?;
        let headers = Self::request_headers(BodyKind::Page, headers)?;
        self.with_retries(&clean, || self.attempt_bytes(&clean, &headers))
            .await
    }

    async fn attempt_bytes(&self, url: &Url, headers: &HeaderMap) -> Result<Response, Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
            return Err(self.status_stop(&response, &final_url));
        }
        let limit = self.inner.options.max_body;
        let too_large = || {
            Stop::Fail(IndexError::TooLarge {
                url: Redacted::new(&final_url),
                limit,
            })
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut decoder = Decoder::for_headers(response.headers()).map_err(|reason| {
            IndexError::MalformedPage {
                url: Redacted::new(&final_url),
                reason,
            }
        })?;
        let mut body = Vec::new();
        let mut received = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            self.note_progress(url, chunk.len() as u64);
            let plain = decoder.push(&chunk).map_err(|err| Stop::Retry {
                reason: format!("invalid gzip body: {err}"),
                after: None,
            })?;
            if body.len() as u64 + plain.len() as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&plain);
        }
        incomplete(received, declared)?;
        let rest = decoder.finish().map_err(|err| Stop::Retry {
            reason: format!("invalid gzip body: {err}"),
            after: None,
        })?;
        if body.len() as u64 + rest.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&rest);
        Ok(Response {
            status,
            headers: response.headers().clone(),
            url: final_url,
            body,
        })
    }

    /// A failure while reading a body.
    fn body_error(
        &self,
        err: reqwest::Error,
        url: &Url,
        received: u64,
        declared: Option<u64>,
    ) -> Stop {
        let timeout = err.is_timeout();
        match self.transport_error(err, url) {
            Stop::Retry { reason, after } => Stop::Retry {
                // An early end of the stream is all there is to say; a timeout says more.
                reason: match declared {
                    Some(len) if !timeout => {
                        format!(
                            "incomplete body ({received} of {len} bytes): the connection closed early"
                        )
                    }
                    Some(len) => format!("incomplete body ({received} of {len} bytes): {reason}"),
                    None => format!("incomplete body ({received} bytes received): {reason}"),
                },
                after,
            },
            fail @ Stop::Fail(_) => fail,
        }
    }

    /// GETs a file, streaming it to `dest` (created or truncated; removed again on any
    /// failure), computing its sha256 and, when `expected` names sha384 or sha512, that digest
    /// too. `expected` is `(algorithm, hex digest)`; a mismatch is
    /// [`IndexError::HashMismatch`] and is not retried. An algorithm other than sha256, sha384
    /// and sha512 is not checked here (the caller decides what a weak hash means). `what` names
    /// the file in messages. A truncated or reset transfer restarts from scratch.
    pub async fn download(
        &self,
        url: &Url,
        dest: &Path,
        expected: Option<(&str, &str)>,
        what: &str,
    ) -> Result<Downloaded, IndexError> {
        let clean = self.adopt(url)?;
        let expected = expected.map(|(a, d)| (a.to_ascii_lowercase(), d.to_ascii_lowercase()));
        let extra = match &expected {
            Some((algorithm, _)) if matches!(algorithm.as_str(), "sha384" | "sha512") => {
                Some(algorithm.as_str())
            }
            Some((algorithm, _)) if algorithm != "sha256" => {
                tracing::debug!("Not checking the `{algorithm}` hash of {what}");
                None
            }
            _ => None,
        };
        let headers = Self::request_headers(BodyKind::File, &[])?;
        if !dest.exists() {
            std::fs::File::create(dest).map_err(|source| IndexError::Io {
                action: "Failed to create",
                path: dest.to_path_buf(),
                source,
            })?;
        }
        let mut partial = PartialFile {
            path: dest,
            keep: false,
        };
        let (sha256, extra_digest, size) = self
            .with_retries(&clean, || {
                self.attempt_download(&clean, &headers, dest, extra)
            })
            .await?;
        if let Some((algorithm, digest)) = &expected {
            let actual = match algorithm.as_str() {
                "sha256" => Some(&sha256),
                "sha384" | "sha512" => extra_digest.as_ref(),
                _ => None,
            };
            if let Some(actual) = actual
                && actual != digest
            {
                return Err(IndexError::HashMismatch {
                    what: what.to_string(),
                    url: Redacted::new(&clean),
                    algorithm: algorithm.clone(),
                    expected: digest.clone(),
                    actual: actual.clone(),
                });
            }
        }
        partial.keep = true;
        Ok(Downloaded { sha256, size })
    }

    async fn attempt_download(
        &self,
        url: &Url,
        headers: &HeaderMap,
        dest: &Path,
        extra: Option<&str>,
    ) -> Result<(String, Option<String>, u64), Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if !status.is_success() || status == StatusCode::PARTIAL_CONTENT {
            return Err(self.status_stop(&response, &final_url));
        }
        let mut decoder =
            Decoder::for_headers(response.headers()).map_err(|reason| IndexError::Network {
                url: Redacted::new(&final_url),
                attempts: 1,
                reason,
            })?;
        let io_error = |action: &'static str, source: std::io::Error| {
            Stop::Fail(IndexError::Io {
                action,
                path: dest.to_path_buf(),
                source,
            })
        };
        // Never `create` here: this runs on the blocking pool and may complete after the
        // caller gave up and removed `dest`, which would resurrect it as a stray file.
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(dest)
            .await
            .map_err(|err| io_error("Failed to open", err))?;
        let declared = response.content_length();
        let mut hashers = Hashers::new(extra);
        let mut received = 0u64;
        let mut size = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            let plain = decoder.push(&chunk).map_err(|err| Stop::Retry {
                reason: format!("invalid gzip body: {err}"),
                after: None,
            })?;
            hashers.update(&plain);
            size += plain.len() as u64;
            file.write_all(&plain)
                .await
                .map_err(|err| io_error("Failed to write", err))?;
        }
        incomplete(received, declared)?;
        let rest = decoder.finish().map_err(|err| Stop::Retry {
            reason: format!("invalid gzip body: {err}"),
            after: None,
        })?;
        hashers.update(&rest);
        size += rest.len() as u64;
        file.write_all(&rest)
            .await
            .map_err(|err| io_error("Failed to write", err))?;
        file.flush()
            .await
            .map_err(|err| io_error("Failed to write", err))?;
        let (sha256, extra_digest) = hashers.finish();
        Ok((sha256, extra_digest, size))
    }

    /// Reads a byte range; `None` when the server does not honour ranges (answers 200 or 416,
    /// encodes the body, or returns another range than asked).
    pub async fn get_range(
        &self,
        url: &Url,
        range: RangeSpec,
    ) -> Result<Option<Vec<u8>>, IndexError> {
        Ok(self
            .get_range_with_total(url, range)
            .await?
            .map(|r| r.bytes))
    }

    /// Like [`Http::get_range`], with the offset of the bytes and the resource's full size.
    pub async fn get_range_with_total(
        &self,
        url: &Url,
        range: RangeSpec,
    ) -> Result<Option<RangeBody>, IndexError> {
        let clean = self.adopt(url)?;
        let headers = Self::request_headers(BodyKind::File, &[(RANGE, range.header())])?;
        self.with_retries(&clean, || self.attempt_range(&clean, &headers, range))
            .await
    }

    async fn attempt_range(
        &self,
        url: &Url,
        headers: &HeaderMap,
        range: RangeSpec,
    ) -> Result<Option<RangeBody>, Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if status == StatusCode::OK || status == StatusCode::RANGE_NOT_SATISFIABLE {
            return Ok(None);
        }
        if status != StatusCode::PARTIAL_CONTENT {
            return Err(self.status_stop(&response, &final_url));
        }
        if response.headers().contains_key(CONTENT_ENCODING) {
            return Ok(None);
        }
        let Some((start, end, total)) = response
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_content_range)
        else {
            return Ok(None);
        };
        let matches = match range {
            RangeSpec::Bounded {
                start: want,
                end: want_end,
            } => start == want && end <= want_end,
            RangeSpec::Suffix(n) => end.saturating_sub(start).saturating_add(1) <= n,
        };
        if !matches {
            tracing::warn!(
                "{} answered another range than asked ({start}-{end}); not using ranges",
                Redacted::new(&final_url)
            );
            return Ok(None);
        }
        let limit = self.inner.options.max_body.min(range.len());
        let declared = response.content_length();
        let mut bytes = Vec::new();
        let mut received = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            if received > limit {
                return Err(Stop::Fail(IndexError::TooLarge {
                    url: Redacted::new(&final_url),
                    limit,
                }));
            }
            bytes.extend_from_slice(&chunk);
        }
        incomplete(received, declared)?;
        if received != end - start + 1 {
            return Err(Stop::Retry {
                reason: format!("incomplete range ({received} of {} bytes)", end - start + 1),
                after: None,
            });
        }
        Ok(Some(RangeBody {
            start,
            total,
            bytes,
        }))
    }
}

/// A retry when fewer bytes arrived than `Content-Length` promised.
fn incomplete(received: u64, declared: Option<u64>) -> Result<(), Stop> {
    match declared {
        Some(len) if received < len => Err(Stop::Retry {
            reason: format!("incomplete body ({received} of {len} bytes)"),
            after: None,
        }),
        _ => Ok(()),
    }
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`).
fn parse_content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    (start <= end).then_some((start, end, total))
}

#[cfg(test)]
mod tests {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    use std::io::{BufRead as _, BufReader, Read, Write};
    use std::net::{SocketAddr, TcpListener};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use super::*;
    use crate::exit::ExitCode;

    const CANARY: &str = "s3cret-CANARY";

    /// One request as the test server saw it.
    #[derive(Debug, Clone)]
    struct Seen {
        path: String,
        headers: Vec<(String, String)>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// What the test server answers.
    enum Reply {
        Full {
            status: u16,
            headers: Vec<(&'static str, String)>,
            body: Vec<u8>,
        },
        /// Promises `len` bytes, sends `body`, closes.
        Truncated { len: usize, body: Vec<u8> },
        /// Accepts and never answers.
        Stall,
        /// Sends `body` in `chunk`-byte pieces, `delay` apart.
        Slow {
            body: Vec<u8>,
            chunk: usize,
            delay: Duration,
        },
    }

    fn ok(body: &[u8]) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![],
            body: body.to_vec(),
        }
    }

    fn status(code: u16) -> Reply {
        Reply::Full {
            status: code,
            headers: vec![],
            body: b"no".to_vec(),
        }
    }

    fn redirect(code: u16, location: &str) -> Reply {
        Reply::Full {
            status: code,
            headers: vec![("Location", location.to_string())],
            body: Vec::new(),
        }
    }

    type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

    /// A tiny HTTP/1.1 server on 127.0.0.1: one request per connection.
    struct Server {
        addr: SocketAddr,
        scheme: &'static str,
        seen: Arc<Mutex<Vec<Seen>>>,
        accepted: Arc<AtomicUsize>,
    }

    impl Server {
        fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
            Server::start_with(None, handler)
        }

        /// With `tls`, speaks HTTPS with that configuration.
        fn start_with(
            tls: Option<Arc<rustls::ServerConfig>>,
            handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
        ) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let accepted = Arc::new(AtomicUsize::new(0));
            let handler: Arc<Handler> = Arc::new(handler);
            let log = Arc::clone(&seen);
            let count = Arc::clone(&accepted);
            let scheme = if tls.is_some() { "https" } else { "http" };
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    count.fetch_add(1, Ordering::SeqCst);
                    let handler = Arc::clone(&handler);
                    let log = Arc::clone(&log);
                    let tls = tls.clone();
                    std::thread::spawn(move || match tls {
                        Some(config) => {
                            let connection = rustls::ServerConnection::new(config).unwrap();
                            let mut stream = rustls::StreamOwned::new(connection, stream);
                            serve_one(&mut stream, &*handler, &log);
                            stream.conn.send_close_notify();
                            let _ = stream.flush();
                        }
                        None => serve_one(&mut stream, &*handler, &log),
                    });
                }
            });
            Server {
                addr,
                scheme,
                seen,
                accepted,
            }
        }

        fn url(&self, path: &str) -> Url {
            Url::parse(&format!("{}://{}{path}", self.scheme, self.addr)).unwrap()
        }

        fn requests(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    fn serve_one<S: Read + Write>(stream: &mut S, handler: &Handler, log: &Mutex<Vec<Seen>>) {
        let mut reader = BufReader::new(&mut *stream);
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.trim_end().split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        drop(reader);
        let request = Seen { path, headers };
        let index = {
            let mut log = log.lock().unwrap();
            log.push(request.clone());
            log.len() - 1
        };
        let out = stream;
        let head = |status: u16, len: usize, headers: &[(&str, String)]| {
            let mut head =
                format!("HTTP/1.1 {status} X\r\nContent-Length: {len}\r\nConnection: close\r\n");
            for (name, value) in headers {
                let _ = write!(head, "{name}: {value}\r\n");
            }
            head.push_str("\r\n");
            head.into_bytes()
        };
        // Write errors only mean the client went away.
        match handler(&request, index) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let _ = out.write_all(&head(status, body.len(), &headers));
                let _ = out.write_all(&body);
            }
            Reply::Truncated { len, body } => {
                let _ = out.write_all(&head(200, len, &[]));
                let _ = out.write_all(&body);
            }
            Reply::Stall => std::thread::sleep(Duration::from_secs(10)),
            Reply::Slow { body, chunk, delay } => {
                let _ = out.write_all(&head(200, body.len(), &[]));
                for piece in body.chunks(chunk) {
                    let _ = out.flush();
                    std::thread::sleep(delay);
                    if out.write_all(piece).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = out.flush();
    }

    fn options() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(1),
            retries: 3,
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_secs(2),
            proxy_from_env: false,
            ..HttpOptions::default()
        }
    }

    fn http(options: HttpOptions, auth: AuthStore) -> Http {
        Http::new(options, auth).unwrap()
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        hex::encode(sha2::Sha256::digest(bytes))
    }

    /// An error's message with the random port replaced.
    fn message(err: &IndexError) -> String {
        let text = err.to_string();
        let re_port = |s: &str| {
            let mut out = String::new();
            let mut rest = s;
            while let Some(pos) = rest.find("127.0.0.1:") {
                out.push_str(&rest[..pos + "127.0.0.1:".len()]);
                rest = &rest[pos + "127.0.0.1:".len()..];
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                out.push_str("PORT");
                rest = &rest[digits..];
            }
            out.push_str(rest);
            out
        };
        assert!(!text.contains(CANARY), "secret in message: {text}");
        re_port(&text)
    }

    #[tokio::test]
    async fn retries_503_twice_then_succeeds() {
        let server = Server::start(|_, n| if n < 2 { status(503) } else { ok(b"page") });
        let response = http(options(), AuthStore::default())
            .get_bytes(&server.url("/simple/foo/"), &[])
            .await
            .unwrap();
        assert_eq!(response.body, b"page");
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn honours_retry_after() {
        let server = Server::start(|_, n| {
            if n == 0 {
                Reply::Full {
                    status: 429,
                    headers: vec![("Retry-After", "1".into())],
                    body: Vec::new(),
                }
            } else {
                ok(b"page")
            }
        });
        let start = Instant::now();
        let response = http(options(), AuthStore::default())
            .get_bytes(&server.url("/"), &[])
            .await
            .unwrap();
        assert_eq!(response.body, b"page");
        assert!(start.elapsed() >= Duration::from_millis(950));
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn not_found_is_not_retried() {
        let server = Server::start(|_, _| status(404));
        let err = http(options(), AuthStore::default())
            .get_bytes(&server.url("/simple/nope/"), &[])
            .await
            .unwrap_err();
        assert!(
            matches!(err, IndexError::Status { status: 404, .. }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn exhausted_retries_name_url_and_attempts() {
        let server = Server::start(|_, _| status(500));
        let err = http(
            HttpOptions {
                retries: 2,
                ..options()
            },
            AuthStore::default(),
        )
        .get_bytes(&server.url("/simple/foo/?token=abc"), &[])
        .await
        .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Network);
        assert_eq!(server.requests().len(), 3);
        insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/simple/foo/ failed after 3 attempt(s): HTTP 500 Internal Server Error");
    }

    #[tokio::test]
    async fn unauthorized_names_sources_and_is_not_retried() {
        let server = Server::start(|_, _| status(401));
        let mut url = server.url("/simple/");
        url.set_username("alice").unwrap();
        url.set_password(Some("s3cret-CANARY-a")).unwrap();
        let err = http(options(), AuthStore::default())
            .get_bytes(&url, &[])
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Network);
        assert_eq!(server.requests().len(), 1);
        insta::assert_snapshot!(message(&err), @"Authentication failed for http://127.0.0.1:PORT/simple/ (HTTP 401); credential sources tried: URL");

        let server = Server::start(|_, _| status(403));
        let err = http(options(), AuthStore::default())
            .get_bytes(&server.url("/simple/"), &[])
            .await
            .unwrap_err();
        insta::assert_snapshot!(message(&err), @"Authentication failed for http://127.0.0.1:PORT/simple/ (HTTP 403); credential sources tried: none (no credentials for this host in the index URL, `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL` or netrc)");
    }

    #[tokio::test]
    async fn truncated_download_is_retried() {
        let body: Vec<u8> = (0..1000u32)
            .map(|i| u8::try_from(i % 251).unwrap())
            .collect();
        let payload = body.clone();
        let server = Server::start(move |_, n| {
            if n == 0 {
                Reply::Truncated {
                    len: payload.len(),
                    body: payload[..500].to_vec(),
                }
            } else {
                ok(&payload)
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("foo.whl.part");
        let expected = sha256_hex(&body);
        let done = http(options(), AuthStore::default())
            .download(
                &server.url("/foo.whl"),
                &dest,
                Some(("sha256", &expected)),
                "foo==1.0",
            )
            .await
            .unwrap();
        assert_eq!(done.sha256, expected);
        assert_eq!(done.size, 1000);
        assert_eq!(std::fs::read(&dest).unwrap(), body);
        assert_eq!(server.requests().len(), 2);
        assert_eq!(
            server.requests()[0].header("accept-encoding"),
            Some("identity")
        );
    }

    #[tokio::test]
    async fn truncated_every_time_leaves_no_file() {
        let server = Server::start(|_, _| Reply::Truncated {
            len: 1000,
            body: vec![7; 512],
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("foo.whl.part");
        let err = http(
            HttpOptions {
                retries: 2,
                ..options()
            },
            AuthStore::default(),
        )
        .download(&server.url("/foo.whl"), &dest, None, "foo==1.0")
        .await
        .unwrap_err();
        assert!(
            matches!(err, IndexError::Network { attempts: 3, ref reason, .. } if reason.starts_with("incomplete body (512 of 1000 bytes)")),
            "{err:?}"
        );
        assert!(!dest.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn hash_mismatch_is_not_retried() {
        let server = Server::start(|_, _| ok(b"tampered"));
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("foo.whl.part");
        let expected = sha256_hex(b"original");
        let err = http(options(), AuthStore::default())
            .download(
                &server.url("/foo-1.0-py3-none-any.whl"),
                &dest,
                Some(("SHA256", &expected.to_ascii_uppercase())),
                "foo==1.0 (foo-1.0-py3-none-any.whl)",
            )
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Integrity);
        assert_eq!(server.requests().len(), 1);
        assert!(!dest.exists());
        insta::assert_snapshot!(message(&err), @"Hash mismatch for foo==1.0 (foo-1.0-py3-none-any.whl) from http://127.0.0.1:PORT/foo-1.0-py3-none-any.whl: expected sha256:0682c5f2076f099c34cfdd15a9e063849ed437a49677e6fcc5b4198c76575be5, computed sha256:d121be3103007b41edf96f8262925f8c7d61894afe9a041843b631f69445bc57");
    }

    #[tokio::test]
    async fn sha512_is_checked() {
        let server = Server::start(|_, _| ok(b"wheel bytes"));
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("w");
        let good = hex::encode(sha2::Sha512::digest(b"wheel bytes"));
        let client = http(options(), AuthStore::default());
        let done = client
            .download(&server.url("/w"), &dest, Some(("sha512", &good)), "w")
            .await
            .unwrap();
        assert_eq!(done.sha256, sha256_hex(b"wheel bytes"));
        let bad = hex::encode(sha2::Sha512::digest(b"other"));
        let err = client
            .download(&server.url("/w"), &dest, Some(("sha512", &bad)), "w")
            .await
            .unwrap_err();
        assert!(matches!(err, IndexError::HashMismatch { .. }), "{err:?}");
        assert!(!dest.exists());
    }

    #[tokio::test]
    async fn gzip_content_encoding_is_decoded_before_hashing() {
        let wheel = b"PK\x03\x04 pretend wheel".repeat(50);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&wheel).unwrap();
        let gzipped = encoder.finish().unwrap();
        let server = Server::start(move |_, _| Reply::Full {
            status: 200,
            headers: vec![("Content-Encoding", "gzip".into())],
            body: gzipped.clone(),
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("w");
        let expected = sha256_hex(&wheel);
        let done = http(options(), AuthStore::default())
            .download(&server.url("/w"), &dest, Some(("sha256", &expected)), "w")
            .await
            .unwrap();
        assert_eq!(done.size, wheel.len() as u64);
        assert_eq!(std::fs::read(&dest).unwrap(), wheel);
    }

    #[tokio::test]
    async fn page_body_is_bounded() {
        let server = Server::start(|_, _| ok(&[b'x'; 2000]));
        let err = http(
            HttpOptions {
                max_body: 1000,
                ..options()
            },
            AuthStore::default(),
        )
        .get_bytes(&server.url("/big"), &[])
        .await
        .unwrap_err();
        assert!(
            matches!(err, IndexError::TooLarge { limit: 1000, .. }),
            "{err:?}"
        );
        assert_eq!(err.exit_code(), ExitCode::Integrity);
    }

    #[tokio::test]
    async fn credentials_stay_with_their_origin_across_redirects() {
        let other = Server::start(|_, _| ok(b"elsewhere"));
        let target = other.url("/files/foo.whl").to_string();
        let index = Server::start(move |request, _| {
            if request.header("authorization").is_none() {
                status(401)
            } else {
                redirect(302, &target)
            }
        });
        let mut url = index.url("/simple/foo/");
        url.set_username("alice").unwrap();
        url.set_password(Some("s3cret-CANARY-a")).unwrap();

        let client = http(options(), AuthStore::default());
        let response = client.get_bytes(&url, &[]).await.unwrap();
        assert_eq!(response.body, b"elsewhere");
        assert_eq!(response.url, other.url("/files/foo.whl"));
        assert_eq!(
            index.requests()[0].header("authorization"),
            Some("Basic YWxpY2U6czNjcmV0LUNBTkFSWS1h")
        );
        assert_eq!(other.requests().len(), 1);
        assert_eq!(other.requests()[0].header("authorization"), None);

        // The target's own credentials are used for the target.
        let mut other_url = other.url("/");
        other_url.set_username("bob").unwrap();
        other_url.set_password(Some("s3cret-CANARY-b")).unwrap();
        let client = http(options(), AuthStore::new([&other_url], None));
        client.get_bytes(&url, &[]).await.unwrap();
        assert_eq!(
            other.requests()[1].header("authorization"),
            Some("Basic Ym9iOnMzY3JldC1DQU5BUlktYg==")
        );
        // A caller cannot smuggle an `Authorization` header.
        client
            .get_bytes(
                &other.url("/x"),
                &[(AUTHORIZATION, "Basic c3RvbGVu".to_string())],
            )
            .await
            .unwrap();
        assert_eq!(
            other.requests()[2].header("authorization"),
            Some("Basic Ym9iOnMzY3JldC1DQU5BUlktYg==")
        );
        assert!(!format!("{client:?}").contains(CANARY));
    }

    #[tokio::test]
    async fn every_redirect_status_is_followed() {
        for code in [301, 302, 303, 307, 308] {
            let server = Server::start(move |request, _| {
                if request.path == "/old" {
                    redirect(code, "/new")
                } else {
                    ok(b"moved")
                }
            });
            let response = http(options(), AuthStore::default())
                .get_bytes(&server.url("/old"), &[])
                .await
                .unwrap();
            assert_eq!(response.body, b"moved", "{code}");
            assert_eq!(response.url.path(), "/new");
        }
    }

    #[tokio::test]
    async fn redirect_to_file_is_refused() {
        let server = Server::start(|_, _| redirect(302, "file:///etc/passwd"));
        let err = http(options(), AuthStore::default())
            .get_bytes(&server.url("/simple/"), &[])
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Integrity);
        assert_eq!(server.requests().len(), 1);
        insta::assert_snapshot!(message(&err), @"Refused redirect from http://127.0.0.1:PORT/simple/ to file:///etc/passwd: the `file:` scheme is not allowed");
    }

    #[tokio::test]
    async fn redirect_loop_fails() {
        let server = Server::start(|_, _| redirect(302, "/loop"));
        let err = http(options(), AuthStore::default())
            .get_bytes(&server.url("/loop"), &[])
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Network);
        assert_eq!(server.requests().len(), MAX_REDIRECTS + 1);
        insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/loop failed after 1 attempt(s): too many redirects (more than 10)");
    }

    #[tokio::test]
    async fn stalled_server_times_out() {
        let server = Server::start(|_, _| Reply::Stall);
        let start = Instant::now();
        let err = http(
            HttpOptions {
                retries: 1,
                ..options()
            },
            AuthStore::default(),
        )
        .get_bytes(&server.url("/"), &[])
        .await
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(server.requests().len(), 2);
        insta::assert_snapshot!(message(&err), @"Request to http://127.0.0.1:PORT/ failed after 2 attempt(s): no data for 1s (read timeout)");
    }

    #[tokio::test]
    async fn slow_steady_stream_does_not_time_out() {
        // 32 KiB at about 16 KiB/s: twice the 1 s idle timeout in total, never idle for long.
        let body: Vec<u8> = (0..32 * 1024u32)
            .map(|i| u8::try_from(i % 256).unwrap())
            .collect();
        let payload = body.clone();
        let server = Server::start(move |_, _| Reply::Slow {
            body: payload.clone(),
            chunk: 1024,
            delay: Duration::from_millis(60),
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("slow");
        let start = Instant::now();
        let done = http(options(), AuthStore::default())
            .download(&server.url("/slow"), &dest, None, "slow")
            .await
            .unwrap();
        assert!(start.elapsed() > Duration::from_secs(1));
        assert_eq!(done.sha256, sha256_hex(&body));
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn range_reads() {
        let data: Vec<u8> = (0..100u8).collect();
        let payload = data.clone();
        let server = Server::start(move |request, _| {
            if request.path == "/ignores" {
                return ok(&payload);
            }
            let spec = request.header("range").unwrap_or_default().to_string();
            let (start, end) = if let Some(n) = spec.strip_prefix("bytes=-") {
                (100 - n.parse::<usize>().unwrap(), 99)
            } else {
                let (a, b) = spec.trim_start_matches("bytes=").split_once('-').unwrap();
                (a.parse().unwrap(), b.parse().unwrap())
            };
            Reply::Full {
                status: 206,
                headers: vec![("Content-Range", format!("bytes {start}-{end}/100"))],
                body: payload[start..=end].to_vec(),
            }
        });
        let client = http(options(), AuthStore::default());
        let tail = client
            .get_range_with_total(&server.url("/w"), RangeSpec::Suffix(10))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(tail.start, 90);
        assert_eq!(tail.total, Some(100));
        assert_eq!(tail.bytes, &data[90..]);
        let middle = client
            .get_range(&server.url("/w"), RangeSpec::Bounded { start: 5, end: 9 })
            .await
            .unwrap();
        assert_eq!(middle.as_deref(), Some(&data[5..=9]));
        let none = client
            .get_range(&server.url("/ignores"), RangeSpec::Suffix(10))
            .await
            .unwrap();
        assert_eq!(none, None);
    }

    #[tokio::test]
    async fn offline_makes_no_request() {
        let server = Server::start(|_, _| ok(b""));
        let client = http(
            HttpOptions {
                offline: true,
                ..options()
            },
            AuthStore::default(),
        );
        let err = client.get_bytes(&server.url("/"), &[]).await.unwrap_err();
        assert!(matches!(err, IndexError::Offline { .. }), "{err:?}");
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn conditional_get_returns_304() {
        let server = Server::start(|request, _| {
            if request.header("if-none-match") == Some("\"v1\"") {
                status(304)
            } else {
                Reply::Full {
                    status: 200,
                    headers: vec![("ETag", "\"v1\"".into())],
                    body: b"page".to_vec(),
                }
            }
        });
        let client = http(options(), AuthStore::default());
        let first = client.get_bytes(&server.url("/p"), &[]).await.unwrap();
        assert_eq!(first.etag(), Some("\"v1\""));
        let second = client
            .get_bytes(
                &server.url("/p"),
                &[(reqwest::header::IF_NONE_MATCH, "\"v1\"".to_string())],
            )
            .await
            .unwrap();
        assert_eq!(second.status, StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn netrc_lookup() {
        let netrc = Netrc::parse(
            "# comment line\n\
             machine index.example.com login alice password \"s3cret CANARY\"\n\
             macdef init\n  cd /pub\n  ls\n\n\
             machine other.example.com\n  login bob\n  account x\n  password hunter2 # trailing\n\
             default login anon password anon-pass\n",
        )
        .unwrap();
        let creds = netrc.lookup("INDEX.example.com").unwrap();
        assert_eq!(creds.username(), "alice");
        assert_eq!(creds.password(), Some("s3cret CANARY"));
        assert_eq!(netrc.lookup("other.example.com").unwrap().username(), "bob");
        assert_eq!(netrc.lookup("nowhere.example").unwrap().username(), "anon");

        let no_default = Netrc::parse("machine a.example login u password p").unwrap();
        assert!(no_default.lookup("b.example").is_none());

        let err = Netrc::parse("machine a\nlogin u\npassword p\nbogus s3cret-CANARY").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(!err.to_string().contains(CANARY));
        assert!(Netrc::parse("login u").is_err());
        assert!(Netrc::parse("machine a login").is_err());
    }

    #[test]
    fn auth_store_scoping() {
        let netrc = Netrc::parse(
            "machine index.example.com login alice password from-netrc\n\
             machine files.example.com login carol password carol-pass\n",
        )
        .unwrap();
        let with_user = Url::parse("https://alice@index.example.com/simple/").unwrap();
        let with_token = Url::parse("https://s3cret-CANARY@tokens.example.com/simple/").unwrap();
        let mut store = AuthStore::new([&with_user, &with_token], Some(netrc));

        // `user@` in the URL takes the password from netrc.
        let creds = store.credentials_for(&with_user).unwrap();
        assert_eq!(creds.password(), Some("from-netrc"));
        assert_eq!(store.sources_for(&with_user), "URL, netrc");
        // A token as user name, no password.
        let token = store
            .credentials_for(&Url::parse("https://tokens.example.com/x").unwrap())
            .unwrap();
        assert_eq!(token.username(), CANARY);
        assert_eq!(token.password(), None);
        // Another port or scheme is another realm for URL credentials.
        assert!(
            store
                .credentials_for(&Url::parse("https://tokens.example.com:8443/x").unwrap())
                .is_none()
        );
        assert!(
            store
                .credentials_for(&Url::parse("http://tokens.example.com/x").unwrap())
                .is_none()
        );
        // netrc for a host with no URL credentials; nothing for unknown hosts.
        assert_eq!(
            store
                .credentials_for(&Url::parse("https://files.example.com/f").unwrap())
                .unwrap()
                .username(),
            "carol"
        );
        assert!(
            store
                .credentials_for(&Url::parse("https://evil.example/").unwrap())
                .is_none()
        );
        let clean = store.add_url(&Url::parse("https://u:p%40ss@new.example/s").unwrap());
        assert_eq!(clean.as_str(), "https://new.example/s");
        assert_eq!(
            store.credentials_for(&clean).unwrap().password(),
            Some("p@ss")
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let creds = Credentials::new("s3cret-CANARY-user", Some("s3cret-CANARY-pass".into()));
        let url = Url::parse("https://s3cret-CANARY-u:s3cret-CANARY-p@example.com/").unwrap();
        let netrc = Netrc::parse("machine h login s3cret-CANARY password s3cret-CANARY").unwrap();
        let store = AuthStore::new([&url], Some(netrc.clone()));
        for text in [
            format!("{creds:?}"),
            format!("{store:?}"),
            format!("{netrc:?}"),
            format!("{store:#?}"),
        ] {
            assert!(!text.contains(CANARY), "{text}");
        }
        insta::assert_snapshot!(format!("{creds:?} {store:?}"), @r#"Credentials { username: "<redacted>", password: Some("<redacted>") } AuthStore { from_urls: ["https://example.com:443"], netrc: Some(Netrc { machines: ["h"], default: false }), from_env: [] }"#);
    }

    #[test]
    fn proxy_variables_are_checked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert!(check_proxy_env(env(&[])).is_ok());
        assert!(check_proxy_env(env(&[("HTTPS_PROXY", "http://u:p@proxy.corp:3128")])).is_ok());
        assert!(check_proxy_env(env(&[("https_proxy", "proxy.corp:3128")])).is_ok());
        let err =
            check_proxy_env(env(&[("HTTPS_PROXY", "http://s3cret-CANARY@[::1")])).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        insta::assert_snapshot!(message(&err), @"Invalid `HTTPS_PROXY`: not a valid proxy URL (invalid IPv6 address)");
        let err = check_proxy_env(env(&[("all_proxy", "socks5://proxy:1080")])).unwrap_err();
        insta::assert_snapshot!(message(&err), @"Invalid `all_proxy`: proxy scheme `socks5` is not supported (use `http://` or `https://`)");
    }

    #[test]
    fn missing_ca_paths_fail_fast() {
        let missing =
            |name: &str| (name == "SSL_CERT_FILE").then(|| OsString::from("/nonexistent/ca.pem"));
        let err = check_cert_env(missing).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        insta::assert_snapshot!(message(&err), @"Invalid `SSL_CERT_FILE`: `/nonexistent/ca.pem` is not a readable file");
        assert!(check_cert_env(|_| None).is_ok());

        let err = Http::new(
            HttpOptions {
                cert: Some("/nonexistent/corp-ca.pem".into()),
                ..options()
            },
            AuthStore::default(),
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        insta::assert_snapshot!(message(&err), @"Invalid `--cert`: cannot read `/nonexistent/corp-ca.pem`: No such file or directory (os error 2)");
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_content_range("bytes 90-99/100"),
            Some((90, 99, Some(100)))
        );
        assert_eq!(parse_content_range("bytes 0-9/*"), Some((0, 9, None)));
        assert_eq!(parse_content_range("bytes 9-0/10"), None);
    }

    /// A CA, a server certificate for 127.0.0.1 and a client certificate, all generated here.
    struct Pki {
        ca_pem: String,
        ca_der: rustls::pki_types::CertificateDer<'static>,
        server_chain: Vec<rustls::pki_types::CertificateDer<'static>>,
        server_key: Vec<u8>,
        /// The client certificate followed by its key, as `--client-cert` wants.
        client_pem: String,
    }

    fn pki() -> Pki {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "nbwheel test CA");
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

        let server_key = rcgen::KeyPair::generate().unwrap();
        let server_cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&server_key, &ca)
            .unwrap();

        let client_key = rcgen::KeyPair::generate().unwrap();
        let mut client_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        client_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "nbwheel test client");
        client_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

        Pki {
            ca_pem: ca.pem(),
            ca_der: ca.der().clone(),
            server_chain: vec![server_cert.der().clone()],
            server_key: server_key.serialize_der(),
            client_pem: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
        }
    }

    fn tls_config(pki: &Pki, require_client_cert: bool) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if require_client_cert {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(pki.ca_der.clone()).unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pki.server_key.clone().into());
        Arc::new(
            builder
                .with_single_cert(pki.server_chain.clone(), key)
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn tls_trust_and_client_certificates() {
        let pki = pki();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, &pki.ca_pem).unwrap();
        let client_file = dir.path().join("client.pem");
        std::fs::write(&client_file, &pki.client_pem).unwrap();
        let with_ca = HttpOptions {
            cert: Some(ca_file.clone()),
            ..options()
        };

        let server = Server::start_with(Some(tls_config(&pki, false)), |_, _| ok(b"secure"));
        // Unknown CA: exit 4, with the hint, and not retried.
        let err = http(options(), AuthStore::default())
            .get_bytes(&server.url("/simple/"), &[])
            .await
            .unwrap_err();
        assert!(matches!(err, IndexError::Tls { .. }), "{err:?}");
        assert_eq!(err.exit_code(), ExitCode::Integrity);
        assert!(err.hint().unwrap().contains("--cert"));
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
        insta::assert_snapshot!(message(&err), @"TLS certificate verification failed for https://127.0.0.1:PORT/simple/: invalid peer certificate: UnknownIssuer");

        // `--cert` with the CA.
        let response = http(with_ca.clone(), AuthStore::default())
            .get_bytes(&server.url("/simple/"), &[])
            .await
            .unwrap();
        assert_eq!(response.body, b"secure");

        // An https page may not redirect to http.
        let plain = Server::start(|_, _| ok(b"plain"));
        let target = plain.url("/x").to_string();
        let downgrading = Server::start_with(Some(tls_config(&pki, false)), move |_, _| {
            redirect(301, &target)
        });
        let err = http(with_ca.clone(), AuthStore::default())
            .get_bytes(&downgrading.url("/simple/"), &[])
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Integrity);
        assert!(plain.requests().is_empty());
        insta::assert_snapshot!(message(&err), @"Refused redirect from https://127.0.0.1:PORT/simple/ to http://127.0.0.1:PORT/x: a downgrade from `https` to `http` is not allowed");

        // mTLS: refused without a client certificate, accepted with one.
        let mtls = Server::start_with(Some(tls_config(&pki, true)), |_, _| ok(b"mutual"));
        let err = http(with_ca.clone(), AuthStore::default())
            .get_bytes(&mtls.url("/"), &[])
            .await
            .unwrap_err();
        assert!(matches!(err, IndexError::Tls { .. }), "{err:?}");
        let response = http(
            HttpOptions {
                client_cert: Some(client_file),
                ..with_ca
            },
            AuthStore::default(),
        )
        .get_bytes(&mtls.url("/"), &[])
        .await
        .unwrap();
        assert_eq!(response.body, b"mutual");
    }

    #[test]
    fn bad_client_certificate_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("client.pem");
        std::fs::write(&file, "not a certificate").unwrap();
        let err = Http::new(
            HttpOptions {
                client_cert: Some(file),
                ..options()
            },
            AuthStore::default(),
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
    }
}
