//! The page cache holds the compact, filtered form of each index page: only the files the
//! build's targets can use, read back through the page checks. A warm `--offline` run uses it
//! alone; a corrupt entry is a miss, never a crash; a version whose wheels were all filtered out
//! still explains itself the same way.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{FakeIndex, Release};

use crate::common::json_build::{pins, text};

fn build(index: &FakeIndex, dir: &Path, reqs: &str, extra: &[&str]) -> Output {
    crate::common::json_build::build(index, dir, reqs, "", extra)
}

/// Every cached page entry: `(path, is the filtered form)`.
fn page_entries(dir: &Path) -> Vec<(PathBuf, bool)> {
    let pages = dir.join("cache/v1/pages");
    let mut out: Vec<(PathBuf, bool)> = std::fs::read_dir(&pages)
        .map(|r| {
            r.flatten()
                .map(|e| {
                    let p = e.path();
                    let filtered = p.to_string_lossy().ends_with(".filtered.json");
                    (p, filtered)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `a` depends on `b`; both list wheels for many platforms and an sdist; `b` 2.0 has only a
/// Windows wheel.
fn index() -> FakeIndex {
    let many = [
        "cp312-cp312-manylinux_2_17_x86_64",
        "cp312-cp312-manylinux_2_17_aarch64",
        "cp312-cp312-win_amd64",
        "cp312-cp312-macosx_11_0_arm64",
        "cp311-cp311-manylinux_2_17_x86_64",
        "cp312-cp312-musllinux_1_2_x86_64",
    ];
    FakeIndex::start(vec![
        Release::new("a", "1.0").depends(&["b"]).wheels(&many),
        Release::new("b", "1.0").wheels(&many),
        Release::new("b", "2.0").wheels(&["cp312-cp312-win_amd64"]),
    ])
}

#[test]
fn offline_rebuild_reads_only_the_compact_pages() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cold = build(&index, dir.path(), "a\nb<2\n", &[]);
    assert!(cold.status.success(), "{}", text(&cold));
    let entries = page_entries(dir.path());
    assert_eq!(entries.len(), 2, "{entries:?}");
    for (path, filtered) in &entries {
        assert!(filtered, "a whole page was cached: {}", path.display());
        let body = std::fs::read_to_string(path).unwrap();
        for foreign in ["win_amd64", "macosx", "cp311-cp311", "musllinux"] {
            assert!(
                !body.contains(&format!("{foreign}.whl\"")),
                "{foreign} wheel kept in {body}"
            );
        }
        assert!(body.contains("manylinux_2_17_x86_64.whl"), "{body}");
        assert!(body.contains("manylinux_2_17_aarch64.whl"), "{body}");
    }
    index.clear_log();
    let offline = build(
        &index,
        dir.path(),
        "a\nb<2\n",
        &["--offline", "-o", "offline.tar.gz"],
    );
    assert!(offline.status.success(), "{}", text(&offline));
    assert_eq!(pins(&offline), pins(&cold));
    assert_eq!(
        index.requests().len(),
        0,
        "the offline run used the network"
    );
    let a = std::fs::read(dir.path().join("wheelhouse.tar.gz")).unwrap();
    let b = std::fs::read(dir.path().join("offline.tar.gz")).unwrap();
    assert!(a == b, "the offline archive differs");
    // The other architecture shares the page entries (its wheels' metadata was never
    // fetched, so that is what an offline run misses).
    let arm = build(
        &index,
        dir.path(),
        "a\nb<2\n",
        &["--offline", "--arch", "aarch64", "-o", "arm.tar.gz"],
    );
    assert!(!text(&arm).contains("index page"), "{}", text(&arm));
    assert!(text(&arm).contains("metadata of"), "{}", text(&arm));
}

#[test]
fn corrupt_compact_pages_are_misses() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cold = build(&index, dir.path(), "a\nb<2\n", &[]);
    assert!(cold.status.success(), "{}", text(&cold));
    let entries = page_entries(dir.path());
    assert!(!entries.is_empty());
    let damage: [&[u8]; 3] = [
        b"",
        b"{\"nbwheel\": 1",
        b"\xff\xfe garbage that is not JSON",
    ];
    for bytes in damage {
        for (path, _) in &entries {
            std::fs::write(path, bytes).unwrap();
        }
        // Offline, a corrupt entry is a cache miss: exit 1 with the offline message.
        let o = build(&index, dir.path(), "a\nb<2\n", &["--offline"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            text(&o).contains("not in the cache and `--offline` forbids the network"),
            "{}",
            text(&o)
        );
        // Online, the page is fetched again and the entry rewritten.
        let o = build(&index, dir.path(), "a\nb<2\n", &[]);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(pins(&o), pins(&cold));
        for (path, _) in &entries {
            let body = std::fs::read(path).unwrap();
            assert!(body.starts_with(b"{"), "{} not rewritten", path.display());
        }
    }
    // A stored file renamed to a path-traversal name fails the page checks on read: a miss.
    for (path, _) in &entries {
        let body = std::fs::read_to_string(path).unwrap();
        std::fs::write(
            path,
            body.replace("\"filename\":\"a-", "\"filename\":\"../a-"),
        )
        .unwrap();
    }
    let o = build(&index, dir.path(), "a\nb<2\n", &[]);
    assert!(o.status.success(), "{}", text(&o));
}

/// A version whose only wheel was filtered out is explained as before, cold and offline alike.
#[test]
fn filtered_versions_explain_themselves_the_same_way() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cold = build(&index, dir.path(), "a\nb==2.0\n", &[]);
    assert_eq!(cold.status.code(), Some(1), "{}", text(&cold));
    let stderr = String::from_utf8_lossy(&cold.stderr).into_owned();
    assert!(
        stderr.contains("cp312-cp312-win_amd64"),
        "the reason names the platform: {stderr}"
    );
    let offline = build(&index, dir.path(), "a\nb==2.0\n", &["--offline"]);
    assert_eq!(offline.status.code(), Some(1), "{}", text(&offline));
    assert_eq!(String::from_utf8_lossy(&offline.stderr), stderr);
}

/// The remembered lists under `cache/v1/remembered/`.
fn remembered(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(dir.join("cache/v1/remembered"))
        .map(|r| {
            r.flatten()
                .map(|e| (e.path(), std::fs::read_to_string(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn warm_runs_prefetch_the_remembered_pages_and_a_bad_list_is_only_a_miss() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cold = build(&index, dir.path(), "a\nb<2\n", &[]);
    assert!(cold.status.success(), "{}", text(&cold));
    let lists = remembered(dir.path());
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0].1, "a\nb\n");
    // Other inputs, another list.
    let other = build(&index, dir.path(), "b<2\n", &["-o", "other.tar.gz"]);
    assert!(other.status.success(), "{}", text(&other));
    assert_eq!(remembered(dir.path()).len(), 2);
    let path = lists[0].0.clone();
    // A stale list (a project no longer needed, one the index does not have) costs requests,
    // never an answer; a corrupt or hostile one is ignored. Each run rewrites the list.
    for list in [
        "a\nb\ngone\n",
        "../../etc/passwd\n",
        "\u{0}\u{1} not names",
        "",
    ] {
        std::fs::write(&path, list).unwrap();
        let warm = build(&index, dir.path(), "a\nb<2\n", &[]);
        assert!(warm.status.success(), "{list:?}: {}", text(&warm));
        assert_eq!(pins(&warm), pins(&cold), "{list:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\n");
    }
    // `--offline` neither reads nor writes the lists.
    std::fs::write(&path, "a\nb\ngone\n").unwrap();
    index.clear_log();
    let offline = build(&index, dir.path(), "a\nb<2\n", &["--offline"]);
    assert!(offline.status.success(), "{}", text(&offline));
    assert!(index.requests().is_empty(), "{:?}", index.requests());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\ngone\n");
}

/// [`build`] at `-vv` (the debug log on stderr).
fn build_verbose(index: &FakeIndex, dir: &Path, reqs: &str) -> Output {
    crate::common::build_logged(&index.url(), dir, reqs, &[])
}

/// This index sends no `ETag` or `Last-Modified` (as some mirrors): a warm run gets every page
/// again, and a page whose body has the digest its entry was made from is not parsed again nor
/// its entry rewritten; a page that changed is parsed and its new version used.
#[test]
fn an_unchanged_body_without_validators_reuses_its_entry() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cold = build(&index, dir.path(), "a\nb<3\n", &[]);
    assert!(cold.status.success(), "{}", text(&cold));
    let stamps = || -> Vec<(PathBuf, std::time::SystemTime, Vec<u8>)> {
        page_entries(dir.path())
            .into_iter()
            .map(|(p, _)| {
                let m = std::fs::metadata(&p).unwrap().modified().unwrap();
                let bytes = std::fs::read(&p).unwrap();
                (p, m, bytes)
            })
            .collect()
    };
    let before = stamps();
    assert_eq!(before.len(), 2);
    std::thread::sleep(std::time::Duration::from_millis(20));
    index.clear_log();
    let warm = build_verbose(&index, dir.path(), "a\nb<3\n");
    assert!(warm.status.success(), "{}", text(&warm));
    assert_eq!(pins(&warm), pins(&cold));
    assert_eq!(index.count_get("/simple/"), 2, "both pages are asked again");
    for project in ["a", "b"] {
        assert!(
            text(&warm).contains(&format!(
                "The page of `{project}` is unchanged (same sha256)"
            )),
            "{}",
            text(&warm)
        );
    }
    assert_eq!(stamps(), before, "an unchanged page's entry was rewritten");

    // A new release changes `b`'s body: parsed again, the new version chosen, entry rewritten.
    index.put_file(
        "b",
        "2.5",
        "b-2.5-py3-none-any.whl",
        crate::common::WheelSpec::new("b", "2.5").build(),
    );
    let changed = build_verbose(&index, dir.path(), "a\nb<3\n");
    assert!(changed.status.success(), "{}", text(&changed));
    assert!(
        pins(&changed).contains(&"b==2.5".to_string()),
        "{}",
        text(&changed)
    );
    assert!(
        !text(&changed).contains("The page of `b` is unchanged"),
        "{}",
        text(&changed)
    );
    let after = stamps();
    let b_entry = |s: &[(PathBuf, std::time::SystemTime, Vec<u8>)]| {
        s.iter()
            .find(|(_, _, bytes)| String::from_utf8_lossy(bytes).contains("\"name\":\"b\""))
            .map(|(_, _, bytes)| bytes.clone())
            .unwrap()
    };
    assert_ne!(
        b_entry(&after),
        b_entry(&before),
        "the changed page's entry was kept"
    );
}
