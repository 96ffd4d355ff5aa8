//! Which wheels are `NetBox` plugins, and for which releases, without downloading them: the fast
//! verdict behind the `--netbox` gate and `nbwheel upgrade`.
//!
//! Input: index files ([`DistFile`]) and a [`Client`]. Output: the [`Plugin`]s each wheel
//! defines. A wheel's top-level `__init__.py` files are read through range requests (the zip's
//! central directory says where they are, [`crate::index::lazy::read_selected`]), so a plugin
//! version costs two or three small requests instead of a download. When the server does not
//! serve ranges, the wheel is downloaded (into the cache) and read whole; a wheel already in the
//! cache or in a local folder is read in place.
//!
//! The answer is remembered per wheel sha256 in the cache (`v1/netbox-plugins/XX/SHA.json`): the
//! same bytes define the same plugins. An entry is checked when read (size bound, shape, its own
//! sha256 and file name) and ignored when it does not check out.
//!
//! [`Probe::prune`] is the gate's step: for each chosen plugin version that refuses the target
//! release, it walks the plugin's older versions newest first, in concurrent batches (every
//! refusing plugin at once), and excludes every incompatible one down to the newest compatible
//! one, so one resolution round prunes what used to take one round per version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt as _;
use pep440_rs::Version;
use pep508_rs::PackageName;

use crate::commands::Error;
use crate::index::cache::Cache;
use crate::index::client::Client;
use crate::index::{DistFile, IndexError};
use crate::netbox::{Plugin, check_compatible, detect_plugins};
use crate::resolve::Resolution;
use crate::resolve::candidates::{VersionMap, relaxed_ranks};
use crate::target::Target;

/// How many wheels are probed at once (each probe is two or three small range requests).
const CONCURRENCY: usize = 32;
/// How many older versions of each refusing plugin one step of the walk probes: most plugins
/// that refuse a release need a few versions back, and a step costs one round of probes
/// whatever its size, up to [`CONCURRENCY`] files at once.
const WALK_STEP: usize = 12;
/// How many older versions of one plugin are looked at before giving up on finding a compatible one.
const MAX_WALK: usize = 200;
/// The largest verdict file read back from the cache.
const MAX_VERDICT_FILE: u64 = 1 << 20;

/// The plugin reader; cheap to share by reference across the rounds of one command.
pub struct Probe {
    client: Client,
    handle: tokio::runtime::Handle,
    memo: Mutex<HashMap<String, Arc<Vec<Plugin>>>>,
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
            client,
            handle,
            memo: Mutex::default(),
        }
    }

    /// The plugins of each file, in the same order, probed concurrently.
    pub fn plugins(&self, files: &[DistFile]) -> Result<Vec<Arc<Vec<Plugin>>>, Error> {
        let todo: Vec<&DistFile> = files
            .iter()
            .filter(|f| self.remembered(f).is_none())
            .collect();
        let found: Vec<(String, Arc<Vec<Plugin>>)> = self.handle.block_on(async {
            futures_util::stream::iter(todo)
                .map(|f| async move {
                    let plugins = probe_file(&self.client, f).await?;
                    Ok::<_, Arc<IndexError>>((memo_key(f), Arc::new(plugins)))
                })
                .buffer_unordered(CONCURRENCY)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
        })?;
        let mut memo = self
            .memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        memo.extend(found);
        Ok(files
            .iter()
            .map(|f| memo.get(&memo_key(f)).cloned().unwrap_or_default())
            .collect())
    }

    fn remembered(&self, file: &DistFile) -> Option<Arc<Vec<Plugin>>> {
        self.memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&memo_key(file))
            .cloned()
    }

    /// The versions of a project usable on `target` (a wheel for it, not yanked, not a
    /// pre-release), newest first, each with its best wheel.
    pub fn versions(
        &self,
        name: &PackageName,
        target: &Target,
    ) -> Result<Vec<(Version, DistFile)>, Error> {
        let Some(page) = self.handle.block_on(self.client.project(name))? else {
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
        excluded: &super::gate::Excluded,
    ) -> Result<super::gate::Excluded, Error> {
        let mut new = super::gate::Excluded::new();
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
                let older: Vec<(Version, DistFile)> = self
                    .versions(&p.name, &r.target)?
                    .into_iter()
                    .filter(|(v, _)| v < &p.version)
                    .take(MAX_WALK)
                    .collect();
                walks.push(Walk {
                    name: p.name.clone(),
                    older,
                    next: 0,
                    done: false,
                });
            }
        }
        self.walk_older(&mut walks, netbox, excluded, &mut new)?;
        for ((name, version), why) in &new {
            tracing::info!("Excluding `{name}` {version}: it {why}");
        }
        Ok(new)
    }

    /// Adds to `new` the older versions of each walk's plugin that refuse `netbox`, newest
    /// first, stopping at the first one that accepts it (or defines no plugin). Every plugin
    /// walks at once: each step probes the next few versions of every walk still going in one
    /// concurrent batch. The metadata of each newest compatible version found is fetched in the
    /// background, for the resolution that follows.
    fn walk_older(
        &self,
        walks: &mut [Walk],
        netbox: &Version,
        excluded: &super::gate::Excluded,
        new: &mut super::gate::Excluded,
    ) -> Result<(), Error> {
        loop {
            let batch: Vec<(usize, Version, DistFile)> = walks
                .iter()
                .enumerate()
                .filter(|(_, w)| !w.done)
                .flat_map(|(i, w)| {
                    w.older
                        .iter()
                        .skip(w.next)
                        .take(WALK_STEP)
                        .map(move |(v, f)| (i, v.clone(), f.clone()))
                })
                .collect();
            if batch.is_empty() {
                return Ok(());
            }
            let files: Vec<DistFile> = batch.iter().map(|(_, _, f)| f.clone()).collect();
            let found = self.plugins(&files)?;
            // A walk's versions are in the batch in its order, newest first.
            for ((i, version, file), plugins) in batch.into_iter().zip(found) {
                let walk = &mut walks[i];
                if walk.done {
                    continue;
                }
                walk.next += 1;
                match incompatibility(&plugins, netbox) {
                    None => {
                        walk.done = true;
                        let client = self.client.clone();
                        self.handle.spawn(async move {
                            let _ = client.metadata(&file).await;
                        });
                    }
                    Some(reason) => {
                        let key = (walk.name.clone(), version);
                        if !excluded.contains_key(&key) {
                            new.insert(key, reason);
                        }
                    }
                }
            }
            for walk in walks.iter_mut() {
                walk.done |= walk.next >= walk.older.len();
            }
        }
    }
}

