//! From the files an index lists to the versions the resolver may choose.
//!
//! Input: a [`ProjectPage`] and the [`Target`]. Output: a [`VersionMap`]: every version of the
//! project, newest first, each either *available* with its best wheel for the target (best tag
//! priority, then highest build tag) or *unavailable* with the reason (sdist only, wheels only for
//! other platforms, `Requires-Python` excludes the target). The reasons are kept so a failed
//! resolution can say why a version could not be used.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;

use crate::index::{DistFile, ForeignWheel, ProjectPage};
use crate::target::{TagRanks, Target};
use crate::wheel_name::WheelName;

/// Why a version cannot be installed on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// Only source distributions (or other non-wheel files) exist.
    NoWheels,
    /// Wheels exist, none for the target; the distinct platform tags found.
    IncompatibleWheels {
        /// The compressed tag strings of the wheels found, e.g. `cp311-cp311-manylinux_2_28_x86_64`.
        tags: Vec<String>,
        /// The lowest glibc minor among wheels that would fit if the target's glibc were newer.
        needs_glibc: Option<u16>,
    },
    /// Every compatible wheel requires another Python.
    RequiresPython(String),
    /// The only files left after the upload-time cutoff are none.
    UploadedAfterCutoff,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::NoWheels => f.write_str(
                "has no wheels, only a source distribution (built only with `--allow-sdist`)",
            ),
            Unavailable::IncompatibleWheels {
                needs_glibc: Some(n),
                ..
            } => write!(
                f,
                "has wheels for this CPU and Python only for glibc 2.{n} or newer (`manylinux_2_{n}`)"
            ),
            Unavailable::IncompatibleWheels { tags, .. } => {
                let shown: Vec<&str> = tags.iter().take(6).map(String::as_str).collect();
                write!(f, "has wheels only for {}", shown.join(", "))?;
                if tags.len() > shown.len() {
                    write!(f, " and {} more", tags.len() - shown.len())?;
                }
                Ok(())
            }
            Unavailable::RequiresPython(spec) => write!(f, "requires Python {spec}"),
            Unavailable::UploadedAfterCutoff => {
                f.write_str("was uploaded after the `--uploaded-prior-to` cutoff")
            }
        }
    }
}

/// One version of a project.
#[derive(Debug, Clone)]
pub struct VersionEntry {
    /// The best wheel for the target, or why there is none.
    /// Boxed: a page can list hundreds of thousands of versions, most of them unavailable, and
    /// an inline `DistFile` would make every entry of the map hundreds of bytes.
    pub best: Result<Box<DistFile>, Unavailable>,
    /// True when every file of this version is yanked.
    pub yanked: bool,
    /// The version's source distribution, when the page lists one (not yanked first).
    pub sdist: Option<Box<DistFile>>,
}

/// All versions of one project for one target.
#[derive(Debug, Clone, Default)]
pub struct VersionMap {
    /// Versions in ascending order.
    pub versions: BTreeMap<Version, VersionEntry>,
    /// True when no release of the project has a platform-specific wheel: every wheel it lists
    /// (if any) is tagged `none-any`. Used only to hint at `--allow-sdist` (see
    /// [`VersionMap::looks_pure`]).
    pub looks_pure: bool,
}

impl VersionMap {
    /// Builds the map for `page` on `target`; `relaxed` ranks the same target with any glibc
    /// (see [`relaxed_ranks`]), to tell when only the glibc floor stands in the way.
    pub fn new(page: &ProjectPage, target: &Target, ranks: &TagRanks, relaxed: &TagRanks) -> Self {
        let python = target.python_full_version();
        let mut by_version: BTreeMap<Version, (Vec<&DistFile>, Vec<&ForeignWheel>)> =
            BTreeMap::new();
        for file in &page.files {
            let version = match &file.wheel {
                Some(w) => Some(w.version.clone()),
                None => sdist_version(&file.filename, &page.name),
            };
            if let Some(v) = version {
                by_version.entry(v).or_default().0.push(file);
            }
        }
        // Wheels the page filter left out count as wheels for other platforms.
        for wheel in &page.foreign {
            by_version
                .entry(wheel.version.clone())
                .or_default()
                .1
                .push(wheel);
        }
        let versions = by_version
            .into_iter()
            .map(|(version, (files, foreign))| {
                let yanked =
                    files.iter().all(|f| f.yanked.is_some()) && foreign.iter().all(|f| f.yanked);
                // Within a version, prefer files that are not yanked.
                let best = choose_file(&files, &foreign, ranks, relaxed, &python, target);
                let sdist = files
                    .iter()
                    .filter(|f| f.wheel.is_none())
                    .min_by_key(|f| (f.yanked.is_some(), !f.filename.ends_with(".tar.gz")))
                    .map(|f| Box::new((*f).clone()));
                (
                    version,
                    VersionEntry {
                        best,
                        yanked,
                        sdist,
                    },
                )
            })
            .collect();
        let looks_pure =
            page.files.iter().filter_map(|f| f.wheel.as_ref()).all(|w| {
                w.platform.iter().all(|p| p == "any") && w.abi.iter().all(|a| a == "none")
            }) && page.foreign.is_empty();
        VersionMap {
            versions,
            looks_pure,
        }
    }

