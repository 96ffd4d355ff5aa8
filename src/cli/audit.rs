//! `audit` and the advisory sources it shares with `build --audit`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Format, InputArgs};

/// A vulnerability service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum VulnerabilityService {
    /// The OSV API (`/v1/querybatch`, `/v1/vulns/ID`).
    #[default]
    Osv,
    /// The `PyPI` JSON API (`/pypi/NAME/VERSION/json`).
    Pypi,
}

/// Where advisories come from and what is ignored, shared by `audit` and `build --audit`.
#[derive(Debug, Args, Clone, Default)]
pub struct AdvisoryArgs {
    /// The vulnerability service.
    #[arg(long, value_enum, default_value_t, help_heading = "Audit")]
    pub vulnerability_service: VulnerabilityService,
    /// The service's base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`).
    #[arg(
        long,
        value_name = "URL",
        env = "NBWHEEL_VULNERABILITY_URL",
        help_heading = "Audit"
    )]
    pub vulnerability_url: Option<String>,
    /// An offline OSV database instead of a service: a folder of OSV JSON records or OSV's
    /// `PyPI/all.zip`.
    #[arg(
        long,
        value_name = "PATH",
        env = "NBWHEEL_OSV_DB",
        help_heading = "Audit"
    )]
    pub osv_db: Option<PathBuf>,
    /// Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable.
    #[arg(long, value_name = "ID", help_heading = "Audit")]
    pub ignore: Vec<String>,
    /// Also list projects whose license is unknown or not allowed.
    #[arg(long, help_heading = "Audit")]
    pub licenses: bool,
    /// An allowed license (SPDX id), for `--licenses`; repeatable.
    #[arg(long, value_name = "SPDX", help_heading = "Audit")]
    pub allow_license: Vec<String>,
}

/// `nbwheel audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The archive to audit; without it, the `-r`/`-c` inputs are resolved as `resolve` does.
    pub archive: Option<PathBuf>,
    /// Inputs, target and sources (without an archive); `--index-url` names the public index.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where advisories come from.
    #[command(flatten)]
    pub advisory: AdvisoryArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
