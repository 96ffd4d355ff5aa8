//! Hostile inputs through the binary: lock files, plugin settings, secrets in URLs, a planted
//! cache, unbounded requirement files. Each test here failed before its fix.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{FakeIndex, Release, nbwheel};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every path under `dir` (recursively, symlinks not followed), relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `build` against `index` in `dir` with its own cache, extra arguments appended.
fn build(index: &FakeIndex, dir: &Path, reqs: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .args([
            "build",
            "-q",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
            "-r",
            "requirements.txt",
        ])
        .arg("--cache-dir")
        .arg(dir.join("work").join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

fn lock_text(name: &str, version: &str, file: &str, url: &str, sha: &str) -> String {
    format!(
        "lock-version = \"1.0\"\ncreated-by = \"nbwheel\"\n\n[[packages]]\nname = \"{name}\"\nversion = \"{version}\"\n\n[[packages.wheels]]\nname = \"{file}\"\nurl = \"{url}\"\nsize = 10\nhashes = {{ sha256 = \"{sha}\" }}\n"
    )
}

#[test]
fn item1_lock_fields_are_validated_before_use() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let file = "a-1.0-py3-none-any.whl";
    let good_sha = index.sha256(file);
    let url = index.file_url(file);
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep"), b"x").unwrap();
    let abs = outside.join("planted");
    let bad: Vec<(String, &str)> = vec![
        (lock_text("a", "1.0", file, &url, "../../../x"), "sha256"),
        (
            lock_text("a", "1.0", file, &url, abs.to_str().unwrap()),
            "sha256",
        ),
        (
            lock_text("a", "1.0", file, &url, &good_sha.to_uppercase()),
            "sha256",
        ),
        (
            lock_text("a", "1.0", "../../a-1.0-py3-none-any.whl", &url, &good_sha),
            "name",
        ),
        (lock_text("A_", "1.0", file, &url, &good_sha), "name"),
        (
            lock_text("a", "not a version", file, &url, &good_sha),
            "version",
        ),
        (
            lock_text("a", "1.0", file, "file:///etc/passwd", &good_sha),
            "url",
        ),
        (
            lock_text("a", "1.0", "b-1.0-py3-none-any.whl", &url, &good_sha),
            "project",
        ),
    ];
    let before = tree(dir.path());
    for (lock, field) in &bad {
        let path = dir.path().join("work/lock.toml");
        std::fs::write(&path, lock).unwrap();
        let o = build(
            &index,
            &dir.path().join("work"),
            "a\n",
            &["--lock", path.to_str().unwrap(), "-o", "out.tar.gz"],
        );
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{lock}\n{t}");
        assert!(t.contains(field) && t.contains("[[packages]] #1"), "{t}");
        let after: Vec<PathBuf> = tree(dir.path())
            .into_iter()
            .filter(|p| !p.starts_with("work"))
            .collect();
        let before: Vec<PathBuf> = before
            .iter()
            .filter(|p| !p.starts_with("work"))
            .cloned()
            .collect();
        assert_eq!(after, before, "{lock}");
        assert!(!dir.path().join("x").exists() && !abs.exists());
        assert!(!dir.path().join("work/out.tar.gz").exists());
    }
    // The same lock with honest values builds.
    let path = dir.path().join("work/lock.toml");
    std::fs::write(&path, lock_text("a", "1.0", file, &url, &good_sha)).unwrap();
    let o = build(
        &index,
        &dir.path().join("work"),
        "a\n",
        &["--lock", path.to_str().unwrap(), "-o", "out.tar.gz"],
    );
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn item5_requirement_files_and_lines_are_bounded() {
    let index = FakeIndex::start(vec![Release::new("a", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let work = dir.path().join("work");
    let run = |reqs: &str| {
        let t = std::time::Instant::now();
        let o = build(&index, &work, reqs, &["-o", "out.tar.gz"]);
        (o, t.elapsed())
    };
    // An endless file.
    let (o, took) = run("-r /dev/zero\n");
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("/dev/zero") && t.contains("too large"), "{t}");
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    // A million extras.
    let (o, took) = run(&format!("a[{}\n", "x,".repeat(1_000_000)));
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{}", &t[..t.len().min(2000)]);
    assert!(
        t.len() < 10_000 && t.contains("requirements.txt:1"),
        "{}",
        &t[..t.len().min(2000)]
    );
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    // Deeply nested parentheses in a marker: refused by depth, or by length beyond it.
    for (depth, says) in [(5_000, "nested"), (50_000, "bytes long")] {
        let (o, _) = run(&format!(
            "a ; {}python_version > '3'{}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        ));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{}", &t[..t.len().min(2000)]);
        assert!(
            t.contains(says) && t.len() < 10_000,
            "{}",
            &t[..t.len().min(2000)]
        );
    }
}

#[test]
fn item5_deep_requires_dist_is_refused_not_a_crash() {
    for (depth, says) in [(5_000, "nested"), (50_000, "bytes long")] {
        let deep = format!(
            "b ; {}python_version > '3'{}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let index = FakeIndex::start(vec![Release::new("a", "1.0").depends(&[deep.as_str()])]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        let o = build(
            &index,
            &dir.path().join("work"),
            "a\n",
            &["-o", "out.tar.gz"],
        );
        let t = text(&o);
        assert!(
            matches!(o.status.code(), Some(c) if (1..=4).contains(&c)),
            "{:?} {}",
            o.status,
            &t[..t.len().min(2000)]
        );
        assert!(t.contains(says), "{}", &t[..t.len().min(2000)]);
    }
}