    /// With `--allow-sdist`: every version without a usable wheel (none at all, or none for the
    /// target) whose sdist admits the target's Python offers that sdist instead. The wheel built
    /// from it is checked against the target later.
    pub fn allow_sdists(&mut self, target: &Target) {
        let python = target.python_full_version();
        for entry in self.versions.values_mut() {
            let usable = matches!(
                entry.best,
                Err(Unavailable::NoWheels | Unavailable::IncompatibleWheels { .. })
            );
            if let (true, Some(sdist)) = (usable, &entry.sdist)
                && sdist
                    .requires_python
                    .as_ref()
                    .is_none_or(|spec| spec.contains(&python))
            {
                entry.best = Ok(sdist.clone());
            }
        }
    }
}

fn choose_file(
    files: &[&DistFile],
    foreign: &[&ForeignWheel],
    ranks: &TagRanks,
    relaxed: &TagRanks,
    python: &Version,
    target: &Target,
) -> Result<Box<DistFile>, Unavailable> {
    let wheels: Vec<(&DistFile, &WheelName)> = files
        .iter()
        .filter_map(|f| f.wheel.as_ref().map(|w| (*f, w)))
        .collect();
    if wheels.is_empty() && foreign.is_empty() {
        return Err(Unavailable::NoWheels);
    }
    let compatible: Vec<(&DistFile, &WheelName, usize)> = wheels
        .iter()
        .filter_map(|(f, w)| ranks.rank(w).map(|r| (*f, *w, r)))
        .collect();
    if compatible.is_empty() {
        let mut tags: Vec<String> = wheels
            .iter()
            .map(|(_, w)| w.tag_string())
            .chain(foreign.iter().map(|f| f.tags.clone()))
            .collect();
        tags.sort();
        tags.dedup();
        let needs_glibc = wheels
            .iter()
            .filter_map(|(_, w)| glibc_needed(w, target, relaxed))
            .min();
        return Err(Unavailable::IncompatibleWheels { tags, needs_glibc });
    }
    let python_ok: Vec<&(&DistFile, &WheelName, usize)> = compatible
        .iter()
        .filter(|(f, _, _)| {
            f.requires_python
                .as_ref()
                .is_none_or(|spec| spec.contains(python))
        })
        .collect();
    if python_ok.is_empty() {
        let spec = compatible[0]
            .0
            .requires_python
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(Unavailable::RequiresPython(spec));
    }
    let best = python_ok
        .iter()
        .min_by(|a, b| {
            // Not yanked first, then tag priority, then the highest build tag, then file name.
            (a.0.yanked.is_some(), a.2)
                .cmp(&(b.0.yanked.is_some(), b.2))
                .then_with(|| b.1.build.cmp(&a.1.build))
                .then_with(|| a.0.filename.cmp(&b.0.filename))
        })
        .map(|(f, _, _)| Box::new((*f).clone()));
    best.ok_or(Unavailable::NoWheels)
}

/// The tag ranks of `target` with any glibc (2.99), for [`VersionMap::new`].
pub fn relaxed_ranks(target: &Target) -> TagRanks {
    let mut newer = target.clone();
    newer.glibc.minor = 99;
    newer.tag_ranks()
}

