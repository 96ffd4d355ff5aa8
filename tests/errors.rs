//! Snapshots of whole error outputs (stderr and exit code) for each class of failure, through
//! the binary against the fake index. Ports and temp paths are filtered.

mod common;

use std::path::Path;
use std::process::Command;

use common::{FakeIndex, Release, Scenario};

fn nbwheel() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nbwheel"));
    for var in [
        "NBWHEEL_INDEX_URL",
        "NBWHEEL_EXTRA_INDEX_URL",
        "NBWHEEL_CACHE_DIR",
        "SOURCE_DATE_EPOCH",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `nbwheel build` on `reqs`/`cons` against `index`; returns "exit N" + stderr, filtered.
fn build(index: &FakeIndex, dir: &Path, reqs: &[&str], cons: &[&str], extra: &[&str]) -> String {
    std::fs::write(dir.join("requirements.txt"), reqs.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("constraints.txt"), cons.join("\n") + "\n").unwrap();
    let out = dir.join("wheelhouse.tar.gz");
    let output = nbwheel()
        .current_dir(dir)
        .args([
            "build",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
            "--timeout",
            "5",
        ])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap();
    assert!(!out.exists(), "a failed build must not leave an archive");
    let text = format!(
        "exit {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr)
    );
    text.replace(&index.url(), "http://[INDEX]/simple/")
        .replace(&index.base_url(), "http://[INDEX]")
        .replace(&dir.display().to_string(), "[TMP]")
}

fn scenario_index(name: &str) -> FakeIndex {
    FakeIndex::start(Scenario::load(name))
}

#[test]
fn conflict_between_dependencies_names_both_sides() {
    let index = scenario_index("conflicts");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["left-app", "right-app"],
        &[],
        &[]
    ));
}

#[test]
fn conflict_with_a_constraint_names_the_line() {
    let index = scenario_index("conflicts");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["shared-lib>=2"],
        &["shared-lib<2"],
        &[]
    ));
}

#[test]
fn sdist_only_three_levels_down_is_named() {
    let index = scenario_index("sdist_only");
    let dir = tempfile::tempdir().unwrap();
    let s = Scenario::load("sdist_only");
    let reqs: Vec<&str> = s.requirements.iter().map(String::as_str).collect();
    insta::assert_snapshot!(build(&index, dir.path(), &reqs, &[], &[]));
}

#[test]
fn glibc_too_new_hints_at_manylinux() {
    let index = FakeIndex::start(vec![
        Release::new("pillowish", "12.3.0").wheels(&["cp312-cp312-manylinux_2_28_x86_64"]),
        Release::new("plugin", "1.0").depends(&["pillowish==12.3.0"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin"],
        &[],
        &["--manylinux", "2_17"]
    ));
}

#[test]
fn unknown_project_is_named() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").depends(&["no-such-thing"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["plugin"], &[], &[]));
}

#[test]
fn bad_requirement_line_names_file_line_and_column() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin", "django>=>4"],
        &[],
        &[]
    ));
}

#[test]
fn editable_requirement_is_refused() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["-e ./my-plugin"], &[], &[]));
}

#[test]
fn bad_flag_value_is_a_usage_error() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin"],
        &[],
        &["--arch", "sparc"]
    ));
}

#[test]
fn hash_mismatch_from_the_index_is_an_integrity_error() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().wrong_hash("plugin-1.0-py3-none-any.whl");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["plugin"], &[], &[]));
}

#[test]
fn resolve_prints_pins_with_hashes_and_sources() {
    let index = scenario_index("basic");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "a\n").unwrap();
    let o = nbwheel()
        .current_dir(dir.path())
        .args(["resolve", "--arch", "all", "--index-url", &index.url()])
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).replace(&index.url(), "http://[INDEX]/simple/");
    insta::assert_snapshot!(text);
    // Nothing but metadata was fetched: no wheel download.
    let wheels: Vec<String> = index
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| {
            std::path::Path::new(p)
                .extension()
                .is_some_and(|e| e == "whl")
        })
        .collect();
    assert!(wheels.is_empty(), "{wheels:?}");
}
