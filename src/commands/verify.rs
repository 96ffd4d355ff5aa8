//! `nbwheel verify` and `nbwheel inspect`: offline checks of a finished archive, ours or packed
//! by hand from `pip download`.
//!
//! Input: an archive path and the targets to check it for. Output: an [`AuditReport`] with
//! every finding and its severity, from which the exit code follows (4 for integrity, 1 for
//! "would not install", 0 when sound). The checks, in order:
//!
//! 1. the tar is safe and holds only `wheelhouse/` with wheels, `requirements.txt`,
//!    `constraints.txt` and optionally `pylock.toml` ([`crate::archive`]);
//! 2. every wheel passes [`crate::verify::validate_wheel`] and runs on at least one target
//!    (checked as the tar stream reaches it, from one temp file deleted right after; only its
//!    facts and its METADATA are kept, so disk use is bounded by the largest single wheel);
//! 3. every wheel's sha256 and size match the lock, and the lock names no missing wheel;
//! 4. for each target, `requirements.txt` + `constraints.txt` resolve from the archive's wheels
//!    alone (the resolver of `build`, over a find-links source, offline); wheels no target uses
//!    are reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::archive::{self, OpenedArchive};
use crate::commands::Error;
use crate::exit::ExitCode;
use crate::index::cache::{Cache, sha256_file};
use crate::index::client::{ClientOptions, FindLinks};
use crate::index::http::{AuthStore, HttpOptions};
use crate::lock::Lock;
use crate::requirements;
use crate::resolve::BlockingSource;
use crate::resolve::{self, ResolveOptions};
use crate::target::Target;
use crate::wheel_name::WheelName;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; the archive still installs (e.g. an unused wheel).
    Note,
    /// The pod's install would fail (exit 1).
    WouldNotInstall,
    /// Integrity or safety violation (exit 4).
    Integrity,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// How bad it is.
    pub severity: Severity,
    /// What it is about: a member name, a wheel, a target.
    pub subject: String,
    /// What is wrong.
    pub message: String,
}

/// One wheel of an archive, for `inspect` and `verify`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WheelInfo {
    /// The normalised project name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The file name.
    pub file: String,
    /// The compressed tag set, e.g. `py3-none-any`.
    pub tags: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256, hex.
    pub sha256: String,
}

/// The closure found for one target.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TargetResult {
    /// The target.
    pub target: String,
    /// `name==version` of every project installed for it, when the closure holds.
    pub installs: Vec<String>,
}

/// What `verify` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditReport {
    /// The archive.
    pub archive: PathBuf,
    /// Its sha256.
    pub sha256: String,
    /// Its wheels.
    pub wheels: Vec<WheelInfo>,
    /// Per target, what would be installed.
    pub targets: Vec<TargetResult>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// True when nothing worse than a note was found.
    pub sound: bool,
    /// The `NetBox` plugins among the wheels, sorted by module.
    pub plugins: Vec<crate::netbox::Plugin>,
}

impl AuditReport {
    /// 4 for any integrity finding, else 1 for any would-not-install finding, else 0.
    pub fn exit_code(&self) -> ExitCode {
        match self.findings.iter().map(|f| f.severity).max() {
            Some(Severity::Integrity) => ExitCode::Integrity,
            Some(Severity::WouldNotInstall) => ExitCode::NoSolution,
            _ => ExitCode::Success,
        }
    }
}

/// What `inspect` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InspectReport {
    /// The archive.
    pub archive: PathBuf,
    /// Its sha256.
    pub sha256: String,
    /// Its size.
    pub size: u64,
    /// Its wheels, sorted by file name.
    pub wheels: Vec<WheelInfo>,
    /// The other files (requirements, constraints, lock).
    pub files: Vec<String>,
    /// The `NetBox` plugins among the wheels, sorted by module.
    pub plugins: Vec<crate::netbox::Plugin>,
}

