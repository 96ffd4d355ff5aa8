//! `nbwheel upgrade` over the fake index: a plugin that blocks the target `NetBox` release, an
//! older release chosen because the newer ones refuse the release or the constraints, `--write`
//! on a commented file, and the plugin verdict read by range requests only (no wheel download).

use std::path::Path;
use std::process::Output;

use crate::common::cluster::FakeCluster;
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Release, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn plugin(dist: &str, module: &str, version: &str, min: &str, max: Option<&str>) -> Release {
    let max = max.map_or_else(String::new, |m| format!("    max_version = \"{m}\"\n"));
    Release {
        import_name: Some(module.to_string()),
        ..Release::new(dist, version)
    }
    .file(
        &format!("{module}/__init__.py"),
        &format!(
            "\"\"\"{dist}.\"\"\"\nfrom netbox.plugins import PluginConfig\n\n\nclass Config(PluginConfig):\n    name = \"{module}\"\n    version = \"{version}\"\n    min_version = \"{min}\"\n{max}\n\nconfig = Config\n"
        ),
    )
}

/// netbox-plugin-dns moves to NetBox 4.3 in 1.1.0; netbox-acls has no release for 4.3;
/// netbox-bgp 0.19.0 fits 4.3, 0.20.0 needs a newer Django than the image has, 0.21.0 needs
/// NetBox 4.4.
fn releases() -> Vec<Release> {
    vec![
        plugin(
            "netbox-plugin-dns",
            "netbox_dns",
            "1.0.0",
            "4.1.0",
            Some("4.2.99"),
        ),
        plugin(
            "netbox-plugin-dns",
            "netbox_dns",
            "1.1.0",
            "4.3.0",
            Some("4.3.99"),
        ),
        plugin(
            "netbox-acls",
            "netbox_acls",
            "2.0.0",
            "4.1.0",
            Some("4.2.99"),
        ),
        plugin(
            "netbox-acls",
            "netbox_acls",
            "2.0.1",
            "4.2.0",
            Some("4.2.99"),
        ),
        plugin(
            "netbox-bgp",
            "netbox_bgp",
            "0.18.0",
            "4.2.0",
            Some("4.2.99"),
        ),
        plugin("netbox-bgp", "netbox_bgp", "0.19.0", "4.3.0", None).depends(&["django>=6.0"]),
        plugin("netbox-bgp", "netbox_bgp", "0.20.0", "4.3.0", None).depends(&["django>=6.1"]),
        plugin("netbox-bgp", "netbox_bgp", "0.21.0", "4.4.0", None).depends(&["django>=6.1"]),
        Release::new("django", "6.0.8"),
        Release::new("django", "6.1.0"),
    ]
}

