//! `nbwheel verify` and `nbwheel inspect` on archives built by nbwheel, packed by hand from
//! `pip download`, and tampered with.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};

use crate::common::nbwheel;

fn tar_czf(dir: &Path, out: &Path) {
    let status = Command::new("tar")
        .arg("czf")
        .arg(out)
        .arg("-C")
        .arg(dir)
        .arg("wheelhouse")
        .status()
        .unwrap();
    assert!(status.success());
}

fn verify(archive: &Path, extra: &[&str]) -> Output {
    nbwheel()
        .arg("verify")
        .arg(archive)
        .args(extra)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Builds the `basic` scenario (a → b) with nbwheel; returns the archive path.
fn build_basic(index: &FakeIndex, work: &Path) -> PathBuf {
    std::fs::write(work.join("requirements.txt"), "a\n").unwrap();
    std::fs::write(work.join("constraints.txt"), "").unwrap();
    let out = work.join("wheelhouse.tar.gz");
    let o = nbwheel()
        .current_dir(work)
        .args(["build", "-q", "--index-url", &index.url(), "--cache-dir"])
        .arg(work.join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    out
}

#[test]
fn accepts_a_hand_packed_pip_download_and_rejects_it_without_a_dependency() {
    let python = require!(tools::pip());
    let index = FakeIndex::start(Scenario::load("basic"));
    let work = tempfile::tempdir().unwrap();
    let wh = work.path().join("wheelhouse");
    std::fs::create_dir(&wh).unwrap();
    std::fs::write(wh.join("requirements.txt"), "a\n").unwrap();
    std::fs::write(wh.join("constraints.txt"), "").unwrap();
    let o = common::pip::pip_command(&python)
        .args([
            "download",
            "--only-binary=:all:",
            "--platform",
            "manylinux_2_17_x86_64",
        ])
        .args([
            "--python-version",
            "3.12",
            "--implementation",
            "cp",
            "--index-url",
            &index.url(),
            "-d",
        ])
        .arg(&wh)
        .arg("-r")
        .arg(wh.join("requirements.txt"))
        .output()
        .unwrap();
    assert!(o.status.success(), "pip download failed: {}", text(&o));
    let good = work.path().join("good.tar.gz");
    tar_czf(work.path(), &good);
    let o = verify(&good, &[]);
    assert!(o.status.success(), "{}", text(&o));

    std::fs::remove_file(wh.join("b-2.0-py3-none-any.whl")).unwrap();
    let bad = work.path().join("bad.tar.gz");
    tar_czf(work.path(), &bad);
    let o = verify(&bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("`b`"), "{}", text(&o));
}

#[test]
fn a_tampered_wheel_fails_against_the_lock_and_its_record() {
    let index = FakeIndex::start(Scenario::load("basic"));
    let work = tempfile::tempdir().unwrap();
    let archive = build_basic(&index, work.path());
    let x = work.path().join("x");
    std::fs::create_dir(&x).unwrap();
    assert!(
        Command::new("tar")
            .arg("xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&x)
            .status()
            .unwrap()
            .success()
    );
    // Replace a's wheel by b's bytes under a's name: wrong identity, wrong hash for the lock.
    std::fs::copy(
        x.join("wheelhouse/b-2.0-py3-none-any.whl"),
        x.join("wheelhouse/a-1.0-py3-none-any.whl"),
    )
    .unwrap();
    let tampered = work.path().join("tampered.tar.gz");
    tar_czf(&x, &tampered);
    let o = verify(&tampered, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let about_a: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["subject"] == "a-1.0-py3-none-any.whl")
        .collect();
    assert!(
        about_a
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("pylock.toml")),
        "{findings:?}"
    );
    assert!(
        about_a.iter().all(|f| f["severity"] == "integrity"),
        "{findings:?}"
    );
}

#[test]
fn a_wheel_for_another_architecture_would_not_install() {
    let index = FakeIndex::start(Scenario::load("basic"));
    let work = tempfile::tempdir().unwrap();
    let archive = build_basic(&index, work.path());
    // The pure wheels run anywhere: sound for aarch64 too.
    assert!(verify(&archive, &["--arch", "aarch64"]).status.success());
    let x = work.path().join("x");
    std::fs::create_dir(&x).unwrap();
    assert!(
        Command::new("tar")
            .arg("xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&x)
            .status()
            .unwrap()
            .success()
    );
    std::fs::remove_file(x.join("wheelhouse/pylock.toml")).unwrap();
    let foreign = common::WheelSpec::new("c", "1.0").tags("cp312-cp312-manylinux_2_17_aarch64");
    std::fs::write(
        x.join("wheelhouse").join(foreign.filename()),
        foreign.build(),
    )
    .unwrap();
    std::fs::write(x.join("wheelhouse/requirements.txt"), "a\nc\n").unwrap();
    let mixed = work.path().join("mixed.tar.gz");
    tar_czf(&x, &mixed);
    let o = verify(&mixed, &["--arch", "x86_64"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(verify(&mixed, &["--arch", "aarch64"]).status.success());
}

#[test]
fn hostile_tarball_is_an_integrity_failure() {
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("evil.tar.gz");
    let file = std::fs::File::create(&path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_size(0);
    header.set_mode(0o777);
    builder
        .append_link(&mut header, "wheelhouse/requirements.txt", "/etc/passwd")
        .unwrap();
    builder.into_inner().unwrap().finish().unwrap();
    let o = verify(&path, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
}

#[test]
fn inspect_lists_wheels_and_the_archive_hash() {
    let index = FakeIndex::start(Scenario::load("basic"));
    let work = tempfile::tempdir().unwrap();
    let archive = build_basic(&index, work.path());
    let o = nbwheel()
        .arg("inspect")
        .arg(&archive)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = report["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a-1.0-py3-none-any.whl", "b-2.0-py3-none-any.whl"]);
    let (sha, _) = nbwheel::index::cache::sha256_file(&archive).unwrap();
    assert_eq!(report["sha256"], sha);
}

#[test]
fn a_wheel_with_a_wrong_record_fails_unless_allowed_for_that_project() {
    // `c` 1.0 whose RECORD lists a wrong hash for its module.
    let good = common::WheelSpec::new("c", "1.0").build();
    let entries: Vec<(String, Vec<u8>)> = common::wheel::unzip(&good)
        .into_iter()
        .map(|(name, data)| {
            if name.ends_with("RECORD") {
                let text = String::from_utf8(data).unwrap();
                let bad: Vec<String> = text
                    .lines()
                    .map(|l| {
                        if l.starts_with("c/__init__.py,") {
                            "c/__init__.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,1"
                                .to_string()
                        } else {
                            l.to_string()
                        }
                    })
                    .collect();
                (name, (bad.join("\n") + "\n").into_bytes())
            } else {
                (name, data)
            }
        })
        .collect();
    let index = FakeIndex::start(vec![common::Release::new("a", "1.0").depends(&["c"])]);
    index.put_file(
        "c",
        "1.0",
        "c-1.0-py3-none-any.whl",
        common::wheel::zip_bytes(&entries),
    );
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("requirements.txt"), "a\n").unwrap();
    let run = |extra: &[&str]| {
        nbwheel()
            .current_dir(work.path())
            .args(["build", "-q", "--index-url", &index.url(), "--cache-dir"])
            .arg(work.path().join("cache"))
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        text(&o).contains("c-1.0-py3-none-any.whl") && text(&o).contains("c/__init__.py"),
        "{}",
        text(&o)
    );
    assert!(!work.path().join("wheelhouse.tar.gz").exists());
    // The escape hatch is per project: naming another project does not help.
    assert_eq!(run(&["--allow-invalid-record", "a"]).status.code(), Some(4));
    let o = run(&["--allow-invalid-record", "c"]);
    assert!(o.status.success(), "{}", text(&o));
}

/// A wheel retagged after its build (its file name says `manylinux1_x86_64`, its `WHEEL` still
/// says `py3-none-any`, as playwright 1.65.2's does) is built like any sound wheel, because pip
/// and uv install it by its file name; `verify` reports the difference as a note only.
#[test]
fn a_retagged_wheel_builds_and_verify_notes_it() {
    let work = tempfile::tempdir().unwrap();
    let links = work.path().join("links");
    std::fs::create_dir(&links).unwrap();
    let spec = common::WheelSpec::new("retagged", "1.0");
    std::fs::write(
        links.join("retagged-1.0-py3-none-manylinux1_x86_64.whl"),
        spec.build(),
    )
    .unwrap();
    std::fs::write(work.path().join("requirements.txt"), "retagged\n").unwrap();
    std::fs::write(work.path().join("constraints.txt"), "").unwrap();
    let archive = work.path().join("wheelhouse.tar.gz");
    let o = nbwheel()
        .current_dir(work.path())
        .args([
            "build",
            "-q",
            "--arch",
            "x86_64",
            "--no-index",
            "--find-links",
        ])
        .arg(&links)
        .arg("--cache-dir")
        .arg(work.path().join("cache"))
        .arg("-o")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let o = verify(&archive, &["--arch", "x86_64"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(
            "note: retagged-1.0-py3-none-manylinux1_x86_64.whl: the `Tag` lines of `retagged-1.0.dist-info/WHEEL` differ from the file name (only in `WHEEL`: `py3-none-any`; only in the file name: `py3-none-manylinux1_x86_64`)"
        ),
        "{out}"
    );
}
