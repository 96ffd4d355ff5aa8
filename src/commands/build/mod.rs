//! The `build` and `resolve` commands as one readable sequence:
//! requirements → resolve (per architecture) → download → verify → pack.
//!
//! Input: validated [`BuildSettings`] / [`ResolveSettings`] and a [`Reporter`]. Output: a
//! [`BuildReport`] / [`ResolveReport`] that the binary renders as text or JSON. All
//! architectures share one [`Client`], so pages, metadata and pure wheels are fetched once.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pep508_rs::PackageName;
use url::Url;

use crate::commands::Error;
use crate::commands::settings::{BuildSettings, InputSettings, ResolveSettings};
use crate::index::cache::Cache;
use crate::index::client::{Client, ClientOptions, FindLinks, IndexUrl};
use crate::index::http::{AuthStore, HttpOptions};
use crate::index::{IndexError, Origin, Redacted};
use crate::lock::{Lock, LockedWheel};
use crate::pack::{self, ArchiveInfo, PackInput, PackOptions};
use crate::reporter::Reporter;
use crate::requirements::{self, RequirementsSet};
use crate::resolve::BlockingSource;
use crate::resolve::{self, Resolution, ResolveOptions};
use crate::target::Target;
use crate::verify;

/// `PyPI`'s Simple API, the default index.
pub const PYPI: &str = "https://pypi.org/simple/";

/// One wheel of an archive.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WheelReport {
    /// The normalised project name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The file name.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256, hex.
    pub sha256: String,
    /// Where it came from (index URL without credentials, find-links folder, or direct).
    pub source: String,
    /// True when it was not downloaded in this run (cache or local folder).
    #[serde(skip)]
    pub reused: bool,
}

/// One archive built for one target.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArchReport {
    /// The target, e.g. `CPython 3.12 on manylinux_2_28_x86_64`.
    pub target: String,
    /// The architecture.
    pub arch: String,
    /// Every wheel in the archive, sorted by name.
    pub wheels: Vec<WheelReport>,
    /// The archive path.
    pub archive: PathBuf,
    /// The archive's sha256.
    pub sha256: String,
    /// The archive's size in bytes.
    pub size: u64,
    /// The `NetBox` plugins among its wheels.
    pub plugins: Vec<crate::netbox::Plugin>,
}

/// Wall-clock time per stage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    /// Resolution, all targets.
    pub resolve_ms: u128,
    /// Downloads.
    pub download_ms: u128,
    /// Checking and packing.
    pub pack_ms: u128,
    /// The whole command.
    pub total_ms: u128,
}

/// What `build` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// One entry per archive.
    pub archives: Vec<ArchReport>,
    /// Warnings shown to the user.
    pub warnings: Vec<String>,
    /// Timings.
    pub timings: Timings,
    /// The `NetBox` plugins of every archive, sorted by module (for `PLUGINS = [...]`).
    pub plugins: Vec<crate::netbox::Plugin>,
}

/// One resolved project, for `resolve`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PinReport {
    /// The normalised project name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The extras used.
    pub extras: Vec<String>,
    /// The chosen file.
    pub file: String,
    /// Its sha256 as the index gives it (absent when the index gives none).
    pub sha256: Option<String>,
    /// Where it comes from.
    pub source: String,
}

/// What `resolve` found for one target.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TargetPins {
    /// The target.
    pub target: String,
    /// The architecture.
    pub arch: String,
    /// The pins, sorted by name.
    pub packages: Vec<PinReport>,
}

/// What `resolve` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResolveReport {
    /// One entry per target.
    pub targets: Vec<TargetPins>,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// Inputs parsed and the client ready.
struct Prepared {
    reqs: RequirementsSet,
    cutoff: Option<jiff::Timestamp>,
    client: Client,
    runtime: Runtime,
    warnings: Vec<String>,
}

