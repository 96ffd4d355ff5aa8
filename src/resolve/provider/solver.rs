//! The answers to pubgrub's questions: which package to decide next, which version to try,
//! and what a version depends on (narrowed by the constraints, extras as virtual packages).

use std::cmp::Reverse;
use std::sync::Arc;

use pep440_rs::Version;
use pep508_rs::{ExtraName, PackageName, VersionOrUrl};
use pubgrub::{Dependencies, DependencyProvider, PackageResolutionStatistics, Ranges};

use super::{Deps, Pkg, Provider, Skipped, specifier_range};
use crate::index::metadata::CoreMetadata;
use crate::resolve::ResolveError;
use crate::resolve::candidates::Unavailable;

impl Provider<'_> {
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
        if extra.is_none() {
            self.source.decided(&file);
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
                        crate::resolve::report::format_range(&range)
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
                                crate::resolve::report::format_range(range)
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
