//! The command line, as clap derive types only (no I/O). Flag names follow pip's where pip has
//! one; `settings` turns these into validated settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::index::client::IndexStrategy;

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

/// Which cluster: `--context` and `-n`.
#[derive(Debug, Args, Clone, Default)]
pub struct ClusterArgs {
    /// The kubeconfig context (default: the current one).
    #[arg(
        long,
        value_name = "CONTEXT",
        env = "NBWHEEL_CONTEXT",
        help_heading = "Cluster"
    )]
    pub context: Option<String>,
    /// The namespace of NetBox Enterprise (default: search all namespaces).
    #[arg(short = 'n', long, value_name = "NAMESPACE", help_heading = "Cluster")]
    pub namespace: Option<String>,
}

/// `nbwheel cluster …`.
#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Print the cluster's NetBox, Python and glibc versions, node architectures and wheelhouse
    /// source.
    Info {
        /// Which cluster.
        #[command(flatten)]
        cluster: ClusterArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// After an upload and restart, prove the installation: pods Ready and restarted since the
    /// upload, the install logged without pip errors, every plugin imports at the archive's
    /// version and is in `PLUGINS`.
    Check(CheckArgs),
}

/// `nbwheel cluster check`.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// The archive that was uploaded (its plugins and versions are checked in the pod); without
    /// it only pod health and the install log are checked.
    #[arg(long, value_name = "ARCHIVE")]
    pub archive: Option<PathBuf>,
    /// Which cluster.
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Seconds each `kubectl` command may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `nbwheel constraints …`.
#[derive(Debug, Subcommand)]
pub enum ConstraintsCommand {
    /// Copy `/opt/netbox/constraints.txt` from the NetBox pod.
    Pull {
        /// Which cluster.
        #[command(flatten)]
        cluster: ClusterArgs,
        /// Where to write it (`-` for stdout).
        #[arg(
            short = 'o',
            long,
            value_name = "FILE",
            default_value = "constraints.txt"
        )]
        output: PathBuf,
    },
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

/// `nbwheel upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// The archive to upload (not needed with `--rollback`).
    #[arg(required_unless_present = "rollback")]
    pub archive: Option<PathBuf>,
    /// Where to upload: `media` (the pod's media directory), `pvc` or `s3://BUCKET/KEY`.
    #[arg(long, value_name = "media|pvc|s3://BUCKET/KEY")]
    pub to: String,
    /// Which cluster.
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Restart the web and worker deployments afterwards and wait for them.
    #[arg(long)]
    pub restart: bool,
    /// Print every command and request without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not verify the archive for the cluster's target first.
    #[arg(long)]
    pub no_verify: bool,
    /// Put the previous archive back (kept aside by the last upload).
    #[arg(long)]
    pub rollback: bool,
    /// Seconds to wait for the maintenance pod and for restarts.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
    /// The S3 endpoint URL, for S3-compatible stores.
    #[arg(
        long,
        value_name = "URL",
        env = "AWS_ENDPOINT_URL",
        help_heading = "S3"
    )]
    pub endpoint_url: Option<String>,
    /// The S3 region (default: `AWS_REGION`, the profile's, or `us-east-1`).
    #[arg(long, value_name = "REGION", help_heading = "S3")]
    pub region: Option<String>,
    /// The AWS shared-config profile (default: `AWS_PROFILE` or `default`).
    #[arg(long, value_name = "NAME", help_heading = "S3")]
    pub profile: Option<String>,
    /// Part size for multipart uploads, in MiB (at least 5); files larger than one part are sent
    /// in parts.
    #[arg(long, value_name = "MIB", default_value_t = 64, help_heading = "S3")]
    pub part_size: u64,
    /// After `--restart`, run `nbwheel cluster check` on the uploaded archive.
    #[arg(long, requires = "restart")]
    pub check: bool,
}

/// `nbwheel config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The archive whose plugins to enable.
    pub archive: PathBuf,
    /// Also print the `kubectl patch netboxenterprise … --type merge` command.
    #[arg(long)]
    pub patch: bool,
    /// The wheelhouse source to configure in the patch: `media`, `pvc` or `s3://BUCKET/KEY`.
    #[arg(long, value_name = "SOURCE", default_value = "media")]
    pub source: String,
    /// The NetBoxEnterprise resource's name, for the patch.
    #[arg(long, value_name = "NAME", default_value = "<name>")]
    pub name: String,
    /// The namespace, for the patch.
    #[arg(
        short = 'n',
        long,
        value_name = "NAMESPACE",
        default_value = "<namespace>"
    )]
    pub namespace: String,
    /// S3 region, for the patch.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// S3 endpoint, for the patch.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
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

