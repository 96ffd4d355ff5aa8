//! The pubgrub [`pubgrub::DependencyProvider`] over a [`Source`].
//!
//! Packages are the root (the user's requirements), projects, and `project[extra]` virtual
//! packages. Versions are PEP 440 versions; version sets are `Ranges<Version>` built from PEP 440
//! specifiers by `pep440_rs`. The provider runs on the solver thread and keeps its caches in
//! `RefCell`s; everything it needs from the network comes through the [`Source`].//!
//! What pubgrub asks (priorities, versions, dependencies) is answered in `solver`; the version
//! lists it chooses from, fetched and memoised per project, are kept in `versions`.

mod solver;
#[cfg(test)]
mod tests;
mod versions;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use pep440_rs::{Operator, Version, VersionSpecifiers};
use pep508_rs::{ExtraName, MarkerEnvironment, PackageName, VersionOrUrl};
use pubgrub::Ranges;

/// Dependencies being collected, merged by package (ranges intersected), in a stable order.
type Deps = BTreeMap<Pkg, Ranges<Version>>;

use super::candidates::{Unavailable, VersionMap};
use super::{Resolution, ResolveOptions, ResolvedPackage, Source};
use crate::index::{DistFile, Origin};
use crate::requirements::{Entry, EntryKind};
use crate::target::{TagRanks, Target};

/// A node of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pkg {
    /// The user's requirements.
    Root,
    /// A project.
    Name(PackageName),
    /// A project with one extra; depends on the project at the same version.
    Extra(PackageName, ExtraName),
}

impl Pkg {
    /// The project name, for everything but the root.
    pub fn name(&self) -> Option<&PackageName> {
        match self {
            Pkg::Root => None,
            Pkg::Name(n) | Pkg::Extra(n, _) => Some(n),
        }
    }
}

impl fmt::Display for Pkg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pkg::Root => f.write_str("your requirements"),
            Pkg::Name(n) => write!(f, "`{n}`"),
            Pkg::Extra(n, e) => write!(f, "`{n}[{e}]`"),
        }
    }
}

/// Why a version was passed over, for the failure report.
#[derive(Debug, Clone)]
pub enum Skipped {
    /// No usable wheel.
    Unavailable(Unavailable),
    /// Yanked and not pinned with `==`.
    Yanked(String),
    /// A pre-release the rules do not allow.
    PreRelease,
    /// Excluded by the caller ([`super::ResolveOptions::excluded`]), with the reason.
    Excluded(String),
}

/// A requirement or constraint line, for messages.
#[derive(Debug, Clone)]
pub struct SourceLine {
    /// `file:line`.
    pub location: String,
    /// The line as a requirement string.
    pub text: String,
}

pub struct Provider<'a> {
    source: &'a dyn Source,
    target: Target,
    ranks: TagRanks,
    relaxed: TagRanks,
    env: MarkerEnvironment,
    options: ResolveOptions,
    root_deps: Vec<(Pkg, Ranges<Version>)>,
    constraints: HashMap<PackageName, Ranges<Version>>,
    direct: HashMap<PackageName, DistFile>,
    pub(super) requirement_lines: BTreeMap<PackageName, Vec<SourceLine>>,
    pub(super) constraint_lines: BTreeMap<PackageName, Vec<SourceLine>>,
    pre_named: RefCell<HashSet<PackageName>>,
    exact_pins: RefCell<HashMap<PackageName, HashSet<Version>>>,
    maps: RefCell<HashMap<PackageName, Option<Arc<VersionMap>>>>,
    pub(super) skipped: RefCell<BTreeMap<PackageName, BTreeMap<Version, Skipped>>>,
    pub(super) not_found: RefCell<BTreeSet<PackageName>>,
    order: RefCell<HashMap<Pkg, usize>>,
    warnings: RefCell<Vec<String>>,
    /// Projects already prefetched, by the solver or by a prefetch following dependencies.
    prefetched: Arc<std::sync::Mutex<HashSet<PackageName>>>,
    follow: Option<crate::resolve::Follow>,
}

/// The PEP 440 ranges of a specifier set.
pub fn specifier_range(specs: &VersionSpecifiers) -> Ranges<Version> {
    Ranges::from(specs.clone())
}

fn names_prerelease(specs: &VersionSpecifiers) -> bool {
    specs.iter().any(|s| s.version().any_prerelease())
}

fn exact_versions(specs: &VersionSpecifiers) -> impl Iterator<Item = &Version> {
    specs
        .iter()
        .filter(|s| matches!(s.operator(), Operator::Equal | Operator::ExactEqual))
        .map(pep440_rs::VersionSpecifier::version)
}