/// The async runtime, shut down without waiting for speculative fetches still in flight (a
/// plain drop would wait for them).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn handle(&self) -> &tokio::runtime::Handle {
        self.0
            .as_ref()
            .expect("the runtime lives until drop")
            .handle()
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.handle().block_on(future)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn usage_url(flag: &str, value: &str, message: &str) -> Error {
    // The value may hold credentials: show it redacted.
    let shown = Url::parse(value).map_or_else(
        |_| "<invalid URL>".to_string(),
        |u| Redacted::new(&u).to_string(),
    );
    Error::usage(
        format!("Invalid `{flag}` value {shown}: {message}"),
        Some("Give an absolute http(s) URL, e.g. `https://pypi.example.com/simple/`.".into()),
    )
}

fn prepare(input: &InputSettings) -> Result<Prepared, Error> {
    let reqs = requirements::parse(&input.requirements, &input.constraints, &env_lookup)?;
    reqs.check_hashes(input.args.require_hashes)?;
    let args = &input.args;
    let mut warnings = Vec::new();

    // Index order: every extra index (command line first, then files) in order, then the base
    // index (command line beats files).
    let mut raw_extra: Vec<String> = args
        .extra_index_url
        .iter()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    raw_extra.extend(reqs.extra_index_urls.iter().map(|(u, _)| u.clone()));
    let base = args
        .index_url
        .clone()
        .or_else(|| reqs.index_url.as_ref().map(|(u, _)| u.clone()))
        .unwrap_or_else(|| PYPI.to_string());
    let no_index = args.no_index || reqs.no_index;
    let mut indexes: Vec<IndexUrl> = Vec::new();
    let mut with_credentials: Vec<Url> = Vec::new();
    if !no_index {
        for (flag, raw) in raw_extra
            .iter()
            .map(|u| ("--extra-index-url", u))
            .chain(std::iter::once(("--index-url", &base)))
        {
            let (index, full) = IndexUrl::parse(raw).map_err(|m| usage_url(flag, raw, &m))?;
            if !indexes.contains(&index) {
                indexes.push(index);
                with_credentials.push(full);
            }
        }
    }
    let mut find_links = Vec::new();
    let raw_links = args
        .find_links
        .iter()
        .map(|l| (l.clone(), std::env::current_dir().unwrap_or_default()))
        .chain(
            reqs.find_links
                .iter()
                .map(|(l, _)| (l.clone(), PathBuf::new())),
        );
    for (link, base_dir) in raw_links {
        if link.starts_with("http://") || link.starts_with("https://") {
            let (index, full) =
                IndexUrl::parse(&link).map_err(|m| usage_url("--find-links", &link, &m))?;
            let mut url = index.url;
            // A flat page is fetched as given, without the added `/`.
            if !link.ends_with('/') {
                let path = url.path().trim_end_matches('/').to_string();
                url.set_path(&path);
            }
            with_credentials.push(full);
            find_links.push(FindLinks::Page(url));
        } else {
            let path = link
                .strip_prefix("file://")
                .map_or_else(|| PathBuf::from(&link), PathBuf::from);
            let path = if path.is_absolute() {
                path
            } else {
                base_dir.join(path)
            };
            if !path.is_dir() {
                return Err(Error::usage(
                    format!(
                        "The `--find-links` folder `{}` does not exist",
                        path.display()
                    ),
                    None,
                ));
            }
            find_links.push(FindLinks::Dir(path));
        }
    }
    if indexes.is_empty() && find_links.is_empty() {
        return Err(Error::usage(
            "`--no-index` leaves no source of wheels",
            Some("Add a folder of wheels with `--find-links DIR`.".into()),
        ));
    }
    if !reqs.trusted_hosts.is_empty() {
        warnings.push("`--trusted-host` is ignored: nbwheel always verifies TLS (use `--cert` for a private CA)".to_string());
    }

    let http = super::wiring::http(
        HttpOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            retries: args.retries,
            cert: args.cert.clone(),
            client_cert: args.client_cert.clone(),
            offline: args.offline,
            ..HttpOptions::default()
        },
        AuthStore::from_env(with_credentials.iter()),
    )?;
    let lock_timeout = crate::index::cache::lock_timeout()?;
    let cache = if args.no_cache {
        Cache::temporary()?
    } else {
        Cache::at(args.cache_dir.clone().unwrap_or_else(Cache::default_dir))
    };
    let super::wiring::Wired { client, runtime } = super::wiring::index_client(
        http,
        ClientOptions {
            indexes,
            find_links,
            strategy: args.index_strategy,
            private_prefixes: args.private_prefix.clone(),
            offline: args.offline,
            concurrency: args.jobs.max(1),
        },
        cache,
        4,
    )?;
    client.set_lock_timeout(lock_timeout);
    client.set_strict(args.strict);
    Ok(Prepared {
        cutoff: input.uploaded_prior_to,
        reqs,
        client,
        runtime: Runtime(Some(runtime)),
        warnings,
    })
}

