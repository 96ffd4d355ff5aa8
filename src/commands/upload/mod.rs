//! `nbwheel upload`: the vendor's upload steps, run through the user's own `kubectl` (media
//! directory, PVC in maintenance mode) or natively against S3.
//!
//! Input: the archive, the destination (`media`, `pvc`, `s3://BUCKET/KEY`) and the flags.
//! Output: an [`UploadReport`] listing every command and request made (under `--dry-run`: that
//! would be made). Order: verify the archive for the cluster's targets (unless `--no-verify`),
//! keep the previous archive aside (`wheelhouse.tar.gz.previous`, or `KEY.previous` in S3),
//! copy, check the copy's sha256, then with `--restart` restart the web and worker deployments
//! and wait for them. The PVC method always leaves maintenance mode again, also after a failure
//! or Ctrl-C; after a failure the resource's wheelhouse settings are restored as found.
//!
//! Here: the destination (`s3://` bucket and key checked before any request), the options and
//! report, the archive's verification and the order of the steps. The `kubectl` steps are in
//! `pod`, S3 in [`s3`].

mod pod;
pub mod s3;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::commands::Error;
use crate::commands::cluster::{self, ClusterError, ClusterInfo, Kubectl};
use crate::exit::ExitCode;

/// Where the media method puts the archive.
pub const MEDIA_PATH: &str = "/opt/netbox/netbox/media/wheelhouse.tar.gz";
/// Where the maintenance pod mounts the wheelhouse PVC.
pub const PVC_MOUNT: &str = "/wheelhouse-source";

/// Why an upload failed (cluster failures are [`ClusterError`]s).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// `--to` is not understood.
    #[error("Invalid upload destination `{0}`")]
    BadDestination(String),
    /// An `s3://BUCKET/KEY` whose bucket or key would address another object than written.
    #[error("Invalid S3 destination `{url}`: {reason}")]
    BadS3 {
        /// The destination as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The archive is not sound for the cluster.
    #[error("The archive `{}` is not sound for the cluster's targets ({targets}); nothing was uploaded:\n{findings}", archive.display())]
    NotSound {
        /// The archive.
        archive: PathBuf,
        /// The targets checked.
        targets: String,
        /// The findings, one a line.
        findings: String,
        /// 1 or 4.
        code: ExitCode,
    },
    /// The copy in the pod does not match the archive.
    #[error(
        "The copy at `{location}` does not match the archive: expected sha256:{expected}, found `{actual}`"
    )]
    Mismatch {
        /// Where.
        location: String,
        /// The archive's sha256.
        expected: String,
        /// What was found.
        actual: String,
    },
    /// `--rollback` found nothing kept aside.
    #[error("No previous archive at `{location}` to roll back to")]
    NoPrevious {
        /// Where it was looked for.
        location: String,
    },
    /// An S3 request failed.
    #[error(transparent)]
    S3(#[from] s3::S3Error),
}

impl UploadError {
    /// The documented exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            UploadError::BadDestination(_) | UploadError::BadS3 { .. } => ExitCode::Usage,
            UploadError::NotSound { code, .. } => *code,
            UploadError::Mismatch { .. } => ExitCode::Integrity,
            UploadError::NoPrevious { .. } => ExitCode::NoSolution,
            UploadError::S3(e) => e.exit_code(),
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<String> {
        match self {
            UploadError::BadDestination(_) => Some("Use `--to media`, `--to pvc` or `--to s3://BUCKET/KEY`.".into()),
            UploadError::BadS3 { .. } => Some("Bucket names are 3-63 characters of lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit, not an IP address; keys have no empty, `.` or `..` segments.".into()),
            UploadError::NotSound { .. } => Some("Run `nbwheel verify` on the archive for details, rebuild with `nbwheel build --from-cluster`, or pass `--no-verify` to upload anyway.".into()),
            UploadError::Mismatch { .. } => Some("The previous archive was put back. Retry the upload; if it fails again, check the pod's disk space.".into()),
            UploadError::NoPrevious { .. } => Some("Only an upload by nbwheel keeps the previous archive aside.".into()),
            UploadError::S3(e) => e.hint(),
        }
    }
}

impl From<s3::S3Error> for Error {
    fn from(e: s3::S3Error) -> Self {
        Error::Upload(UploadError::S3(e))
    }
}

/// Where to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The pod's media directory.
    Media,
    /// The wheelhouse PVC, through the maintenance pod.
    Pvc,
    /// An S3 object.
    S3 {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
}

impl std::str::FromStr for Destination {
    type Err = UploadError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "media" => Ok(Destination::Media),
            "pvc" => Ok(Destination::Pvc),
            _ => {
                let (bucket, key) = s
                    .strip_prefix("s3://")
                    .and_then(|r| r.split_once('/'))
                    .ok_or_else(|| UploadError::BadDestination(s.to_string()))?;
                let bad = |reason: String| UploadError::BadS3 {
                    url: s.to_string(),
                    reason,
                };
                check_bucket(bucket).map_err(|r| bad(format!("bucket `{bucket}` {r}")))?;
                check_key(key).map_err(|r| bad(format!("key `{key}` {r}")))?;
                Ok(Destination::S3 {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                })
            }
        }
    }
}

/// The S3 bucket naming rules: 3-63 characters of lower-case letters, digits, `.` and `-`,
/// starting and ending with a letter or digit, no `..`, not shaped like an IP address.
fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    if !(3..=63).contains(&bucket.len()) {
        return Err("must be 3 to 63 characters long");
    }
    if !bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Err("may hold only lower-case letters, digits, `.` and `-`");
    }
    let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !alnum(bucket.bytes().next()) || !alnum(bucket.bytes().last()) {
        return Err("must start and end with a letter or a digit");
    }
    if bucket.contains("..") || bucket.contains(".-") || bucket.contains("-.") {
        return Err("may not hold `..`, `.-` or `-.`");
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("may not be an IP address");
    }
    Ok(())
}

