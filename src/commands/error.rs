//! The top-level error, its exit code and its hint.
//!
//! Each stage has its own `thiserror` enum carrying the facts (path and line, package and
//! version, URL and status, expected and actual); they convert into [`Error`], which maps every
//! failure to one documented exit code (see the README and `docs/ARCHITECTURE.md`).

use std::path::PathBuf;

use crate::exit::ExitCode;

/// Every way a command can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A requirements or constraints file could not be read or parsed.
    #[error(transparent)]
    Requirements(#[from] crate::requirements::RequirementsError),
    /// A command-line value or setting was invalid.
    #[error("{message}")]
    Usage {
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// The index could not be used.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// The index could not be used (an error shared by concurrent fetches).
    #[error(transparent)]
    Fetch(#[from] std::sync::Arc<crate::index::IndexError>),
    /// Resolution failed.
    #[error(transparent)]
    Resolve(#[from] crate::resolve::ResolveError),
    /// A wheel failed validation.
    #[error(transparent)]
    Wheel(#[from] crate::verify::WheelError),
    /// An archive could not be read.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    /// Packing the archive failed.
    #[error(transparent)]
    Pack(#[from] crate::pack::PackError),
    /// A local file operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done, e.g. "Failed to write".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `NetBox` plugin detection or the `--netbox` gate failed.
    #[error(transparent)]
    Netbox(#[from] crate::netbox::NetboxError),
    /// `verify` found problems (already printed as findings).
    #[error("The archive is not sound (see the findings above)")]
    Verify {
        /// 1 or 4.
        code: ExitCode,
    },
    /// Talking to the cluster failed.
    #[error(transparent)]
    Cluster(#[from] crate::commands::cluster::ClusterError),
    /// A local project could not be built or used.
    #[error(transparent)]
    LocalBuild(#[from] crate::commands::local_build::LocalBuildError),
    /// An sdist of `--allow-sdist` could not be built or used.
    #[error(transparent)]
    Sdist(#[from] std::sync::Arc<crate::commands::sdist::SdistError>),
    /// An upload failed.
    #[error(transparent)]
    Upload(#[from] crate::commands::upload::UploadError),
    /// An audit could not be done, or found something.
    #[error(transparent)]
    Advisory(#[from] crate::commands::advisory::AdvisoryError),
    /// An SBOM could not be written.
    #[error(transparent)]
    Sbom(#[from] crate::commands::sbom::SbomError),
    /// A check or plan found what keeps the command from succeeding (`upgrade` blockers,
    /// `cluster check` findings), already shown in its report.
    #[error("{message}")]
    Findings {
        /// One line per finding.
        message: String,
        /// What to do.
        hint: Option<String>,
    },
    /// The user interrupted the run.
    #[error("Interrupted")]
    Interrupted,
}

impl Error {
    /// A usage error with an optional hint.
    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint,
        }
    }

    /// An I/O error naming its path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Requirements(_) | Error::Usage { .. } => ExitCode::Usage,
            Error::Index(e) => e.exit_code(),
            Error::Fetch(e) => e.exit_code(),
            Error::Resolve(e) => e.exit_code(),
            Error::Wheel(_) => ExitCode::Integrity,
            Error::Pack(e) => e.exit_code(),
            Error::Archive(e) => e.exit_code(),
            Error::Io { .. } => ExitCode::Environment,
            Error::Netbox(e) => e.exit_code(),
            Error::Verify { code } => *code,
            Error::Cluster(e) => e.exit_code(),
            Error::Upload(e) => e.exit_code(),
            Error::LocalBuild(e) => e.exit_code(),
            Error::Sdist(e) => e.exit_code(),
            Error::Advisory(e) => e.exit_code(),
            Error::Sbom(e) => e.exit_code(),
            Error::Interrupted => ExitCode::Interrupted,
            Error::Findings { .. } => ExitCode::NoSolution,
        }
    }

    /// Advice for the user, printed after the error as `hint: …`.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Requirements(e) => e.hint(),
            Error::Usage { hint, .. } | Error::Findings { hint, .. } => hint.clone(),
            Error::Index(e) => e.hint(),
            Error::Fetch(e) => e.hint(),
            Error::Resolve(e) => e.hint(),
            Error::Wheel(_) => Some(
                "The wheel is damaged or was tampered with; do not install it. Report it to the package's maintainers or the index operator.".to_string(),
            ),
            Error::Archive(_) => Some(
                "The archive is damaged or not a gzip-compressed tar; rebuild it.".to_string(),
            ),
            Error::Pack(crate::pack::PackError::SourceDateEpoch { .. }) => Some(
                "Set `SOURCE_DATE_EPOCH` to whole seconds since 1970 (e.g. `$(git log -1 --format=%ct)`), or unset it.".to_string(),
            ),
            Error::Pack(_) | Error::Io { .. } => Some(
                "Check that the path exists, is writable and that the disk is not full.".to_string(),
            ),
            Error::Netbox(e) => e.hint(),
            Error::Cluster(e) => e.hint(),
            Error::Upload(e) => e.hint(),
            Error::LocalBuild(e) => e.hint(),
            Error::Sdist(e) => e.hint(),
            Error::Advisory(e) => e.hint(),
            Error::Sbom(e) => e.hint(),
            Error::Verify { .. } | Error::Interrupted => None,
        }
    }
}