fn resolve_all(
    prepared: &Prepared,
    targets: &[Target],
    pre: bool,
    excluded: &crate::commands::gate::Excluded,
    reporter: &dyn Reporter,
) -> Result<Vec<Resolution>, Error> {
    let source = BlockingSource::new(prepared.client.clone(), prepared.runtime.handle().clone());
    let options = ResolveOptions {
        pre: pre || prepared.reqs.pre,
        uploaded_prior_to: prepared.cutoff,
        excluded: excluded.clone(),
    };
    let mut out = Vec::new();
    for target in targets {
        reporter.resolve_started(target);
        let resolution = resolve::resolve(
            &source,
            &prepared.reqs.requirements,
            &prepared.reqs.constraints,
            target,
            &options,
        )?;
        reporter.resolve_finished(target, resolution.packages.len());
        tracing::info!(
            "Resolved {} projects for {target}",
            resolution.packages.len()
        );
        out.push(resolution);
    }
    Ok(out)
}

/// `build --lock --netbox V` cannot pick another version: the locked plugin is refused.
fn locked_plugin_refused(
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
type Replayed = (
    Vec<Resolution>,
    BTreeMap<String, String>,
    Option<jiff::Timestamp>,
);

/// `build --lock`: exactly the wheels of a PEP 751 lock, for each target the best locked wheel
/// of each package (by tag priority); no resolution. Files are fetched from their locked URL or,
/// without one, looked up by name in the `--find-links` folders, and checked against the
/// locked sha256.
fn resolutions_from_lock(
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
        reporter,
    )?;
    let mut warnings = prepared.warnings.clone();
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
                    })
                    .collect(),
            }
        })
        .collect();
    warnings.dedup();
    Ok(ResolveReport { targets, warnings })
}