/// The `NetBox` plugins in the archive's wheels, sorted by module; a wheel that cannot be read
/// as a zip is skipped here (`verify` reports it as a finding of its own).
fn plugins_in(wheels: &[(WheelInfo, WheelName, PathBuf)]) -> Vec<crate::netbox::Plugin> {
    let mut out = Vec::new();
    for (info, wheel, path) in wheels {
        match crate::netbox::detect_plugins(path, wheel) {
            Ok(found) => out.extend(found),
            Err(e) => tracing::debug!("Plugin detection skipped `{}`: {e}", info.file),
        }
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    out
}

fn wheel_infos(opened: &OpenedArchive) -> Result<Vec<(WheelInfo, WheelName, PathBuf)>, Error> {
    Ok(wheel_infos_checked(opened, false)?
        .into_iter()
        .map(|(info, wheel, path, _, _)| (info, wheel, path))
        .collect())
}

/// A wheel of the archive, with its validation problem and notes when `validate` asked for
/// them.
type CheckedWheel = (
    WheelInfo,
    WheelName,
    PathBuf,
    Option<crate::verify::WheelError>,
    Vec<String>,
);

/// The archive's wheels with their sha256 and size; with `validate`, each is also validated,
/// from the same reads as its hash (each wheel is read once).
fn wheel_infos_checked(opened: &OpenedArchive, validate: bool) -> Result<Vec<CheckedWheel>, Error> {
    let mut out = Vec::new();
    for (file, wheel, path) in opened.wheel_files() {
        let read_err = |e| Error::io("Failed to read", &path, e);
        let (sha256, size, problem, notes) = if validate {
            let (validated, sha256, size) = crate::verify::validate_and_hash(
                &path,
                &wheel,
                &crate::verify::WheelCheck::default(),
            )
            .map_err(read_err)?;
            match validated {
                Ok(v) => (sha256, size, None, v.notes),
                Err(e) => (sha256, size, Some(e), Vec::new()),
            }
        } else {
            let (sha256, size) = sha256_file(&path).map_err(read_err)?;
            (sha256, size, None, Vec::new())
        };
        out.push((
            WheelInfo {
                name: wheel.name.to_string(),
                version: wheel.version.to_string(),
                file,
                tags: wheel.tag_string(),
                size,
                sha256,
            },
            wheel,
            path,
            problem,
            notes,
        ));
    }
    out.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    Ok(out)
}

/// `nbwheel inspect`.
pub fn inspect(path: &Path) -> Result<InspectReport, Error> {
    let opened = archive::open_archive(path)?;
    let infos = wheel_infos(&opened)?;
    let plugins = plugins_in(&infos);
    let wheels = infos.into_iter().map(|(w, _, _)| w).collect();
    let files = opened
        .entries
        .iter()
        .filter(|e| Path::new(&e.name).extension().is_none_or(|x| x != "whl"))
        .filter(|e| e.kind == archive::EntryType::Regular)
        .map(|e| e.name.clone())
        .collect();
    Ok(InspectReport {
        archive: path.to_path_buf(),
        sha256: opened.sha256.clone(),
        size: opened.size,
        wheels,
        files,
        plugins,
    })
}

/// `nbwheel verify`.
pub fn verify(path: &Path, targets: &[Target]) -> Result<AuditReport, Error> {
    verify_for(path, Some(targets), targets, None)
}

/// `nbwheel verify --netbox VERSION`: also a "would not install" finding for every plugin whose
/// `min_version`/`max_version` excludes that release.
pub fn verify_for_netbox(
    path: &Path,
    targets: &[Target],
    netbox: Option<&pep440_rs::Version>,
) -> Result<AuditReport, Error> {
    verify_for(path, Some(targets), targets, netbox)
}

/// `nbwheel verify` without target flags: a merged archive is checked for every target its
/// lock claims; any other archive for `default` (the default target).
pub fn verify_claimed(
    path: &Path,
    default: &[Target],
    netbox: Option<&pep440_rs::Version>,
) -> Result<AuditReport, Error> {
    verify_for(path, None, default, netbox)
}

/// The targets the archive's lock claims when it is a merged archive (several targets).
fn merged_claims(dir: &Path) -> Option<Vec<Target>> {
    let lock = Lock::read(&dir.join("pylock.toml")).ok()?;
    (lock.tool.nbwheel.targets.len() > 1).then(|| lock.claimed_targets())
}

/// Audits the archive at `path` for `targets` (or the targets its lock claims, or `default`).
fn verify_for(
    path: &Path,
    targets: Option<&[Target]>,
    default: &[Target],
    netbox: Option<&pep440_rs::Version>,
) -> Result<AuditReport, Error> {
    let stubs = tempfile::Builder::new()
        .prefix("nbwheel-verify-meta-")
        .tempdir()
        .map_err(|e| {
            Error::io(
                "Failed to create a temporary folder in",
                std::env::temp_dir(),
                e,
            )
        })?;
    let mut checked: Vec<CheckedWheel> = Vec::new();
    let mut plugins: Vec<crate::netbox::Plugin> = Vec::new();
    let opened = archive::walk_archive(
        path,
        &archive::ArchiveLimits::default(),
        &mut |file, temp| check_member(file, temp, stubs.path(), &mut checked, &mut plugins),
    )?;
    checked.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    plugins.sort_by(|a, b| a.module.cmp(&b.module));
    let claimed;
    let targets = match targets {
        Some(t) => t,
        None => match merged_claims(opened.dir.path()).filter(|t| !t.is_empty()) {
            Some(t) => {
                claimed = t;
                &claimed
            }
            None => default,
        },
    };
    let mut findings: Vec<Finding> = opened
        .findings
        .iter()
        .map(|f| Finding {
            severity: Severity::Integrity,
            subject: f.entry.clone(),
            message: f.problem.to_string(),
        })
        .collect();
    let dir = opened.dir.path();
    for required in ["requirements.txt", "constraints.txt"] {
        if !dir.join(required).is_file() {
            findings.push(Finding {
                severity: Severity::WouldNotInstall,
                subject: format!("wheelhouse/{required}"),
                message: "missing: the pod installs with `-r requirements.txt -c constraints.txt`"
                    .into(),
            });
        }
    }
    let mut problems = Vec::with_capacity(checked.len());
    let wheels: Vec<(WheelInfo, WheelName, PathBuf)> = checked
        .into_iter()
        .map(|(info, wheel, path, problem, notes)| {
            problems.push((problem, notes));
            (info, wheel, path)
        })
        .collect();
    if wheels.is_empty() {
        findings.push(Finding {
            severity: Severity::WouldNotInstall,
            subject: "wheelhouse/".into(),
            message: "holds no wheels".into(),
        });
    }
    wheel_findings(&wheels, &problems, targets, &mut findings);
    check_lock(dir, &wheels, &mut findings);
    if let Some(netbox) = netbox {
        plugin_findings(&plugins, &wheels, netbox, &mut findings);
    }
    let results = closure_findings(dir, stubs.path(), targets, &wheels, &mut findings);
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.subject.cmp(&b.subject)));
    let sound = findings.iter().all(|f| f.severity == Severity::Note);
    Ok(AuditReport {
        archive: path.to_path_buf(),
        sha256: opened.sha256.clone(),
        wheels: wheels.into_iter().map(|(w, _, _)| w).collect(),
        targets: results,
        findings,
        sound,
        plugins,
    })
}

