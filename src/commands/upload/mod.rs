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

pub mod s3;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::commands::Error;
use crate::commands::cluster::{
    self, ClusterError, ClusterInfo, Kubectl, MAINTENANCE_LABEL, Resource,
};
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

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From here on, Ctrl-C sets a flag instead of killing nbwheel, so cleanup can run.
fn catch_ctrl_c() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            let _ = tx.send(());
            return;
        };
        rt.block_on(async {
            let signal = tokio::signal::ctrl_c();
            let _ = tx.send(());
            if signal.await.is_ok() {
                INTERRUPTED.store(true, Ordering::SeqCst);
            }
        });
    });
    let _ = rx.recv_timeout(Duration::from_secs(1));
}

fn check_interrupted() -> Result<(), Error> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(ClusterError::Interrupted.into())
    } else {
        Ok(())
    }
}

fn a(v: &[&str]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
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

/// Whether `path` is a file in the pod (`test -f`).
fn remote_exists(k: &Kubectl, ns: &str, pod: &str, path: &str) -> Result<bool, Error> {
    let args = a(&["exec", "-n", ns, pod, "--", "test", "-f", path]);
    let out = k.raw(&args)?;
    match out.status {
        Some(0) => Ok(true),
        Some(1)
            if out.stderr.contains("command terminated with exit code 1")
                || out.stderr.trim().is_empty() =>
        {
            Ok(false)
        }
        _ => Err(k.failure(&args, &out).into()),
    }
}

/// Copies `path` to `path.previous` in the pod when it exists; true when it did.
fn keep_aside(k: &Kubectl, ns: &str, pod: &str, path: &str) -> Result<bool, Error> {
    if !remote_exists(k, ns, pod, path)? {
        return Ok(false);
    }
    let previous = format!("{path}.previous");
    k.change(&a(&["exec", "-n", ns, pod, "--", "cp", path, &previous]))?;
    Ok(true)
}

/// After a failed copy: the previous archive back, or the partial file removed.
fn restore(k: &Kubectl, ns: &str, pod: &str, path: &str, kept: bool) {
    let previous = format!("{path}.previous");
    let args = if kept {
        a(&["exec", "-n", ns, pod, "--", "cp", &previous, path])
    } else {
        a(&["exec", "-n", ns, pod, "--", "rm", "-f", path])
    };
    if let Err(e) = k.change(&args) {
        tracing::warn!("could not restore `{path}` in pod `{ns}/{pod}`: {e}");
    }
}

/// `kubectl cp`, then the copy's sha256 checked in the pod.
fn copy_and_check(
    k: &Kubectl,
    archive: &Path,
    sha256: &str,
    ns: &str,
    pod: &str,
    path: &str,
) -> Result<(), Error> {
    let remote = format!("{ns}/{pod}:{path}");
    k.change(&a(&["cp", &archive.to_string_lossy(), &remote]))?;
    check_interrupted()?;
    if k.dry_run() {
        return Ok(());
    }
    let out = k.read(&a(&["exec", "-n", ns, pod, "--", "sha256sum", path]))?;
    let actual = out.split_whitespace().next().unwrap_or("").to_string();
    if actual != sha256 {
        return Err(UploadError::Mismatch {
            location: remote,
            expected: sha256.to_string(),
            actual,
        }
        .into());
    }
    Ok(())
}

fn upload_media(
    k: &Kubectl,
    info: &ClusterInfo,
    archive: &Path,
    sha256: &str,
) -> Result<(String, bool), Error> {
    let (ns, pod) = (&info.namespace, &info.pod);
    let kept = keep_aside(k, ns, pod, MEDIA_PATH)?;
    if let Err(e) = copy_and_check(k, archive, sha256, ns, pod, MEDIA_PATH) {
        restore(k, ns, pod, MEDIA_PATH, kept);
        return Err(e);
    }
    Ok((format!("pod {ns}/{pod}:{MEDIA_PATH}"), kept))
}

/// The PVC settings to use: the resource's own, else the vendor's defaults.
fn pvc_settings(r: &Resource) -> (String, String) {
    match &r.wheelhouse {
        cluster::WheelhouseSource::Pvc { claim_name, path } if !claim_name.is_empty() => {
            (claim_name.clone(), path.clone())
        }
        _ => (format!("{}-wheelhouse", r.name), "wheelhouse.tar.gz".into()),
    }
}

fn patch(k: &Kubectl, r: &Resource, body: &serde_json::Value) -> Result<String, ClusterError> {
    k.change(&a(&[
        "patch",
        "netboxenterprise",
        "-n",
        &r.namespace,
        &r.name,
        "--type",
        "merge",
        "-p",
        &body.to_string(),
    ]))
}

/// Waits for the maintenance pod and returns its name.
fn wait_for_maintenance_pod(k: &Kubectl, ns: &str, timeout: Duration) -> Result<String, Error> {
    if k.dry_run() {
        k.change(&a(&[
            "wait",
            "--for=condition=Ready",
            "pod",
            "-n",
            ns,
            "-l",
            MAINTENANCE_LABEL,
            &format!("--timeout={}s", timeout.as_secs()),
        ]))?;
        return Ok("<maintenance-pod>".into());
    }
    let started = Instant::now();
    // The operator creates the pod after the patch: poll until it exists, then wait for Ready.
    loop {
        check_interrupted()?;
        match cluster::find_pod(k, Some(ns), MAINTENANCE_LABEL) {
            Ok(_) => break,
            Err(ClusterError::NoPod { command, .. }) => {
                if started.elapsed() >= timeout {
                    return Err(ClusterError::Timeout {
                        command,
                        stderr: format!(
                            "no pod with the label `{MAINTENANCE_LABEL}` appeared in {} s",
                            timeout.as_secs()
                        ),
                    }
                    .into());
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let wait = a(&[
        "wait",
        "--for=condition=Ready",
        "pod",
        "-n",
        ns,
        "-l",
        MAINTENANCE_LABEL,
        &format!("--timeout={}s", timeout.as_secs()),
    ]);
    let out = k.raw(&wait)?;
    if out.status != Some(0) {
        let e = k.failure(&wait, &out);
        return Err(match e {
            ClusterError::CommandFailed {
                command, stderr, ..
            } if stderr.contains("timed out") => ClusterError::Timeout { command, stderr },
            other => other,
        }
        .into());
    }
    let (_, pod) = cluster::find_pod(k, Some(ns), MAINTENANCE_LABEL)?;
    Ok(pod)
}

/// Runs `steps` in maintenance mode and always leaves it: on success with `maintenanceMode`
/// false (the vendor's step 3), after a failure with the resource's settings as found.
fn in_maintenance<T>(
    k: &Kubectl,
    r: &Resource,
    enter: &serde_json::Value,
    steps: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    catch_ctrl_c();
    patch(k, r, enter)?;
    let result = steps().and_then(|v| check_interrupted().map(|()| v));
    let leave = if result.is_ok() {
        json!({"spec": {"maintenanceMode": false}})
    } else {
        let mut body = json!({"spec": {"maintenanceMode": r.maintenance_mode}});
        // Put the wheelhouse settings back as found (a merge patch: `null` removes).
        if enter.pointer("/spec/netbox").is_some() {
            let restored = match &r.raw_wheelhouse {
                None => serde_json::Value::Null,
                Some(w) => {
                    let mut w = w.clone();
                    if let Some(obj) = w.as_object_mut() {
                        obj.entry("pvc").or_insert(serde_json::Value::Null);
                    }
                    w
                }
            };
            body["spec"]["netbox"] = json!({"config": {"plugins": {"wheelhouse": restored}}});
        }
        body
    };
    let left = patch(k, r, &leave);
    match (result, left) {
        (Ok(v), Ok(_)) => Ok(v),
        (Err(e), Ok(_)) => Err(e),
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), Err(e2)) => {
            tracing::error!("could not leave maintenance mode: {e2}");
            Err(e)
        }
    }
}

fn upload_pvc(
    k: &Kubectl,
    r: &Resource,
    archive: &Path,
    sha256: &str,
    timeout: Duration,
) -> Result<(String, bool), Error> {
    let (claim, file) = pvc_settings(r);
    let enter = json!({"spec": {"maintenanceMode": true, "netbox": {"config": {"plugins": {"wheelhouse": {"pvc": {
        "claimName": claim, "path": file, "create": true, "size": "1Gi"
    }}}}}}});
    let path = format!("{PVC_MOUNT}/{file}");
    in_maintenance(k, r, &enter, || {
        let pod = wait_for_maintenance_pod(k, &r.namespace, timeout)?;
        check_interrupted()?;
        let kept = keep_aside(k, &r.namespace, &pod, &path)?;
        if let Err(e) = copy_and_check(k, archive, sha256, &r.namespace, &pod, &path) {
            restore(k, &r.namespace, &pod, &path, kept);
            return Err(e);
        }
        Ok((
            format!("pvc {claim}:{file} (pod {}/{pod}:{path})", r.namespace),
            kept,
        ))
    })
}

/// `kubectl rollout restart` of web and worker, then `rollout status` for both.
fn restart(k: &Kubectl, r: &Resource, timeout: Duration) -> Result<(), Error> {
    let web = format!("{}-netbox", r.name);
    let worker = format!("{}-netbox-worker", r.name);
    for d in [&web, &worker] {
        k.change(&a(&[
            "rollout",
            "restart",
            "deployment",
            "-n",
            &r.namespace,
            d,
        ]))?;
    }
    for d in [&web, &worker] {
        k.change(&a(&[
            "rollout",
            "status",
            "deployment",
            "-n",
            &r.namespace,
            d,
            &format!("--timeout={}s", timeout.as_secs()),
        ]))?;
    }
    Ok(())
}

/// Records the upload on the web and worker deployments (the annotations `cluster check`
/// reads); a failure here only warns, the upload itself is done.
fn record_upload(k: &Kubectl, info: &ClusterInfo, sha256: &str) {
    let Some(r) = &info.resource else { return };
    let now = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
        .unwrap_or_else(|_| jiff::Timestamp::now());
    for d in [
        format!("{}-netbox", r.name),
        format!("{}-netbox-worker", r.name),
    ] {
        let result = k.change(&a(&[
            "annotate",
            "deployment",
            "-n",
            &r.namespace,
            &d,
            "--overwrite",
            &format!("{}={now}", cluster::check::UPLOADED_AT),
            &format!("{}={sha256}", cluster::check::UPLOADED_SHA256),
        ]));
        if let Err(e) = result {
            tracing::warn!("Could not record the upload on deployment `{d}`: {e}");
        }
    }
}

fn rollback_in_pod(k: &Kubectl, ns: &str, pod: &str, path: &str) -> Result<(), Error> {
    let previous = format!("{path}.previous");
    if !k.dry_run() && !remote_exists(k, ns, pod, &previous)? {
        return Err(UploadError::NoPrevious {
            location: format!("{ns}/{pod}:{previous}"),
        }
        .into());
    }
    k.change(&a(&["exec", "-n", ns, pod, "--", "cp", &previous, path]))?;
    Ok(())
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
    let mut sha256 = None;
    let mut s3_steps = Vec::new();
    let (destination, kept_previous) = if options.rollback {
        match (&options.destination, &info) {
            (Destination::Media, Some(info)) => {
                rollback_in_pod(k, &info.namespace, &info.pod, MEDIA_PATH)?;
                (
                    format!("pod {}/{}:{MEDIA_PATH}", info.namespace, info.pod),
                    false,
                )
            }
            (Destination::Pvc, Some(info)) => {
                let r = info.require_resource(k)?;
                let (_, file) = pvc_settings(&r);
                let path = format!("{PVC_MOUNT}/{file}");
                let enter = json!({"spec": {"maintenanceMode": true}});
                in_maintenance(k, &r, &enter, || {
                    let pod = wait_for_maintenance_pod(k, &r.namespace, options.timeout)?;
                    rollback_in_pod(k, &r.namespace, &pod, &path)
                })?;
                (format!("pvc of {}", r.name), false)
            }
            (Destination::S3 { bucket, key }, _) => {
                let client = s3::S3Client::new(&options.s3, k.dry_run())?;
                client.rollback(bucket, key)?;
                s3_steps = client.steps();
                (format!("s3://{bucket}/{key}"), false)
            }
            _ => unreachable!("the cluster is read for every destination but S3"),
        }
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
        let result = match (&options.destination, &info) {
            (Destination::Media, Some(info)) => upload_media(k, info, archive, &sha)?,
            (Destination::Pvc, Some(info)) => {
                let r = info.require_resource(k)?;
                upload_pvc(k, &r, archive, &sha, options.timeout)?
            }
            (Destination::S3 { bucket, key }, _) => {
                let client = s3::S3Client::new(&options.s3, k.dry_run())?;
                let kept = client.upload(archive, bucket, key, &sha)?;
                s3_steps = client.steps();
                (format!("s3://{bucket}/{key}"), kept)
            }
            _ => unreachable!("the cluster is read for every destination but S3"),
        };
        if let Some(info) = &info {
            record_upload(k, info, &sha);
        }
        sha256 = Some(sha);
        result
    };
    if options.restart
        && let Some(info) = &info
    {
        let r = info.require_resource(k)?;
        restart(k, &r, options.timeout)?;
    }
    let mut steps = k.commands();
    steps.extend(s3_steps);
    Ok(UploadReport {
        destination,
        kept_previous,
        sha256,
        steps,
        dry_run: k.dry_run(),
    })
}
