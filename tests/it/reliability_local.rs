//! docs/GUARANTEES.md rows 23 (signals), 24 (disk full, read-only output) and 25 (concurrent runs
//! on one cache, corrupted entries, the cache lock timeout), through the binary.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::reliability::{Run, Work, assert_no_temp_files, error_text, files_under};
use crate::common::{self, nbwheel};
use crate::common::{FakeIndex, Release};

/// Whole-file GETs of exactly this path.
fn gets(index: &FakeIndex, path: &str) -> usize {
    index
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path && r.range().is_none())
        .count()
}

fn temps_in(cache: &Path) -> Vec<std::path::PathBuf> {
    files_under(&cache.join("v1").join("tmp"))
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

fn spawn(work: &Work, args: &[&str]) -> Child {
    work.build_cmd(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nbwheel")
}

#[test]
fn row23_sigint_exits_130_and_cleans_up_sigkill_leaves_nothing_the_next_run_keeps() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").file("plugin/data.txt", &noise(20_000)),
    ]);
    // The small `.metadata` comes in a blink, the wheel takes seconds.
    index.knobs().throttle("/files/", 2_000);
    let work = Work::new(&["plugin"]);
    let args = ["--index-url", &index.url(), "--timeout", "60"];

    // SIGINT while the wheel downloads (its temp file exists): exit 130, nothing left.
    let child = spawn(&work, &args);
    wait_for("the download to start", || {
        !temps_in(&work.cache()).is_empty()
    });
    signal(&child, "-INT");
    let run: Run = child.wait_with_output().unwrap().into();
    assert_eq!(run.code, 130, "{}", run.stderr);
    assert!(run.stderr.contains("error: Interrupted"), "{}", run.stderr);
    work.assert_nothing_partial();

    // SIGKILL at the same point: the temp file stays, no archive; the next run removes the
    // stale temp file and succeeds.
    let child = spawn(&work, &args);
    wait_for("the download to start", || {
        !temps_in(&work.cache()).is_empty()
    });
    signal(&child, "-KILL");
    let run: Run = child.wait_with_output().unwrap().into();
    assert_eq!(run.code, -1);
    assert!(!work.out().exists());
    let stale = temps_in(&work.cache());
    assert_eq!(stale.len(), 1, "{stale:?}");
    index.knobs().reset();
    let run = work.build(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!stale[0].exists(), "the stale temp file was removed");
    assert_no_temp_files(work.path(), &work.cache());
}

/// Text that compresses poorly, `n` bytes.
fn noise(n: usize) -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'!' + u8::try_from(state % 90).unwrap_or(0))
        })
        .collect()
}

#[test]
fn row24_unwritable_output_and_file_too_large_exit_5() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").file("plugin/data.txt", &noise(60_000)),
    ]);
    let work = Work::new(&["plugin"]);
    // Warm the cache so that only the archive write meets the limits below.
    assert_eq!(work.build(&["--index-url", &index.url()]).code, 0);
    std::fs::remove_file(work.out()).unwrap();
    let pairs = [(work.path().display().to_string(), "[WORK]")];

    // A directory nobody may write to (`/proc` even refuses root).
    let run = work.build(&["--index-url", &index.url(), "-o", "/proc/wheelhouse.tar.gz"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("`/proc"), "{}", run.stderr);
    assert!(run.stderr.contains("os error"), "{}", run.stderr);

    // EFBIG: a file-size limit below the archive's size (SIGXFSZ ignored, as a shell with
    // `ulimit -f` in CI would see it).
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let before = std::fs::read_dir(&out).unwrap().count();
    let script = format!(
        "trap '' XFSZ; ulimit -f 16; exec \"$0\" build --index-url {} --cache-dir {} --compression-level 0 -o {}",
        index.url(),
        work.cache().display(),
        out.join("wheelhouse.tar.gz").display()
    );
    let mut cmd = nbwheel();
    cmd.current_dir(work.path());
    let run: Run = common::through_sh(&cmd, &script).output().unwrap().into();
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 5
    error: Failed to write `[WORK]/out/wheelhouse.tar.gz`
      Caused by: File too large (os error 27)
    hint: Check that the path exists, is writable and that the disk is not full.
    ");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        before,
        "nothing left in the output dir"
    );
    assert_no_temp_files(&out, &work.cache());
}

