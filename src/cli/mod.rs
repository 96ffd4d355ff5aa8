//! The command line, as clap derive types only (no I/O). Flag names follow pip's where pip has
//! one; `settings` turns these into validated settings.
//!
//! [`Cli`] and its [`Command`] list are here; each command group's arguments are in a file of
//! their own (`build`, `archive`, `audit`, `cluster`), and the inputs and target several
//! commands share are in `input`.

mod archive;
mod audit;
mod build;
mod cluster;
mod input;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use archive::{DiffArgs, InspectArgs, SbomArgs, VerifyArgs};
pub use audit::{AdvisoryArgs, AuditArgs, VulnerabilityService};
pub use build::{BuildArgs, BuildFrontend, ResolveArgs, UpgradeArgs};
pub use cluster::{
    CheckArgs, ClusterArgs, ClusterCommand, ConfigArgs, ConstraintsCommand, UploadArgs,
};
pub use input::{InputArgs, TargetArgs, parse_byte_size};

/// Build, verify and inspect NetBox Enterprise wheelhouse archives.
///
/// The version is the package's, followed by the commit and its date when built from a git
/// checkout (`nbwheel 0.1.0 (abc1234 2026-12-02)`; see `build.rs`).
#[derive(Debug, Parser)]
#[command(
    name = "nbwheel",
    version = env!("NBWHEEL_VERSION"),
    about,
    long_about = None,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print less: no progress bars, only errors and data.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Read options from this TOML file instead of the nearest `nbwheel.toml`, or
    /// `pyproject.toml` with a `[tool.nbwheel]` table.
    #[arg(long, global = true, value_name = "FILE", env = "NBWHEEL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(
        long,
        global = true,
        env = "NBWHEEL_NO_CONFIG",
        conflicts_with = "config"
    )]
    pub no_config: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Resolve, download, check and pack a wheelhouse archive.
    Build(BuildArgs),
    /// Resolve and print every pinned version, dependencies included (requirements format,
    /// with hashes), without downloading.
    Resolve(ResolveArgs),
    /// Check, offline, that an archive will install on the target: its layout, safety, wheels,
    /// hashes, lock, and that every dependency is inside.
    Verify(VerifyArgs),
    /// List an archive's wheels with versions, tags, sizes and hashes.
    Inspect(InspectArgs),
    /// Show what changed between two archives: versions, files, NetBox plugins.
    Diff(DiffArgs),
    /// Manage the download cache.
    Cache {
        /// What to do with the cache.
        #[command(subcommand)]
        command: CacheCommand,
        /// The cache directory.
        #[arg(long, env = "NBWHEEL_CACHE_DIR", value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
    /// Read the target from a NetBox Enterprise cluster (through your own `kubectl`).
    Cluster {
        /// What to read.
        #[command(subcommand)]
        command: ClusterCommand,
    },
    /// Work with the base image's `constraints.txt`.
    Constraints {
        /// What to do.
        #[command(subcommand)]
        command: ConstraintsCommand,
    },
    /// Upload an archive to the cluster (media directory, PVC or S3) by the vendor's steps.
    Upload(UploadArgs),
    /// Print the `customPythonConfig` that enables an archive's plugins, and with `--patch` the
    /// patch that sets it.
    Config(ConfigArgs),
    /// Plan plugin pins for a NetBox release: the newest release of each requirement that
    /// resolves against the constraints and supports it (`--write` rewrites the file).
    Upgrade(UpgradeArgs),
    /// Check an archive's (or the inputs') pinned projects for known vulnerabilities, project
    /// status, yanks and licenses.
    Audit(AuditArgs),
    /// Write a CycloneDX 1.5 SBOM (JSON) of an archive.
    Sbom(SbomArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `nbwheel cache …`.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Print the cache directory.
    Dir,
    /// Remove everything in the cache.
    Clean,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// One JSON document on stdout.
    Json,
}

/// The command the binary runs: [`Cli`] with, on every argument (including ones added later),
/// environment values never shown in `--help` (an `NBWHEEL_INDEX_URL` may carry a token), and
/// on/off flags read from their variable as `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off`.
pub fn command() -> clap::Command {
    fn adjust(cmd: clap::Command) -> clap::Command {
        cmd.mut_args(|a| {
            let boolean =
                matches!(a.get_action(), clap::ArgAction::SetTrue) && a.get_env().is_some();
            let a = a.hide_env_values(true);
            if boolean {
                a.value_parser(clap::builder::BoolishValueParser::new())
            } else {
                a
            }
        })
        .mut_subcommands(adjust)
    }
    adjust(<Cli as clap::CommandFactory>::command())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }
}