/// One refusing plugin's older versions (newest first) and how far the walk got.
struct Walk {
    name: PackageName,
    older: Vec<(Version, DistFile)>,
    next: usize,
    done: bool,
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
    let mut plugins = local.and_then(|path| detect_plugins(&path, wheel).ok());
    if plugins.is_none() {
        plugins = by_ranges(client, file, wheel).await;
    }
    let plugins = if let Some(p) = plugins {
        p
    } else {
        let d = client.download(file).await?;
        detect_plugins(&d.path, wheel).unwrap_or_else(|e| {
            tracing::warn!("Plugin detection skipped `{}`: {e}", file.filename);
            Vec::new()
        })
    };
    if let Some(sha) = &sha256 {
        write_verdict(cache, sha, &file.filename, &plugins);
    }
    Ok(plugins)
}

/// The plugins read through range requests; `None` when that is not possible (any failure
/// here falls back to the download, which reports errors properly).
async fn by_ranges(
    client: &Client,
    file: &DistFile,
    wheel: &crate::wheel_name::WheelName,
) -> Option<Vec<Plugin>> {
    let mut packages: HashMap<String, String> = HashMap::new();
    let select = |names: &[String]| {
        crate::netbox::plugin_init_members(names)
            .into_iter()
            .map(|(package, member)| {
                packages.insert(member.clone(), package);
                member
            })
            .collect()
    };
    let read = crate::index::lazy::read_selected(
        client.http(),
        &file.url,
        select,
        crate::netbox::MAX_INIT,
    )
    .await
    .map_err(|e| tracing::debug!("Range read of `{}` failed: {e}", file.filename))
    .ok()??;
    let sources = read.into_iter().filter_map(|(member, bytes)| {
        let package = packages.get(&member)?.clone();
        Some((package, String::from_utf8_lossy(&bytes).into_owned()))
    });
    crate::netbox::plugins_from_sources(wheel, sources)
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
    fn init_members_come_from_the_names_alone() {
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
        let found = crate::netbox::plugin_init_members(&names);
        assert_eq!(
            found,
            vec![
                (
                    "acme/netbox_rack".to_string(),
                    "acme/netbox_rack/__init__.py".to_string()
                ),
                (
                    "netbox_dns".to_string(),
                    "netbox_dns/__init__.py".to_string()
                ),
                (
                    "other".to_string(),
                    "pkg-1.0.data/purelib/other/__init__.py".to_string()
                ),
            ]
        );
    }
}