/// The wheels' validation problems and notes, and wheels that run on none of the targets.
fn wheel_findings(
    wheels: &[(WheelInfo, WheelName, PathBuf)],
    problems: &[(Option<crate::verify::WheelError>, Vec<String>)],
    targets: &[Target],
    findings: &mut Vec<Finding>,
) {
    let ranks: Vec<_> = targets.iter().map(Target::tag_ranks).collect();
    for ((info, wheel, _), (problem, notes)) in wheels.iter().zip(problems) {
        if let Some(e) = problem {
            findings.push(Finding {
                severity: Severity::Integrity,
                subject: info.file.clone(),
                message: e.to_string(),
            });
        }
        for note in notes {
            findings.push(Finding {
                severity: Severity::Note,
                subject: info.file.clone(),
                message: note.clone(),
            });
        }
        if ranks.iter().all(|r| r.rank(wheel).is_none()) {
            let names: Vec<String> = targets.iter().map(Target::short_description).collect();
            findings.push(Finding {
                severity: Severity::WouldNotInstall,
                subject: info.file.clone(),
                message: format!(
                    "its tags `{}` run on none of the targets ({})",
                    info.tags,
                    names.join(", ")
                ),
            });
        }
    }
}

/// Plugins whose `min_version`/`max_version` refuse `netbox`.
fn plugin_findings(
    plugins: &[crate::netbox::Plugin],
    wheels: &[(WheelInfo, WheelName, PathBuf)],
    netbox: &pep440_rs::Version,
    findings: &mut Vec<Finding>,
) {
    for p in plugins {
        if let Err(reason) = crate::netbox::check_compatible(p, netbox) {
            let file = wheels
                .iter()
                .find(|(w, _, _)| w.name == p.package && w.version == p.package_version)
                .map_or_else(|| p.package.clone(), |(w, _, _)| w.file.clone());
            findings.push(Finding {
                severity: Severity::WouldNotInstall,
                subject: file,
                message: format!("the wheel {reason}; NetBox would not load it"),
            });
        }
    }
}

