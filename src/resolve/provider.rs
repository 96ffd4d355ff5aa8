//! The pubgrub [`DependencyProvider`] over a [`Source`].
//!
//! Packages are the root (the user's requirements), projects, and `project[extra]` virtual
//! packages. Versions are PEP 440 versions; version sets are `Ranges<Version>` built from PEP 440
//! specifiers by `pep440_rs`. The provider runs on the solver thread and keeps its caches in
//! `RefCell`s; everything it needs from the network comes through the [`Source`].

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use pep440_rs::{Operator, Version, VersionSpecifiers};
use pep508_rs::{ExtraName, MarkerEnvironment, PackageName, VersionOrUrl};
use pubgrub::{Dependencies, DependencyProvider, PackageResolutionStatistics, Ranges};

/// Dependencies being collected, merged by package (ranges intersected), in a stable order.
type Deps = BTreeMap<Pkg, Ranges<Version>>;

use super::candidates::{Unavailable, VersionMap};
use super::{Pick, Resolution, ResolveError, ResolveOptions, ResolvedPackage, Source};
use crate::index::metadata::CoreMetadata;
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

    /// Starts fetching every root requirement.
    ///
    /// Constraint-pinned projects are not fetched speculatively: a base image pins about a
    /// hundred projects and a plugin set reaches a fifth of them. Each project is fetched as
    /// soon as some dependency names it, at once with the metadata of the pinned version, which
    /// already collapses the tree's depth; measured on the example set (bench/README.md), the
    /// speculative wave gave the same cold time, a slower warm run and three times the memory.
    pub fn prefetch_roots(&self) {
        for (pkg, range) in &self.root_deps {
            if let Pkg::Name(name) = pkg {
                self.prefetch(name, range);
            }
        }
    }

    fn prefetch(&self, name: &PackageName, range: &Ranges<Version>) {
        if self.direct.contains_key(name) || self.maps.borrow().contains_key(name) {
            return;
        }
        let range = match self.constraints.get(name) {
            Some(c) => range.intersection(c),
            None => range.clone(),
        };
        let target = self.target.clone();
        let ranks = self.ranks.clone();
        let relaxed = TagRanks::default();
        let pick: Pick = Box::new(move |page| {
            let map = VersionMap::new(page, &target, &ranks, &relaxed);
            map.versions
                .iter()
                .rev()
                .filter(|(v, e)| range.contains(*v) && !e.yanked && !v.any_prerelease())
                .find_map(|(_, e)| e.best.clone().ok())
        });
        self.source.prefetch(name, pick);
    }

    fn version_map(&self, name: &PackageName) -> Result<Option<Arc<VersionMap>>, ResolveError> {
        if let Some(m) = self.maps.borrow().get(name) {
            return Ok(m.clone());
        }
        let map = if let Some(file) = self.direct.get(name) {
            let page = crate::index::ProjectPage {
                name: name.clone(),
                files: vec![file.clone()],
                api_version: None,
                skipped: Vec::new(),
                foreign: Vec::new(),
                status: None,
            };
            Some(Arc::new(VersionMap::new(
                &page,
                &self.target,
                &self.ranks,
                &self.relaxed,
            )))
        } else {
            let page = self
                .source
                .project(name)
                .map_err(|source| ResolveError::Index {
                    package: name.to_string(),
                    source,
                })?;
            if let Some(page) = page {
                let page = self.apply_cutoff(&page);
                let mut map = VersionMap::new(&page, &self.target, &self.ranks, &self.relaxed);
                if self.options.allow_sdist.allows(name) {
                    map.allow_sdists(&self.target);
                }
                Some(Arc::new(map))
            } else {
                self.not_found.borrow_mut().insert(name.clone());
                None
            }
        };
        self.maps.borrow_mut().insert(name.clone(), map.clone());
        Ok(map)
    }

    /// True when no release of the project has a platform-specific wheel (hint at
    /// `--allow-sdist`).
    pub(super) fn looks_pure(&self, name: &PackageName) -> bool {
        self.maps
            .borrow()
            .get(name)
            .is_some_and(|m| m.as_ref().is_some_and(|m| m.looks_pure))
    }

    /// True when the project's page gave at least one version.
    pub(super) fn has_versions(&self, name: &PackageName) -> bool {
        self.maps
            .borrow()
            .get(name)
            .is_some_and(|m| m.as_ref().is_some_and(|m| !m.versions.is_empty()))
    }

    /// The listed files of a project that were skipped as malformed, unsafe or foreign (from
    /// the memoised page; empty when the page was never fetched or could not be).
    pub(super) fn skipped_files(&self, name: &PackageName) -> Vec<crate::index::SkippedFile> {
        if self.direct.contains_key(name) || !self.maps.borrow().contains_key(name) {
            return Vec::new();
        }
        match self.source.project(name) {
            Ok(Some(page)) => page.skipped.clone(),
            _ => Vec::new(),
        }
    }

    /// Drops index files uploaded at or after the cutoff, and index files without an upload
    /// time when a cutoff is set (find-links and direct files are kept).
    fn apply_cutoff(&self, page: &crate::index::ProjectPage) -> crate::index::ProjectPage {
        let Some(cutoff) = self.options.uploaded_prior_to else {
            return page.clone();
        };
        let mut page = page.clone();
        let mut dropped: BTreeSet<Version> = BTreeSet::new();
        let mut kept: BTreeSet<Version> = BTreeSet::new();
        page.files.retain(|f| {
            let keep = match f.origin {
                Origin::Index(_) => f.upload_time.is_some_and(|t| t < cutoff),
                Origin::FindLinks(_) | Origin::Direct => true,
            };
            if let Some(w) = &f.wheel {
                if keep {
                    kept.insert(w.version.clone())
                } else {
                    dropped.insert(w.version.clone())
                };
            }
            keep
        });
        page.foreign.retain(|f| {
            let keep = match f.origin {
                Origin::Index(_) => f.upload_time.is_some_and(|t| t < cutoff),
                Origin::FindLinks(_) | Origin::Direct => true,
            };
            if keep {
                kept.insert(f.version.clone())
            } else {
                dropped.insert(f.version.clone())
            };
            keep
        });
        let mut skipped = self.skipped.borrow_mut();
        let entry = skipped.entry(page.name.clone()).or_default();
        for v in dropped.difference(&kept) {
            entry.insert(
                v.clone(),
                Skipped::Unavailable(Unavailable::UploadedAfterCutoff),
            );
        }
        page
    }

    fn best_file(&self, name: &PackageName, version: &Version) -> Option<DistFile> {
        let maps = self.maps.borrow();
        let map = maps.get(name)?.as_ref()?;
        map.versions.get(version)?.best.clone().ok()
    }

    fn pre_allowed(&self, name: &PackageName) -> bool {
        self.options.pre || self.pre_named.borrow().contains(name)
    }

    fn dependencies_of(
        &self,
        name: &PackageName,
        version: &Version,
        extra: Option<&ExtraName>,
    ) -> Result<Dependencies<Pkg, Ranges<Version>, String>, ResolveError> {
        let Some(file) = self.best_file(name, version) else {
            return Ok(Dependencies::Unavailable(format!(
                "no wheel of `{name}` {version} runs on the target"
            )));
        };
        let meta: Arc<CoreMetadata> =
            self.source
                .metadata(&file)
                .map_err(|source| ResolveError::Index {
                    package: format!("{name}=={version}"),
                    source,
                })?;
        if let Some(rp) = &meta.requires_python
            && !rp.contains(&self.target.python_full_version())
        {
            self.skipped
                .borrow_mut()
                .entry(name.clone())
                .or_default()
                .insert(
                    version.clone(),
                    Skipped::Unavailable(Unavailable::RequiresPython(rp.to_string())),
                );
            return Ok(Dependencies::Unavailable(format!(
                "its metadata requires Python {rp}"
            )));
        }
        let mut deps: Deps = Deps::new();
        if let Some(extra) = extra {
            deps.insert(Pkg::Name(name.clone()), Ranges::singleton(version.clone()));
            if !meta.provides_extra.is_empty() && !meta.provides_extra.contains(extra) {
                self.warnings.borrow_mut().push(format!(
                    "`{name}` {version} does not provide the extra `{extra}`"
                ));
            }
        }
        let extras: Vec<ExtraName> = extra.into_iter().cloned().collect();
        for req in &meta.requires_dist {
            let applies = req.marker.evaluate(&self.env, &extras);
            // For `foo[x]`, only the dependencies the extra adds; `foo` brings the rest.
            if !applies || (extra.is_some() && req.marker.evaluate(&self.env, &[])) {
                continue;
            }
            let range = match &req.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(specs)) => {
                    self.note_specifiers(&req.name, specs);
                    specifier_range(specs)
                }
                Some(VersionOrUrl::Url(_)) => {
                    return Ok(Dependencies::Unavailable(format!(
                        "it depends on `{}` by direct URL, which an index package may not do",
                        req.name
                    )));
                }
                None => Ranges::full(),
            };
            let range = match self.constrain(&req.name, &range) {
                Ok(r) => r,
                Err(why) => {
                    return Ok(Dependencies::Unavailable(format!(
                        "it requires `{}` {} and {why}",
                        req.name,
                        super::report::format_range(&range)
                    )));
                }
            };
            if &req.name != name {
                self.add_dep(&mut deps, Pkg::Name(req.name.clone()), &range);
            }
            for e in &req.extras {
                if &req.name == name && Some(e) == extra {
                    continue;
                }
                self.add_dep(&mut deps, Pkg::Extra(req.name.clone(), e.clone()), &range);
            }
        }
        for (pkg, range) in &deps {
            if let Pkg::Name(n) = pkg {
                self.prefetch(n, range);
            }
        }
        Ok(Dependencies::Available(deps.into_iter().collect()))
    }

    fn add_dep(&self, deps: &mut Deps, pkg: Pkg, range: &Ranges<Version>) {
        let next = self.order.borrow().len();
        self.order.borrow_mut().entry(pkg.clone()).or_insert(next);
        match deps.get_mut(&pkg) {
            Some(existing) => *existing = existing.intersection(range),
            None => {
                deps.insert(pkg, range.clone());
            }
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

impl DependencyProvider for Provider<'_> {
    type P = Pkg;
    type V = Version;
    type VS = Ranges<Version>;
    type M = String;
    type Err = ResolveError;
    type Priority = (u8, u32, Reverse<usize>);

    fn prioritize(
        &self,
        package: &Pkg,
        range: &Ranges<Version>,
        stats: &PackageResolutionStatistics,
    ) -> Self::Priority {
        let pinned = u8::from(range.as_singleton().is_some());
        let order = self
            .order
            .borrow()
            .get(package)
            .copied()
            .unwrap_or(usize::MAX);
        (pinned, stats.conflict_count(), Reverse(order))
    }

    fn choose_version(
        &self,
        package: &Pkg,
        range: &Ranges<Version>,
    ) -> Result<Option<Version>, ResolveError> {
        let name = match package {
            Pkg::Root => return Ok(Some(Version::new([0]))),
            Pkg::Name(n) | Pkg::Extra(n, _) => n,
        };
        let Some(map) = self.version_map(name)? else {
            return Ok(None);
        };
        let pre_allowed = self.pre_allowed(name);
        let pins = self
            .exact_pins
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or_default();
        let mut prerelease_fallback: Option<Version> = None;
        let mut skipped = self.skipped.borrow_mut();
        let skipped = skipped.entry(name.clone()).or_default();
        for (version, entry) in map.versions.iter().rev() {
            if !range.contains(version) {
                continue;
            }
            if let Err(why) = &entry.best {
                skipped.insert(version.clone(), Skipped::Unavailable(why.clone()));
                continue;
            }
            if let Some(why) = self.options.excluded.get(&(name.clone(), version.clone())) {
                skipped.insert(version.clone(), Skipped::Excluded(why.clone()));
                continue;
            }
            if entry.yanked && !pins.contains(version) {
                let reason = entry
                    .best
                    .as_ref()
                    .ok()
                    .and_then(|f| f.yanked.clone())
                    .unwrap_or_default();
                skipped.insert(version.clone(), Skipped::Yanked(reason));
                continue;
            }
            if version.any_prerelease() && !pre_allowed {
                if prerelease_fallback.is_none() {
                    prerelease_fallback = Some(version.clone());
                }
                skipped.insert(version.clone(), Skipped::PreRelease);
                continue;
            }
            return Ok(Some(version.clone()));
        }
        // As pip (packaging's `SpecifierSet.filter`): when no usable final release matches,
        // the newest usable pre-release is taken.
        if let Some(v) = prerelease_fallback {
            skipped.remove(&v);
            return Ok(Some(v));
        }
        Ok(None)
    }

    fn get_dependencies(
        &self,
        package: &Pkg,
        version: &Version,
    ) -> Result<Dependencies<Pkg, Ranges<Version>, String>, ResolveError> {
        match package {
            Pkg::Root => {
                let mut deps = Deps::new();
                for (pkg, range) in &self.root_deps {
                    let constrained = match pkg.name() {
                        Some(n) => self.constrain(n, range),
                        None => Ok(range.clone()),
                    };
                    match constrained {
                        Ok(r) => self.add_dep(&mut deps, pkg.clone(), &r),
                        Err(why) => {
                            let lines: Vec<String> = pkg
                                .name()
                                .and_then(|n| self.requirement_lines.get(n))
                                .into_iter()
                                .flatten()
                                .map(|l| format!("`{}` ({})", l.text, l.location))
                                .collect();
                            return Ok(Dependencies::Unavailable(format!(
                                "the requirement {} asks for {} {} and {why}",
                                lines.join(" and "),
                                pkg,
                                super::report::format_range(range)
                            )));
                        }
                    }
                }
                Ok(Dependencies::Available(deps.into_iter().collect()))
            }
            Pkg::Name(name) => self.dependencies_of(name, version, None),
            Pkg::Extra(name, extra) => self.dependencies_of(name, version, Some(extra)),
        }
    }
}
