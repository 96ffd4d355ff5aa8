//! `--allow-sdist`: building a project's source distribution when no wheel of it fits the
//! target, and accepting the result only when it is pure.
//!
//! Input: the resolver's request for the metadata of an sdist (the resolver offers an sdist as
//! a candidate only for the projects `--allow-sdist` names), the index client and the PEP 517
//! frontend choice of `--build-frontend`. Output: the built wheel's metadata for the resolver,
//! and after resolution ([`SdistSource::substitute`]) each chosen sdist replaced by the wheel
//! built from it, with `built_from` set so the lock records the sdist.
//!
//! Steps, each once per sdist (memoised): download the sdist through the index client (its
//! index hash checked, like a wheel); look in the cache (`<cache>/sdist-builds/<sdist sha256>/`,
//! validated when read: one wheel of the sdist's project and version whose sha256 matches the
//! recorded one); else unpack the sdist into a fresh temp folder (no links, no paths outside it,
//! bounded size) and build it with the frontend found as for local projects
//! ([`crate::commands::local_build`]), in the frontend's build isolation, with
//! `SOURCE_DATE_EPOCH` set and the frontend's index pointed at ours. The wheel is accepted only
//! if the target's tag list accepts it (`py3-none-any`, or tags the target accepts exactly);
//! otherwise the run fails with exit 1 naming the project and the wheel it produced.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use pep508_rs::PackageName;
use url::Url;

use crate::cli::BuildFrontend;
use crate::exit::ExitCode;
use crate::index::client::Client;
use crate::index::metadata::CoreMetadata;
use crate::index::{DistFile, Hashes, IndexError, ProjectPage};
use crate::resolve::{BlockingSource, Follow, Pick, Resolution, Source};
use crate::target::Target;
use crate::wheel_name::WheelName;

/// The most bytes an sdist may unpack to.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;
/// The most entries an sdist may hold.
const MAX_ENTRIES: usize = 50_000;
/// `SOURCE_DATE_EPOCH` when the index gives no upload time: 1980-01-01, the zip epoch.
const DEFAULT_EPOCH: i64 = 315_532_800;

/// Why an sdist could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SdistError {
    /// Downloading the sdist failed (or its hash did not match).
    #[error("Failed to download the sdist of `{project}`")]
    Download {
        /// `name==version`.
        project: String,
        /// The cause.
        #[source]
        source: Arc<IndexError>,
    },
    /// The sdist is not an archive nbwheel unpacks safely.
    #[error("Cannot unpack the sdist `{sdist}`: {reason}")]
    Unpack {
        /// The file name.
        sdist: String,
        /// What is wrong.
        reason: String,
    },
    /// The frontend failed or produced nothing usable.
    #[error("Building the sdist `{sdist}` failed")]
    Build {
        /// The file name.
        sdist: String,
        /// The cause.
        #[source]
        source: crate::commands::local_build::LocalBuildError,
    },
    /// The built wheel is another project or version than the sdist.
    #[error("The sdist `{sdist}` built `{wheel}`, which is not the same project and version")]
    Mismatch {
        /// The sdist file name.
        sdist: String,
        /// The wheel file name.
        wheel: String,
    },
    /// The built wheel is not pure and does not fit the target.
    #[error(
        "`{project}` has no wheel for {target}, and its sdist built `{wheel}`, which is not pure Python and does not run there"
    )]
    NotPure {
        /// `name==version`.
        project: String,
        /// The wheel built.
        wheel: String,
        /// The target.
        target: String,
    },
    /// A cache or temp folder operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl SdistError {
    /// The documented exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Download { source, .. } => source.exit_code(),
            Self::Build { source, .. } => match source.exit_code() {
                ExitCode::Usage => ExitCode::Environment,
                other => other,
            },
            Self::Unpack { .. } | Self::Mismatch { .. } | Self::NotPure { .. } => {
                ExitCode::NoSolution
            }
            Self::Io { .. } => ExitCode::Environment,
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Download { source, .. } => source.hint(),
            Self::Build { source, .. } => source.hint(),
            Self::Unpack { .. } | Self::Mismatch { .. } => Some(
                "Drop the project from `--allow-sdist` and ask its maintainers for a wheel."
                    .into(),
            ),
            Self::NotPure { .. } => Some(
                "It has compiled code: build it on the target's architecture in a `quay.io/pypa/manylinux_2_28_<arch>` container (then `auditwheel repair`) and pass the folder with `--find-links`, or ask its maintainers for a wheel.".into(),
            ),
            Self::Io { .. } => Some("Check that the cache folder is writable.".into()),
        }
    }
}

