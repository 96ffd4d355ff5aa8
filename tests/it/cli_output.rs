//! Whole outputs of a fake-index build through the binary: `build`, `resolve`, `inspect` and
//! `verify` in text and `--format json` (data on stdout, nothing else there; ports, temp paths and
//! timings filtered), and the progress bars: never drawn when stderr is not a terminal, drawn on
//! a pseudo-terminal (via util-linux `script`; skipped when it is missing, failed under `CI`), hidden by `-q`.
//!
//! The README's sample outputs are these snapshots.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::common::tools::{self, require};
use crate::common::{self, FakeIndex, Release};

fn nbwheel(cwd: &Path) -> Command {
    let mut cmd = common::nbwheel();
    cmd.current_dir(cwd)
        .env("NBWHEEL_NO_CONFIG", "1")
        .env("NBWHEEL_CACHE_DIR", cwd.join("cache"));
    cmd
}

fn index() -> FakeIndex {
    FakeIndex::start(vec![
        Release::new("netbox-acme-plugin", "1.2.0").depends(&["acme-client>=2", "pyyaml"]),
        Release::new("acme-client", "2.1.0"),
        Release::new("acme-client", "1.9.0"),
        Release::new("pyyaml", "6.0.2").wheels(&[
            "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
            "cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64",
        ]),
    ])
}

fn project(dir: &Path) {
    std::fs::write(dir.join("requirements.txt"), "netbox-acme-plugin\n").unwrap();
    std::fs::write(dir.join("constraints.txt"), "pyyaml==6.0.2\n").unwrap();
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    let output = nbwheel(cwd).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The archive's sha256 and size depend on the index's port (file URLs are in `pylock.toml`), so
/// they are filtered; every wheel's sha256 and size stay.
fn filters(index: &FakeIndex, dir: &Path) -> Vec<(String, String)> {
    vec![
        (
            regex_escape(&index.base_url()),
            "http://127.0.0.1:[PORT]".into(),
        ),
        (regex_escape(&dir.display().to_string()), "[TMP]".into()),
        (r#""(\w+_ms)": \d+"#.into(), r#""$1": "[MS]""#.into()),
        (r"archive [\d.]+ kB".into(), "archive [SIZE]".into()),
        (
            r"(wheelhouse.tar.gz\s+)[\d.]+ kB".into(),
            "${1}[SIZE]".into(),
        ),
    ]
}

/// Replaces the archive's own sha256 and exact size.
fn archive_facts(text: &str, dir: &Path) -> String {
    use sha2::Digest as _;
    let bytes = std::fs::read(dir.join("wheelhouse.tar.gz")).unwrap();
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    text.replace(&sha, "[ARCHIVE-SHA256]")
        .replace(
            &format!("\"size\": {},", bytes.len()),
            "\"size\": \"[ARCHIVE-SIZE]\",",
        )
        .replace(
            &format!("\"size\": {}\n", bytes.len()),
            "\"size\": \"[ARCHIVE-SIZE]\"\n",
        )
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn build_resolve_inspect_verify_text_and_json() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    project(cwd);
    let url = index.url();
    let mut settings = insta::Settings::clone_current();
    for (from, to) in filters(&index, cwd) {
        settings.add_filter(&from, to);
    }
    let _guard = settings.bind_to_scope();

    let build = run(cwd, &["build", "-i", &url, "-o", "wheelhouse.tar.gz"]);
    assert!(
        build.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    insta::assert_snapshot!("build_text", archive_facts(&stdout(&build), cwd));

    let json = run(
        cwd,
        &[
            "build",
            "-i",
            &url,
            "-o",
            "wheelhouse.tar.gz",
            "--format",
            "json",
        ],
    );
    assert!(json.stderr.is_empty());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["version"], 1);
    insta::assert_snapshot!("build_json", archive_facts(&stdout(&json), cwd));

    let resolve = run(cwd, &["resolve", "-i", &url]);
    assert!(resolve.stderr.is_empty());
    insta::assert_snapshot!("resolve_text", stdout(&resolve));
    let resolve = run(cwd, &["resolve", "-i", &url, "--format", "json"]);
    insta::assert_snapshot!("resolve_json", stdout(&resolve));

    for command in ["inspect", "verify"] {
        let text = run(cwd, &[command, "wheelhouse.tar.gz"]);
        assert!(text.stderr.is_empty(), "{command} wrote to stderr");
        insta::assert_snapshot!(
            format!("{command}_text"),
            archive_facts(&stdout(&text), cwd)
        );
        let json = run(cwd, &[command, "wheelhouse.tar.gz", "--format", "json"]);
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(value["version"], 1, "{command}");
        insta::assert_snapshot!(
            format!("{command}_json"),
            archive_facts(&stdout(&json), cwd)
        );
    }

    let dir_out = run(cwd, &["cache", "dir"]);
    assert_eq!(
        stdout(&dir_out),
        format!("{}\n", cwd.join("cache").display())
    );
    let clean = run(cwd, &["cache", "clean"]);
    assert!(clean.stdout.is_empty(), "`cache clean` prints no data");
}

fn has_drawing(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r') || bytes.contains(&0x1b)
}

/// A build slow enough (each file takes 300 ms) for bars to be drawn when they are enabled.
fn slow_build(cwd: &Path, index: &FakeIndex) -> Vec<String> {
    project(cwd);
    index.knobs().delay("/files/", Duration::from_millis(300));
    vec![
        "build".into(),
        "-i".into(),
        index.url(),
        "-o".into(),
        "wheelhouse.tar.gz".into(),
    ]
}

#[test]
fn bars_are_not_drawn_when_stderr_is_not_a_terminal() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let args = slow_build(dir.path(), &index);
    for verbose in [None, Some("-v"), Some("-vv")] {
        let output = nbwheel(dir.path())
            .args(&args)
            .args(verbose)
            .env("TERM", "xterm-256color")
            .output()
            .unwrap();
        assert!(output.status.success());
        assert!(
            !has_drawing(&output.stderr),
            "{verbose:?}: {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!has_drawing(&output.stdout));
        if verbose.is_some() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("INFO") || stderr.contains("DEBUG"),
                "{stderr}"
            );
        }
    }
}

