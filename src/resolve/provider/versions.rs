//! The versions of each project the solver may choose from: fetched through the
//! [`crate::resolve::Source`] (prefetched as soon as a project is named), filtered by the
//! upload-time cutoff, memoised.

use std::collections::BTreeSet;
use std::sync::Arc;

use pep440_rs::Version;
use pep508_rs::PackageName;
use pubgrub::Ranges;

use pep508_rs::VersionOrUrl;

use super::{Pkg, Provider, Skipped};
use crate::index::metadata::CoreMetadata;
use crate::index::{DistFile, Origin};
use crate::resolve::candidates::{Unavailable, VersionMap};
use crate::resolve::{Follow, Pick, ResolveError};
use crate::target::TagRanks;

impl Provider<'_> {
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

    pub(super) fn prefetch(&self, name: &PackageName, range: &Ranges<Version>) {
        if self.direct.contains_key(name) || self.maps.borrow().contains_key(name) {
            return;
        }
        if let Ok(mut seen) = self.prefetched.lock() {
            seen.insert(name.clone());
        }
        let range = match self.constraints.get(name) {
            Some(c) => range.intersection(c),
            None => range.clone(),
        };
        let pick = newest_in(self.target.clone(), self.ranks.clone(), range);
        self.source.prefetch(name, pick, self.follow.clone());
    }

    /// What a prefetch follows once a file's metadata is there: each dependency the target
    /// needs (markers true, no extras; not a direct URL), narrowed by the constraints, that
    /// nothing has prefetched yet.
    pub(super) fn follower(&self) -> Follow {
        let env = self.env.clone();
        let constraints = self.constraints.clone();
        let target = self.target.clone();
        let ranks = self.ranks.clone();
        let direct: BTreeSet<PackageName> = self.direct.keys().cloned().collect();
        let seen = Arc::clone(&self.prefetched);
        Arc::new(move |meta: &CoreMetadata| {
            let mut out = Vec::new();
            for req in &meta.requires_dist {
                if direct.contains(&req.name) || !req.marker.evaluate(&env, &[]) {
                    continue;
                }
                let range = match &req.version_or_url {
                    Some(VersionOrUrl::VersionSpecifier(specs)) => super::specifier_range(specs),
                    Some(VersionOrUrl::Url(_)) => continue,
                    None => Ranges::full(),
                };
                let range = match constraints.get(&req.name) {
                    Some(c) => range.intersection(c),
                    None => range,
                };
                let new = seen.lock().is_ok_and(|mut s| s.insert(req.name.clone()));
                if new {
                    out.push((
                        req.name.clone(),
                        newest_in(target.clone(), ranks.clone(), range),
                    ));
                }
            }
            out
        })
    }

    pub(super) fn version_map(
        &self,
        name: &PackageName,
    ) -> Result<Option<Arc<VersionMap>>, ResolveError> {
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
    pub(in crate::resolve) fn looks_pure(&self, name: &PackageName) -> bool {
        self.maps
            .borrow()
            .get(name)
            .is_some_and(|m| m.as_ref().is_some_and(|m| m.looks_pure))
    }

    /// True when the project's page gave at least one version.
    pub(in crate::resolve) fn has_versions(&self, name: &PackageName) -> bool {
        self.maps
            .borrow()
            .get(name)
            .is_some_and(|m| m.as_ref().is_some_and(|m| !m.versions.is_empty()))
    }

    /// The listed files of a project that were skipped as malformed, unsafe or foreign (from
    /// the memoised page; empty when the page was never fetched or could not be).
    pub(in crate::resolve) fn skipped_files(
        &self,
        name: &PackageName,
    ) -> Vec<crate::index::SkippedFile> {
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

    pub(super) fn best_file(&self, name: &PackageName, version: &Version) -> Option<DistFile> {
        let maps = self.maps.borrow();
        let map = maps.get(name)?.as_ref()?;
        map.versions.get(version)?.best.as_deref().ok().cloned()
    }

    pub(super) fn pre_allowed(&self, name: &PackageName) -> bool {
        self.options.pre || self.pre_named.borrow().contains(name)
    }
}

/// The pick of a prefetch: the best file of the newest usable final release in `range`.
fn newest_in(target: crate::target::Target, ranks: TagRanks, range: Ranges<Version>) -> Pick {
    Box::new(move |page| {
        let map = VersionMap::new(page, &target, &ranks, &TagRanks::default());
        map.versions
            .iter()
            .rev()
            .filter(|(v, e)| range.contains(*v) && !e.yanked && !v.any_prerelease())
            .find_map(|(_, e)| e.best.as_deref().ok().cloned())
    })
}
