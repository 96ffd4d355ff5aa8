//! The index client: project pages from the configured indexes and find-links sources, core
//! metadata, and wheel downloads into the cache.
//!
//! Input: normalised project names and chosen [`DistFile`]s. Output: merged [`ProjectPage`]s,
//! [`CoreMetadata`], and paths of verified wheels in the [`Cache`].
//!
//! Index order and strategy: indexes are searched in the order given (every
//! `--extra-index-url` first, in order, then `--index-url`, as uv does), and with the default
//! `first-index` strategy a project's files come only from the first index that has it, so a
//! public index can never shadow a private one (dependency confusion). `unsafe-best-match`
//! merges all indexes, as pip does. Find-links files are always added.
//!
//! Every fetch is memoised per key (a project, a metadata URL, a wheel URL) in a
//! `tokio::sync::OnceCell`, so concurrent prefetches and the resolver share one request.
//! Pages are cached with their validators and revalidated (`If-None-Match` /
//! `If-Modified-Since`); `--offline` uses the cached copy alone.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pep508_rs::PackageName;
use tokio::sync::{OnceCell, Semaphore};
use url::Url;

use super::http::Http;
use super::metadata::{self, CoreMetadata};
use super::page_cache::PageFilter;
use super::{DistFile, IndexError, Origin, ProjectPage, Redacted, SkippedFile};
use crate::index::cache::{Cache, sha256_file};

mod pages;
mod private;
mod remembered;

use private::PrivateSources;

/// How projects found on several indexes are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum IndexStrategy {
    /// Take a project only from the first index that has it (safe default).
    #[default]
    FirstIndex,
    /// Merge the files of every index and pick the best version (pip's behaviour).
    UnsafeBestMatch,
}

/// An index URL with its display form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexUrl {
    /// The URL without credentials, ending in `/`.
    pub url: Url,
}

impl IndexUrl {
    /// Parses an index URL, moving any user info out (the caller registers it with the auth
    /// store) and making sure it ends in `/`.
    pub fn parse(s: &str) -> Result<(IndexUrl, Url), String> {
        let mut url = Url::parse(s.trim()).map_err(|e| format!("invalid index URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https" | "file") {
            return Err(format!(
                "unsupported index URL scheme `{}` (expected http or https)",
                url.scheme()
            ));
        }
        let with_credentials = url.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok((IndexUrl { url }, with_credentials))
    }

    /// The URL as shown to users.
    pub fn redacted(&self) -> Redacted {
        Redacted::new(&self.url)
    }
}

/// A find-links source.
#[derive(Debug, Clone)]
pub enum FindLinks {
    /// A local folder of wheels.
    Dir(PathBuf),
    /// A flat HTML page of links.
    Page(Url),
}

/// What the client needs besides HTTP.
#[derive(Debug)]
pub struct ClientOptions {
    /// Indexes in search order.
    pub indexes: Vec<IndexUrl>,
    /// Find-links sources.
    pub find_links: Vec<FindLinks>,
    /// The index strategy.
    pub strategy: IndexStrategy,
    /// Project-name prefixes whose projects may come only from the sources declared private
    /// (see [`Client::set_private_sources`]).
    pub private_prefixes: Vec<String>,
    /// Use only cached data.
    pub offline: bool,
    /// Maximum number of concurrent downloads.
    pub concurrency: usize,
}

type Shared<T> = Arc<OnceCell<Result<T, Arc<IndexError>>>>;

/// Every find-links file, and every skipped one, by project.
type FindLinksFiles = Arc<LocalFiles>;

/// The files of every find-links source, by project.
struct LocalFiles {
    files: HashMap<PackageName, Vec<DistFile>>,
    /// Skipped files whose project can be told from their name.
    skipped: HashMap<PackageName, Vec<SkippedFile>>,
}

/// Which index served a project, for the summary and `-v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The project.
    pub name: PackageName,
    /// The origin.
    pub origin: Origin,
}