/// Inputs, target and sources shared by `build` and `resolve`.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// A requirements file in pip's format; repeatable (default: `requirements.txt`).
    #[arg(short = 'r', long = "requirement", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,
    /// A constraints file in pip's format; repeatable (default: `constraints.txt` when present).
    #[arg(short = 'c', long = "constraint", value_name = "FILE")]
    pub constraints: Vec<PathBuf>,

    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,

    /// The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every
    /// extra index.
    #[arg(
        short = 'i',
        long,
        value_name = "URL",
        env = "NBWHEEL_INDEX_URL",
        help_heading = "Sources"
    )]
    pub index_url: Option<String>,
    /// An extra index URL, searched before `--index-url`, in the order given; repeatable.
    #[arg(
        long,
        value_name = "URL",
        env = "NBWHEEL_EXTRA_INDEX_URL",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub extra_index_url: Vec<String>,
    /// A folder of wheels or a URL of a flat HTML page of links; repeatable.
    #[arg(
        short = 'f',
        long,
        value_name = "DIR|URL",
        env = "NBWHEEL_FIND_LINKS",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub find_links: Vec<String>,
    /// Use no index, only `--find-links` sources.
    #[arg(long, env = "NBWHEEL_NO_INDEX", help_heading = "Sources")]
    pub no_index: bool,
    /// How projects on several indexes are treated.
    #[arg(
        long,
        value_enum,
        value_name = "STRATEGY",
        default_value_t,
        env = "NBWHEEL_INDEX_STRATEGY",
        help_heading = "Sources"
    )]
    pub index_strategy: IndexStrategy,
    /// A project-name prefix whose projects may come only from a private source (see
    /// --private-index); repeatable.
    #[arg(long, value_name = "PREFIX", help_heading = "Sources")]
    pub private_prefix: Vec<String>,
    /// Allow pre-release versions.
    #[arg(long, env = "NBWHEEL_PRE", help_heading = "Resolution")]
    pub pre: bool,
    /// Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a
    /// duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown).
    #[arg(
        long,
        alias = "exclude-newer",
        value_name = "DATE|DURATION",
        env = "NBWHEEL_UPLOADED_PRIOR_TO",
        help_heading = "Resolution"
    )]
    pub uploaded_prior_to: Option<String>,
    /// Require a `--hash` for every requirement (pip's hash-checking mode).
    #[arg(long, help_heading = "Resolution")]
    pub require_hashes: bool,
    /// Refuse files for which the index gives no sha256 (by default: a warning, and the
    /// sha256 is computed while downloading).
    #[arg(long, help_heading = "Sources")]
    pub strict: bool,

    /// The cache directory (default: `nbwheel` in the user's cache directory, e.g.
    /// `~/.cache/nbwheel`).
    #[arg(
        long,
        value_name = "DIR",
        env = "NBWHEEL_CACHE_DIR",
        help_heading = "Network and cache"
    )]
    pub cache_dir: Option<PathBuf>,
    /// Do not read or write the cache (a temporary one is used for the run).
    #[arg(long, env = "NBWHEEL_NO_CACHE", help_heading = "Network and cache")]
    pub no_cache: bool,
    /// Use only the cache; fail naming what is missing.
    #[arg(long, env = "NBWHEEL_OFFLINE", help_heading = "Network and cache")]
    pub offline: bool,
    /// Maximum number of concurrent downloads.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 16,
        env = "NBWHEEL_JOBS",
        help_heading = "Network and cache"
    )]
    pub jobs: usize,
    /// Seconds to wait for a connection, and for more data during a transfer.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        env = "NBWHEEL_TIMEOUT",
        help_heading = "Network and cache"
    )]
    pub timeout: u64,
    /// How many times to retry after a transient network failure.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        env = "NBWHEEL_RETRIES",
        help_heading = "Network and cache"
    )]
    pub retries: u32,
    /// A PEM file of CA certificates to trust besides the system store (a private CA).
    #[arg(
        long,
        value_name = "FILE",
        env = "NBWHEEL_CERT",
        help_heading = "Network and cache"
    )]
    pub cert: Option<PathBuf>,
    /// A PEM file with a client certificate and key, for mutual TLS.
    #[arg(
        long,
        value_name = "FILE",
        env = "NBWHEEL_CLIENT_CERT",
        help_heading = "Network and cache"
    )]
    pub client_cert: Option<PathBuf>,
    /// A private index: searched first, before every extra index, and one of the sources a
    /// project matching --private-prefix may come from (like an --extra-index-url given here,
    /// in nbwheel.toml or in the environment; an index named only in a requirements file never
    /// is); repeatable.
    #[arg(
        long,
        value_name = "URL",
        env = "NBWHEEL_PRIVATE_INDEX",
        value_delimiter = ' ',
        help_heading = "Sources"
    )]
    pub private_index: Vec<String>,
    /// The largest wheel a download accepts when the index declares no size (a wheel is
    /// always capped at the size its index declares): bytes, or with a K, M or G suffix
    /// (powers of 1024).
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "1G",
        value_parser = parse_byte_size,
        env = "NBWHEEL_MAX_WHEEL_SIZE",
        help_heading = "Network and cache"
    )]
    pub max_wheel_size: u64,
    /// The total time one request may take, besides the idle --timeout: a server sending one
    /// byte a second cannot hold a download longer than this.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 900,
        env = "NBWHEEL_MAX_REQUEST_TIME",
        help_heading = "Network and cache"
    )]
    pub max_request_time: u64,
}

