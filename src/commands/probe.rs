//! Which wheels are `NetBox` plugins, and for which releases, without downloading them: the fast
//! verdict behind the `--netbox` gate and `nbwheel upgrade`.
//!
//! Input: index files ([`DistFile`]) and a [`Client`]. Output: the [`Plugin`]s each wheel
//! defines. A wheel's top-level `__init__.py` files are read through range requests (the zip's
//! central directory says where they are, [`crate::index::lazy::RemoteZip`]), then, for up to
//! `MAX_READS` rounds, the package modules those files import their bounds from (a plugin that
//! takes `min_version` from its `version.py`); a plugin version costs two to four small
//! requests instead of a download, and a wheel the index lists as small (up to
//! `WHOLE_FILE`) one request for the whole file. When the server does not serve ranges, the
//! wheel is downloaded (into the cache) and read whole; a wheel already in the cache or in a
//! local folder is read in place.
//!
//! The answer is remembered per wheel sha256 in the cache (`v1/netbox-plugins/XX/SHA.json`): the
//! same bytes define the same plugins. An entry is checked when read (size bound, shape, its own
//! sha256 and file name) and ignored when it does not check out.
//!
//! [`Probe::prune`] is the gate's step: for each chosen plugin version that refuses the target
//! release, it walks the plugin's older versions newest first, in concurrent steps of growing
//! size (every refusing plugin at once), and excludes every incompatible one down to the newest
//! compatible one, so one resolution round prunes what used to take one round per version.
//! [`Probe::decided`] starts the same probes and walks while the resolver is still deciding;
//! every probe is asked for once and shared by whoever awaits it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt as _;
use futures_util::future::{BoxFuture, Shared, join_all};
use pep440_rs::Version;
use pep508_rs::PackageName;

use crate::commands::Error;
use crate::commands::gate::Excluded;
use crate::index::cache::Cache;
use crate::index::client::Client;
use crate::index::{DistFile, IndexError};
use crate::netbox::{Plugin, check_compatible, detect_plugins};
use crate::resolve::Resolution;
use crate::resolve::candidates::{VersionMap, relaxed_ranks};
use crate::target::Target;

/// How many wheels are probed at once (each probe is one to three small range requests).
const CONCURRENCY: usize = 32;
/// How many older versions of a refusing plugin the first step of a walk probes; each later
/// step probes twice as many as the one before, up to [`MAX_WALK_STEP`]. Most plugins that
/// refuse a release need a few versions back, some dozens (`netbox-plugin-dns` needs 34 for
/// NetBox 4.2): a step costs one round trip whatever its size, so steps grow.
const WALK_STEP: usize = 12;
/// The most versions one step of a walk probes.
const MAX_WALK_STEP: usize = 48;
/// How many older versions of one plugin are looked at before giving up on finding a compatible one.
const MAX_WALK: usize = 200;
/// Wheels up to this size (as the index lists it) are probed with one range request for the
/// whole file: a second round trip costs more than the extra bytes.
const WHOLE_FILE: u64 = 512 * 1024;
/// How many rounds of range requests one probe makes for a wheel's modules: `__init__.py`,
/// the module it imports the plugin from, the module that one takes its bounds from.
const MAX_READS: usize = 3;
/// The largest verdict file read back from the cache.
const MAX_VERDICT_FILE: u64 = 1 << 20;

/// A probe's outcome, shared by every caller waiting for it.
type Pending = Shared<BoxFuture<'static, Result<Arc<Vec<Plugin>>, Arc<IndexError>>>>;

/// The plugin reader; cheap to clone, and shared by the rounds of one command and by the
/// probes started while the resolver decides ([`Probe::decided`]).
#[derive(Clone)]
pub struct Probe {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    handle: tokio::runtime::Handle,
    /// Every probe asked for, by wheel sha256 (else URL): started once, awaited by all.
    memo: Mutex<HashMap<String, Pending>>,
    /// Bounds the probes in flight.
    permits: Arc<tokio::sync::Semaphore>,
    /// The refusing plugin versions whose older releases are already being walked.
    walking: Mutex<HashSet<(PackageName, Version)>>,
}