#[test]
fn row25_concurrent_runs_share_one_cache() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").depends(&["dep-a", "dep-b"]),
        Release::new("dep-a", "1.0"),
        Release::new("dep-b", "2.0"),
    ]);
    // Slow files, so the runs overlap on the same cache entries.
    index.knobs().delay("/files/", Duration::from_millis(400));
    let shared = Work::new(&["plugin"]);
    let args = ["--index-url", &index.url(), "--timeout", "30"];
    let children: Vec<Child> = (0..4)
        .map(|i| {
            let out = shared.path().join(format!("out-{i}.tar.gz"));
            spawn(
                &shared,
                &[&args[..], &["-o", out.to_str().unwrap()]].concat(),
            )
        })
        .collect();
    let runs: Vec<Run> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().into())
        .collect();
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let reference = std::fs::read(shared.path().join("out-0.tar.gz")).unwrap();
    for i in 1..4 {
        assert_eq!(
            std::fs::read(shared.path().join(format!("out-{i}.tar.gz"))).unwrap(),
            reference,
            "archive {i} differs"
        );
    }
    // Each wheel was downloaded once: the others waited for the lock and found it cached.
    for f in [
        "plugin-1.0-py3-none-any.whl",
        "dep_a-1.0-py3-none-any.whl",
        "dep_b-2.0-py3-none-any.whl",
    ] {
        assert_eq!(gets(&index, &format!("/files/{f}")), 1, "{f}");
    }
    assert!(
        runs.iter()
            .any(|r| r.stderr.contains("Waiting for lock on `")),
        "no run waited"
    );
    assert_no_temp_files(shared.path(), &shared.cache());

    // Four more runs writing the same output: all succeed with the same bytes.
    let same = shared.path().join("same.tar.gz");
    let children: Vec<Child> = (0..4)
        .map(|_| {
            spawn(
                &shared,
                &[&args[..], &["-o", same.to_str().unwrap()]].concat(),
            )
        })
        .collect();
    for c in children {
        let run: Run = c.wait_with_output().unwrap().into();
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(std::fs::read(&same).unwrap(), reference);
    assert_no_temp_files(shared.path(), &shared.cache());

    // A flipped byte in a cached wheel: detected, fetched again with a warning, same archive.
    let sha = index.sha256("dep_a-1.0-py3-none-any.whl");
    let cached = shared
        .cache()
        .join("v1/wheels")
        .join(&sha[..2])
        .join(&sha)
        .join("dep_a-1.0-py3-none-any.whl");
    let mut bytes = std::fs::read(&cached).unwrap();
    bytes[10] ^= 0x01;
    std::fs::write(&cached, bytes).unwrap();
    let run = shared.build(&[&args[..], &["-o", "again.tar.gz"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Cached `dep_a-1.0-py3-none-any.whl` is corrupted (its sha256 does not match); fetching it again"),
        "{}",
        run.stderr
    );
    assert_eq!(gets(&index, "/files/dep_a-1.0-py3-none-any.whl"), 2);
    assert_eq!(
        std::fs::read(shared.path().join("again.tar.gz")).unwrap(),
        reference
    );
}

#[test]
fn row25_cache_lock_timeout_exits_5() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let work = Work::new(&["plugin"]);
    let sha = index.sha256("plugin-1.0-py3-none-any.whl");
    let lock_path = work.cache().join("v1/locks").join(format!("{sha}.lock"));
    std::fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let held = std::fs::File::create(&lock_path).unwrap();
    held.lock().unwrap();
    let pairs = [(work.path().display().to_string(), "[WORK]")];

    let started = Instant::now();
    let run = work.build_env(
        &["--index-url", &index.url()],
        &[("NBWHEEL_LOCK_TIMEOUT", "0.5")],
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        run.stderr.contains("Waiting for lock on `"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(error_text(&run, &pairs).replace(&sha, "[SHA]"), @r"
    exit 5
    error: Timed out waiting for the lock on `[WORK]/cache/v1/locks/[SHA].lock`
      Caused by: another process held it for more than 0.5 s (`NBWHEEL_LOCK_TIMEOUT`)
    ");
    assert_eq!(gets(&index, "/files/plugin-1.0-py3-none-any.whl"), 0);
    work.assert_nothing_partial();

    // Released: the same run succeeds.
    drop(held);
    let run = work.build_env(
        &["--index-url", &index.url()],
        &[("NBWHEEL_LOCK_TIMEOUT", "0.5")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A bad value is a usage error.
    let run = work.build_env(
        &["--index-url", &index.url()],
        &[("NBWHEEL_LOCK_TIMEOUT", "soon")],
    );
    insta::assert_snapshot!(error_text(&run, &pairs), @r#"
    exit 2
    error: Invalid `NBWHEEL_LOCK_TIMEOUT`: "soon" is not a number of seconds
    "#);
}