/// The index client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    options: ClientOptions,
    cache: Cache,
    pages: Mutex<HashMap<PackageName, Shared<Option<Arc<ProjectPage>>>>>,
    metadata: Mutex<HashMap<Url, Shared<Arc<CoreMetadata>>>>,
    wheels: Mutex<HashMap<Url, Shared<Downloaded>>>,
    find_links: OnceCell<Result<FindLinksFiles, Arc<IndexError>>>,
    downloads: Semaphore,
    ranges: Mutex<HashMap<String, bool>>,
    /// Warnings about the pages read (PEP 792 archived/deprecated projects), for the report.
    notices: Mutex<std::collections::BTreeSet<String>>,
    page_requests: std::sync::atomic::AtomicUsize,
    /// `--strict`: a file without an index sha256 is an error, not a warning.
    strict: std::sync::atomic::AtomicBool,
    /// How long to wait for a cache entry another process holds, in milliseconds.
    lock_timeout_ms: std::sync::atomic::AtomicU64,
    /// The wheels worth keeping from index pages; `None` keeps every file.
    filter: std::sync::OnceLock<Arc<PageFilter>>,
    /// Which sources the user declared private (see [`Client::set_private_sources`]).
    private: std::sync::OnceLock<PrivateSources>,
}

/// A wheel available on disk, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Where it is.
    pub path: PathBuf,
    /// Its sha256.
    pub sha256: String,
    /// Its size.
    pub size: u64,
    /// True when it came from the cache or a local folder without a download.
    pub reused: bool,
}

fn shared<K: std::hash::Hash + Eq + Clone, T>(
    map: &Mutex<HashMap<K, Shared<T>>>,
    key: &K,
) -> Shared<T> {
    let mut map = map
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(key.clone()).or_default().clone()
}