/// What is stored per wheel sha256.
#[derive(serde::Serialize, serde::Deserialize)]
struct Verdict {
    sha256: String,
    filename: String,
    plugins: Vec<Plugin>,
}

impl Probe {
    /// A probe over `client`; `handle` is a multi-threaded runtime not running on this thread.
    pub fn new(client: Client, handle: tokio::runtime::Handle) -> Self {
        Probe {
            inner: Arc::new(Inner {
                client,
                handle,
                memo: Mutex::default(),
                permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENCY)),
                walking: Mutex::default(),
            }),
        }
    }

    /// The plugins of each file, in the same order, probed concurrently.
    pub fn plugins(&self, files: &[DistFile]) -> Result<Vec<Arc<Vec<Plugin>>>, Error> {
        let pending: Vec<Pending> = files.iter().map(|f| self.pending(f)).collect();
        let found = self.inner.handle.block_on(join_all(pending));
        Ok(found.into_iter().collect::<Result<Vec<_>, _>>()?)
    }

    /// The probe of `file`: the one already asked for, or a new one (which runs while it is
    /// awaited).
    fn pending(&self, file: &DistFile) -> Pending {
        let mut memo = self
            .inner
            .memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        memo.entry(memo_key(file))
            .or_insert_with(|| {
                let (client, file) = (self.inner.client.clone(), file.clone());
                let permits = Arc::clone(&self.inner.permits);
                async move {
                    let _permit = permits.acquire_owned().await.ok();
                    probe_file(&client, &file).await.map(Arc::new)
                }
                .boxed()
                .shared()
            })
            .clone()
    }

    /// The resolver has decided on `file` for `target`: its probe starts now, and when it
    /// refuses `netbox`, so does the walk down its plugin's older releases (see
    /// [`Probe::prune`]), in the background. The gate's step after the resolution then finds
    /// most verdicts ready instead of starting them. Never blocks.
    pub fn decided(&self, file: &DistFile, target: &Target, netbox: &Version) {
        let Some(wheel) = &file.wheel else {
            return;
        };
        let (probe, pending) = (self.clone(), self.pending(file));
        let (name, version) = (wheel.name.clone(), wheel.version.clone());
        let (target, netbox) = (target.clone(), netbox.clone());
        self.inner.handle.spawn(async move {
            let Ok(plugins) = pending.await else {
                return;
            };
            let Some(reason) = incompatibility(&plugins, &netbox) else {
                return;
            };
            let fresh = probe
                .inner
                .walking
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert((name.clone(), version.clone()));
            if fresh {
                tracing::debug!(
                    "`{name}` {version} {reason}: probing its older releases during the resolution"
                );
                // Errors are reported by the gate's own walk, which awaits the same probes.
                let _ = probe.walk(&name, &version, &target, &netbox).await;
            }
        });
    }

    /// The versions of a project usable on `target` (a wheel for it, not yanked, not a
    /// pre-release), newest first, each with its best wheel.
    pub fn versions(
        &self,
        name: &PackageName,
        target: &Target,
    ) -> Result<Vec<(Version, DistFile)>, Error> {
        Ok(self.inner.handle.block_on(self.versions_of(name, target))?)
    }

    async fn versions_of(
        &self,
        name: &PackageName,
        target: &Target,
    ) -> Result<Vec<(Version, DistFile)>, Arc<IndexError>> {
        let Some(page) = self.inner.client.project(name).await? else {
            return Ok(Vec::new());
        };
        let map = VersionMap::new(&page, target, &target.tag_ranks(), &relaxed_ranks(target));
        Ok(map
            .versions
            .into_iter()
            .rev()
            .filter(|(v, e)| !e.yanked && !v.any_prerelease())
            .filter_map(|(v, e)| Some((v, *e.best.ok()?)))
            .collect())
    }

    /// The gate's step: the plugin versions of `resolutions` that refuse `netbox`, and for each
    /// such plugin every older incompatible version down to the newest compatible one, with
    /// the reason; versions already in `excluded` are left out.
    pub fn prune(
        &self,
        resolutions: &[Resolution],
        netbox: &Version,
        excluded: &Excluded,
    ) -> Result<Excluded, Error> {
        let mut new = Excluded::new();
        let mut walks = Vec::new();
        for r in resolutions {
            let files: Vec<DistFile> = r.packages.iter().map(|p| p.file.clone()).collect();
            let found = self.plugins(&files)?;
            for (p, plugins) in r.packages.iter().zip(found) {
                let Some(reason) = incompatibility(&plugins, netbox) else {
                    continue;
                };
                let key = (p.name.clone(), p.version.clone());
                if excluded.contains_key(&key) || new.contains_key(&key) {
                    continue;
                }
                new.insert(key, reason);
                walks.push((p.name.clone(), p.version.clone(), r.target.clone()));
            }
        }
        // Every refusing plugin walks at once; most probes were started by `decided`.
        let walked = self.inner.handle.block_on(join_all(
            walks
                .iter()
                .map(|(name, version, target)| self.walk(name, version, target, netbox)),
        ));
        for ((name, _, _), refused) in walks.iter().zip(walked) {
            for (version, reason) in refused? {
                let key = (name.clone(), version);
                if !excluded.contains_key(&key) {
                    new.insert(key, reason);
                }
            }
        }
        for ((name, version), why) in &new {
            tracing::info!("Excluding `{name}` {version}: it {why}");
        }
        Ok(new)
    }

    /// The releases of `name` older than `from` that refuse `netbox`, newest first, with the
    /// reason, down to the first one that accepts it (or defines no plugin). Each step probes
    /// the next few releases concurrently ([`WALK_STEP`], growing); the metadata of the newest
    /// compatible release is fetched in the background, for the resolution that follows.
    async fn walk(
        &self,
        name: &PackageName,
        from: &Version,
        target: &Target,
        netbox: &Version,
    ) -> Result<Vec<(Version, String)>, Arc<IndexError>> {
        let older: Vec<(Version, DistFile)> = self
            .versions_of(name, target)
            .await?
            .into_iter()
            .filter(|(v, _)| v < from)
            .take(MAX_WALK)
            .collect();
        let mut refused = Vec::new();
        for chunk in chunks_growing(&older, WALK_STEP) {
            let found = join_all(chunk.iter().map(|(_, f)| self.pending(f))).await;
            for ((version, file), plugins) in chunk.iter().zip(found) {
                match incompatibility(&plugins?, netbox) {
                    None => {
                        let (client, file) = (self.inner.client.clone(), file.clone());
                        self.inner.handle.spawn(async move {
                            let _ = client.metadata(&file).await;
                        });
                        return Ok(refused);
                    }
                    Some(reason) => refused.push((version.clone(), reason)),
                }
            }
        }
        Ok(refused)
    }
}

