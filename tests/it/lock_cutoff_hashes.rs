//! `build --lock` replays a lock exactly; `--uploaded-prior-to` (absolute and as a duration) is
//! applied and recorded; pip's hash-checking mode is honoured.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{FakeIndex, Release};

use crate::common::json_build::{pins, text};

use crate::common::json_build::build;

fn extract_lock(archive: &Path, into: &Path) -> String {
    let ok = Command::new("tar")
        .arg("xzf")
        .arg(archive)
        .arg("-C")
        .arg(into)
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::read_to_string(into.join("wheelhouse/pylock.toml")).unwrap()
}

fn timed_index() -> FakeIndex {
    let recent = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24)).to_string();
    let mut b2 = Release::new("b", "2.0");
    b2.upload_time = Some(recent);
    let mut b1 = Release::new("b", "1.0");
    b1.upload_time = Some("2024-01-01T00:00:00Z".into());
    let mut a = Release::new("a", "1.0").depends(&["b"]);
    a.upload_time = Some("2023-06-01T00:00:00Z".into());
    FakeIndex::start(vec![a, b1, b2])
}

#[test]
fn cutoff_as_date_and_as_duration_is_applied_and_recorded() {
    let index = timed_index();
    let dir = tempfile::tempdir().unwrap();
    let o = build(&index, dir.path(), "a\n", "", &[]);
    assert_eq!(pins(&o), ["a==1.0", "b==2.0"]);
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "",
        &["--uploaded-prior-to", "2025-01-01"],
    );
    assert_eq!(pins(&o), ["a==1.0", "b==1.0"]);
    let lock = extract_lock(&dir.path().join("wheelhouse.tar.gz"), dir.path());
    assert!(
        lock.contains("uploaded-prior-to = \"2025-01-01T00:00:00Z\""),
        "{lock}"
    );
    // A seven-day cooldown drops yesterday's upload; uv's spelling is an alias.
    let o = build(&index, dir.path(), "a\n", "", &["--exclude-newer", "P7D"]);
    assert_eq!(pins(&o), ["a==1.0", "b==1.0"]);
}

#[test]
fn a_constraint_pinned_past_the_cutoff_fails_naming_it() {
    let index = timed_index();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "b==2.0\n",
        &["--uploaded-prior-to", "P7D"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`b` 2.0 was uploaded after the `--uploaded-prior-to` cutoff"),
        "{err}"
    );
    assert!(!dir.path().join("wheelhouse.tar.gz").exists());
}

#[test]
fn files_without_upload_time_count_only_from_find_links() {
    let index = timed_index();
    index.knobs().html_only(); // HTML pages carry no upload times.
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "",
        &["--uploaded-prior-to", "2030-01-01"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let links = dir.path().join("links");
    std::fs::create_dir(&links).unwrap();
    common::write_find_links_dir(
        &links,
        &[
            Release::new("a", "1.0").depends(&["b"]),
            Release::new("b", "1.0"),
        ],
    );
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "",
        &[
            "--uploaded-prior-to",
            "2030-01-01",
            "--find-links",
            links.to_str().unwrap(),
        ],
    );
    assert_eq!(pins(&o), ["a==1.0", "b==1.0"], "{}", text(&o));
}

#[test]
fn lock_replays_the_same_archive_offline() {
    let index = timed_index();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "",
        &["--uploaded-prior-to", "2025-01-01"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let first = std::fs::read(dir.path().join("wheelhouse.tar.gz")).unwrap();
    extract_lock(&dir.path().join("wheelhouse.tar.gz"), dir.path());
    let lock = dir.path().join("wheelhouse/pylock.toml");
    // Newer releases appear on the index: the lock still gives the same wheels, offline.
    let replay = dir.path().join("replay.tar.gz");
    let o = build(
        &index,
        dir.path(),
        "a\n",
        "",
        &[
            "--lock",
            lock.to_str().unwrap(),
            "--offline",
            "-o",
            replay.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(pins(&o), ["a==1.0", "b==1.0"]);
    let (a, _) = nbwheel::index::cache::sha256_file(&replay).unwrap();
    let b = nbwheel::index::cache::sha256_hex(&first);
    assert_eq!(a, b, "the replayed archive differs");
}

#[test]
fn hash_checking_mode_needs_every_hash_and_checks_them() {
    let index = FakeIndex::start(vec![
        Release::new("a", "1.0").depends(&["b"]),
        Release::new("b", "1.0"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let ha = index.sha256("a-1.0-py3-none-any.whl");
    let hb = index.sha256("b-1.0-py3-none-any.whl");
    // A hash on `a` alone: `b` has none, exit 2 before any download.
    let o = build(
        &index,
        dir.path(),
        &format!("a==1.0 --hash=sha256:{ha}\n"),
        "",
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("`b==1.0`"),
        "{}",
        text(&o)
    );
    let wheel_gets: Vec<_> = index
        .requests()
        .into_iter()
        .filter(|r| r.path == "/files/b-1.0-py3-none-any.whl")
        .collect();
    assert!(
        wheel_gets.is_empty(),
        "b's wheel was fetched: {wheel_gets:?}"
    );
    // Hashes for the dependency in the constraints file satisfy it.
    let o = build(
        &index,
        dir.path(),
        &format!("a==1.0 --hash=sha256:{ha}\n"),
        &format!("b==1.0 --hash=sha256:{hb}\n"),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    // A wrong hash is an integrity failure.
    let wrong = "0".repeat(64);
    let o = build(
        &index,
        dir.path(),
        &format!("a==1.0 --hash=sha256:{wrong}\n"),
        &format!("b==1.0 --hash=sha256:{hb}\n"),
        &["-o", "other.tar.gz"],
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(!dir.path().join("other.tar.gz").exists());
    // `--require-hashes` without any hash: exit 2.
    let o = build(
        &index,
        dir.path(),
        "a==1.0\n",
        "",
        &["--require-hashes", "-o", "third.tar.gz"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
