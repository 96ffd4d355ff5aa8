//! `build --lock`: the wheels of a PEP 751 lock replayed per target, without resolution.

use std::collections::{BTreeMap, BTreeSet};

use pep508_rs::PackageName;
use url::Url;

use crate::commands::Error;
use crate::index::Origin;
use crate::lock::Lock;
use crate::resolve::{self, Resolution};
use crate::target::Target;

use super::Prepared;

/// `build --lock --netbox V` cannot pick another version: the locked plugin is refused.
pub(super) fn locked_plugin_refused(
    lock: &std::path::Path,
    excluded: &crate::commands::gate::Excluded,
) -> Error {
    let lines: Vec<String> = excluded
        .iter()
        .map(|((name, version), why)| format!("  `{name}` {version} {why}"))
        .collect();
    Error::Resolve(resolve::ResolveError::NoSolution {
        target: format!("the lock `{}`", lock.display()),
        explanation: lines.join("\n"),
        hint: Some("The lock pins these plugin versions: rebuild without `--lock` to let nbwheel choose compatible ones.".into()),
    })
}

/// What `build --lock` takes from a lock: the per-target wheels, the index of each file (by
/// name), and the upload-time cutoff the lock was made with.
pub(super) type Replayed = (
    Vec<Resolution>,
    BTreeMap<String, String>,
    Option<jiff::Timestamp>,
);

/// `build --lock`: exactly the wheels of a PEP 751 lock, for each target the best locked wheel
/// of each package (by tag priority); no resolution. Files are fetched from their locked URL or,
/// without one, looked up by name in the `--find-links` folders, and checked against the
/// locked sha256.
pub(super) fn resolutions_from_lock(
    prepared: &Prepared,
    path: &std::path::Path,
    targets: &[Target],
) -> Result<Replayed, Error> {
    let lock = Lock::read(path).map_err(|e| {
        Error::usage(
            e.to_string(),
            Some(
                "Pass a `pylock.toml` written by `nbwheel build` (it is inside every archive)."
                    .into(),
            ),
        )
    })?;
    let indexes: BTreeMap<String, String> = lock
        .packages
        .iter()
        .filter_map(|p| Some((p.index.clone()?, p)))
        .flat_map(|(i, p)| p.wheels.iter().map(move |w| (w.name.clone(), i.clone())))
        .collect();
    let mut out = Vec::new();
    for target in targets {
        let ranks = target.tag_ranks();
        let mut packages = Vec::new();
        for p in &lock.packages {
            let best = p
                .wheels
                .iter()
                .filter_map(|w| {
                    let name: crate::wheel_name::WheelName = w.name.parse().ok()?;
                    Some((ranks.rank(&name)?, w, name))
                })
                .min_by_key(|(rank, _, _)| *rank);
            let Some((_, w, wheel)) = best else {
                return Err(Error::Resolve(resolve::ResolveError::NoSolution {
                    target: target.to_string(),
                    explanation: format!(
                        "  `{}` {} in `{}` has no wheel for this target (locked: {})",
                        p.name,
                        p.version,
                        path.display(),
                        p.wheels
                            .iter()
                            .map(|w| w.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    hint: Some("Rebuild the lock for this target without `--lock`.".into()),
                }));
            };
            let url = match &w.url {
                Some(u) => Url::parse(u).map_err(|e| {
                    Error::usage(
                        format!("Invalid URL for `{}` in `{}`: {e}", w.name, path.display()),
                        None,
                    )
                })?,
                None => prepared.client.find_local(&w.name).ok_or_else(|| {
                    Error::usage(
                        format!(
                            "`{}` in `{}` has no URL and is in no `--find-links` folder",
                            w.name,
                            path.display()
                        ),
                        Some("Pass the folder that holds it with `--find-links`.".into()),
                    )
                })?,
            };
            let origin = if url.scheme() == "file" {
                Origin::FindLinks(0)
            } else {
                Origin::Direct
            };
            let name = PackageName::new(p.name.clone()).map_err(|e| {
                Error::usage(
                    format!("Invalid project name in `{}`: {e}", path.display()),
                    None,
                )
            })?;
            packages.push(resolve::ResolvedPackage {
                name,
                version: wheel.version.clone(),
                extras: BTreeSet::new(),
                file: crate::index::DistFile {
                    filename: w.name.clone(),
                    wheel: Some(wheel),
                    url,
                    hashes: crate::index::Hashes(w.hashes.clone().into_iter().collect()),
                    requires_python: None,
                    yanked: None,
                    core_metadata: None,
                    upload_time: w.upload_time.as_deref().and_then(|t| t.parse().ok()),
                    size: Some(w.size),
                    origin,
                },
                built_from: None,
            });
        }
        packages.sort_by(|a, b| a.name.cmp(&b.name));
        out.push(Resolution {
            target: target.clone(),
            packages,
            warnings: Vec::new(),
        });
    }
    let cutoff = lock
        .tool
        .nbwheel
        .uploaded_prior_to
        .as_deref()
        .and_then(|t| t.parse().ok());
    Ok((out, indexes, cutoff))
}
