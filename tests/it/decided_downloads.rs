//! A build starts downloading each wheel as soon as the resolver decides on it, so downloads
//! overlap the rest of the resolution. A decision the resolver later takes back costs only a
//! download: its wheel is neither in the archive nor able to fail the build.

use crate::common::json_build::{build, pins, text};
use crate::common::{FakeIndex, Release};

/// `a` 2.0 needs `c==1` and `b` needs `c==2`: the resolver decides on `a` 2.0 (and `c` 1)
/// first, then backtracks to `a` 1.0. `a` 2.0's wheel is listed with a wrong sha256, so
/// downloading it fails the hash check.
fn backtracking_index() -> FakeIndex {
    let index = FakeIndex::start(vec![
        Release::new("a", "1.0"),
        Release::new("a", "2.0").depends(&["c==1"]),
        Release::new("b", "1.0").depends(&["c==2"]),
        Release::new("c", "1"),
        Release::new("c", "2"),
    ]);
    index.knobs().wrong_hash("a-2.0-py3-none-any.whl");
    index
}

#[test]
fn an_abandoned_decision_neither_fails_the_build_nor_enters_the_archive() {
    let index = backtracking_index();
    let dir = tempfile::tempdir().unwrap();
    let o = build(&index, dir.path(), "a\nb\n", "", &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(pins(&o), ["a==1.0", "b==1.0", "c==2"], "{}", text(&o));
    // The metadata came from PEP 658 files, so a whole-wheel GET of `a` 2.0 can only be the
    // download started when the resolver decided on it.
    let whole_gets = |name: &str| {
        index
            .requests()
            .iter()
            .filter(|r| {
                r.method == "GET" && r.path == format!("/files/{name}") && r.range().is_none()
            })
            .count()
    };
    assert_eq!(
        whole_gets("a-2.0-py3-none-any.whl"),
        1,
        "{:#?}",
        index.requests()
    );
    assert_eq!(whole_gets("a-1.0-py3-none-any.whl"), 1);
    // `resolve` downloads nothing.
    index.clear_log();
    let o = crate::common::nbwheel()
        .current_dir(dir.path())
        .args([
            "resolve",
            "-q",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
        ])
        .args(["-r", "requirements.txt"])
        .arg("--cache-dir")
        .arg(dir.path().join("fresh-cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        whole_gets("a-1.0-py3-none-any.whl"),
        0,
        "{:#?}",
        index.requests()
    );
    assert_eq!(whole_gets("a-2.0-py3-none-any.whl"), 0);
}

/// The chosen wheel with a wrong listed hash still fails the build as before (exit 4), whether
/// its download started during the resolution or after it.
#[test]
fn a_chosen_wheel_that_fails_its_download_still_fails_the_build() {
    let index = FakeIndex::start(vec![
        Release::new("a", "1.0").depends(&["c"]),
        Release::new("c", "1"),
    ]);
    index.knobs().wrong_hash("c-1-py3-none-any.whl");
    let dir = tempfile::tempdir().unwrap();
    let o = build(&index, dir.path(), "a\n", "", &[]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("c-1-py3-none-any.whl"), "{}", text(&o));
    assert!(!dir.path().join("wheelhouse.tar.gz").exists());
}
