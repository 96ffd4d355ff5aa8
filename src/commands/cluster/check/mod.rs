//! `nbwheel cluster check`: after an upload and a restart, prove the installation, as the
//! vendor's "Verification" steps do by hand.
//!
//! Input: a [`Kubectl`] (bounded: every answer is cut at [`MAX_OUTPUT`] bytes and every command
//! killed after the timeout) and, optionally, the archive that was uploaded. Output: a
//! [`CheckReport`] whose findings say what is wrong, quoting the cluster's own lines. Checked:
//!
//! 1. the web (`<resource>-netbox-…`) and worker (`<resource>-netbox-worker-…`) pods exist, are
//!    Ready, and started after the upload (the time `nbwheel upload` writes into the
//!    deployments' [`UPLOADED_AT`] annotation; without it this part is only a note);
//! 2. each pod's log (the first [`MAX_LOG`] bytes, where the entrypoint writes) mentions the
//!    wheelhouse and holds no pip error line;
//! 3. in a Ready web pod, a fixed script ([`IMPORT_SCRIPT`], never built from cluster or archive
//!    strings: the module and distribution names are its arguments) imports every plugin module
//!    of the archive, reads its distribution's installed version and `PLUGINS` from the running
//!    configuration; each must import, have the archive's version and be listed.
//!
//! Everything read from the cluster is treated as hostile: lengths are bounded, control
//! characters are removed before anything is shown.

mod imports;
mod report;

use std::path::Path;

use serde::Deserialize;

use super::{ClusterError, Kubectl};
use crate::commands::Error;
use crate::netbox::Plugin;

pub use imports::IMPORT_SCRIPT;
use imports::check_imports;
pub use report::{CheckReport, PluginCheck, PodCheck};

/// The most bytes read from one `kubectl` answer.
pub const MAX_OUTPUT: u64 = 4 << 20;
/// The most bytes of a pod's log read.
pub const MAX_LOG: u64 = 2 << 20;
/// The deployment annotation `upload` sets: when the archive was uploaded (RFC 3339).
pub const UPLOADED_AT: &str = "nbwheel/uploaded-at";
/// The deployment annotation `upload` sets: the uploaded archive's sha256.
pub const UPLOADED_SHA256: &str = "nbwheel/archive-sha256";
/// How many log lines a finding quotes.
const QUOTED_LINES: usize = 6;

