//! `cluster`, `constraints`, `upload` and `config`: the commands that talk to (or prepare for)
//! a NetBox Enterprise cluster.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Format;

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
    /// A PEM file of CA certificates to trust for S3 besides the system store (a private CA).
    #[arg(long, value_name = "FILE", env = "NBWHEEL_CERT", help_heading = "S3")]
    pub cert: Option<PathBuf>,
    /// A PEM file with a client certificate and key, for mutual TLS with S3.
    #[arg(
        long,
        value_name = "FILE",
        env = "NBWHEEL_CLIENT_CERT",
        help_heading = "S3"
    )]
    pub client_cert: Option<PathBuf>,
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
