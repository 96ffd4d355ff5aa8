//! `nbwheel upload` and `nbwheel config --patch` against a stand-in `kubectl`: each method's exact
//! call sequence, failure paths that must leave maintenance mode, and the documented exit codes.

use std::path::{Path, PathBuf};

use crate::common::cluster::{FakeCluster, text};
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};

const POD: &str = "nbe-netbox-7d9c-abcde";
const MEDIA: &str = "/opt/netbox/netbox/media/wheelhouse.tar.gz";

/// Builds an archive of the `basic` scenario for `arch` into the cluster's temp folder.
fn archive(c: &FakeCluster, extra: &[&str]) -> PathBuf {
    let index = FakeIndex::start(Scenario::load("basic"));
    let work = c.dir.path();
    std::fs::write(work.join("requirements.txt"), "a\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--index-url", &index.url(), "--cache-dir"])
        .arg(work.join("cache"))
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    work.join("wheelhouse.tar.gz")
}

/// The upload's annotations (time, and the archive's sha256, which holds the index's port)
/// replaced by placeholders.
fn redact_time(line: &str) -> String {
    let mut line = line.to_string();
    for (key, placeholder) in [
        ("nbwheel/uploaded-at=", "[TIME]"),
        ("nbwheel/archive-sha256=", "[SHA256]"),
    ] {
        if let Some(i) = line.find(key) {
            let rest = &line[i + key.len()..];
            let end = rest.find(' ').unwrap_or(rest.len());
            line = format!("{}{key}{placeholder}{}", &line[..i], &rest[end..]);
        }
    }
    line
}

/// The log with the probe script shortened.
fn calls(c: &FakeCluster) -> String {
    c.log()
        .iter()
        .map(|l| match l.find(" python3 -c ") {
            Some(i) => format!("{} python3 -c <probe>", &l[..i]),
            None => redact_time(l),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn maintenance_mode(c: &FakeCluster) -> serde_json::Value {
    c.read_json("netboxenterprises.json")["items"][0]["spec"].clone()
}

fn sha256(p: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()))
}

#[test]
fn media_copies_keeps_the_previous_and_restarts() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    let media = c.pod_file("netbox", POD, MEDIA);
    std::fs::write(&media, b"old archive").unwrap();
    c.clear_log();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&a)
        .args(["--to", "media", "--restart"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("the previous archive is kept aside"),
        "{}",
        text(&o)
    );
    assert_eq!(sha256(&media), sha256(&a));
    assert_eq!(
        std::fs::read(c.pod_file("netbox", POD, &format!("{MEDIA}.previous"))).unwrap(),
        b"old archive"
    );
    insta::assert_snapshot!(calls(&c));

    // Rollback puts the previous one back.
    c.clear_log();
    let o = c
        .nbwheel()
        .args(["upload", "--to", "media", "--rollback"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&media).unwrap(), b"old archive");
}

#[test]
fn media_copy_failure_restores_the_previous_archive() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    let media = c.pod_file("netbox", POD, MEDIA);
    std::fs::write(&media, b"old archive").unwrap();
    c.fail_on(":/opt/netbox/netbox/media/", "error: unexpected EOF");
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&a)
        .args(["--to", "media"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("`kubectl cp "), "{}", text(&o));
    assert_eq!(std::fs::read(&media).unwrap(), b"old archive");
}

#[test]
fn pvc_enters_and_leaves_maintenance_mode() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    let before = maintenance_mode(&c);
    c.clear_log();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&a)
        .args(["--to", "pvc", "-n", "netbox"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(calls(&c));
    let after = maintenance_mode(&c);
    assert_eq!(after["maintenanceMode"], false);
    assert_eq!(
        after["netbox"]["config"]["plugins"]["wheelhouse"]["pvc"]["claimName"],
        "nbe-wheelhouse"
    );
    assert_ne!(before, after);
    assert_eq!(
        sha256(&c.pod_file(
            "netbox",
            "nbe-maintenance-0",
            "/wheelhouse-source/wheelhouse.tar.gz"
        )),
        sha256(&a)
    );
}

#[test]
fn pvc_failures_leave_the_cluster_as_found() {
    require!(tools::python3());
    for (needle, stderr, code) in [
        (":/wheelhouse-source/", "error: unexpected EOF", 3),
        (
            "wait --for=condition=Ready",
            "error: timed out waiting for the condition on pods/nbe-maintenance-0",
            3,
        ),
    ] {
        let c = FakeCluster::new();
        let a = archive(&c, &[]);
        let before = maintenance_mode(&c);
        c.fail_on(needle, stderr);
        c.clear_log();
        let o = c
            .nbwheel()
            .arg("upload")
            .arg(&a)
            .args(["--to", "pvc", "--timeout", "5"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(code), "{}", text(&o));
        let t = text(&o);
        assert!(t.contains(needle.trim()), "{t}");
        // The last call leaves maintenance mode and removes the PVC settings it added.
        let log = c.log();
        assert_eq!(
            log.last().unwrap(),
            r#"patch netboxenterprise -n netbox nbe --type merge -p {"spec":{"maintenanceMode":false,"netbox":{"config":{"plugins":{"wheelhouse":null}}}}}"#
        );
        assert_eq!(maintenance_mode(&c), before, "{t}");
    }
}

#[test]
fn refuses_an_archive_lacking_a_node_architecture() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    // A compiled wheel makes the archive x86_64-only: swap in a scenario with one.
    let index = FakeIndex::start(Scenario::load("abi3"));
    let work = c.dir.path();
    let scen = Scenario::load("abi3");
    std::fs::write(
        work.join("requirements.txt"),
        format!("{}\n", scen.requirements.join("\n")),
    )
    .unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args([
            "build",
            "-q",
            "--index-url",
            &index.url(),
            "-o",
            "x86.tar.gz",
            "--cache-dir",
        ])
        .arg(work.join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let _ = a;
    c.set_nodes(&["amd64", "arm64"]);
    c.clear_log();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(work.join("x86.tar.gz"))
        .args(["--to", "media"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("but the cluster has `aarch64` nodes"),
        "{}",
        text(&o)
    );
    assert!(
        c.log()
            .iter()
            .all(|l| !l.starts_with("cp ") && !l.starts_with("patch "))
    );
}

#[test]
fn dry_run_prints_every_step_and_changes_nothing() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    let before = maintenance_mode(&c);
    c.clear_log();
    let o = c
        .nbwheel()
        .arg("upload")
        .arg(&a)
        .args(["--to", "pvc", "--dry-run", "--restart"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out =
        String::from_utf8_lossy(&o.stdout).replace(&c.dir.path().display().to_string(), "[TMP]");
    let out = out
        .lines()
        .map(|l| match l.find(" python3 -c ") {
            Some(i) => format!("{} python3 -c <probe>", &l[..i]),
            None => redact_time(l),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(out);
    assert_eq!(maintenance_mode(&c), before);
    assert!(
        c.log()
            .iter()
            .all(|l| l.starts_with("get ") || l.starts_with("exec "))
    );
}

#[test]
fn config_patch_includes_the_wheelhouse_section() {
    let c = FakeCluster::new();
    let a = archive(&c, &[]);
    let o = c
        .nbwheel()
        .arg("config")
        .arg(&a)
        .args([
            "--patch",
            "--source",
            "s3://plugins/media/wheelhouse.tar.gz",
            "--name",
            "nbe",
            "-n",
            "netbox",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
}
