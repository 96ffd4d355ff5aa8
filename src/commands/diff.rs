//! `nbwheel diff OLD NEW`: what an upgrade (or a rollback) changes between two wheelhouses.
//!
//! Input: two archive paths, each read with [`crate::archive::open_archive`] (safely, into a
//! temporary folder). Output: a [`DiffReport`]: projects added, removed, upgraded and
//! downgraded (versions compared as PEP 440 versions), wheels whose file changed at the same
//! version (another tag set, build or hash), and `NetBox` plugin modules added or removed. A
//! project present at several versions in one archive is compared version by version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pep440_rs::Version;

use crate::archive;
use crate::commands::Error;
use crate::index::cache::sha256_file;
use crate::netbox::{Plugin, detect_plugins};

/// A project at one version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackageVersion {
    /// The normalised name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The wheel file(s).
    pub files: Vec<String>,
}

/// A project whose version moved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionChange {
    /// The normalised name.
    pub name: String,
    /// The version in OLD.
    pub old: String,
    /// The version in NEW.
    pub new: String,
}

/// A project at the same version whose wheel file changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    /// The normalised name.
    pub name: String,
    /// The version.
    pub version: String,
    /// `file sha256:…` of each wheel in OLD.
    pub old: Vec<String>,
    /// `file sha256:…` of each wheel in NEW.
    pub new: Vec<String>,
}

/// What changed from OLD to NEW.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiffReport {
    /// The old archive.
    pub old: PathBuf,
    /// The new archive.
    pub new: PathBuf,
    /// Projects (or versions) only in NEW.
    pub added: Vec<PackageVersion>,
    /// Projects (or versions) only in OLD.
    pub removed: Vec<PackageVersion>,
    /// Projects at a higher version in NEW.
    pub upgraded: Vec<VersionChange>,
    /// Projects at a lower version in NEW.
    pub downgraded: Vec<VersionChange>,
    /// Same version, different wheel file or hash.
    pub changed: Vec<FileChange>,
    /// Plugin modules only in NEW.
    pub plugins_added: Vec<String>,
    /// Plugin modules only in OLD.
    pub plugins_removed: Vec<String>,
    /// Problems found while reading the archives (unsafe entries are skipped).
    pub warnings: Vec<String>,
}

impl DiffReport {
    /// True when the archives hold the same wheels.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.upgraded.is_empty()
            && self.downgraded.is_empty()
            && self.changed.is_empty()
            && self.plugins_added.is_empty()
            && self.plugins_removed.is_empty()
    }
}

/// name → version → [(file, sha256)].
type Contents = BTreeMap<String, BTreeMap<Version, Vec<(String, String)>>>;

fn read(path: &Path, warnings: &mut Vec<String>) -> Result<(Contents, Vec<Plugin>), Error> {
    let opened = archive::open_archive(path)?;
    for f in &opened.findings {
        warnings.push(format!("{}: {f}", path.display()));
    }
    let mut contents = Contents::new();
    let mut plugins = Vec::new();
    for (file, wheel, wheel_path) in opened.wheel_files() {
        let (sha256, _) =
            sha256_file(&wheel_path).map_err(|e| Error::io("Failed to read", &wheel_path, e))?;
        match detect_plugins(&wheel_path, &wheel) {
            Ok(found) => plugins.extend(found),
            Err(e) => warnings.push(format!("{}: {e}", path.display())),
        }
        contents
            .entry(wheel.name.to_string())
            .or_default()
            .entry(wheel.version.clone())
            .or_default()
            .push((file, sha256));
    }
    for versions in contents.values_mut() {
        for files in versions.values_mut() {
            files.sort();
            files.dedup();
        }
    }
    Ok((contents, plugins))
}

fn files_of(files: &[(String, String)]) -> Vec<String> {
    files.iter().map(|(f, _)| f.clone()).collect()
}

fn with_hashes(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .map(|(f, h)| format!("{f} sha256:{h}"))
        .collect()
}

