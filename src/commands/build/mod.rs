//! The `build` and `resolve` commands as one readable sequence:
//! requirements → resolve (per architecture) → download → verify → pack.
//!
//! Input: validated [`BuildSettings`] / [`ResolveSettings`] and a [`Reporter`]. Output: a
//! [`BuildReport`] / [`ResolveReport`] that the binary renders as text or JSON. All
//! architectures share one [`Client`](crate::index::client::Client), so pages, metadata and pure wheels are fetched once.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use pep508_rs::PackageName;
use url::Url;

use crate::commands::Error;
use crate::commands::settings::{BuildSettings, ResolveSettings};
use crate::index::{Origin, Redacted};
use crate::lock::{Lock, LockedWheel};
use crate::pack::{self, ArchiveInfo, PackInput, PackOptions};
use crate::reporter::Reporter;
use crate::resolve::{self, Resolution, ResolveOptions};
use crate::target::Target;

/// `PyPI`'s Simple API, the default index.
pub const PYPI: &str = "https://pypi.org/simple/";

mod fetch;
mod lock_replay;
pub(crate) mod prepare;
mod report;

use fetch::{check_hash_mode, check_user_hashes, download_all, source_name, validate_all};
use lock_replay::{locked_plugin_refused, resolutions_from_lock};
use prepare::{Prepared, prepare};
pub use report::*;

/// What `--allow-sdist` needs: which projects, and the frontend to build them with.
#[derive(Clone, Copy)]
struct SdistPolicy<'a> {
    allow: &'a crate::resolve::AllowSdist,
    frontend: Option<crate::cli::BuildFrontend>,
}

/// What starts as the resolver decides on a file.
#[derive(Default)]
struct Decisions {
    /// Its download (for `build`, which downloads the resolution next).
    download: bool,
    /// Anything else ([`Probe::decided`](crate::commands::probe::Probe::decided) for the gate).
    hook: Option<crate::commands::sdist::DecisionHook>,
}

impl Decisions {
    /// `build`'s: each decided wheel starts downloading, unless `hash_mode` (pip's
    /// hash-checking mode refuses a closure with an unhashed project before anything is
    /// downloaded); with a target release, its plugins are judged at once.
    fn for_build(
        probe: &crate::commands::probe::Probe,
        netbox: Option<&pep440_rs::Version>,
        hash_mode: bool,
    ) -> Self {
        Decisions {
            download: !hash_mode,
            hook: netbox.map(|netbox| {
                let (probe, netbox) = (probe.clone(), netbox.clone());
                std::sync::Arc::new(move |file: &crate::index::DistFile, target: &Target| {
                    probe.decided(file, target, &netbox);
                }) as crate::commands::sdist::DecisionHook
            }),
        }
    }
}

fn resolve_all(
    prepared: &Prepared,
    targets: &[Target],
    pre: bool,
    excluded: &crate::commands::gate::Excluded,
    sdists: SdistPolicy<'_>,
    decisions: &Decisions,
    reporter: &dyn Reporter,
) -> Result<Vec<Resolution>, Error> {
    let index_url = prepared.client.indexes().first().map(|u| u.url.to_string());
    let mut source = crate::commands::sdist::SdistSource::new(
        prepared.client.clone(),
        prepared.runtime.handle().clone(),
        sdists.frontend,
        index_url,
    )
    .on_decided(decisions.hook.clone());
    if decisions.download {
        // The wheels are downloaded next: each starts as soon as the resolver decides on it.
        source = source.fetching_decided();
    }
    let options = ResolveOptions {
        pre: pre || prepared.reqs.pre,
        uploaded_prior_to: prepared.cutoff,
        excluded: excluded.clone(),
        allow_sdist: sdists.allow.clone(),
    };
    // The pages the last run with these inputs read, in one wave (bench/README.md).
    let remembered = remembered_key(prepared, targets);
    prepared
        .client
        .prefetch_remembered(&remembered, prepared.runtime.handle());
    let mut out = Vec::new();
    for target in targets {
        reporter.resolve_started(target);
        source.set_target(target);
        let mut resolution = resolve::resolve(
            &source,
            &prepared.reqs.requirements,
            &prepared.reqs.constraints,
            target,
            &options,
        )
        .map_err(|e| match source.take_failure() {
            Some(failure) => Error::Sdist(failure),
            None => e.into(),
        })?;
        source.substitute(&mut resolution);
        reporter.resolve_finished(target, resolution.packages.len());
        tracing::info!(
            "Resolved {} projects for {target}",
            resolution.packages.len()
        );
        out.push(resolution);
    }
    prepared.client.remember_pages(
        &remembered,
        out.iter()
            .flat_map(|r: &Resolution| r.packages.iter().map(|p| &p.name)),
    );
    Ok(out)
}