fn a(v: &[&str]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

/// Removes control characters and bounds the length of a string from the cluster.
pub fn clean(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .take(max)
        .collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

#[derive(Deserialize)]
struct List<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

#[derive(Deserialize)]
struct Object {
    metadata: Metadata,
    #[serde(default)]
    status: serde_json::Value,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    annotations: std::collections::BTreeMap<String, String>,
    #[serde(default, rename = "deletionTimestamp")]
    deletion: Option<String>,
}

fn json<T: serde::de::DeserializeOwned>(
    k: &Kubectl,
    args: &[String],
    text: &str,
) -> Result<T, ClusterError> {
    serde_json::from_str(text).map_err(|e| ClusterError::BadOutput {
        command: k.render(args),
        reason: format!("not the JSON expected ({e})"),
    })
}

/// `nbwheel cluster check`.
pub fn check(
    k: &Kubectl,
    namespace: Option<&str>,
    archive: Option<&Path>,
) -> Result<CheckReport, Error> {
    let inspected = archive.map(crate::commands::verify::inspect).transpose()?;
    let archive_sha = inspected.as_ref().map(|r| r.sha256.clone());
    let expected: Option<Vec<Plugin>> = inspected.map(|r| r.plugins);
    let (ns, _) = super::find_pod(k, namespace, super::UPLOAD_LABEL)?;
    let resource = super::require_resource(k, &ns)?;
    let mut report = CheckReport {
        namespace: ns.clone(),
        resource: resource.name.clone(),
        uploaded_at: None,
        pods: Vec::new(),
        plugins: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
    };
    let web = format!("{}-netbox", resource.name);
    let worker = format!("{}-netbox-worker", resource.name);
    let uploaded = upload_record(k, &ns, &web, archive_sha.as_deref(), &mut report)?;
    pods(k, &ns, &web, &worker, uploaded, &mut report)?;
    for pod in report.pods.clone() {
        check_log(k, &ns, &pod.name, &mut report)?;
    }
    let ready_web = report
        .pods
        .iter()
        .find(|p| p.role == "netbox" && p.ready)
        .map(|p| p.name.clone());
    match ready_web {
        Some(pod) => check_imports(k, &ns, &pod, expected.as_deref(), &mut report)?,
        None => report
            .findings
            .push("no Ready web pod to check the plugins in".into()),
    }
    Ok(report)
}

/// The upload time and archive from the web deployment's annotations.
fn upload_record(
    k: &Kubectl,
    ns: &str,
    web: &str,
    archive_sha: Option<&str>,
    report: &mut CheckReport,
) -> Result<Option<jiff::Timestamp>, Error> {
    let args = a(&["get", "deployment", "-n", ns, web, "-o", "json"]);
    let out = k.read(&args)?;
    let d: Object = json(k, &args, &out)?;
    let at = d
        .metadata
        .annotations
        .get(UPLOADED_AT)
        .map(|s| clean(s, 64));
    let sha = d
        .metadata
        .annotations
        .get(UPLOADED_SHA256)
        .map(|s| clean(s, 64));
    report.uploaded_at.clone_from(&at);
    match (archive_sha, &sha) {
        (Some(mine), Some(theirs)) if mine != theirs => report.findings.push(format!(
            "the last upload to `{ns}` was another archive (sha256:{theirs}), not this one (sha256:{mine})"
        )),
        (Some(_), None) => report.notes.push(format!(
            "deployment `{web}` records no upload by nbwheel: the archive uploaded cannot be told"
        )),
        _ => {}
    }
    let Some(at) = at else {
        report.notes.push(format!(
            "deployment `{web}` has no `{UPLOADED_AT}` annotation: whether the pods started after the upload is not checked"
        ));
        return Ok(None);
    };
    if let Ok(t) = at.parse::<jiff::Timestamp>() {
        Ok(Some(t))
    } else {
        report.findings.push(format!(
            "the `{UPLOADED_AT}` annotation `{at}` is not a time"
        ));
        Ok(None)
    }
}

/// The web and worker pods: present, Ready, started after the upload.
fn pods(
    k: &Kubectl,
    ns: &str,
    web: &str,
    worker: &str,
    uploaded: Option<jiff::Timestamp>,
    report: &mut CheckReport,
) -> Result<(), Error> {
    let args = a(&["get", "pods", "-n", ns, "-o", "json"]);
    let out = k.read(&args)?;
    let list: List<Object> = json(k, &args, &out)?;
    for (role, prefix) in [("netbox", web), ("netbox-worker", worker)] {
        let mut found = false;
        for p in &list.items {
            let name = &p.metadata.name;
            let rest = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('-'));
            // `<name>-netbox-worker-…` also starts with `<name>-netbox-`.
            if rest.is_none_or(|r| role == "netbox" && r.starts_with("worker-"))
                || p.metadata.deletion.is_some()
            {
                continue;
            }
            found = true;
            let state = pod_state(p, role, uploaded, report);
            report.pods.push(state);
        }
        if !found {
            report
                .findings
                .push(format!("no `{role}` pod (`{prefix}-…`) in `{ns}`"));
        }
    }
    Ok(())
}

fn pod_state(
    p: &Object,
    role: &str,
    uploaded: Option<jiff::Timestamp>,
    report: &mut CheckReport,
) -> PodCheck {
    let name = clean(&p.metadata.name, 253);
    let ready = p.status["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True");
    let started = p.status["startTime"].as_str().map(|s| clean(s, 64));
    if !ready {
        let waiting: Vec<String> = p.status["containerStatuses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["state"]["waiting"]["reason"].as_str())
            .map(|r| clean(r, 80))
            .collect();
        report.findings.push(format!(
            "pod `{name}` is not Ready{}",
            if waiting.is_empty() {
                String::new()
            } else {
                format!(" ({})", waiting.join(", "))
            }
        ));
    }
    if let Some(up) = uploaded {
        let start = started
            .as_deref()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok());
        match start {
            Some(s) if s >= up => {}
            Some(s) => report.findings.push(format!(
                "pod `{name}` started at {s}, before the upload at {up}: it runs the previous archive (restart it: `nbwheel upload --restart` or `kubectl rollout restart`)"
            )),
            None => report
                .findings
                .push(format!("pod `{name}` reports no start time")),
        }
    }
    PodCheck {
        name,
        role: role.to_string(),
        ready,
        started,
    }
}

/// Whether a log line is a pip (or install) error.
fn is_pip_error(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("ERROR:")
        || l.contains("ResolutionImpossible")
        || l.contains("No matching distribution found")
        || l.contains("Could not find a version that satisfies")
        || l.contains("is not a supported wheel on this platform")
        || l.contains("THESE PACKAGES DO NOT MATCH THE HASHES")
}

/// The pod's log shows the wheelhouse install and no pip error.
fn check_log(k: &Kubectl, ns: &str, pod: &str, report: &mut CheckReport) -> Result<(), Error> {
    let args = a(&["logs", "-n", ns, pod, &format!("--limit-bytes={MAX_LOG}")]);
    let out = k.read(&args)?;
    let lines: Vec<&str> = out.lines().collect();
    let errors: Vec<String> = lines
        .iter()
        .filter(|l| is_pip_error(l))
        .take(QUOTED_LINES)
        .map(|l| format!("    | {}", clean(l, 300)))
        .collect();
    if !errors.is_empty() {
        report.findings.push(format!(
            "the log of pod `{pod}` shows a failed install:\n{}",
            errors.join("\n")
        ));
    }
    if !lines
        .iter()
        .any(|l| l.to_ascii_lowercase().contains("wheelhouse"))
    {
        let tail: Vec<String> = lines
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|l| format!("    | {}", clean(l, 300)))
            .collect();
        report.findings.push(format!(
            "the log of pod `{pod}` never mentions the wheelhouse: the entrypoint did not install it{}",
            if tail.is_empty() {
                " (the log is empty)".to_string()
            } else {
                format!("; its last lines:\n{}", tail.join("\n"))
            }
        ));
    }
    Ok(())
}