/// What each target installs from `requirements.txt` (a finding when it cannot), and a note
/// for each wheel no target uses.
fn closure_findings(
    dir: &Path,
    stubs: &Path,
    targets: &[Target],
    wheels: &[(WheelInfo, WheelName, PathBuf)],
    findings: &mut Vec<Finding>,
) -> Vec<TargetResult> {
    let mut results = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    if dir.join("requirements.txt").is_file() {
        match closure(dir, stubs, targets) {
            Ok(per_target) => {
                for (target, installs, files) in per_target {
                    match installs {
                        Ok(pins) => {
                            used.extend(files);
                            results.push(TargetResult {
                                target,
                                installs: pins,
                            });
                        }
                        Err(message) => {
                            findings.push(Finding {
                                severity: Severity::WouldNotInstall,
                                subject: target.clone(),
                                message,
                            });
                            results.push(TargetResult {
                                target,
                                installs: Vec::new(),
                            });
                        }
                    }
                }
            }
            Err(e) => findings.push(Finding {
                severity: Severity::WouldNotInstall,
                subject: "wheelhouse/requirements.txt".into(),
                message: e.to_string(),
            }),
        }
    }
    let closure_ok = !results.is_empty() && results.iter().all(|r| !r.installs.is_empty());
    if closure_ok {
        for (info, _, _) in wheels {
            if !used.contains(&info.file) {
                findings.push(Finding {
                    severity: Severity::Note,
                    subject: info.file.clone(),
                    message: "is not used by any target: no requirement reaches it".into(),
                });
            }
        }
    }
    results
}

fn check_lock(dir: &Path, wheels: &[(WheelInfo, WheelName, PathBuf)], findings: &mut Vec<Finding>) {
    let lock_path = dir.join("pylock.toml");
    if !lock_path.is_file() {
        return;
    }
    let lock = match Lock::read(&lock_path) {
        Ok(l) => l,
        Err(e) => {
            findings.push(Finding {
                severity: Severity::Integrity,
                subject: "wheelhouse/pylock.toml".into(),
                message: e.to_string(),
            });
            return;
        }
    };
    let locked: BTreeMap<&str, (&str, u64)> = lock
        .packages
        .iter()
        .flat_map(|p| p.wheels.iter())
        .map(|w| {
            (
                w.name.as_str(),
                (w.hashes.get("sha256").map_or("", String::as_str), w.size),
            )
        })
        .collect();
    for (info, _, _) in wheels {
        match locked.get(info.file.as_str()) {
            None => findings.push(Finding {
                severity: Severity::Integrity,
                subject: info.file.clone(),
                message: "is not in pylock.toml".into(),
            }),
            Some((sha, size)) if *sha != info.sha256 || *size != info.size => findings.push(Finding {
                severity: Severity::Integrity,
                subject: info.file.clone(),
                message: format!(
                    "does not match pylock.toml: expected sha256:{sha} ({size} bytes), found sha256:{} ({} bytes)",
                    info.sha256, info.size
                ),
            }),
            Some(_) => {}
        }
    }
    let present: BTreeSet<&str> = wheels.iter().map(|(w, _, _)| w.file.as_str()).collect();
    for name in locked.keys() {
        if !present.contains(name) {
            findings.push(Finding {
                severity: Severity::Integrity,
                subject: (*name).to_string(),
                message: "is in pylock.toml but missing from the archive".into(),
            });
        }
    }
}