/// Renders `resolve` output in requirements format: one line per project with its hash and,
/// as a comment, the source it comes from.
pub fn render_pins(report: &ResolveReport) -> String {
    let mut out = String::new();
    for t in &report.targets {
        out.push_str(&format!("# {} ({} projects)\n", t.target, t.packages.len()));
        for p in &t.packages {
            let extras = if p.extras.is_empty() {
                String::new()
            } else {
                format!("[{}]", p.extras.join(","))
            };
            let hash = p
                .sha256
                .as_ref()
                .map_or_else(String::new, |h| format!(" --hash=sha256:{h}"));
            out.push_str(&format!(
                "{}{extras}=={}{hash}  # from {}\n",
                p.name, p.version, p.source
            ));
        }
    }
    out
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
    let gated = crate::commands::gate::resolve_compatible(netbox, |excluded| {
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
                reporter,
            )?,
        };
        check_hash_mode(
            &prepared.reqs,
            settings.input.args.require_hashes,
            &resolutions,
        )?;
        timings.resolve_ms += t0.elapsed().as_millis();
        let t1 = Instant::now();
        let downloaded = download_all(&prepared, &resolutions, reporter)?;
        timings.download_ms += t1.elapsed().as_millis();
        Ok((resolutions, downloaded))
    })?;
    let (resolutions, by_url) = (gated.resolutions, gated.downloaded);
    let mut warnings = prepared.warnings.clone();
    for r in &resolutions {
        warnings.extend(r.warnings.iter().cloned());
    }

    check_user_hashes(&prepared.reqs, &resolutions, &by_url)?;

    // Check every wheel, then pack one archive per target.
    let t2 = Instant::now();
    let allow: HashSet<PackageName> = settings
        .allow_invalid_record
        .iter()
        .filter_map(|n| PackageName::new(n.clone()).ok())
        .collect();
    let mut to_check = Vec::new();
    let mut seen_files: HashSet<&Url> = HashSet::new();
    for r in &resolutions {
        for p in &r.packages {
            if !seen_files.insert(&p.file.url) {
                continue;
            }
            let (Some(wheel), Some(d)) = (&p.file.wheel, by_url.get(&p.file.url)) else {
                continue;
            };
            if prepared.client.cache().is_validated(&d.sha256) {
                continue;
            }
            to_check.push((wheel, d, allow.contains(&p.name)));
        }
    }
    validate_all(&to_check, prepared.client.cache())?;
    if let Some(level) = settings.compression_level {
        pack_options.level = level;
    }
    let requirements_txt = prepared.reqs.render_requirements();
    let constraints_txt = prepared.reqs.render_constraints();
    let mut archives = Vec::new();
    // One archive per target, or with `--merge` one holding every target's wheels.
    let groups: Vec<Vec<usize>> = if settings.merge {
        vec![(0..resolutions.len()).collect()]
    } else {
        (0..resolutions.len()).map(|i| vec![i]).collect()
    };
    for (group, out) in groups.iter().zip(&settings.outputs) {
        reporter.pack_started(out);
        let mut wheels = Vec::new();
        let mut reports = Vec::new();
        let group_targets: Vec<Target> = group
            .iter()
            .map(|&i| resolutions[i].target.clone())
            .collect();
        let mut plugins: Vec<crate::netbox::Plugin> = group
            .iter()
            .flat_map(|&i| gated.plugins[i].iter().cloned())
            .collect();
        plugins
            .sort_by(|a, b| (&a.module, &a.package_version).cmp(&(&b.module, &b.package_version)));
        plugins.dedup();
        let mut lock = Lock::for_targets(&group_targets, locked_cutoff);
        let mut packed: HashSet<&str> = HashSet::new();
        for p in group.iter().flat_map(|&i| &resolutions[i].packages) {
            let Some(d) = by_url.get(&p.file.url) else {
                continue;
            };
            if !packed.insert(p.file.filename.as_str()) {
                continue;
            }
            wheels.push((p.file.filename.clone(), d.path.clone()));
            let index = match p.file.origin {
                Origin::Index(i) => prepared.client.indexes().get(i).map(|u| u.url.to_string()),
                _ => locked_index.get(&p.file.filename).cloned(),
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
            reports.push(WheelReport {
                name: p.name.to_string(),
                version: p.version.to_string(),
                file: p.file.filename.clone(),
                size: d.size,
                sha256: d.sha256.clone(),
                source: locked_index
                    .get(&p.file.filename)
                    .cloned()
                    .unwrap_or_else(|| source_name(&prepared.client, &p.file.origin)),
                reused: d.reused,
            });
        }
        let input = PackInput {
            wheels,
            files: vec![
                (
                    "requirements.txt".to_string(),
                    requirements_txt.clone().into_bytes(),
                ),
                (
                    "constraints.txt".to_string(),
                    constraints_txt.clone().into_bytes(),
                ),
                ("pylock.toml".to_string(), lock.to_toml().into_bytes()),
            ],
        };
        let info: ArchiveInfo = pack::pack(out, &input, &pack_options)?;
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
        archives.push(ArchReport {
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
        });
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

/// Downloads every distinct file of the resolutions once, concurrently.
fn download_all(
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
                    // RELIABILITY row 4: the wheel must say what the resolver was told.
                    client.check_wheel_metadata(f, &d).await?;
                    report_bytes();
                    reporter.download_finished(&f.filename, d.size, d.reused);
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

/// Validates wheels on every core; records the ones that pass strictly in the cache.
fn validate_all(
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
                        Ok(_) if !allow => cache.mark_validated(&d.sha256),
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

fn source_name(client: &Client, origin: &Origin) -> String {
    client.origin_name(origin)
}

/// pip's hash-checking semantics for `--hash` options in requirement files: when a project has
/// hashes, the chosen file must match one of them.
fn user_hashes(reqs: &RequirementsSet) -> BTreeMap<&PackageName, Vec<&str>> {
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
fn check_hash_mode(
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
fn file_digest(path: &std::path::Path, algorithm: &str) -> Option<String> {
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
fn check_user_hashes(
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
