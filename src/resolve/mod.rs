//! Resolution: from requirements and constraints to one wheel per project.
//!
//! Input: the user's requirements and constraints ([`crate::requirements::Entry`]), a
//! [`Target`] and a [`Source`] of project pages and core metadata. Output: a [`Resolution`]
//! listing every project of the closure with its version and the exact wheel file chosen.
//!
//! pubgrub 0.4 does the solving (`provider`); extras are virtual packages (`foo[bar]`) that
//! pin `foo` to the same version. Constraints only narrow: their range is intersected with every
//! requirement on the project but they never add a project. Markers are evaluated for the
//! target. A version is a candidate only if it has a wheel for the target whose
//! `Requires-Python` admits the target's full Python version ([`candidates`]), or, for a project
//! named by `--allow-sdist`, an sdist (the [`Source`] builds it when its metadata is asked for); yanked versions
//! only when pinned with `==`; pre-releases as pip allows them. A failure is explained in words
//! (`report`), naming the requirement and constraint lines involved and every unusable version
//! with its reason.
//!
//! The solver is synchronous; the [`Source`] fetches concurrently behind it and is told about
//! every project as soon as it becomes known ([`Source::prefetch`]) so that pages and metadata
//! arrive before the solver asks for them.

pub mod candidates;
mod provider;
pub(crate) mod report;
mod source;

use std::collections::BTreeSet;
use std::sync::Arc;

use pep440_rs::Version;
use pep508_rs::{ExtraName, PackageName};

use crate::exit::ExitCode;
use crate::index::{DistFile, IndexError};
use crate::requirements::Entry;
use crate::target::Target;

pub use provider::Pkg;
pub use source::{BlockingSource, Follow, Pick, Source};

/// Options that change which versions may be chosen.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Allow pre-releases everywhere (`--pre`).
    pub pre: bool,
    /// Pages known to be complete for the cutoff, when an upload-time cutoff applies.
    pub uploaded_prior_to: Option<jiff::Timestamp>,
    /// Versions that must not be chosen, with the reason a failure report gives (e.g. a
    /// `NetBox` plugin built for another `NetBox` release).
    pub excluded: std::collections::BTreeMap<(PackageName, Version), String>,
    /// Projects whose sdist may stand in for a missing wheel (`--allow-sdist`).
    pub allow_sdist: AllowSdist,
}

/// Which projects may be built from their sdist when no wheel fits (`--allow-sdist NAME|:all:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowSdist {
    /// `:all:` was given.
    pub all: bool,
    /// The projects named.
    pub names: BTreeSet<PackageName>,
}

impl AllowSdist {
    /// Reads the values of `--allow-sdist`: project names or `:all:`.
    pub fn parse(values: &[String]) -> Result<Self, String> {
        let mut out = AllowSdist::default();
        for v in values {
            let v = v.trim();
            if v == ":all:" {
                out.all = true;
            } else {
                let name = PackageName::new(v.to_string())
                    .map_err(|e| format!("`{v}` is not a project name or `:all:`: {e}"))?;
                out.names.insert(name);
            }
        }
        Ok(out)
    }

    /// True when `name`'s sdist may be built.
    pub fn allows(&self, name: &PackageName) -> bool {
        self.all || self.names.contains(name)
    }

    /// True when no project may be built.
    pub fn is_empty(&self) -> bool {
        !self.all && self.names.is_empty()
    }
}

/// One project of the closure.
#[derive(Debug, Clone)]
pub struct ResolvedPackage {
    /// The normalised name.
    pub name: PackageName,
    /// The chosen version.
    pub version: Version,
    /// The chosen wheel.
    pub file: DistFile,
    /// The extras of it that the closure uses.
    pub extras: BTreeSet<ExtraName>,
    /// The sdist `file` was built from (`--allow-sdist`); `None` for a published wheel.
    pub built_from: Option<DistFile>,
}

/// The result of a successful resolution, sorted by name.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The target it was made for.
    pub target: Target,
    /// Every project of the closure.
    pub packages: Vec<ResolvedPackage>,
    /// Warnings to show the user (e.g. a yanked version chosen by an `==` pin).
    pub warnings: Vec<String>,
}

/// Why resolution failed.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// No set of versions satisfies the requirements on this target.
    #[error("No solution for {target}:\n{explanation}")]
    NoSolution {
        /// The target, for the headline.
        target: String,
        /// The explanation in words, several lines.
        explanation: String,
        /// What to try.
        hint: Option<String>,
    },
    /// Fetching data for the resolver failed.
    #[error("Failed to get data for `{package}`")]
    Index {
        /// The project being looked at.
        package: String,
        /// The underlying failure.
        #[source]
        source: Arc<IndexError>,
    },
}

impl ResolveError {
    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ResolveError::NoSolution { .. } => ExitCode::NoSolution,
            ResolveError::Index { source, .. } => source.exit_code(),
        }
    }

    /// Advice for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            ResolveError::NoSolution { hint, .. } => hint.clone(),
            ResolveError::Index { source, .. } => source.hint(),
        }
    }
}

/// Resolves `requirements` under `constraints` for `target`.
pub fn resolve(
    source: &dyn Source,
    requirements: &[Entry],
    constraints: &[Entry],
    target: &Target,
    options: &ResolveOptions,
) -> Result<Resolution, ResolveError> {
    let provider = provider::Provider::new(source, requirements, constraints, target, options);
    provider.prefetch_roots();
    match pubgrub::resolve(&provider, Pkg::Root, Version::new([0])) {
        Ok(selected) => Ok(provider.into_resolution(&selected)),
        Err(pubgrub::PubGrubError::NoSolution(mut tree)) => {
            tree.collapse_no_versions();
            let (explanation, hint) = report::explain(&tree, &provider);
            Err(ResolveError::NoSolution {
                target: target.to_string(),
                explanation,
                hint,
            })
        }
        Err(
            pubgrub::PubGrubError::ErrorChoosingVersion { source, .. }
            | pubgrub::PubGrubError::ErrorRetrievingDependencies { source, .. }
            | pubgrub::PubGrubError::ErrorInShouldCancel(source),
        ) => Err(source),
    }
}
