//! Custom modules: a local project built into a wheel by a PEP 517 frontend (pip here, offline,
//! with an in-tree backend), resolved and packed like any wheel; a compiled one for the wrong
//! architecture refused; no frontend exits 2.

use std::path::Path;
use std::process::Command;

use crate::common::cluster::{FakeCluster, fixtures, text};
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == "__pycache__" {
            continue;
        }
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_local_plugin_is_built_resolved_and_packed() {
    require!(tools::pip());
    let index = FakeIndex::start(Scenario::load("basic"));
    let c = FakeCluster::new();
    let work = c.dir.path();
    copy_dir(&fixtures().join("local-plugin"), &work.join("local-plugin"));
    // A requirement line naming the directory, as the vendor's `pip wheel /path` step does.
    std::fs::write(work.join("requirements.txt"), "a\n./local-plugin\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .args([
            "build",
            "-q",
            "--build-frontend",
            "pip",
            "--index-url",
            &index.url(),
        ])
        .arg("--cache-dir")
        .arg(work.join("cache"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = report["archives"][0]["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"nb_hello-0.1.0-py3-none-any.whl"),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with("b-")),
        "its dependency: {files:?}"
    );
    let reqs = Command::new("tar")
        .arg("xzOf")
        .arg(work.join("wheelhouse.tar.gz"))
        .arg("wheelhouse/requirements.txt")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&reqs.stdout),
        "a\nnb-hello==0.1.0\n"
    );

    // `nbwheel config` finds its plugin and required settings.
    let o = c
        .nbwheel()
        .arg("config")
        .arg(work.join("wheelhouse.tar.gz"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
}

#[test]
fn a_compiled_module_for_the_other_architecture_is_refused() {
    require!(tools::pip());
    let index = FakeIndex::start(Scenario::load("basic"));
    let c = FakeCluster::new();
    let work = c.dir.path();
    copy_dir(&fixtures().join("local-plugin"), &work.join("local-plugin"));
    std::fs::write(work.join("requirements.txt"), "a\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .env("TINY_BACKEND_TAG", "cp312-cp312-manylinux_2_17_aarch64")
        .args(["build", "-q", "--arch", "x86_64", "--local", "local-plugin"])
        .args(["--build-frontend", "pip", "--index-url", &index.url()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("nb_hello-0.1.0-cp312-cp312-manylinux_2_17_aarch64.whl"),
        "{t}"
    );
    assert!(t.contains("compiled for `aarch64`"), "{t}");
    assert!(
        t.contains("hint: A compiled module must be built on the target's architecture"),
        "{t}"
    );
}

#[test]
fn no_frontend_exits_2_naming_what_to_install() {
    let c = FakeCluster::new();
    let work = c.dir.path();
    copy_dir(&fixtures().join("local-plugin"), &work.join("local-plugin"));
    std::fs::write(work.join("requirements.txt"), "a\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(work)
        .env("NBWHEEL_BUILD_PYTHON", "/nonexistent/python3")
        .args([
            "build",
            "--local",
            "local-plugin",
            "--build-frontend",
            "pip",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("No PEP 517 frontend found"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("pip install"), "{}", text(&o));
}