/// Compares two archives.
pub fn diff(old: &Path, new: &Path) -> Result<DiffReport, Error> {
    let mut warnings = Vec::new();
    let (a, a_plugins) = read(old, &mut warnings)?;
    let (b, b_plugins) = read(new, &mut warnings)?;
    let mut report = DiffReport {
        old: old.to_path_buf(),
        new: new.to_path_buf(),
        added: Vec::new(),
        removed: Vec::new(),
        upgraded: Vec::new(),
        downgraded: Vec::new(),
        changed: Vec::new(),
        plugins_added: Vec::new(),
        plugins_removed: Vec::new(),
        warnings,
    };
    let empty = BTreeMap::new();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        let va = a.get(name).unwrap_or(&empty);
        let vb = b.get(name).unwrap_or(&empty);
        let entry = |v: &Version, files: &[(String, String)]| PackageVersion {
            name: name.clone(),
            version: v.to_string(),
            files: files_of(files),
        };
        if let ([(old_v, old_f)], [(new_v, new_f)]) = (
            va.iter().collect::<Vec<_>>().as_slice(),
            vb.iter().collect::<Vec<_>>().as_slice(),
        ) {
            let change = VersionChange {
                name: name.clone(),
                old: old_v.to_string(),
                new: new_v.to_string(),
            };
            match old_v.cmp(new_v) {
                std::cmp::Ordering::Less => report.upgraded.push(change),
                std::cmp::Ordering::Greater => report.downgraded.push(change),
                std::cmp::Ordering::Equal if old_f != new_f => report.changed.push(FileChange {
                    name: name.clone(),
                    version: new_v.to_string(),
                    old: with_hashes(old_f),
                    new: with_hashes(new_f),
                }),
                std::cmp::Ordering::Equal => {}
            }
            continue;
        }
        for (v, files) in va {
            match vb.get(v) {
                None => report.removed.push(entry(v, files)),
                Some(other) if other != files => report.changed.push(FileChange {
                    name: name.clone(),
                    version: v.to_string(),
                    old: with_hashes(files),
                    new: with_hashes(other),
                }),
                Some(_) => {}
            }
        }
        for (v, files) in vb {
            if !va.contains_key(v) {
                report.added.push(entry(v, files));
            }
        }
    }
    let old_mods: BTreeSet<&str> = a_plugins.iter().map(|p| p.module.as_str()).collect();
    let new_mods: BTreeSet<&str> = b_plugins.iter().map(|p| p.module.as_str()).collect();
    report.plugins_added = new_mods
        .difference(&old_mods)
        .map(ToString::to_string)
        .collect();
    report.plugins_removed = old_mods
        .difference(&new_mods)
        .map(ToString::to_string)
        .collect();
    Ok(report)
}

/// The report as text, one change per line, grouped.
pub fn render(report: &DiffReport) -> String {
    let mut out = format!("{} -> {}\n", report.old.display(), report.new.display());
    if report.is_empty() {
        out.push_str("No changes: the archives hold the same wheels.\n");
        return out;
    }
    for c in &report.upgraded {
        out.push_str(&format!(
            "  upgraded    {} {} -> {}\n",
            c.name, c.old, c.new
        ));
    }
    for c in &report.downgraded {
        out.push_str(&format!(
            "  downgraded  {} {} -> {}\n",
            c.name, c.old, c.new
        ));
    }
    for p in &report.added {
        out.push_str(&format!("  added       {} {}\n", p.name, p.version));
    }
    for p in &report.removed {
        out.push_str(&format!("  removed     {} {}\n", p.name, p.version));
    }
    for c in &report.changed {
        out.push_str(&format!(
            "  changed     {} {}: the wheel differs at the same version\n",
            c.name, c.version
        ));
        for f in &c.old {
            out.push_str(&format!("                - {f}\n"));
        }
        for f in &c.new {
            out.push_str(&format!("                + {f}\n"));
        }
    }
    for m in &report.plugins_added {
        out.push_str(&format!("  plugin added    {m}\n"));
    }
    for m in &report.plugins_removed {
        out.push_str(&format!("  plugin removed  {m}\n"));
    }
    out.push_str(&format!(
        "{} upgraded, {} downgraded, {} added, {} removed, {} changed at the same version\n",
        report.upgraded.len(),
        report.downgraded.len(),
        report.added.len(),
        report.removed.len(),
        report.changed.len()
    ));
    out
}