/// A wheel built from an sdist.
#[derive(Debug, Clone)]
struct Built {
    /// The wheel, as a local file of the cache.
    wheel: DistFile,
    /// Its metadata.
    meta: Arc<CoreMetadata>,
    /// The sdist's sha256, as downloaded.
    sdist_sha256: String,
}

/// A [`Source`] that serves published files from the index and builds an sdist when the
/// resolver asks for its metadata.
pub struct SdistSource {
    inner: BlockingSource,
    client: Client,
    handle: tokio::runtime::Handle,
    frontend: Option<BuildFrontend>,
    index_url: Option<String>,
    target: Mutex<Option<Target>>,
    built: Mutex<HashMap<Url, Result<Built, Arc<SdistError>>>>,
    failure: Mutex<Option<Arc<SdistError>>>,
    on_decided: Option<DecisionHook>,
}

/// Told of every file the resolver decides on, and of the file each prefetch of a requested
/// project picks (the one it will likely decide on), with the target of the resolution (the
/// `--netbox` gate starts its probes there). Must not block; may hear of a file twice.
pub type DecisionHook = Arc<dyn Fn(&DistFile, &Target) + Send + Sync>;

impl SdistSource {
    /// Wraps the client; `index_url` is handed to the frontend for build requirements.
    pub fn new(
        client: Client,
        handle: tokio::runtime::Handle,
        frontend: Option<BuildFrontend>,
        index_url: Option<String>,
    ) -> Self {
        SdistSource {
            inner: BlockingSource::new(client.clone(), handle.clone()),
            client,
            handle,
            frontend,
            index_url,
            target: Mutex::new(None),
            built: Mutex::new(HashMap::new()),
            failure: Mutex::new(None),
            on_decided: None,
        }
    }

    /// Calls `hook` on every decision, after [`Source::decided`]'s own work.
    #[must_use]
    pub fn on_decided(mut self, hook: Option<DecisionHook>) -> Self {
        self.on_decided = hook;
        self
    }

    /// [`BlockingSource::fetching_decided`]: wheels the resolver decides on start downloading.
    #[must_use]
    pub fn fetching_decided(mut self) -> Self {
        self.inner = self.inner.fetching_decided();
        self
    }

    /// Sets the target the next resolution is for (built wheels are checked against it).
    pub fn set_target(&self, target: &Target) {
        if let Ok(mut t) = self.target.lock() {
            *t = Some(target.clone());
        }
    }

    /// The sdist failure that stopped the last resolution, if one did.
    pub fn take_failure(&self) -> Option<Arc<SdistError>> {
        self.failure.lock().ok().and_then(|mut f| f.take())
    }

    /// Replaces every chosen sdist of `resolution` by the wheel built from it.
    pub fn substitute(&self, resolution: &mut Resolution) {
        let Ok(built) = self.built.lock() else {
            return;
        };
        for p in &mut resolution.packages {
            if p.file.wheel.is_some() {
                continue;
            }
            if let Some(Ok(b)) = built.get(&p.file.url) {
                let mut sdist = std::mem::replace(&mut p.file, b.wheel.clone());
                sdist
                    .hashes
                    .0
                    .insert("sha256".into(), b.sdist_sha256.clone());
                p.built_from = Some(sdist);
            }
        }
    }