/// `items` cut into consecutive chunks, the first of `first` items, each next one twice as
/// long up to [`MAX_WALK_STEP`].
fn chunks_growing<T>(items: &[T], first: usize) -> impl Iterator<Item = &[T]> {
    let (mut rest, mut step) = (items, first.max(1));
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (chunk, tail) = rest.split_at(step.min(rest.len()));
        rest = tail;
        step = (step * 2).min(MAX_WALK_STEP);
        Some(chunk)
    })
}

/// Why a wheel's plugins refuse `netbox`, or `None` when they accept it (or it has none).
pub fn incompatibility(plugins: &[Plugin], netbox: &Version) -> Option<String> {
    plugins
        .iter()
        .find_map(|p| check_compatible(p, netbox).err())
}

fn memo_key(file: &DistFile) -> String {
    file.hashes
        .sha256()
        .map_or_else(|| file.url.to_string(), str::to_string)
}

/// The plugins of one wheel: remembered, read in place, read by range requests, or downloaded.
async fn probe_file(client: &Client, file: &DistFile) -> Result<Vec<Plugin>, Arc<IndexError>> {
    let Some(wheel) = &file.wheel else {
        return Ok(Vec::new());
    };
    let sha256 = file.hashes.sha256().map(str::to_ascii_lowercase);
    let cache = client.cache();
    if let Some(sha) = &sha256
        && let Some(plugins) = read_verdict(cache, sha, &file.filename)
    {
        return Ok(plugins);
    }
    let local = match (&sha256, file.url.scheme()) {
        (_, "file") => file.url.to_file_path().ok(),
        (Some(sha), _) => Some(cache.wheel_path(sha, &file.filename)).filter(|p| p.is_file()),
        _ => None,
    };
    let started = std::time::Instant::now();
    let mut how = "in the cache";
    let mut plugins = local.and_then(|path| detect_plugins(&path, wheel).ok());
    if plugins.is_none() {
        how = "by range requests";
        plugins = by_ranges(client, file, wheel).await;
    }
    let plugins = if let Some(p) = plugins {
        p
    } else {
        how = "downloaded";
        let d = client.download(file).await?;
        detect_plugins(&d.path, wheel).unwrap_or_else(|e| {
            tracing::warn!("Plugin detection skipped `{}`: {e}", file.filename);
            Vec::new()
        })
    };
    tracing::debug!(
        "Probed `{}` {how} in {} ms: {} plugin(s)",
        file.filename,
        started.elapsed().as_millis(),
        plugins.len()
    );
    if let Some(sha) = &sha256 {
        write_verdict(cache, sha, &file.filename, &plugins);
    }
    Ok(plugins)
}

