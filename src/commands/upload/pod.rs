//! The cluster side of `upload`: the steps run through `kubectl` for the media directory and
//! the wheelhouse PVC (keep the previous archive aside, copy, check the copy's sha256, restore
//! after a failure), maintenance mode entered and always left, the rollout restart, and the
//! annotations `cluster check` reads.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{MEDIA_PATH, PVC_MOUNT, UploadError};
use crate::commands::Error;
use crate::commands::cluster::{
    self, ClusterError, ClusterInfo, Kubectl, MAINTENANCE_LABEL, Resource,
};

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
    if k.dry_run() {
        k.change(&wait)?;
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
pub(super) fn restart(k: &Kubectl, r: &Resource, timeout: Duration) -> Result<(), Error> {
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
pub(super) fn record_upload(k: &Kubectl, info: &ClusterInfo, sha256: &str) {
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

/// Uploads `archive` (with its sha256) to the media directory or the PVC, or with `None` puts
/// the previous archive back; returns the destination's description and whether the previous
/// archive was kept aside.
pub(super) fn to_cluster(
    k: &Kubectl,
    info: &ClusterInfo,
    pvc: bool,
    archive: Option<(&Path, &str)>,
    timeout: Duration,
) -> Result<(String, bool), Error> {
    match (pvc, archive) {
        (false, Some((archive, sha))) => upload_media(k, info, archive, sha),
        (true, Some((archive, sha))) => {
            let r = info.require_resource(k)?;
            upload_pvc(k, &r, archive, sha, timeout)
        }
        (false, None) => {
            rollback_in_pod(k, &info.namespace, &info.pod, MEDIA_PATH)?;
            Ok((
                format!("pod {}/{}:{MEDIA_PATH}", info.namespace, info.pod),
                false,
            ))
        }
        (true, None) => {
            let r = info.require_resource(k)?;
            let (_, file) = pvc_settings(&r);
            let path = format!("{PVC_MOUNT}/{file}");
            let enter = json!({"spec": {"maintenanceMode": true}});
            in_maintenance(k, &r, &enter, || {
                let pod = wait_for_maintenance_pod(k, &r.namespace, timeout)?;
                rollback_in_pod(k, &r.namespace, &pod, &path)
            })?;
            Ok((format!("pvc of {}", r.name), false))
        }
    }
}