    fn fail(&self, error: Arc<SdistError>, file: &DistFile) -> Arc<IndexError> {
        let reason = error.to_string();
        if let Ok(mut f) = self.failure.lock() {
            f.get_or_insert(error);
        }
        Arc::new(IndexError::Metadata {
            file: file.filename.clone(),
            reason,
        })
    }

    fn built(&self, file: &DistFile) -> Result<Built, Arc<SdistError>> {
        if let Some(hit) = self
            .built
            .lock()
            .ok()
            .and_then(|b| b.get(&file.url).cloned())
        {
            return hit;
        }
        let result = self.build(file).map_err(Arc::new);
        if let Ok(mut b) = self.built.lock() {
            b.insert(file.url.clone(), result.clone());
        }
        result
    }

    fn build(&self, file: &DistFile) -> Result<Built, SdistError> {
        let project = file.filename.clone();
        let downloaded = self
            .handle
            .block_on(self.client.download(file))
            .map_err(|source| SdistError::Download {
                project: project.clone(),
                source,
            })?;
        let dir = self
            .client
            .cache()
            .root()
            .join("sdist-builds")
            .join(&downloaded.sha256);
        if let Some(hit) = read_cached(&dir, file, &downloaded.sha256) {
            return Ok(hit);
        }
        let work = tempfile::Builder::new()
            .prefix("nbwheel-sdist-")
            .tempdir()
            .map_err(|source| SdistError::Io {
                action: "Failed to create a temp folder in",
                path: std::env::temp_dir(),
                source,
            })?;
        let src = work.path().join("src");
        let project_dir = unpack(&downloaded.path, &file.filename, &src)?;
        let out = work.path().join("out");
        std::fs::create_dir(&out).map_err(|source| SdistError::Io {
            action: "Failed to create",
            path: out.clone(),
            source,
        })?;
        let epoch = file
            .upload_time
            .map_or(DEFAULT_EPOCH, jiff::Timestamp::as_second);
        let mut env = vec![
            ("SOURCE_DATE_EPOCH".to_string(), epoch.to_string()),
            ("PIP_NO_INPUT".to_string(), "1".to_string()),
        ];
        if let Some(url) = &self.index_url {
            env.push(("PIP_INDEX_URL".into(), url.clone()));
            env.push(("UV_DEFAULT_INDEX".into(), url.clone()));
        }
        let wheel_name =
            crate::commands::local_build::build_one_env(&project_dir, self.frontend, &out, &env)
                .map_err(|source| SdistError::Build {
                    sdist: file.filename.clone(),
                    source,
                })?;
        store(&dir, &out.join(&wheel_name), &wheel_name)?;
        read_cached(&dir, file, &downloaded.sha256).ok_or_else(|| SdistError::Mismatch {
            sdist: file.filename.clone(),
            wheel: wheel_name,
        })
    }
}

impl Source for SdistSource {
    fn project(&self, name: &PackageName) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>> {
        self.inner.project(name)
    }

    fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>> {
        if file.wheel.is_some() {
            return self.inner.metadata(file);
        }
        let built = self.built(file).map_err(|e| self.fail(e, file))?;
        let target = self.target.lock().ok().and_then(|t| t.clone());
        if let (Some(target), Some(name)) = (target, &built.wheel.wheel)
            && target.tag_ranks().rank(name).is_none()
        {
            let error = Arc::new(SdistError::NotPure {
                project: format!("{}=={}", built.meta.name, built.meta.version),
                wheel: built.wheel.filename.clone(),
                target: target.to_string(),
            });
            return Err(self.fail(error, file));
        }
        Ok(built.meta)
    }