/// Checks one allowed member as soon as the archive reader has written it: a wheel is
/// validated and hashed, its plugins detected and its METADATA kept in a one-file stub wheel of
/// the same name under `stubs` (all the offline closure resolution reads); then the wheel's
/// temp file is deleted, so disk use stays bounded by the largest single wheel. Other files
/// (requirements, constraints, lock; small) stay in the reader's temp folder.
fn check_member(
    file: &str,
    temp: &Path,
    stubs: &Path,
    checked: &mut Vec<CheckedWheel>,
    plugins: &mut Vec<crate::netbox::Plugin>,
) -> std::io::Result<()> {
    let Ok(wheel) = file.parse::<WheelName>() else {
        return Ok(());
    };
    let (validated, sha256, size) =
        crate::verify::validate_and_hash(temp, &wheel, &crate::verify::WheelCheck::default())?;
    match crate::netbox::detect_plugins(temp, &wheel) {
        Ok(found) => plugins.extend(found),
        Err(e) => tracing::debug!("Plugin detection skipped `{file}`: {e}"),
    }
    let stub = stubs.join(file);
    match crate::index::metadata::read_metadata_from_wheel(temp, &wheel) {
        Ok(metadata) => write_stub(&stub, &wheel, &metadata)?,
        Err(e) => tracing::debug!("No METADATA kept for `{file}`: {e}"),
    }
    std::fs::remove_file(temp)?;
    let (problem, notes) = match validated {
        Ok(v) => (None, v.notes),
        Err(e) => (Some(e), Vec::new()),
    };
    checked.push((
        WheelInfo {
            name: wheel.name.to_string(),
            version: wheel.version.to_string(),
            file: file.to_string(),
            tags: wheel.tag_string(),
            size,
            sha256,
        },
        wheel,
        stub,
        problem,
        notes,
    ));
    Ok(())
}

/// A zip holding only `{name}-{version}.dist-info/METADATA`: what the find-links source reads.
fn write_stub(path: &Path, wheel: &WheelName, metadata: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let out = std::fs::File::create_new(path)?;
    let mut zip = zip::ZipWriter::new(out);
    let name = format!(
        "{}-{}.dist-info/METADATA",
        wheel.name.to_string().replace('-', "_"),
        wheel.version
    );
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options)
        .map_err(std::io::Error::other)?;
    zip.write_all(metadata)?;
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

type TargetClosure = (String, Result<Vec<String>, String>, Vec<String>);

/// Resolves the archive's own requirements and constraints from its wheels alone, per target.
fn closure(dir: &Path, wheels: &Path, targets: &[Target]) -> Result<Vec<TargetClosure>, Error> {
    let constraints: Vec<PathBuf> = [dir.join("constraints.txt")]
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    let reqs = requirements::parse(&[dir.join("requirements.txt")], &constraints, &|_| None)?;
    let crate::commands::wiring::Wired { client, runtime } = crate::commands::wiring::wire(
        HttpOptions {
            offline: true,
            ..HttpOptions::default()
        },
        AuthStore::new(std::iter::empty(), None),
        ClientOptions {
            indexes: Vec::new(),
            find_links: vec![FindLinks::Dir(wheels.to_path_buf())],
            strategy: crate::index::client::IndexStrategy::FirstIndex,
            private_prefixes: Vec::new(),
            offline: true,
            concurrency: 4,
        },
        Cache::temporary()?,
        2,
    )?;
    let source = BlockingSource::new(client, runtime.handle().clone());
    let mut out = Vec::new();
    for target in targets {
        // As pip in the pod: pre-releases only when named or when nothing else is there.
        let options = ResolveOptions {
            pre: false,
            uploaded_prior_to: None,
            ..ResolveOptions::default()
        };
        let result = resolve::resolve(
            &source,
            &reqs.requirements,
            &reqs.constraints,
            target,
            &options,
        );
        match result {
            Ok(resolution) => {
                let pins = resolution
                    .packages
                    .iter()
                    .map(|p| format!("{}=={}", p.name, p.version))
                    .collect();
                let files = resolution
                    .packages
                    .iter()
                    .map(|p| p.file.filename.clone())
                    .collect();
                out.push((target.to_string(), Ok(pins), files));
            }
            Err(e) => {
                let hint = e.hint().map(|h| format!("\nhint: {h}")).unwrap_or_default();
                out.push((target.to_string(), Err(format!("{e}{hint}")), Vec::new()));
            }
        }
    }
    Ok(out)
}