/// The plugins read through range requests; `None` when that is not possible (any failure
/// here falls back to the download, which reports errors properly). Each package's
/// `__init__.py` is read first; when a plugin's class or bounds come from another module of
/// the wheel (`from .version import __version__`), that module is read next, as the reading
/// of a downloaded wheel would (at most [`MAX_READS`] rounds).
async fn by_ranges(
    client: &Client,
    file: &DistFile,
    wheel: &crate::wheel_name::WheelName,
) -> Option<Vec<Plugin>> {
    let failed = |e: IndexError| tracing::debug!("Range read of `{}` failed: {e}", file.filename);
    // A small wheel is asked for whole: one request instead of two or three.
    let tail = file.size.filter(|size| *size <= WHOLE_FILE).unwrap_or(0);
    let zip = crate::index::lazy::RemoteZip::open(client.http(), &file.url, tail)
        .await
        .map_err(failed)
        .ok()??;
    let modules = crate::netbox::Modules::from_names(&zip.names());
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut wanted: Vec<String> = modules
        .packages
        .iter()
        .map(|p| format!("{p}/__init__.py"))
        .collect();
    for _ in 0..MAX_READS {
        let members: Vec<String> = wanted
            .iter()
            .map(|path| modules.members.get(path).cloned())
            .collect::<Option<_>>()?;
        let read = zip
            .read(&members, crate::netbox::MAX_INIT)
            .await
            .map_err(failed)
            .ok()??;
        for (path, bytes) in wanted.drain(..).zip(read) {
            sources.insert(path, String::from_utf8_lossy(&bytes).into_owned());
        }
        let mut missing = std::collections::BTreeSet::new();
        let plugins = crate::netbox::plugins_of_packages(&modules, wheel, &mut |path| {
            let source = sources.get(path).cloned();
            if source.is_none() {
                missing.insert(path.to_string());
            }
            source
        });
        if missing.is_empty() {
            return Some(plugins);
        }
        wanted = missing.into_iter().collect();
    }
    None
}

fn verdict_path(cache: &Cache, sha256: &str) -> std::path::PathBuf {
    cache
        .root()
        .join("v1")
        .join("netbox-plugins")
        .join(sha256.get(..2).unwrap_or("xx"))
        .join(format!("{sha256}.json"))
}

/// A remembered verdict, when its file checks out.
fn read_verdict(cache: &Cache, sha256: &str, filename: &str) -> Option<Vec<Plugin>> {
    use std::io::Read as _;
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let file = std::fs::File::open(verdict_path(cache, sha256)).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_VERDICT_FILE + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_VERDICT_FILE {
        return None;
    }
    let verdict: Verdict = serde_json::from_slice(&bytes).ok()?;
    (verdict.sha256 == sha256 && verdict.filename == filename).then_some(verdict.plugins)
}