    fn prefetch(&self, name: &PackageName, pick: Pick, follow: Option<Follow>) {
        // The file a prefetch picks is the one the resolver will most likely decide on: the
        // hook hears of it as soon as its page is there, without waiting for the resolver to
        // get to it (it may wait for other pages first). A pick not taken after all costs the
        // hook's work and nothing else.
        let target = self.target.lock().ok().and_then(|t| t.clone());
        let pick = match (&self.on_decided, target) {
            (Some(hook), Some(target)) => {
                let hook = Arc::clone(hook);
                Box::new(move |page: &crate::index::ProjectPage| {
                    let file = pick(page);
                    if let Some(file) = &file {
                        hook(file, &target);
                    }
                    file
                }) as Pick
            }
            _ => pick,
        };
        self.inner.prefetch(name, pick, follow);
    }

    fn decided(&self, file: &DistFile) {
        self.inner.decided(file);
        if let Some(hook) = &self.on_decided
            && let Ok(target) = self.target.lock()
            && let Some(target) = target.as_ref()
        {
            hook(file, target);
        }
    }
}

/// The wheel cached for an sdist, when the entry is whole: one wheel of the sdist's project
/// and version, whose sha256 is the one recorded beside it, with readable metadata.
fn read_cached(dir: &Path, sdist: &DistFile, sdist_sha256: &str) -> Option<Built> {
    let entries = std::fs::read_dir(dir).ok()?;
    let wheels: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("whl"))
        })
        .collect();
    let [filename] = wheels.as_slice() else {
        return None;
    };
    let name: WheelName = filename.parse().ok()?;
    let (project, version) = sdist_name_version(&sdist.filename)?;
    if name.name != project || name.version != version {
        return None;
    }
    let path = dir.join(filename);
    let recorded = std::fs::read_to_string(dir.join(format!("{filename}.sha256"))).ok()?;
    let (sha256, size) = sha256_of(&path).ok()?;
    if recorded.trim() != sha256 {
        tracing::warn!(
            "the cached wheel `{filename}` does not match its recorded sha256; rebuilding"
        );
        return None;
    }
    let bytes = crate::index::metadata::read_metadata_from_wheel(&path, &name).ok()?;
    let meta = crate::index::metadata::parse_metadata(&bytes, filename).ok()?;
    let url = Url::from_file_path(&path).ok()?;
    let mut hashes = Hashes::default();
    hashes.0.insert("sha256".into(), sha256);
    Some(Built {
        wheel: DistFile {
            filename: filename.clone(),
            wheel: Some(name),
            url,
            hashes,
            requires_python: meta.requires_python.clone(),
            yanked: None,
            core_metadata: None,
            upload_time: None,
            size: Some(size),
            origin: sdist.origin,
        },
        meta: Arc::new(meta),
        sdist_sha256: sdist_sha256.to_string(),
    })
}