/// Runs the binary on a pseudo-terminal through util-linux `script` (`script`, from
/// [`tools::script`]).
fn on_a_terminal(script: &Path, cwd: &Path, args: &[String]) -> Vec<u8> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let line = std::iter::once(env!("CARGO_BIN_EXE_nbwheel"))
        .chain(args.iter().map(String::as_str))
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    // The same environment as `nbwheel(..)` gives the binary, for `script` to pass on.
    let env = nbwheel(cwd);
    let mut cmd = Command::new(script);
    cmd.current_dir(cwd);
    for (key, value) in env.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd
        .env("TERM", "xterm-256color")
        .args(["-qec", &line, "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    out.stdout
}

#[test]
fn bars_are_drawn_on_a_terminal_and_hidden_by_quiet() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let args = slow_build(dir.path(), &index);
    let script = require!(tools::script());
    let shown = on_a_terminal(&script, dir.path(), &args);
    let text = String::from_utf8_lossy(&shown);
    assert!(text.contains("Downloading"), "no download bar: {text:?}");
    assert!(has_drawing(&shown));
    assert!(text.contains("Wrote wheelhouse.tar.gz"));

    let mut quiet = args.clone();
    quiet.push("-q".into());
    let hidden = on_a_terminal(&script, dir.path(), &quiet);
    let text = String::from_utf8_lossy(&hidden);
    assert!(
        !text.contains("Downloading") && !text.contains("Resolving"),
        "{text:?}"
    );
    assert!(text.contains("Wrote wheelhouse.tar.gz"));
}