fn write_verdict(cache: &Cache, sha256: &str, filename: &str, plugins: &[Plugin]) {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return;
    }
    let verdict = Verdict {
        sha256: sha256.to_string(),
        filename: filename.to_string(),
        plugins: plugins.to_vec(),
    };
    if let Ok(bytes) = serde_json::to_vec(&verdict)
        && let Err(e) = cache.write(&verdict_path(cache, sha256), &bytes)
    {
        tracing::debug!("Cannot remember the plugins of `{filename}`: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin() -> Plugin {
        Plugin {
            module: "netbox_dns".into(),
            package: "netbox-plugin-dns".into(),
            package_version: "1.1.0".into(),
            name: Some("netbox_dns".into()),
            version: Some("1.1.0".into()),
            min_version: Some("4.3.0".into()),
            max_version: Some("4.3.99".into()),
            required_settings: Some(Vec::new()),
            default_settings: Some(serde_json::json!({})),
            dynamic: Vec::new(),
        }
    }

    #[test]
    fn verdicts_are_read_back_only_when_they_check_out() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        let sha = "ab".repeat(32);
        let file = "netbox_plugin_dns-1.1.0-py3-none-any.whl";
        write_verdict(&cache, &sha, file, &[plugin()]);
        assert_eq!(read_verdict(&cache, &sha, file), Some(vec![plugin()]));
        // Another file name, another hash, a damaged or oversized entry: ignored.
        assert_eq!(
            read_verdict(&cache, &sha, "other-1.0-py3-none-any.whl"),
            None
        );
        assert_eq!(read_verdict(&cache, &"cd".repeat(32), file), None);
        std::fs::write(verdict_path(&cache, &sha), b"{\"sha256\": 1").unwrap();
        assert_eq!(read_verdict(&cache, &sha, file), None);
        let other = "cd".repeat(32);
        let path = verdict_path(&cache, &other);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, vec![b' '; 2 << 20]).unwrap();
        assert_eq!(read_verdict(&cache, &other, file), None);
        // A key that is not a sha256 never becomes a path.
        write_verdict(&cache, "../../x", file, &[plugin()]);
        assert_eq!(read_verdict(&cache, "../../x", file), None);
    }

    #[test]
    fn refusal_names_the_plugin_and_the_range() {
        let v = |s: &str| s.parse::<Version>().unwrap();
        assert_eq!(incompatibility(&[plugin()], &v("4.3.2")), None);
        let why = incompatibility(&[plugin()], &v("4.2.3")).unwrap();
        assert!(
            why.contains("`netbox_dns` for NetBox 4.3.0 to 4.3.99"),
            "{why}"
        );
        assert_eq!(incompatibility(&[], &v("4.2.3")), None);
    }

    #[test]
    fn walk_steps_double_up_to_the_cap() {
        let items: Vec<usize> = (0..200).collect();
        let lens: Vec<usize> = chunks_growing(&items, WALK_STEP)
            .map(<[usize]>::len)
            .collect();
        assert_eq!(lens, [12, 24, 48, 48, 48, 20]);
        let firsts: Vec<usize> = chunks_growing(&items, WALK_STEP).map(|c| c[0]).collect();
        assert_eq!(firsts, [0, 12, 36, 84, 132, 180]);
        assert_eq!(chunks_growing(&items[..5], WALK_STEP).count(), 1);
        assert_eq!(chunks_growing(&items[..0], WALK_STEP).count(), 0);
    }

    #[test]
    fn packages_come_from_the_names_alone() {
        let names: Vec<String> = [
            "netbox_dns/__init__.py",
            "netbox_dns/models/__init__.py",
            "acme/netbox_rack/__init__.py",
            "pkg-1.0.data/purelib/other/__init__.py",
            "netbox_dns-1.0.dist-info/RECORD",
            "top.py",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let modules = crate::netbox::Modules::from_names(&names);
        assert_eq!(
            modules.packages,
            ["acme/netbox_rack", "netbox_dns", "other"]
        );
        assert_eq!(
            modules.members.get("other/__init__.py").map(String::as_str),
            Some("pkg-1.0.data/purelib/other/__init__.py")
        );
        // Top-level modules cannot hold a plugin package; `.dist-info` is not installed code.
        assert!(!modules.members.contains_key("top.py"));
        assert!(!modules.members.keys().any(|k| k.contains("dist-info")));
    }
}
