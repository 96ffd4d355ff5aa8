//! `build`, `resolve` and `upgrade`: the commands that resolve requirements.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{AdvisoryArgs, ClusterArgs, Format, InputArgs};

/// `nbwheel build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Inputs, target and sources.
    #[command(flatten)]
    pub input: InputArgs,
    /// The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for
    /// several architectures).
    #[arg(short = 'o', long, value_name = "PATH", env = "NBWHEEL_OUTPUT")]
    pub output: Option<PathBuf>,
    /// The archive's gzip level, 0-9 (wheels are already compressed, so a low level loses
    /// little).
    #[arg(
        long,
        value_name = "LEVEL",
        env = "NBWHEEL_COMPRESSION_LEVEL",
        value_parser = clap::value_parser!(u32).range(0..=9)
    )]
    pub compression_level: Option<u32>,
    /// Rebuild exactly the wheels of this PEP 751 lock (e.g. an archive's `pylock.toml`)
    /// without resolving; offline when they are cached.
    #[arg(long, value_name = "FILE")]
    pub lock: Option<PathBuf>,
    /// A project whose wheels are accepted even when their RECORD file is wrong; repeatable.
    #[arg(long, value_name = "PROJECT")]
    pub allow_invalid_record: Vec<String>,
    /// The NetBox release the plugins will run on: plugin versions whose `min_version` or
    /// `max_version` exclude it are not chosen.
    #[arg(long, value_name = "VERSION", env = "NBWHEEL_NETBOX")]
    pub netbox: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Take the target and constraints from the cluster: every node architecture, the pod's
    /// Python and glibc, its `constraints.txt`, its NetBox version.
    #[arg(long, help_heading = "Cluster")]
    pub from_cluster: bool,
    /// Which cluster, with `--from-cluster`.
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Write one archive holding every architecture's wheels (pure-Python wheels only once).
    #[arg(long, help_heading = "Target")]
    pub merge: bool,
    /// A local project directory to build into a wheel and include; repeatable.
    #[arg(long = "local", value_name = "PATH", help_heading = "Local projects")]
    pub local: Vec<PathBuf>,
    /// The PEP 517 frontend for local projects (default: the first of `uv`, `build`, `pip`
    /// found).
    #[arg(
        long,
        value_enum,
        value_name = "FRONTEND",
        help_heading = "Local projects"
    )]
    pub build_frontend: Option<BuildFrontend>,
    /// Audit each archive written (as `nbwheel audit`); findings make the exit code 1.
    #[arg(long, help_heading = "Audit")]
    pub audit: bool,
    /// Also write a CycloneDX SBOM of the archive to FILE (`-<arch>` added per architecture
    /// when several archives are written).
    #[arg(long, value_name = "FILE", help_heading = "Audit")]
    pub sbom: Option<PathBuf>,
    /// Where advisories come from, with `--audit`.
    #[command(flatten)]
    pub advisory: AdvisoryArgs,
    /// Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the
    /// target; repeatable. The build runs in the PEP 517 frontend's isolated environment and
    /// its wheel is kept only if it is pure Python or tagged for the target exactly.
    #[arg(
        long,
        value_name = "NAME|:all:",
        env = "NBWHEEL_ALLOW_SDIST",
        value_delimiter = ',',
        help_heading = "Source distributions"
    )]
    pub allow_sdist: Vec<String>,
}

/// A PEP 517 frontend for local projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BuildFrontend {
    /// `uv build --wheel`.
    Uv,
    /// `python3 -m build --wheel`.
    Build,
    /// `pip wheel --no-deps`.
    Pip,
}

/// `nbwheel resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Inputs, target and sources.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the
    /// target; repeatable. The build runs in the PEP 517 frontend's isolated environment and
    /// its wheel is kept only if it is pure Python or tagged for the target exactly.
    #[arg(
        long,
        value_name = "NAME|:all:",
        env = "NBWHEEL_ALLOW_SDIST",
        value_delimiter = ',',
        help_heading = "Source distributions"
    )]
    pub allow_sdist: Vec<String>,
}

/// `nbwheel upgrade`.
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// The requirements file (`-r`, once), constraints (`-c`), target and sources.
    #[command(flatten)]
    pub input: InputArgs,
    /// The NetBox release to plan for (default: the cluster's with `--from-cluster`, else a
    /// `netbox==X` constraint, else plugins are not checked against a release).
    #[arg(long, value_name = "VERSION", env = "NBWHEEL_NETBOX")]
    pub netbox: Option<String>,
    /// Take the target, constraints and NetBox release from the cluster.
    #[arg(long, help_heading = "Cluster")]
    pub from_cluster: bool,
    /// Which cluster, with `--from-cluster`.
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Rewrite the pins in the requirements file in place.
    #[arg(long)]
    pub write: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