/// The glibc minor version a wheel would need to run on the target's architecture and Python,
/// when that is the only thing standing in the way.
fn glibc_needed(wheel: &WheelName, target: &Target, relaxed: &TagRanks) -> Option<u16> {
    relaxed.rank(wheel)?;
    let arch = target.arch.as_str();
    wheel
        .platform
        .iter()
        .filter_map(|p| {
            let rest = p.strip_prefix("manylinux_2_")?;
            let minor = rest.strip_suffix(&format!("_{arch}"))?;
            minor.parse::<u16>().ok()
        })
        .filter(|m| *m > target.glibc.minor)
        .min()
}

/// The version of an sdist file name such as `foo-1.0.tar.gz`, when it parses.
fn sdist_version(filename: &str, project: &PackageName) -> Option<Version> {
    let stem = crate::wheel_name::sdist_stem(filename)?;
    let (name, version) = stem.rsplit_once('-')?;
    let name = PackageName::new(name.to_string()).ok()?;
    if &name != project {
        return None;
    }
    Version::from_str(version).ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::index::{Hashes, Origin};
    use crate::target::{Arch, Glibc};

    /// A listed file of this name on `https://example.invalid/`, no hashes (for other tests too).
    pub(crate) fn file(name: &str) -> DistFile {
        DistFile {
            filename: name.to_string(),
            wheel: name.parse().ok(),
            url: url::Url::parse(&format!("https://example.invalid/{name}")).unwrap(),
            hashes: Hashes::default(),
            requires_python: None,
            yanked: None,
            core_metadata: None,
            upload_time: None,
            size: None,
            origin: Origin::Index(0),
        }
    }

    fn map(files: Vec<DistFile>, glibc: u16) -> VersionMap {
        let mut target = Target::new(Arch::X86_64);
        target.glibc = Glibc {
            major: 2,
            minor: glibc,
        };
        let page = ProjectPage {
            name: PackageName::new("foo".into()).unwrap(),
            files,
            api_version: None,
            skipped: Vec::new(),
            foreign: Vec::new(),
            status: None,
        };
        VersionMap::new(&page, &target, &target.tag_ranks(), &relaxed_ranks(&target))
    }

    #[test]
    fn picks_best_tag_then_build() {
        let m = map(
            vec![
                file("foo-1.0-py3-none-any.whl"),
                file("foo-1.0-cp38-abi3-manylinux2014_x86_64.whl"),
                file("foo-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl"),
                file("foo-1.0-2-cp312-cp312-manylinux_2_17_x86_64.whl"),
                file("foo-1.0.tar.gz"),
            ],
            28,
        );
        let best = m.versions.values().next().unwrap().best.clone().unwrap();
        assert_eq!(
            best.filename,
            "foo-1.0-2-cp312-cp312-manylinux_2_17_x86_64.whl"
        );
    }

    #[test]
    fn explains_unavailable_versions() {
        let m = map(
            vec![
                file("foo-1.0.tar.gz"),
                file("foo-2.0-cp312-cp312-manylinux_2_28_x86_64.whl"),
                file("foo-3.0-cp312-cp312-musllinux_1_2_x86_64.whl"),
            ],
            17,
        );
        let reasons: Vec<String> = m
            .versions
            .iter()
            .map(|(v, e)| format!("{v}: {}", e.best.as_ref().unwrap_err()))
            .collect();
        insta::assert_snapshot!(reasons.join("\n"), @r"
        1.0: has no wheels, only a source distribution (built only with `--allow-sdist`)
        2.0: has wheels for this CPU and Python only for glibc 2.28 or newer (`manylinux_2_28`)
        3.0: has wheels only for cp312-cp312-musllinux_1_2_x86_64
        ");
        let v2 = &m.versions[&Version::from_str("2.0").unwrap()];
        assert!(matches!(
            v2.best,
            Err(Unavailable::IncompatibleWheels {
                needs_glibc: Some(28),
                ..
            })
        ));
    }

    #[test]
    fn requires_python_excludes() {
        let mut f = file("foo-1.0-py3-none-any.whl");
        f.requires_python = Some(">=3.13".parse().unwrap());
        let m = map(vec![f], 28);
        assert!(matches!(
            m.versions.values().next().unwrap().best,
            Err(Unavailable::RequiresPython(_))
        ));
    }
}
