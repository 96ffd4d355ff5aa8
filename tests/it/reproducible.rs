//! Reproducible archives and atomic output through the binary (docs/GUARANTEES.md rows 30 and 24):
//! the same inputs give the same bytes whatever the cache state, temp directory, umask, time
//! zone or locale; `SOURCE_DATE_EPOCH` sets the entries' mtime; a failed build leaves the output
//! path as it was and no temp file beside it.

use std::path::Path;
use std::process::Output;

use crate::common::{self, FakeIndex, Scenario};

/// Runs nbwheel through `sh` so the umask can be set for it.
fn build(
    index: &FakeIndex,
    dir: &Path,
    cache: &Path,
    out: &Path,
    umask: &str,
    env: &[(&str, &str)],
) -> Output {
    std::fs::write(dir.join("requirements.txt"), "a\n").unwrap();
    std::fs::write(dir.join("constraints.txt"), "").unwrap();
    let mut cmd = common::nbwheel();
    cmd.args(["build", "-q", "--index-url", &index.url(), "--cache-dir"])
        .arg(cache)
        .arg("-o")
        .arg(out)
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::through_sh(&cmd, &format!("umask {umask}; exec \"$0\" \"$@\""))
        .output()
        .unwrap()
}

fn sha(path: &Path) -> String {
    nbwheel::index::cache::sha256_file(path).unwrap().0
}

#[test]
fn same_inputs_same_bytes_whatever_the_environment() {
    let index = FakeIndex::start(Scenario::load("basic"));
    let dir = tempfile::tempdir().unwrap();
    let (one, two, three) = (
        dir.path().join("1.tar.gz"),
        dir.path().join("2.tar.gz"),
        dir.path().join("3.tar.gz"),
    );
    let tmp2 = dir.path().join("tmp2");
    std::fs::create_dir(&tmp2).unwrap();
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache-a"),
        &one,
        "022",
        &[("TZ", "UTC"), ("LANG", "C")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Warm cache, another umask, time zone, locale and TMPDIR.
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache-a"),
        &two,
        "077",
        &[
            ("TZ", "Asia/Tokyo"),
            ("LANG", "de_DE.UTF-8"),
            ("TMPDIR", tmp2.to_str().unwrap()),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Cold cache, slow index.
    index
        .knobs()
        .delay("/files/", std::time::Duration::from_millis(50));
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache-b"),
        &three,
        "002",
        &[("TZ", "America/Los_Angeles")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(sha(&one), sha(&two));
    assert_eq!(sha(&one), sha(&three));

    // The archive's properties, read back with the tar crate.
    let gz = std::fs::read(&one).unwrap();
    assert_eq!(
        &gz[..10],
        &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, gz[8], 255],
        "gzip header: no name, no mtime, OS=255"
    );
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&gz[..]));
    let mut names = Vec::new();
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        let h = entry.header();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        assert_eq!(h.uid().unwrap(), 0);
        assert_eq!(h.gid().unwrap(), 0);
        assert_eq!(h.username().unwrap().unwrap_or(""), "");
        assert_eq!(h.mtime().unwrap(), 315_532_800, "{name}");
        let mode = h.mode().unwrap();
        if name.ends_with('/') {
            assert_eq!(mode, 0o755, "{name}");
        } else {
            assert_eq!(mode, 0o644, "{name}");
        }
        names.push(name);
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries sorted bytewise");

    // SOURCE_DATE_EPOCH sets the mtime; an invalid one is a usage error.
    let four = dir.path().join("4.tar.gz");
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache-a"),
        &four,
        "022",
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert!(o.status.success());
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&four).unwrap(),
    ));
    for entry in archive.entries().unwrap() {
        assert_eq!(entry.unwrap().header().mtime().unwrap(), 1_700_000_000);
    }
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache-a"),
        &dir.path().join("5.tar.gz"),
        "022",
        &[("SOURCE_DATE_EPOCH", "abc")],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.path().join("5.tar.gz").exists());
}

#[test]
fn a_failed_build_leaves_the_output_unchanged_and_no_temp_files() {
    let index = FakeIndex::start(Scenario::load("basic"));
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let out = outdir.join("wheelhouse.tar.gz");
    std::fs::write(&out, b"the previous archive").unwrap();
    index.knobs().wrong_hash("b-2.0-py3-none-any.whl");
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache"),
        &out,
        "022",
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous archive");
    let left: Vec<_> = std::fs::read_dir(&outdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "temp files left: {left:?}");
    // Nothing partial in the cache either: no wheel of `b` is stored.
    let stored: Vec<_> = walk(&dir.path().join("cache"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("b-2.0-py3-none-any.whl"))
        .collect();
    assert!(stored.is_empty(), "{stored:?}");
    // Fixed, it builds.
    index.knobs().reset();
    let o = build(
        &index,
        dir.path(),
        &dir.path().join("cache"),
        &out,
        "022",
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read(&out).unwrap(), b"the previous archive");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
