//! `verify`, `inspect`, `diff` and `sbom`: the commands that read an archive offline.

use std::path::PathBuf;

use clap::Args;

use super::{Format, TargetArgs};

/// `nbwheel verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The archive to check.
    pub archive: PathBuf,
    /// The target (every architecture given is checked).
    #[command(flatten)]
    pub target: TargetArgs,
    /// The NetBox release: fail when a plugin's `min_version` or `max_version` excludes it.
    #[arg(long, value_name = "VERSION", env = "NBWHEEL_NETBOX")]
    pub netbox: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `nbwheel inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The archive to list.
    pub archive: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `nbwheel diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The archive before the change.
    pub old: PathBuf,
    /// The archive after the change.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `nbwheel sbom`.
#[derive(Debug, Args)]
pub struct SbomArgs {
    /// The archive to describe.
    pub archive: PathBuf,
    /// Where to write the SBOM (default: stdout).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The NetBox release the archive is for, recorded in the metadata.
    #[arg(long, value_name = "VERSION", env = "NBWHEEL_NETBOX")]
    pub netbox: Option<String>,
}
