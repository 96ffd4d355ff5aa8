//! Downloads, validation of every new wheel, and pip's hash-checking mode.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use pep508_rs::PackageName;
use url::Url;

use crate::commands::Error;
use crate::index::cache::Cache;
use crate::index::client::Client;
use crate::index::{IndexError, Origin, Redacted};
use crate::reporter::Reporter;
use crate::requirements::RequirementsSet;
use crate::resolve::Resolution;
use crate::verify;

use super::Prepared;

/// Downloads every distinct file of the resolutions once, concurrently.
pub(super) fn download_all(
    prepared: &Prepared,
    resolutions: &[Resolution],
    reporter: &dyn Reporter,
) -> Result<BTreeMap<Url, crate::index::client::Downloaded>, Error> {
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for r in resolutions {
        for p in &r.packages {
            if seen.insert(p.file.url.clone()) {
                files.push(p.file.clone());
            }
        }
    }
    let total: u64 = files.iter().filter_map(|f| f.size).sum();
    reporter.download_started(files.len(), total);
    let client = prepared.client.clone();
    // Bytes as they stream, for the bar: drained on a tick and before each file is reported
    // done (all on this thread, so a file's bytes are always reported before its end).
    let report_bytes = || {
        for (file, bytes) in client.drain_progress() {
            reporter.download_progress(&file, bytes);
        }
    };
    let downloaded: Vec<(Url, crate::index::client::Downloaded)> = prepared
        .runtime
        .block_on(async {
            let tasks = files.iter().map(|f| {
                let client = client.clone();
                async move {
                    let d = client.download(f).await?;
                    // docs/GUARANTEES.md: the wheel must say what the resolver was told.
                    client.check_wheel_metadata(f, &d).await?;
                    report_bytes();
                    reporter.download_finished(&f.filename, d.size, d.reused);
                    validate_early(&client, f, &d).await;
                    Ok::<_, Arc<IndexError>>((f.url.clone(), d))
                }
            });
            let mut all = std::pin::pin!(futures_util::future::try_join_all(tasks));
            loop {
                tokio::select! {
                    result = &mut all => break result,
                    () = tokio::time::sleep(Duration::from_millis(100)) => report_bytes(),
                }
            }
        })
        .map_err(Error::Fetch)?;
    reporter.downloads_done();
    Ok(downloaded.into_iter().collect())
}

/// Validates a wheel strictly as soon as it is downloaded, on the blocking pool, while the other
/// downloads go on, and records a pass in the cache. Only a head start: a wheel that fails (or
/// is not checked here) is validated again by [`validate_all`], which reports failures in a
/// fixed order with the options of the build.
async fn validate_early(
    client: &Client,
    file: &crate::index::DistFile,
    d: &crate::index::client::Downloaded,
) {
    let Some(wheel) = file.wheel.clone() else {
        return;
    };
    if client.cache().is_validated(&d.sha256, wheel.filename()) {
        return;
    }
    let client = client.clone();
    let (path, sha256) = (d.path.clone(), d.sha256.clone());
    let _ = tokio::task::spawn_blocking(move || {
        if verify::validate_wheel(&path, &wheel, &verify::WheelCheck::default()).is_ok() {
            client.cache().mark_validated(&sha256, wheel.filename());
        }
    })
    .await;
}

/// Validates wheels on every core; records the ones that pass strictly in the cache.
pub(super) fn validate_all(
    wheels: &[(
        &crate::wheel_name::WheelName,
        &crate::index::client::Downloaded,
        bool,
    )],
    cache: &Cache,
) -> Result<(), Error> {
    let threads = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .min(8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let first_error: std::sync::Mutex<Option<(usize, verify::WheelError)>> =
        std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((wheel, d, allow)) = wheels.get(i) else {
                        break;
                    };
                    let options = verify::WheelCheck {
                        allow_invalid_record: *allow,
                        ..verify::WheelCheck::default()
                    };
                    match verify::validate_wheel(&d.path, wheel, &options) {
                        Ok(_) if !allow => cache.mark_validated(&d.sha256, wheel.filename()),
                        Ok(_) => {}
                        Err(e) => {
                            let mut slot = first_error
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            if slot.as_ref().is_none_or(|(j, _)| i < *j) {
                                *slot = Some((i, e));
                            }
                        }
                    }
                }
            });
        }
    });
    match first_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some((_, e)) => Err(e.into()),
        None => Ok(()),
    }
}

