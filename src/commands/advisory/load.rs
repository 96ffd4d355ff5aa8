//! A [`Closure`] from a finished archive: its wheels (with sha256, the index and URL the lock
//! records, the license from `METADATA`), `requirements.txt`, `constraints.txt` and the
//! dependency graph of the wheels' `Requires-Dist` for the lock's target.

use std::collections::BTreeMap;
use std::path::Path;

use pep508_rs::{PackageName, Requirement};

use super::closure::{self, Closure, Pinned, WheelFile};
use crate::archive;
use crate::commands::Error;
use crate::index::cache::sha256_file;
use crate::index::metadata::{parse_metadata, read_metadata_from_wheel};
use crate::lock::Lock;

/// An archive read for `audit` and `sbom`.
#[derive(Debug)]
pub struct LoadedArchive {
    /// The closure.
    pub closure: Closure,
    /// The archive's sha256.
    pub sha256: String,
    /// Its lock, when it has one.
    pub lock: Option<Lock>,
}

/// Reads `path`. An integrity problem of the archive itself is an error (exit 4): run
/// `nbwheel verify` for the details.
pub fn load_archive(path: &Path) -> Result<LoadedArchive, Error> {
    let opened = archive::open_archive(path)?;
    if let Some(f) = opened.findings.first() {
        return Err(Error::Verify {
            code: crate::exit::ExitCode::Integrity,
        })
        .inspect_err(|_| tracing::error!("`{}`: {}: {}", path.display(), f.entry, f.problem));
    }
    let dir = opened.dir.path();
    let (requirements_txt, constraints_txt, lock) = closure::archive_inputs(dir)?;
    // The lock's record of each file: (index, url).
    let mut recorded: BTreeMap<&str, (Option<&str>, Option<&str>)> = BTreeMap::new();
    for p in lock.iter().flat_map(|l| &l.packages) {
        for w in &p.wheels {
            recorded.insert(&w.name, (p.index.as_deref(), w.url.as_deref()));
        }
    }
    let mut by_name: BTreeMap<PackageName, Pinned> = BTreeMap::new();
    let mut requires: BTreeMap<PackageName, Vec<Requirement>> = BTreeMap::new();
    for (file, wheel, wheel_path) in opened.wheel_files() {
        let (sha256, _) =
            sha256_file(&wheel_path).map_err(|e| Error::io("Failed to read", &wheel_path, e))?;
        let raw = read_metadata_from_wheel(&wheel_path, &wheel)?;
        let meta = parse_metadata(&raw, &file)?;
        requires
            .entry(wheel.name.clone())
            .or_default()
            .extend(meta.requires_dist.iter().cloned());
        let (index, url) = recorded.get(file.as_str()).copied().unwrap_or_default();
        let entry = by_name.entry(wheel.name.clone()).or_insert_with(|| Pinned {
            name: wheel.name.clone(),
            version: wheel.version.clone(),
            files: Vec::new(),
            index: index.map(str::to_string),
            private: false,
            license: crate::commands::sbom::license::from_metadata(&raw),
        });
        entry.files.push(WheelFile {
            file,
            sha256,
            url: url.map(str::to_string),
        });
    }
    let roots: Vec<Requirement> = requirements_txt
        .lines()
        .filter_map(|l| {
            crate::requirements::parse_pep508(l.split(" #").next().unwrap_or_default().trim()).ok()
        })
        .collect();
    let target = closure::lock_target(lock.as_ref());
    let mut packages: Vec<Pinned> = by_name.into_values().collect();
    for p in &mut packages {
        p.files.sort_by(|a, b| a.file.cmp(&b.file));
    }
    let closure = Closure {
        subject: path.display().to_string(),
        packages,
        constraints: closure::spec_lines(&constraints_txt, "constraints.txt"),
        requirements: closure::spec_lines(&requirements_txt, "requirements.txt"),
        dependencies: closure::dependency_graph(&requires, &roots, &target),
        targets: lock
            .as_ref()
            .map(|l| {
                if l.tool.nbwheel.targets.is_empty() {
                    vec![l.tool.nbwheel.target.clone()]
                } else {
                    l.tool.nbwheel.targets.clone()
                }
            })
            .unwrap_or_default(),
    };
    Ok(LoadedArchive {
        closure,
        sha256: opened.sha256.clone(),
        lock,
    })
}

/// Marks the projects that must never leave the building: those from any source but
/// `public_index` (local wheels included) and those matching a private prefix.
pub fn mark_private(closure: &mut Closure, public_index: &str, prefixes: &[String]) {
    let public = public_index.trim_end_matches('/');
    for p in &mut closure.packages {
        let from_public = p
            .index
            .as_deref()
            .is_some_and(|i| i.trim_end_matches('/') == public);
        let prefixed = prefixes.iter().any(|pre| {
            let pre = pre.trim().to_ascii_lowercase().replace(['_', '.'], "-");
            !pre.is_empty() && p.name.as_ref().starts_with(&pre)
        });
        p.private = !from_public || prefixed;
    }
}