impl<'a> Provider<'a> {
    pub fn new(
        source: &'a dyn Source,
        requirements: &[Entry],
        constraints: &[Entry],
        target: &Target,
        options: &ResolveOptions,
    ) -> Self {
        let env = target.marker_environment();
        let mut provider = Provider {
            source,
            target: target.clone(),
            ranks: target.tag_ranks(),
            relaxed: super::candidates::relaxed_ranks(target),
            env,
            options: options.clone(),
            root_deps: Vec::new(),
            constraints: HashMap::new(),
            direct: HashMap::new(),
            requirement_lines: BTreeMap::new(),
            constraint_lines: BTreeMap::new(),
            pre_named: RefCell::new(HashSet::new()),
            exact_pins: RefCell::new(HashMap::new()),
            maps: RefCell::new(HashMap::new()),
            skipped: RefCell::new(BTreeMap::new()),
            not_found: RefCell::new(BTreeSet::new()),
            order: RefCell::new(HashMap::new()),
            warnings: RefCell::new(Vec::new()),
            prefetched: Arc::default(),
            follow: None,
        };
        for entry in constraints {
            if !entry.marker().evaluate(&provider.env, &[]) {
                continue;
            }
            let name = entry.name().clone();
            let range = provider.entry_range(entry);
            provider
                .constraint_lines
                .entry(name.clone())
                .or_default()
                .push(SourceLine {
                    location: entry.location.to_string(),
                    text: entry_text(entry),
                });
            let slot = provider
                .constraints
                .entry(name)
                .or_insert_with(Ranges::full);
            *slot = slot.intersection(&range);
        }
        for entry in requirements {
            if !entry.marker().evaluate(&provider.env, &[]) {
                continue;
            }
            let name = entry.name().clone();
            let range = provider.entry_range(entry);
            provider
                .requirement_lines
                .entry(name.clone())
                .or_default()
                .push(SourceLine {
                    location: entry.location.to_string(),
                    text: entry_text(entry),
                });
            provider
                .root_deps
                .push((Pkg::Name(name.clone()), range.clone()));
            for extra in entry.extras() {
                provider
                    .root_deps
                    .push((Pkg::Extra(name.clone(), extra.clone()), range.clone()));
            }
        }
        provider.follow = Some(provider.follower());
        provider
    }

    /// The range an entry allows, recording direct files, exact pins and pre-release mentions.
    fn entry_range(&mut self, entry: &Entry) -> Ranges<Version> {
        match &entry.kind {
            EntryKind::DirectWheel {
                name, wheel, url, ..
            } => {
                let file = DistFile {
                    filename: wheel.filename().to_string(),
                    wheel: Some(wheel.clone()),
                    url: url.clone(),
                    hashes: crate::index::Hashes::default(),
                    requires_python: None,
                    yanked: None,
                    core_metadata: None,
                    upload_time: None,
                    size: None,
                    origin: Origin::Direct,
                };
                self.direct.insert(name.clone(), file);
                if wheel.version.any_prerelease() {
                    self.pre_named.borrow_mut().insert(name.clone());
                }
                Ranges::singleton(wheel.version.clone())
            }
            EntryKind::Named(req) => match &req.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(specs)) => {
                    self.note_specifiers(&req.name, specs);
                    specifier_range(specs)
                }
                _ => Ranges::full(),
            },
        }
    }

    fn note_specifiers(&self, name: &PackageName, specs: &VersionSpecifiers) {
        if names_prerelease(specs) {
            self.pre_named.borrow_mut().insert(name.clone());
        }
        let exact: Vec<Version> = exact_versions(specs).cloned().collect();
        if !exact.is_empty() {
            self.exact_pins
                .borrow_mut()
                .entry(name.clone())
                .or_default()
                .extend(exact);
        }
    }

    pub fn into_resolution(
        self,
        selected: &pubgrub::SelectedDependencies<Pkg, Version>,
    ) -> Resolution {
        let mut extras: HashMap<PackageName, BTreeSet<ExtraName>> = HashMap::new();
        for (pkg, _) in selected.iter() {
            if let Pkg::Extra(n, e) = pkg {
                extras.entry(n.clone()).or_default().insert(e.clone());
            }
        }
        let mut packages: Vec<ResolvedPackage> = selected
            .iter()
            .filter_map(|(pkg, version)| match pkg {
                Pkg::Name(name) => {
                    let file = self.best_file(name, version)?;
                    Some(ResolvedPackage {
                        name: name.clone(),
                        version: version.clone(),
                        extras: extras.remove(name).unwrap_or_default(),
                        file,
                        built_from: None,
                    })
                }
                _ => None,
            })
            .collect();
        packages.sort_by(|a, b| a.name.cmp(&b.name));
        let mut warnings = self.warnings.into_inner();
        for p in &packages {
            if let Some(reason) = &p.file.yanked {
                let reason = if reason.is_empty() {
                    String::new()
                } else {
                    format!(" (reason: {reason})")
                };
                warnings.push(format!(
                    "`{}` {} is yanked{reason}; it was chosen because it is pinned with `==`",
                    p.name, p.version
                ));
            }
        }
        warnings.sort();
        warnings.dedup();
        Resolution {
            target: self.target,
            packages,
            warnings,
        }
    }

    /// Narrows `range` by the constraints on `name`; when nothing is left, says which
    /// constraint lines exclude it.
    fn constrain(
        &self,
        name: &PackageName,
        range: &Ranges<Version>,
    ) -> Result<Ranges<Version>, String> {
        let Some(c) = self.constraints.get(name) else {
            return Ok(range.clone());
        };
        let narrowed = range.intersection(c);
        if narrowed.is_empty() && !range.is_empty() {
            let lines: Vec<String> = self
                .constraint_lines
                .get(name)
                .into_iter()
                .flatten()
                .map(|l| format!("`{}` ({})", l.text, l.location))
                .collect();
            return Err(format!(
                "the constraint {} allows no such version",
                lines.join(" and ")
            ));
        }
        Ok(narrowed)
    }

    /// The constraint range on a project, for reports.
    pub fn constraint(&self, name: &PackageName) -> Option<&Ranges<Version>> {
        self.constraints.get(name)
    }

    /// The target, for reports.
    pub fn target(&self) -> &Target {
        &self.target
    }
}

fn entry_text(entry: &Entry) -> String {
    match &entry.kind {
        EntryKind::Named(req) => req.to_string(),
        EntryKind::DirectWheel { name, url, .. } => {
            format!("{name} @ {}", crate::redact::Redacted::new(url))
        }
    }
}