/// A size in bytes: digits, optionally followed by `K`, `M` or `G` (powers of 1024, an optional
/// `B` or `iB` after the letter).
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let upper = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, shift) = match upper.chars().last() {
        Some('K') => (&upper[..upper.len() - 1], 10),
        Some('M') => (&upper[..upper.len() - 1], 20),
        Some('G') => (&upper[..upper.len() - 1], 30),
        _ => (upper, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{t}` is not a size (expected bytes, or a number with K, M or G)"))?;
    n.checked_mul(1 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{t}` is not a usable size (must be above 0 and below 16 EiB)"))
}

/// The target platform, shared by `build`, `resolve` and `verify`.
#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// Target architecture: `x86_64`, `aarch64`, a comma list, or `all`.
    #[arg(
        long,
        value_name = "ARCH",
        env = "NBWHEEL_ARCH",
        help_heading = "Target"
    )]
    pub arch: Option<String>,
    /// The target's glibc floor as `2_N` (default `2_28`; `2_17` is the vendor's documented floor).
    #[arg(
        long,
        value_name = "2_N",
        env = "NBWHEEL_MANYLINUX",
        help_heading = "Target"
    )]
    pub manylinux: Option<String>,
    /// The target's Python version, `3.12` or `3.12.N`.
    #[arg(
        long,
        value_name = "VERSION",
        env = "NBWHEEL_PYTHON",
        help_heading = "Target"
    )]
    pub python: Option<String>,
    /// pip's spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable.
    #[arg(long, value_name = "PLATFORM", help_heading = "Target")]
    pub platform: Vec<String>,
    /// Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice.
    #[arg(long, help_heading = "Target")]
    pub allow_linux_tag: bool,
    /// A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`),
    /// `netbox-docker-5`, or a TOML file; the other target flags override it.
    #[arg(
        long,
        value_name = "NAME|FILE",
        env = "NBWHEEL_TARGET_PROFILE",
        help_heading = "Target"
    )]
    pub target_profile: Option<String>,
}

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

/// `nbwheel inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The archive to list.
    pub archive: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

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

#[cfg(test)]
mod byte_size_tests {
    #[test]
    fn byte_sizes() {
        assert_eq!(super::parse_byte_size("100"), Ok(100));
        assert_eq!(super::parse_byte_size("1K"), Ok(1024));
        assert_eq!(super::parse_byte_size("64MiB"), Ok(64 << 20));
        assert_eq!(super::parse_byte_size("1g"), Ok(1 << 30));
        assert_eq!(super::parse_byte_size("2GB"), Ok(2 << 30));
        for bad in ["", "0", "K", "-1", "1T", "99999999999999999999G", "1.5G"] {
            assert!(super::parse_byte_size(bad).is_err(), "{bad}");
        }
    }
}