/// The key of a resolution's inputs for [`Client::remember_pages`]: the indexes, the
/// requirement and constraint lines, and the targets (a digest: nothing of them is written).
///
/// [`Client::remember_pages`]: crate::index::client::Client::remember_pages
fn remembered_key(prepared: &Prepared, targets: &[Target]) -> String {
    let mut text = String::from("remembered 1\n");
    for index in prepared.client.indexes() {
        text.push_str(&format!("index {}\n", index.url));
    }
    for entry in prepared
        .reqs
        .requirements
        .iter()
        .chain(&prepared.reqs.constraints)
    {
        text.push_str(&format!("{:?}\n", entry.kind));
    }
    for target in targets {
        text.push_str(&format!("target {target}\n"));
    }
    crate::index::cache::sha256_hex(text.as_bytes())
}

/// `nbwheel resolve`.
pub fn resolve_command(
    settings: &ResolveSettings,
    reporter: &dyn Reporter,
) -> Result<ResolveReport, Error> {
    let prepared = prepare(&settings.input)?;
    let resolutions = resolve_all(
        &prepared,
        &settings.input.targets,
        settings.input.args.pre,
        &crate::commands::gate::Excluded::new(),
        SdistPolicy {
            allow: &settings.input.allow_sdist,
            frontend: None,
        },
        &Decisions::default(),
        reporter,
    )?;
    let mut warnings = prepared.warnings.clone();
    warnings.extend(prepared.client.notices());
    let targets = resolutions
        .iter()
        .map(|r| {
            warnings.extend(r.warnings.iter().cloned());
            TargetPins {
                target: r.target.to_string(),
                arch: r.target.arch.to_string(),
                packages: r
                    .packages
                    .iter()
                    .map(|p| PinReport {
                        name: p.name.to_string(),
                        version: p.version.to_string(),
                        extras: p.extras.iter().map(ToString::to_string).collect(),
                        file: p.file.filename.clone(),
                        sha256: p.file.hashes.sha256().map(str::to_string),
                        source: prepared.client.origin_name(&p.file.origin),
                        built_from: p.built_from.as_ref().map(|s| s.filename.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    warnings.dedup();
    Ok(ResolveReport { targets, warnings })
}

/// `nbwheel build`.
pub fn build_command(
    settings: &BuildSettings,
    reporter: &dyn Reporter,
) -> Result<BuildReport, Error> {
    let started = Instant::now();
    // Settings from the environment fail before any network work.
    let mut pack_options = PackOptions::from_env()?;
    let prepared = prepare(&settings.input)?;
    let mut timings = Timings::default();
    // In `--lock` mode, the index each locked file came from, by file name.
    let mut locked_index: BTreeMap<String, String> = BTreeMap::new();
    let mut locked_cutoff = prepared.cutoff;
    // Resolve (or replay the lock) and download; with `--netbox`, again without plugin versions
    // made for another release.
    // `--netbox`, else the release `--from-cluster` read from the pod.
    let cluster_netbox = settings
        .netbox_version
        .as_deref()
        .and_then(|v| crate::netbox::parse_netbox_version(v).ok());
    let netbox = settings.netbox.as_ref().or(cluster_netbox.as_ref());
    let probe = crate::commands::probe::Probe::new(
        prepared.client.clone(),
        prepared.runtime.handle().clone(),
    );
    let hash_mode = settings.input.args.require_hashes || prepared.reqs.hash_mode();
    let decisions = Decisions::for_build(&probe, netbox, hash_mode);
    let resolve_step = |excluded: &crate::commands::gate::Excluded| {
        let t0 = Instant::now();
        let resolutions = match &settings.lock {
            Some(lock) => {
                if !excluded.is_empty() {
                    return Err(locked_plugin_refused(lock, excluded));
                }
                let (resolutions, indexes, cutoff) =
                    resolutions_from_lock(&prepared, lock, &settings.input.targets)?;
                locked_index = indexes;
                locked_cutoff = cutoff;
                resolutions
            }
            None => resolve_all(
                &prepared,
                &settings.input.targets,
                settings.input.args.pre,
                excluded,
                SdistPolicy {
                    allow: &settings.input.allow_sdist,
                    frontend: settings.build_frontend,
                },
                &decisions,
                reporter,
            )?,
        };
        check_hash_mode(
            &prepared.reqs,
            settings.input.args.require_hashes,
            &resolutions,
        )?;
        timings.resolve_ms += t0.elapsed().as_millis();
        Ok(resolutions)
    };
    let mut download_ms = 0;
    let download_step = |resolutions: &[Resolution]| {
        let t1 = Instant::now();
        let downloaded = download_all(&prepared, resolutions, reporter);
        download_ms += t1.elapsed().as_millis();
        downloaded
    };
    let gated =
        crate::commands::gate::resolve_compatible(netbox, &probe, resolve_step, download_step)?;
    timings.download_ms += download_ms;
    let (resolutions, by_url) = (gated.resolutions, gated.downloaded);
    let mut warnings = prepared.warnings.clone();
    warnings.extend(prepared.client.notices());
    for r in &resolutions {
        warnings.extend(r.warnings.iter().cloned());
    }

    check_user_hashes(&prepared.reqs, &resolutions, &by_url)?;

    // Check every wheel, then pack one archive per target.
    let t2 = Instant::now();
    let to_check = wheels_to_check(&prepared, settings, &resolutions, &by_url);
    validate_all(&to_check, prepared.client.cache())?;
    if let Some(level) = settings.compression_level {
        pack_options.level = level;
    }
    let requirements_txt = prepared.reqs.render_requirements_pinned(
        &(resolutions.iter().flat_map(|r| &r.packages))
            .map(|p| (p.name.clone(), p.version.to_string()))
            .collect(),
    );
    let constraints_txt = prepared.reqs.render_constraints();
    let mut archives = Vec::new();
    // One archive per target, or with `--merge` one holding every target's wheels.
    let groups: Vec<Vec<usize>> = if settings.merge {
        vec![(0..resolutions.len()).collect()]
    } else {
        (0..resolutions.len()).map(|i| vec![i]).collect()
    };
    let ctx = PackContext {
        prepared: &prepared,
        resolutions: &resolutions,
        by_url: &by_url,
        plugins: &gated.plugins,
        locked_index: &locked_index,
        locked_cutoff,
        requirements_txt,
        constraints_txt,
        pack_options: &pack_options,
        reporter,
    };
    for (group, out) in groups.iter().zip(&settings.outputs) {
        archives.push(pack_group(&ctx, group, out)?);
    }
    timings.pack_ms = t2.elapsed().as_millis();
    timings.total_ms = started.elapsed().as_millis();
    warnings.sort();
    warnings.dedup();
    let mut plugins: Vec<crate::netbox::Plugin> = gated.plugins.into_iter().flatten().collect();
    plugins.sort_by(|a, b| (&a.module, &a.package_version).cmp(&(&b.module, &b.package_version)));
    plugins.dedup();
    Ok(BuildReport {
        archives,
        warnings,
        timings,
        plugins,
    })
}

/// The wheels of the resolutions not yet validated (each file once), and whether
/// `--allow-invalid-record` covers its project.
fn wheels_to_check<'a>(
    prepared: &Prepared,
    settings: &BuildSettings,
    resolutions: &'a [Resolution],
    by_url: &'a BTreeMap<Url, crate::index::client::Downloaded>,
) -> Vec<(
    &'a crate::wheel_name::WheelName,
    &'a crate::index::client::Downloaded,
    bool,
)> {
    let allow: HashSet<PackageName> = settings
        .allow_invalid_record
        .iter()
        .filter_map(|n| PackageName::new(n.clone()).ok())
        .collect();
    let mut to_check = Vec::new();
    let mut seen_files: HashSet<&Url> = HashSet::new();
    for r in resolutions {
        for p in &r.packages {
            if !seen_files.insert(&p.file.url) {
                continue;
            }
            let (Some(wheel), Some(d)) = (&p.file.wheel, by_url.get(&p.file.url)) else {
                continue;
            };
            if prepared
                .client
                .cache()
                .is_validated(&d.sha256, &p.file.filename)
            {
                continue;
            }
            to_check.push((wheel, d, allow.contains(&p.name)));
        }
    }
    to_check
}

/// What every archive of one build shares.
struct PackContext<'a> {
    prepared: &'a Prepared,
    resolutions: &'a [Resolution],
    by_url: &'a BTreeMap<Url, crate::index::client::Downloaded>,
    plugins: &'a [Vec<crate::netbox::Plugin>],
    locked_index: &'a BTreeMap<String, String>,
    locked_cutoff: Option<jiff::Timestamp>,
    requirements_txt: String,
    constraints_txt: String,
    pack_options: &'a PackOptions,
    reporter: &'a dyn Reporter,
}

/// Packs the archive of one group of targets (one target, or all with `--merge`) to `out`.
fn pack_group(
    ctx: &PackContext<'_>,
    group: &[usize],
    out: &std::path::Path,
) -> Result<ArchReport, Error> {
    ctx.reporter.pack_started(out);
    let mut wheels = Vec::new();
    let mut reports = Vec::new();
    let group_targets: Vec<Target> = group
        .iter()
        .map(|&i| ctx.resolutions[i].target.clone())
        .collect();
    let mut plugins: Vec<crate::netbox::Plugin> = group
        .iter()
        .flat_map(|&i| ctx.plugins[i].iter().cloned())
        .collect();
    plugins.sort_by(|a, b| (&a.module, &a.package_version).cmp(&(&b.module, &b.package_version)));
    plugins.dedup();
    let mut lock = Lock::for_targets(&group_targets, ctx.locked_cutoff);
    let mut packed: HashSet<&str> = HashSet::new();
    for p in group.iter().flat_map(|&i| &ctx.resolutions[i].packages) {
        let Some(d) = ctx.by_url.get(&p.file.url) else {
            continue;
        };
        if !packed.insert(p.file.filename.as_str()) {
            continue;
        }
        wheels.push((p.file.filename.clone(), d.path.clone()));
        let index = match p.file.origin {
            Origin::Index(i) => ctx
                .prepared
                .client
                .indexes()
                .get(i)
                .map(|u| u.url.to_string()),
            _ => ctx.locked_index.get(&p.file.filename).cloned(),
        };
        lock.add(
            p.name.as_ref(),
            &p.version.to_string(),
            index.clone(),
            LockedWheel {
                name: p.file.filename.clone(),
                url: matches!(p.file.origin, Origin::Index(_) | Origin::Direct)
                    .then(|| Redacted::new(&p.file.url).to_string())
                    .filter(|_| p.file.url.scheme() != "file"),
                path: Some(p.file.filename.clone()),
                upload_time: p.file.upload_time.map(|t| t.to_string()),
                size: d.size,
                hashes: BTreeMap::from([("sha256".to_string(), d.sha256.clone())]),
            },
        );
        if let Some(sdist) = &p.built_from {
            lock.set_sdist(
                p.name.as_ref(),
                &p.version.to_string(),
                crate::lock::LockedSdist {
                    name: sdist.filename.clone(),
                    url: (sdist.url.scheme() != "file").then(|| sdist.url.to_string()),
                    upload_time: sdist.upload_time.map(|t| t.to_string()),
                    size: sdist.size,
                    hashes: sdist.hashes.0.clone().into_iter().collect(),
                },
            );
        }
        reports.push(WheelReport {
            name: p.name.to_string(),
            version: p.version.to_string(),
            file: p.file.filename.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            source: ctx
                .locked_index
                .get(&p.file.filename)
                .cloned()
                .unwrap_or_else(|| source_name(&ctx.prepared.client, &p.file.origin)),
            reused: d.reused,
        });
    }
    let input = PackInput {
        wheels,
        files: vec![
            (
                "requirements.txt".to_string(),
                ctx.requirements_txt.clone().into_bytes(),
            ),
            (
                "constraints.txt".to_string(),
                ctx.constraints_txt.clone().into_bytes(),
            ),
            ("pylock.toml".to_string(), lock.to_toml().into_bytes()),
        ],
    };
    let info: ArchiveInfo = pack::pack(out, &input, ctx.pack_options)?;
    reports.sort_by(|a, b| a.name.cmp(&b.name).then(a.file.cmp(&b.file)));
    tracing::info!(
        "Wrote `{}` for {}: {} bytes, sha256 {}",
        info.path.display(),
        group_targets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" + "),
        info.size,
        info.sha256
    );
    Ok(ArchReport {
        target: group_targets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" + "),
        arch: group_targets
            .iter()
            .map(|t| t.arch.to_string())
            .collect::<Vec<_>>()
            .join(","),
        wheels: reports,
        archive: info.path.clone(),
        sha256: info.sha256.clone(),
        size: info.size,
        plugins,
    })
}