/// A key is written as given: no empty, `.` or `..` segment (a URL would normalise them away
/// and address another object, or another bucket), no control characters.
fn check_key(key: &str) -> Result<(), &'static str> {
    if key.is_empty() {
        return Err("is empty");
    }
    if key.chars().any(char::is_control) {
        return Err("holds a control character");
    }
    if key
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err("has an empty, `.` or `..` segment");
    }
    Ok(())
}

/// The upload options.
#[derive(Debug, Clone)]
pub struct UploadOptions {
    /// The archive (absent for `--rollback`).
    pub archive: Option<PathBuf>,
    /// Where.
    pub destination: Destination,
    /// The namespace, when given.
    pub namespace: Option<String>,
    /// Restart the deployments afterwards.
    pub restart: bool,
    /// Skip the verification.
    pub no_verify: bool,
    /// Put the previous archive back.
    pub rollback: bool,
    /// Wait limit for the maintenance pod and the restarts.
    pub timeout: Duration,
    /// S3 settings.
    pub s3: s3::S3Options,
}

/// What `upload` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UploadReport {
    /// The destination, e.g. `pod netbox/x:/opt/…` or `s3://b/k`.
    pub destination: String,
    /// True when the previous archive was kept aside.
    pub kept_previous: bool,
    /// The archive's sha256 (absent for a rollback).
    pub sha256: Option<String>,
    /// Every command and request, in order.
    pub steps: Vec<String>,
    /// True under `--dry-run`.
    pub dry_run: bool,
}

/// Verifies `archive` for the cluster's targets; a node architecture the archive cannot serve
/// is reported as such.
pub fn verify_for_cluster(archive: &Path, info: &ClusterInfo) -> Result<(), Error> {
    let targets = info.targets()?;
    let report = crate::commands::verify::verify(archive, &targets)?;
    if report.sound {
        return Ok(());
    }
    let failing: Vec<&crate::target::Target> = targets
        .iter()
        .filter(|t| {
            report.findings.iter().any(|f| {
                f.subject == t.to_string() && f.severity != crate::commands::verify::Severity::Note
            })
        })
        .collect();
    if let Some(t) = failing.first() {
        let has: Vec<String> = targets
            .iter()
            .filter(|x| !failing.contains(x))
            .map(|x| format!("`{}`", x.arch))
            .collect();
        return Err(ClusterError::ArchMissing {
            archive: archive.display().to_string(),
            arch: t.arch.to_string(),
            has: if has.is_empty() {
                "other targets".into()
            } else {
                has.join(", ")
            },
        }
        .into());
    }
    Err(UploadError::NotSound {
        archive: archive.to_path_buf(),
        targets: targets
            .iter()
            .map(crate::target::Target::short_description)
            .collect::<Vec<_>>()
            .join(", "),
        findings: report
            .findings
            .iter()
            .filter(|f| f.severity != crate::commands::verify::Severity::Note)
            .map(|f| format!("  {}: {}", f.subject, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        code: report.exit_code(),
    }
    .into())
}

/// `nbwheel upload`.
pub fn upload(k: &Kubectl, options: &UploadOptions) -> Result<UploadReport, Error> {
    let s3_target = matches!(options.destination, Destination::S3 { .. });
    let needs_cluster = !s3_target || options.restart || (!options.no_verify && !options.rollback);
    let info = if needs_cluster {
        Some(cluster::info(k, options.namespace.as_deref())?)
    } else {
        None
    };
    // The archive and its sha256, verified for the cluster's targets (none for a rollback).
    let archive = if options.rollback {
        None
    } else {
        let archive = options.archive.as_deref().ok_or_else(|| {
            Error::usage(
                "No archive given",
                Some("Pass the archive to upload.".into()),
            )
        })?;
        let (sha, _) = crate::index::cache::sha256_file(archive)
            .map_err(|e| Error::io("Failed to read", archive, e))?;
        if !options.no_verify
            && let Some(info) = &info
        {
            verify_for_cluster(archive, info)?;
        }
        Some((archive, sha))
    };
    let with_sha = archive.as_ref().map(|(a, sha)| (*a, sha.as_str()));
    let mut s3_steps = Vec::new();
    let (destination, kept_previous) = match &options.destination {
        Destination::S3 { bucket, key } => {
            let client = s3::S3Client::new(&options.s3, k.dry_run())?;
            let kept = if let Some((archive, sha)) = with_sha {
                client.upload(archive, bucket, key, sha)?
            } else {
                client.rollback(bucket, key)?;
                false
            };
            s3_steps = client.steps();
            (format!("s3://{bucket}/{key}"), kept)
        }
        Destination::Media | Destination::Pvc => {
            let fetched;
            let info = if let Some(info) = &info {
                info
            } else {
                fetched = cluster::info(k, options.namespace.as_deref())?;
                &fetched
            };
            let pvc = options.destination == Destination::Pvc;
            pod::to_cluster(k, info, pvc, with_sha, options.timeout)?
        }
    };
    if let (Some((_, sha)), Some(info)) = (&archive, &info) {
        pod::record_upload(k, info, sha);
    }
    if options.restart
        && let Some(info) = &info
    {
        let r = info.require_resource(k)?;
        pod::restart(k, &r, options.timeout)?;
    }
    let mut steps = k.commands();
    steps.extend(s3_steps);
    Ok(UploadReport {
        destination,
        kept_previous,
        sha256: archive.map(|(_, sha)| sha),
        steps,
        dry_run: k.dry_run(),
    })
}