pub(super) fn source_name(client: &Client, origin: &Origin) -> String {
    client.origin_name(origin)
}

/// pip's hash-checking semantics for `--hash` options in requirement files: when a project has
/// hashes, the chosen file must match one of them.
pub(super) fn user_hashes(reqs: &RequirementsSet) -> BTreeMap<&PackageName, Vec<&str>> {
    let mut allowed: BTreeMap<&PackageName, Vec<&str>> = BTreeMap::new();
    for e in reqs.requirements.iter().chain(&reqs.constraints) {
        for h in &e.hashes {
            allowed.entry(e.name()).or_default().push(h.as_str());
        }
    }
    allowed
}

/// pip's hash-checking mode, before anything is downloaded: when any requirement has a hash
/// (or `--require-hashes` is given), every project of the closure needs one, dependencies too.
pub(super) fn check_hash_mode(
    reqs: &RequirementsSet,
    require: bool,
    resolutions: &[Resolution],
) -> Result<(), Error> {
    if !(require || reqs.hash_mode()) {
        return Ok(());
    }
    let allowed = user_hashes(reqs);
    let missing: BTreeSet<String> = resolutions
        .iter()
        .flat_map(|r| &r.packages)
        .filter(|p| !allowed.contains_key(&p.name))
        .map(|p| format!("{}=={}", p.name, p.version))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "Hashes are required in hash-checking mode, but these projects of the closure have none: {}",
            missing.into_iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        ),
        Some("Add `--hash=sha256:…` lines for them (e.g. to constraints.txt; `nbwheel resolve` prints the hashes), or drop `--require-hashes` and the `--hash` options.".into()),
    ))
}

/// The digest of a file with `sha384` or `sha512` (sha256 is already known).
pub(super) fn file_digest(path: &std::path::Path, algorithm: &str) -> Option<String> {
    use crate::hash::{HashAlgorithm, MultiHasher};
    let algorithm: HashAlgorithm = algorithm.parse().ok()?;
    if algorithm == HashAlgorithm::Sha256 {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let digests = MultiHasher::new([algorithm]).read_all(file).ok()?;
    digests.first().map(crate::hash::Digest::hex)
}

/// pip's hash-checking semantics for `--hash` options in requirement files: when a project has
/// hashes, the chosen file must match one of them.
pub(super) fn check_user_hashes(
    reqs: &RequirementsSet,
    resolutions: &[Resolution],
    downloaded: &BTreeMap<Url, crate::index::client::Downloaded>,
) -> Result<(), Error> {
    let allowed = user_hashes(reqs);
    for r in resolutions {
        for p in &r.packages {
            let Some(list) = allowed.get(&p.name) else {
                continue;
            };
            let Some(d) = downloaded.get(&p.file.url) else {
                continue;
            };
            let matches = list.iter().any(|h| {
                let (alg, hex) = h.split_once(':').unwrap_or(("sha256", h));
                if alg == "sha256" {
                    hex.eq_ignore_ascii_case(&d.sha256)
                } else {
                    file_digest(&d.path, alg).is_some_and(|x| x.eq_ignore_ascii_case(hex))
                }
            });
            if !matches {
                return Err(Error::Index(IndexError::HashMismatch {
                    what: format!(
                        "{}=={} ({}), checked against your `--hash` options",
                        p.name, p.version, p.file.filename
                    ),
                    url: Redacted::new(&p.file.url),
                    algorithm: "sha256".into(),
                    expected: list.join(" or "),
                    actual: d.sha256.clone(),
                }));
            }
        }
    }
    Ok(())
}