/// Moves a built wheel into the cache entry `dir`, with its sha256 beside it; the entry
/// appears whole (written in a temp folder next to it, then renamed).
fn store(dir: &Path, wheel: &Path, filename: &str) -> Result<(), SdistError> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| SdistError::Io {
            action,
            path,
            source,
        }
    };
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(io("Failed to create", parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempdir_in(parent)
        .map_err(io("Failed to create a temp folder in", parent))?;
    let copy = staging.path().join(filename);
    std::fs::copy(wheel, &copy).map_err(io("Failed to write", &copy))?;
    let (sha256, _) = sha256_of(&copy).map_err(io("Failed to read", &copy))?;
    let record = staging.path().join(format!("{filename}.sha256"));
    std::fs::write(&record, sha256).map_err(io("Failed to write", &record))?;
    if dir.exists() {
        // A stale or broken entry: replace it.
        std::fs::remove_dir_all(dir).map_err(io("Failed to remove", dir))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|source| {
        let _ = std::fs::remove_dir_all(&staged);
        SdistError::Io {
            action: "Failed to write",
            path: dir.to_path_buf(),
            source,
        }
    })
}

fn sha256_of(path: &Path) -> std::io::Result<(String, u64)> {
    use sha2::Digest;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// The project and version of an sdist file name `{name}-{version}.tar.gz` (or `.zip`, `.tgz`):
/// the formats `--allow-sdist` unpacks, a subset of [`crate::wheel_name::SDIST_SUFFIXES`].
fn sdist_name_version(filename: &str) -> Option<(PackageName, pep440_rs::Version)> {
    let lower = filename.to_ascii_lowercase();
    let stem_len = [".tar.gz", ".zip", ".tgz"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map(|ext| filename.len() - ext.len())?;
    let (name, version) = filename[..stem_len].rsplit_once('-')?;
    Some((
        PackageName::new(name.to_string()).ok()?,
        version.parse().ok()?,
    ))
}

/// Unpacks a `.tar.gz` sdist into `dest` and returns its one top-level folder. Links, devices
/// and paths leaving `dest` are refused; size and entry count are bounded.
fn unpack(archive: &Path, filename: &str, dest: &Path) -> Result<PathBuf, SdistError> {
    let bad = |reason: String| SdistError::Unpack {
        sdist: filename.to_string(),
        reason,
    };
    let lower = filename.to_ascii_lowercase();
    let tgz = Path::new(&lower)
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("tgz"));
    if !(lower.ends_with(".tar.gz") || tgz) {
        return Err(bad(
            "only `.tar.gz` sdists (the PEP 625 format) are built".into()
        ));
    }
    std::fs::create_dir_all(dest).map_err(|source| SdistError::Io {
        action: "Failed to create",
        path: dest.to_path_buf(),
        source,
    })?;
    let file = std::fs::File::open(archive).map_err(|source| SdistError::Io {
        action: "Failed to read",
        path: archive.to_path_buf(),
        source,
    })?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    tar.set_preserve_permissions(false);
    tar.set_unpack_xattrs(false);
    let mut total = 0u64;
    let entries = tar.entries().map_err(|e| bad(e.to_string()))?;
    for (count, entry) in entries.enumerate() {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        if count >= MAX_ENTRIES {
            return Err(bad(format!("more than {MAX_ENTRIES} entries")));
        }
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if !(kind.is_file() || kind.is_dir()) {
            let path = entry.path().map_err(|e| bad(e.to_string()))?;
            return Err(bad(format!(
                "`{}` is a link or special file",
                path.display()
            )));
        }
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED {
            return Err(bad(format!("it unpacks to more than {MAX_UNPACKED} bytes")));
        }
        let inside = entry.unpack_in(dest).map_err(|e| bad(e.to_string()))?;
        if !inside {
            let path = entry.path().map_err(|e| bad(e.to_string()))?;
            return Err(bad(format!(
                "`{}` leaves the archive's folder",
                path.display()
            )));
        }
    }
    let tops: Vec<PathBuf> = std::fs::read_dir(dest)
        .map_err(|source| SdistError::Io {
            action: "Failed to read",
            path: dest.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    match tops.as_slice() {
        [one] if one.is_dir() => Ok(one.clone()),
        _ => Err(bad("it does not hold exactly one top-level folder".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdist_names_split() {
        let (n, v) = sdist_name_version("Foo_Bar-1.2.post1.tar.gz").unwrap();
        assert_eq!(n.to_string(), "foo-bar");
        assert_eq!(v.to_string(), "1.2.post1");
        assert!(sdist_name_version("foo.tar.gz").is_none());
    }

    #[test]
    fn a_link_in_an_sdist_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("p-1.0.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&archive).unwrap(),
            flate2::Compression::fast(),
        );
        let mut b = tar::Builder::new(gz);
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "p-1.0/evil", "/etc/passwd").unwrap();
        b.into_inner().unwrap().finish().unwrap();
        let e = unpack(&archive, "p-1.0.tar.gz", &dir.path().join("x")).unwrap_err();
        assert!(e.to_string().contains("link"), "{e}");
        assert_eq!(e.exit_code(), ExitCode::NoSolution);
    }
}
