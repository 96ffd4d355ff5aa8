//! `nbwheel build --from-cluster` and `--merge`: one archive for every node architecture, and
//! `verify` checking it for each architecture it claims.

use std::path::Path;

use crate::common::cluster::{FakeCluster, text};
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};

fn lock_of(archive: &Path) -> String {
    let out = std::process::Command::new("tar")
        .arg("xzOf")
        .arg(archive)
        .arg("wheelhouse/pylock.toml")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn merge_packs_both_architectures_once_and_verify_checks_each() {
    let index = FakeIndex::start(Scenario::load("markers_arch"));
    let c = FakeCluster::new();
    let work = c.dir.path();
    std::fs::write(work.join("requirements.txt"), "app\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--arch", "x86_64,aarch64", "--merge"])
        .args(["--index-url", &index.url(), "--cache-dir"])
        .arg(work.join("cache"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let archives = report["archives"].as_array().unwrap();
    assert_eq!(archives.len(), 1);
    assert_eq!(archives[0]["arch"], "x86_64,aarch64");
    let files: Vec<&str> = archives[0]["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert!(files.iter().any(|f| f.starts_with("x86dep-")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("armdep-")), "{files:?}");
    assert_eq!(files.iter().filter(|f| f.starts_with("app-")).count(), 1);
    let archive = work.join("wheelhouse.tar.gz");
    let lock = lock_of(&archive);
    assert!(
        lock.contains(
            r#"targets = ["cp312-manylinux_2_28_x86_64", "cp312-manylinux_2_28_aarch64"]"#
        ),
        "{lock}"
    );

    let o = c.nbwheel().arg("verify").arg(&archive).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("on manylinux_2_28_x86_64: installs"), "{t}");
    assert!(t.contains("on manylinux_2_28_aarch64: installs"), "{t}");
    assert!(!t.contains("not used"), "{t}");
}

#[test]
fn from_cluster_takes_constraints_architectures_python_and_glibc() {
    require!(tools::python3());
    let index = FakeIndex::start(Scenario::load("markers_arch"));
    let c = FakeCluster::new();
    c.set_nodes(&["amd64", "arm64"]);
    let work = c.dir.path();
    std::fs::write(work.join("requirements.txt"), "app\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--from-cluster", "--context", "prod"])
        .args(["--index-url", &index.url(), "--cache-dir"])
        .arg(work.join("cache"))
        .args(["-o", "plugins.tar.gz"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Target from pod `netbox/nbe-netbox-7d9c-abcde`: cp312-manylinux_2_39_x86_64, cp312-manylinux_2_39_aarch64"),
        "{}",
        text(&o)
    );
    let archive = work.join("plugins.tar.gz");
    assert!(archive.is_file());
    assert!(!work.join("plugins-x86_64.tar.gz").exists());
    let lock = lock_of(&archive);
    assert!(lock.contains("requires-python = \"==3.12.*\""), "{lock}");
    assert!(
        lock.contains(
            r#"targets = ["cp312-manylinux_2_39_x86_64", "cp312-manylinux_2_39_aarch64"]"#
        ),
        "{lock}"
    );
    let constraints = std::process::Command::new("tar")
        .arg("xzOf")
        .arg(&archive)
        .arg("wheelhouse/constraints.txt")
        .output()
        .unwrap();
    let constraints = String::from_utf8_lossy(&constraints.stdout);
    assert!(
        constraints.contains("django==5.1.5") || constraints.contains("Django==5.1.5"),
        "{constraints}"
    );
    assert!(c.log().iter().all(|l| l.starts_with("--context prod ")));
    assert!(
        c.log()
            .iter()
            .any(|l| l.ends_with("-- cat /opt/netbox/constraints.txt"))
    );

    // Target flags and --from-cluster exclude each other.
    let o = c
        .nbwheel()
        .current_dir(work)
        .args(["build", "--from-cluster", "--arch", "x86_64"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
