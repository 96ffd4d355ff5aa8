//! `nbwheel cluster check` (and `upload --restart --check`) against the stand-in `kubectl`: a
//! healthy installation, a pod whose pip install failed, a plugin missing from `PLUGINS`, pods
//! that still run the previous archive, and hostile answers (control characters, a huge log).

use std::path::PathBuf;

use crate::common::cluster::{FakeCluster, text};
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Release};

const WEB: &str = "nbe-netbox-7d9c-abcde";
const WORKER: &str = "nbe-netbox-worker-55f-xyz";

fn plugin(dist: &str, module: &str, version: &str) -> Release {
    Release {
        import_name: Some(module.to_string()),
        ..Release::new(dist, version)
    }
    .file(
        &format!("{module}/__init__.py"),
        &format!(
            "from netbox.plugins import PluginConfig\n\nclass C(PluginConfig):\n    name = \"{module}\"\n    version = \"{version}\"\n    min_version = \"4.2.0\"\n\nconfig = C\n"
        ),
    )
}

/// An archive with two plugins, built into the cluster's folder.
fn archive(c: &FakeCluster) -> PathBuf {
    let index = FakeIndex::start(vec![
        plugin("netbox-plugin-dns", "netbox_dns", "1.1.0"),
        plugin("netbox-acls", "netbox_acls", "2.0.3"),
    ]);
    let work = c.dir.path();
    std::fs::write(
        work.join("requirements.txt"),
        "netbox-plugin-dns\nnetbox-acls\n",
    )
    .unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--index-url", &index.url(), "--cache-dir"])
        .arg(work.join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    work.join("wheelhouse.tar.gz")
}

const GOOD_LOG: &str = "Checking for wheelhouse...\n\
Found wheelhouse at /opt/netbox/netbox/media/wheelhouse.tar.gz\n\
Installing plugins from wheelhouse into /opt/netbox/venv/lib/python3.12/user-packages\n\
Successfully installed netbox-acls-2.0.3 netbox-plugin-dns-1.1.0\n\
Running collectstatic...\n\
⏳ Waiting on DB...\n";

/// A healthy cluster: logs, the pod's Python world, and an upload recorded before the pods
/// started.
fn healthy(c: &FakeCluster, sha256: Option<&str>) {
    std::fs::create_dir_all(c.state().join("logs")).unwrap();
    for pod in [WEB, WORKER] {
        std::fs::write(c.state().join(format!("logs/{pod}.txt")), GOOD_LOG).unwrap();
    }
    c.write_json(
        "check.json",
        &serde_json::json!({
            "plugins": ["netbox_acls", "netbox_dns"],
            "versions": {"netbox-plugin-dns": "1.1.0", "netbox-acls": "2.0.3"},
        }),
    );
    let mut annotations = serde_json::json!({"nbwheel/uploaded-at": "2026-11-30T10:00:00Z"});
    if let Some(sha) = sha256 {
        annotations["nbwheel/archive-sha256"] = sha.into();
    }
    c.write_json(
        "deployments.json",
        &serde_json::json!({"items": [
            {"metadata": {"name": "nbe-netbox", "namespace": "netbox", "annotations": annotations}},
        ]}),
    );
}

fn sha256(p: &std::path::Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()))
}

fn check(c: &FakeCluster, archive: &std::path::Path, extra: &[&str]) -> std::process::Output {
    c.nbwheel()
        .args(["cluster", "check", "--archive"])
        .arg(archive)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_healthy_installation_is_proven() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c);
    healthy(&c, Some(&sha256(&a)));
    let o = check(&c, &a, &[]);
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
    // The modules are arguments of the fixed script, never part of it.
    let exec = c
        .log()
        .into_iter()
        .find(|l| l.contains("importlib"))
        .unwrap();
    assert!(
        exec.ends_with(" netbox_acls=netbox-acls netbox_dns=netbox-plugin-dns"),
        "{exec}"
    );

    let o = check(&c, &a, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["plugins"][1]["installed"], "1.1.0");
}

#[test]
fn a_failed_pip_install_is_quoted() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c);
    healthy(&c, Some(&sha256(&a)));
    std::fs::write(
        c.state().join(format!("logs/{WORKER}.txt")),
        "Checking for wheelhouse...\nFound wheelhouse at /opt/netbox/netbox/media/wheelhouse.tar.gz\n\
Looking in links: /tmp/wheelhouse\n\
ERROR: Could not find a version that satisfies the requirement netbox-acls==2.0.3 (from versions: none)\n\
ERROR: No matching distribution found for netbox-acls==2.0.3\n\x1b[31mboom\x1b[0m\n",
    )
    .unwrap();
    let mut world = c.read_json("check.json");
    world["broken"] =
        serde_json::json!({"netbox_acls": "ModuleNotFoundError: No module named 'netbox_acls'"});
    world["versions"]
        .as_object_mut()
        .unwrap()
        .remove("netbox-acls");
    c.write_json("check.json", &world);
    let o = check(&c, &a, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!(text(&o));
}

#[test]
fn a_plugin_missing_from_plugins_and_stale_pods_are_found() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c);
    healthy(&c, Some(&sha256(&a)));
    let mut world = c.read_json("check.json");
    world["plugins"] = serde_json::json!(["netbox_dns"]);
    c.write_json("check.json", &world);
    // The upload came after the worker started: it still runs the previous archive.
    let mut d = c.read_json("deployments.json");
    d["items"][0]["metadata"]["annotations"]["nbwheel/uploaded-at"] = "2026-11-30T10:05:10Z".into();
    c.write_json("deployments.json", &d);
    let mut pods = c.read_json("pods.json");
    pods["items"][1]["status"]["conditions"][0]["status"] = "False".into();
    pods["items"][1]["status"]["containerStatuses"] =
        serde_json::json!([{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]);
    c.write_json("pods.json", &pods);
    let o = check(&c, &a, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!(text(&o));
}

#[test]
fn upload_restart_check_proves_the_new_archive() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c);
    healthy(&c, None);
    let o = c
        .nbwheel()
        .args(["upload", "--to", "media", "--restart", "--check"])
        .arg(&a)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("OK: the pods run the uploaded plugins."),
        "{}",
        text(&o)
    );
    let d = c.read_json("deployments.json");
    let web = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["metadata"]["name"] == "nbe-netbox")
        .unwrap();
    assert_eq!(
        web["metadata"]["annotations"]["nbwheel/archive-sha256"],
        sha256(&a).as_str()
    );
    // `--check` needs `--restart`.
    let o = c
        .nbwheel()
        .args(["upload", "--to", "media", "--check"])
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn hostile_answers_are_bounded_and_cleaned() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c);
    healthy(&c, Some(&sha256(&a)));
    // A 9 MB log without the wheelhouse: only the first bytes are read; nothing hangs.
    let huge = "x".repeat(300) + "\n";
    std::fs::write(
        c.state().join(format!("logs/{WEB}.txt")),
        huge.repeat(30_000),
    )
    .unwrap();
    let o = check(&c, &a, &["--timeout", "20"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("never mentions the wheelhouse"), "{out}");
    assert!(out.len() < 20_000, "{} bytes", out.len());
}