impl Client {
    /// A client over `http` with `options`, caching in `cache`.
    pub fn new(http: Http, options: ClientOptions, cache: Cache) -> Self {
        let permits = options.concurrency.max(1);
        cache.remove_stale_temps();
        Client {
            inner: Arc::new(Inner {
                http,
                options,
                cache,
                pages: Mutex::default(),
                metadata: Mutex::default(),
                wheels: Mutex::default(),
                find_links: OnceCell::new(),
                downloads: Semaphore::new(permits),
                ranges: Mutex::default(),
                notices: Mutex::default(),
                page_requests: std::sync::atomic::AtomicUsize::new(0),
                strict: std::sync::atomic::AtomicBool::new(false),
                lock_timeout_ms: std::sync::atomic::AtomicU64::new(
                    u64::try_from(crate::index::cache::DEFAULT_LOCK_TIMEOUT.as_millis())
                        .unwrap_or(u64::MAX),
                ),
                filter: std::sync::OnceLock::new(),
                private: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Keeps from index pages only the wheels some of these targets could use (the others are
    /// summarised, see [`PageFilter`]), and caches pages in that compact form. Set once,
    /// before the first page is read; later calls are ignored.
    pub fn set_page_filter(&self, targets: &[crate::target::Target]) {
        let _ = self
            .inner
            .filter
            .set(Arc::new(PageFilter::for_targets(targets)));
    }

    /// `--strict`: refuse (exit 4) a file for which the index gives no sha256, instead of
    /// warning and computing it.
    pub fn set_strict(&self, strict: bool) {
        self.inner
            .strict
            .store(strict, std::sync::atomic::Ordering::Relaxed);
    }

    /// How long to wait for a cache entry's lock held by another process
    /// (`NBWHEEL_LOCK_TIMEOUT`, see [`crate::index::cache::lock_timeout`]).
    pub fn set_lock_timeout(&self, timeout: std::time::Duration) {
        self.inner.lock_timeout_ms.store(
            u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// Takes the exclusive lock of a cache entry, waiting (with a message) while another
    /// process holds it, up to the lock timeout (then exit 5).
    async fn lock_entry(&self, key: &str) -> Result<crate::index::cache::EntryLock, IndexError> {
        let cache = &self.inner.cache;
        if let Some(lock) = cache.try_lock_entry(key)? {
            return Ok(lock);
        }
        let timeout = std::time::Duration::from_millis(
            self.inner
                .lock_timeout_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        tracing::warn!(
            "Waiting for lock on `{}` (another nbwheel process is writing this cache entry)",
            cache.lock_path(key).display()
        );
        let started = std::time::Instant::now();
        loop {
            if started.elapsed() >= timeout {
                return Err(IndexError::Io {
                    action: "Timed out waiting for the lock on",
                    path: cache.lock_path(key),
                    source: std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!(
                            "another process held it for more than {:.1} s (`NBWHEEL_LOCK_TIMEOUT`)",
                            timeout.as_secs_f64()
                        ),
                    ),
                });
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            if let Some(lock) = cache.try_lock_entry(key)? {
                return Ok(lock);
            }
        }
    }

    /// The configured indexes, in search order.
    pub fn indexes(&self) -> &[IndexUrl] {
        &self.inner.options.indexes
    }

    /// A readable name for an origin.
    pub fn origin_name(&self, origin: &Origin) -> String {
        match origin {
            Origin::Index(i) => self
                .inner
                .options
                .indexes
                .get(*i)
                .map_or_else(|| format!("index {i}"), |u| u.redacted().to_string()),
            Origin::FindLinks(i) => match self.inner.options.find_links.get(*i) {
                Some(FindLinks::Dir(p)) => p.display().to_string(),
                Some(FindLinks::Page(u)) => Redacted::new(u).to_string(),
                None => format!("find-links {i}"),
            },
            Origin::Direct => "direct reference".to_string(),
        }
    }

    /// How many index pages were requested over the network (for tests and `-v`).
    pub fn page_requests(&self) -> usize {
        self.inner
            .page_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The core metadata of a wheel: PEP 658 `.metadata` when the index serves it (hash
    /// checked), else METADATA read from the wheel itself.
    pub async fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>> {
        let cell = shared(&self.inner.metadata, &file.url);
        cell.get_or_init(|| async { self.fetch_metadata(file).await.map(Arc::new) })
            .await
            .clone()
    }

    async fn fetch_metadata(&self, file: &DistFile) -> Result<CoreMetadata, Arc<IndexError>> {
        let Some(wheel) = &file.wheel else {
            return Err(Arc::new(IndexError::Metadata {
                file: file.filename.clone(),
                reason: "not a wheel".into(),
            }));
        };
        let bytes = if let Some(hashes) = &file.core_metadata {
            self.fetch_core_metadata_file(file, hashes)
                .await
                .map_err(Arc::new)?
        } else {
            self.metadata_without_pep658(file, wheel).await?
        };
        let meta = metadata::parse_metadata(&bytes, &file.filename).map_err(Arc::new)?;
        metadata::check_matches(&meta, wheel).map_err(Arc::new)?;
        Ok(meta)
    }

    /// METADATA when the index serves no `.metadata` file: from the cache, else through range
    /// requests on the wheel's zip directory (remembered per host when the server does not
    /// honour them), else from the whole wheel, which is then in the cache for the download.
    async fn metadata_without_pep658(
        &self,
        file: &DistFile,
        wheel: &crate::wheel_name::WheelName,
    ) -> Result<Vec<u8>, Arc<IndexError>> {
        let local = file.url.scheme() == "file";
        let cache_path = self.inner.cache.metadata_path(&file.url);
        if !local && let Ok(bytes) = std::fs::read(&cache_path) {
            return Ok(bytes);
        }
        let host = file.url.host_str().unwrap_or_default().to_string();
        let try_ranges = !local
            && !self.inner.options.offline
            && self
                .inner
                .ranges
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&host)
                .copied()
                .unwrap_or(true);
        let mut bytes = None;
        if try_ranges {
            bytes = super::lazy::read_metadata(&self.inner.http, &file.url, wheel)
                .await
                .map_err(Arc::new)?;
            if bytes.is_none() {
                tracing::debug!(
                    "{host} does not serve byte ranges; reading metadata from whole wheels"
                );
                self.inner
                    .ranges
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(host, false);
            }
        }
        let bytes = if let Some(b) = bytes {
            b
        } else {
            let downloaded = self.download(file).await?;
            metadata::read_metadata_from_wheel(&downloaded.path, wheel).map_err(Arc::new)?
        };
        if !local {
            self.inner
                .cache
                .write(&cache_path, &bytes)
                .map_err(Arc::new)?;
        }
        Ok(bytes)
    }

    async fn fetch_core_metadata_file(
        &self,
        file: &DistFile,
        hashes: &super::Hashes,
    ) -> Result<Vec<u8>, IndexError> {
        let mut url = file.url.clone();
        url.set_fragment(None);
        let path = format!("{}.metadata", url.path());
        url.set_path(&path);
        let cache_path = self.inner.cache.metadata_path(&url);
        let check = |bytes: &[u8]| -> Result<(), IndexError> {
            if let Some(expected) = hashes.sha256() {
                let actual = crate::index::cache::sha256_hex(bytes);
                if actual != expected {
                    return Err(IndexError::HashMismatch {
                        what: format!("{}.metadata", file.filename),
                        url: Redacted::new(&url),
                        algorithm: "sha256".into(),
                        expected: expected.to_string(),
                        actual,
                    });
                }
            }
            Ok(())
        };
        if let Ok(bytes) = std::fs::read(&cache_path) {
            if check(&bytes).is_ok() {
                return Ok(bytes);
            }
            tracing::warn!(
                "Cached metadata of `{}` is corrupted; fetching it again",
                file.filename
            );
        }
        if self.inner.options.offline {
            return Err(IndexError::Offline {
                what: format!("The metadata of `{}`", file.filename),
            });
        }
        let response = self.inner.http.get_bytes(&url, &[]).await?;
        check(&response.body)?;
        self.inner.cache.write(&cache_path, &response.body)?;
        Ok(response.body)
    }

    /// Makes the wheel available on disk, verified against the index's hash: from the cache,
    /// a local folder, or a download. Concurrent calls for one file share one download.
    pub async fn download(&self, file: &DistFile) -> Result<Downloaded, Arc<IndexError>> {
        let cell = shared(&self.inner.wheels, &file.url);
        cell.get_or_init(|| async { self.fetch_wheel(file).await.map_err(Arc::new) })
            .await
            .clone()
    }

    async fn fetch_wheel(&self, file: &DistFile) -> Result<Downloaded, IndexError> {
        let what = file.wheel.as_ref().map_or_else(
            || file.filename.clone(),
            |w| format!("{}=={} ({})", w.name, w.version, file.filename),
        );
        let expected = verified_hash(&file.hashes);
        if file.url.scheme() == "file" {
            return local_wheel(file, expected, what);
        }
        let cache = &self.inner.cache;
        let sha = file.hashes.sha256();
        // The entry: content-addressed when the index gives a sha256, else keyed by URL.
        let (dest, key) = if let Some(sha) = sha {
            (cache.wheel_path(sha, &file.filename), sha.to_string())
        } else {
            let key = crate::index::cache::sha256_hex(file.url.as_str().as_bytes());
            (cache.unhashed_wheel_path(&file.url, &file.filename), key)
        };
        // Hashing a cached wheel is blocking work: off the runtime's threads, so the checks of
        // several wheels run on several cores.
        let lookup = || {
            let (client, file, dest) = (self.clone(), file.clone(), dest.clone());
            async move {
                tokio::task::spawn_blocking(move || {
                    cached_wheel(&client.inner.cache, &file, file.hashes.sha256(), &dest)
                })
                .await
                .unwrap_or(None)
            }
        };
        // Readers take no lock: entries appear atomically and are checked here.
        if let Some(Ok(hit)) = lookup().await {
            return Ok(hit);
        }
        if self.inner.options.offline {
            if lookup().await.is_some() {
                crate::index::cache::warn_corrupt(&file.filename);
            }
            return Err(IndexError::Offline {
                what: format!("`{}`", file.filename),
            });
        }
        if sha.is_none() && self.inner.strict.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(IndexError::MalformedPage {
                url: Redacted::text(&self.origin_name(&file.origin)),
                reason: format!(
                    "it lists `{}` without a sha256, and `--strict` refuses unhashed files",
                    file.filename
                ),
            });
        }
        let _permit = self
            .inner
            .downloads
            .acquire()
            .await
            .map_err(|e| IndexError::Network {
                url: Redacted::new(&file.url),
                attempts: 0,
                reason: e.to_string(),
            })?;
        // Writers lock the entry, then look again: another process may have written it while
        // this one waited, or found the same corruption.
        let _lock = self.lock_entry(&key).await?;
        match lookup().await {
            Some(Ok(hit)) => return Ok(hit),
            Some(Err(())) => {
                crate::index::cache::warn_corrupt(&file.filename);
                let _ = std::fs::remove_file(&dest);
            }
            None => {}
        }
        let temp = cache.temp_file()?;
        let result = self
            .inner
            .http
            .download_capped(&file.url, temp.path(), expected, &what, file.size)
            .await?;
        if sha.is_none() {
            tracing::warn!(
                "{} gave no sha256 for `{}`; computed sha256:{}",
                self.origin_name(&file.origin),
                file.filename,
                result.sha256
            );
        }
        if sha.is_none() {
            cache.record_unhashed(&dest, &result.sha256)?;
        }
        cache.persist(temp, &dest)?;
        Ok(Downloaded {
            path: dest,
            sha256: result.sha256,
            size: result.size,
            reused: false,
        })
    }

    /// A file of this name in a `--find-links` folder, as a `file://` URL.
    pub fn find_local(&self, filename: &str) -> Option<Url> {
        self.inner
            .options
            .find_links
            .iter()
            .find_map(|source| match source {
                FindLinks::Dir(dir) => {
                    let path = dir.join(filename);
                    if path.is_file() {
                        Url::from_file_path(path).ok()
                    } else {
                        None
                    }
                }
                FindLinks::Page(_) => None,
            })
    }

    /// Checks that the METADATA inside a downloaded wheel says what the metadata the resolver
    /// used said (PEP 658 `.metadata`, range requests or the wheel itself): the same `Name`,
    /// `Version` and `Requires-Dist` set. A difference means the index served inconsistent
    /// data, so the resolution cannot be trusted: [`IndexError::Metadata`] (exit 4). Cheap: the
    /// resolver's metadata is memoised and only the METADATA member is read from the wheel.
    pub async fn check_wheel_metadata(
        &self,
        file: &DistFile,
        downloaded: &Downloaded,
    ) -> Result<(), Arc<IndexError>> {
        let Some(wheel) = &file.wheel else {
            return Ok(());
        };
        let used = self.metadata(file).await?;
        let bytes =
            metadata::read_metadata_from_wheel(&downloaded.path, wheel).map_err(Arc::new)?;
        let inside = metadata::parse_metadata(&bytes, &file.filename).map_err(Arc::new)?;
        let requires = |m: &CoreMetadata| {
            let mut v: Vec<String> = m.requires_dist.iter().map(ToString::to_string).collect();
            v.sort();
            v
        };
        let mut differences = Vec::new();
        if used.name != inside.name {
            differences.push(format!("`Name` {} vs {}", used.name, inside.name));
        }
        if used.version != inside.version {
            differences.push(format!("`Version` {} vs {}", used.version, inside.version));
        }
        let (a, b) = (requires(&used), requires(&inside));
        if a != b {
            let only_index: Vec<&String> = a.iter().filter(|r| !b.contains(r)).collect();
            let only_wheel: Vec<&String> = b.iter().filter(|r| !a.contains(r)).collect();
            differences.push(format!(
                "`Requires-Dist` only in the index metadata: {only_index:?}, only in the wheel: {only_wheel:?}"
            ));
        }
        if differences.is_empty() {
            return Ok(());
        }
        Err(Arc::new(IndexError::Metadata {
            file: file.filename.clone(),
            reason: format!(
                "the metadata served by {} differs from the wheel's METADATA ({})",
                self.origin_name(&file.origin),
                differences.join("; ")
            ),
        }))
    }

    /// Bytes downloaded since the last call, by file name (see [`Http::drain_progress`]).
    pub fn drain_progress(&self) -> Vec<(String, u64)> {
        self.inner.http.drain_progress()
    }

    /// The cache this client writes to.
    pub fn cache(&self) -> &Cache {
        &self.inner.cache
    }

    /// The HTTP transport, for range reads of single wheel members ([`super::lazy`]).
    pub fn http(&self) -> &Http {
        &self.inner.http
    }
}

/// The hash a download is checked against: the index's sha256 when it gives one, else the
/// strongest other digest the transport can check (sha512, then sha384).
///
/// sha256 comes first although sha512 is stronger: the sha256 is computed for every file
/// anyway, it names the content-addressed cache entry the file is stored under, and it is the
/// digest the lock, `--hash` checks and `verify` compare, so checking it is what makes the
/// cache entry trustworthy. The others are checked only when the index lists no sha256.
fn verified_hash(hashes: &super::Hashes) -> Option<(&'static str, &str)> {
    ["sha256", "sha512", "sha384"]
        .into_iter()
        .find_map(|alg| hashes.0.get(alg).map(|v| (alg, v.as_str())))
}

/// A wheel of a `file:` URL (a `--find-links` folder or a `file:` index): used where it is,
/// after its sha256 is checked against the listed one.
fn local_wheel(
    file: &DistFile,
    expected: Option<(&str, &str)>,
    what: String,
) -> Result<Downloaded, IndexError> {
    let path = file
        .url
        .to_file_path()
        .map_err(|()| IndexError::MalformedPage {
            url: Redacted::new(&file.url),
            reason: "not a local path".into(),
        })?;
    let (sha256, size) = sha256_file(&path).map_err(|e| IndexError::Io {
        action: "Failed to read",
        path: path.clone(),
        source: e,
    })?;
    if let Some(("sha256", exp)) = expected
        && exp != sha256
    {
        return Err(IndexError::HashMismatch {
            what,
            url: Redacted::new(&file.url),
            algorithm: "sha256".into(),
            expected: exp.to_string(),
            actual: sha256,
        });
    }
    Ok(Downloaded {
        path,
        sha256,
        size,
        reused: true,
    })
}

/// The cache's entry for a wheel at `dest` (content-addressed by the index's `sha`, else keyed
/// by URL): `None` when absent, `Some(Err(()))` when present but corrupted.
fn cached_wheel(
    cache: &Cache,
    file: &DistFile,
    sha: Option<&str>,
    dest: &std::path::Path,
) -> Option<Result<Downloaded, ()>> {
    let Some(sha) = sha else {
        let Ok((sha256, size)) = cache.unhashed_entry(dest)? else {
            return Some(Err(()));
        };
        return Some(Ok(Downloaded {
            path: dest.to_path_buf(),
            sha256,
            size,
            reused: true,
        }));
    };
    match cache.wheel_entry(sha, &file.filename) {
        crate::index::cache::WheelEntry::Valid(path) => {
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            Some(Ok(Downloaded {
                path,
                sha256: sha.to_string(),
                size,
                reused: true,
            }))
        }
        crate::index::cache::WheelEntry::Corrupt(_) => Some(Err(())),
        crate::index::cache::WheelEntry::Missing => None,
    }
}