fn upgrade(index: &FakeIndex, dir: &Path, reqs: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    std::fs::write(
        dir.join("constraints.txt"),
        "# the base image\ndjango==6.0.8\n",
    )
    .unwrap();
    nbwheel()
        .current_dir(dir)
        .args([
            "upgrade",
            "-q",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
        ])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn an_older_release_is_chosen_and_the_skipped_ones_say_why() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let o = upgrade(
        &index,
        dir.path(),
        "netbox-plugin-dns==1.0.0\nnetbox-bgp==0.18.0\n",
        &["--netbox", "4.3.2", "--arch", "x86_64,aarch64"],
    );
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
    // The plugins were judged from their `__init__.py` by range requests: no wheel was
    // downloaded whole.
    let whole: Vec<String> = index
        .requests()
        .iter()
        .filter(|r| {
            r.path.contains(".whl") && !r.path.ends_with(".metadata") && r.range().is_none()
        })
        .map(|r| r.path.clone())
        .collect();
    assert!(whole.is_empty(), "{whole:?}");
    // Nothing was written without `--write`.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        "netbox-plugin-dns==1.0.0\nnetbox-bgp==0.18.0\n"
    );

    // JSON, and the verdicts come from the cache the second time (no range request at all).
    let before = index.requests().len();
    let o = upgrade(
        &index,
        dir.path(),
        "netbox-plugin-dns==1.0.0\nnetbox-bgp==0.18.0\n",
        &["--netbox", "4.3.2", "--format", "json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["projects"][1]["proposed"], "0.19.0");
    assert_eq!(
        report["projects"][1]["skipped"][0]["reason"],
        "min_version 4.4.0"
    );
    let ranged = index.requests()[before..]
        .iter()
        .filter(|r| r.range().is_some())
        .count();
    assert_eq!(ranged, 0);
}

#[test]
fn a_plugin_without_a_release_for_the_target_blocks() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let o = upgrade(
        &index,
        dir.path(),
        "netbox-plugin-dns==1.0.0\nnetbox-acls==2.0.0\n",
        &["--netbox", "4.3.2"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    insta::assert_snapshot!(text(&o));

    // On the current NetBox (4.2, from `netbox==` in the constraints) both can move.
    std::fs::write(dir.path().join("c2.txt"), "django==6.0.8\nnetbox==4.2.5\n").unwrap();
    let o = nbwheel()
        .current_dir(dir.path())
        .args(["upgrade", "-q", "--index-url", &index.url(), "-c", "c2.txt"])
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("Plan for NetBox 4.2.5 (from `c2.txt:2`)"),
        "{out}"
    );
    assert!(
        out.contains("netbox-acls        2.0.0    2.0.1   2.0.1"),
        "{out}"
    );
}

#[test]
fn write_rewrites_only_the_pins_of_a_commented_file() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let reqs = "# Plugins for NetBox 4.3\r\n\
\r\n\
netbox-plugin-dns == 1.0.0 ; python_version >= \"3.10\"  # DNS\r\n\
# BGP sessions\r\n\
netbox-bgp[extra]==0.18.0\r\n\
django  # from the image\r\n";
    let o = upgrade(&index, dir.path(), reqs, &["--netbox", "4.3.2", "--write"]);
    assert!(o.status.success(), "{}", text(&o));
    let after = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
    insta::assert_snapshot!(after.replace('\r', "␍"));
    assert!(text(&o).contains("Rewrote 2 pin(s)"), "{}", text(&o));
    // No temp file is left next to it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // A second run finds nothing to change.
    let o = upgrade(
        &index,
        dir.path(),
        &after,
        &["--netbox", "4.3.2", "--write"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Every pin is already the newest usable release."),
        "{}",
        text(&o)
    );
}

#[test]
fn write_drops_the_hashes_of_a_changed_line() {
    let index = FakeIndex::start(releases());
    let dir = tempfile::tempdir().unwrap();
    let zero = "0".repeat(64);
    let reqs = format!(
        "netbox-bgp==0.18.0 \\\n    --hash=sha256:{zero}  # sessions\ndjango==6.0.8 --hash=sha256:{zero}\n"
    );
    let o = upgrade(&index, dir.path(), &reqs, &["--netbox", "4.3.2", "--write"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("warning: Dropped 1 `--hash` option(s) of `netbox-bgp`"),
        "{}",
        text(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        format!("netbox-bgp==0.19.0  # sessions\ndjango==6.0.8 --hash=sha256:{zero}\n")
    );
}

#[test]
fn from_cluster_takes_the_release_and_constraints_of_the_pod() {
    require!(tools::python3());
    let index = FakeIndex::start(releases());
    let c = FakeCluster::new();
    let dir = c.dir.path();
    std::fs::write(dir.join("requirements.txt"), "netbox-plugin-dns==1.0.0\n").unwrap();
    let o = c
        .nbwheel()
        .current_dir(dir)
        .args([
            "upgrade",
            "-q",
            "--from-cluster",
            "--index-url",
            &index.url(),
        ])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with(
            "Plan for NetBox 4.2.3 (from the cluster (pod `netbox/nbe-netbox-7d9c-abcde`)), CPython 3.12.3 on manylinux_2_39_x86_64"
        ),
        "{out}"
    );
    assert!(out.contains("      1.1.0: min_version 4.3.0\n"), "{out}");
    // `-c` and `--from-cluster` do not mix.
    let o = c
        .nbwheel()
        .current_dir(dir)
        .args([
            "upgrade",
            "--from-cluster",
            "-c",
            "x.txt",
            "--index-url",
            &index.url(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
