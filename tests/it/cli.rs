//! The command line's own surface: `--help` of every command as snapshots, `--version`, and the
//! committed generated files (shell completions and man pages under `nbwheel.data/data/share/`,
//! where a wheel's data goes and pip installs it below the environment's prefix) compared with
//! what the current code generates.
//!
//! When a flag or command changes, regenerate everything with
//! `NBWHEEL_UPDATE_GENERATED=1 INSTA_UPDATE=always cargo test --locked --test it cli::` and review the
//! diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap_complete::Shell;
use clap_complete::aot::Generator;

use crate::common;

/// The binary with a clean environment ([`common::nbwheel`]), no config file, 100 columns.
fn nbwheel() -> Command {
    let mut cmd = common::nbwheel();
    cmd.env("COLUMNS", "100").env("NBWHEEL_NO_CONFIG", "1");
    cmd
}

/// Every command path: `[]`, `["build"]`, `["cache", "dir"]`, …
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&nbwheel::cli::command(), &[], &mut out);
    out
}

#[test]
fn help_of_every_command() {
    for path in command_paths() {
        let output = nbwheel().args(&path).arg("--help").output().unwrap();
        assert!(output.status.success(), "{path:?} --help failed");
        assert!(output.stderr.is_empty(), "{path:?} --help wrote to stderr");
        let name = if path.is_empty() {
            "help".to_string()
        } else {
            format!("help_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, String::from_utf8_lossy(&output.stdout));
    }
}

/// `nbwheel X.Y.Z (abc1234 2026-12-02)` from a git checkout (the build script records `HEAD`),
/// `nbwheel X.Y.Z` without one; `-V` prints the same.
#[test]
fn version_goes_to_stdout_with_the_commit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--no-show-signature", "--format=%h %cs"])
        .output()
        .ok()
        .filter(|o| o.status.success() && root.join(".git").exists())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let expected = match head {
        Some(commit) => format!("nbwheel {} ({commit})\n", env!("CARGO_PKG_VERSION")),
        None => format!("nbwheel {}\n", env!("CARGO_PKG_VERSION")),
    };
    for flag in ["--version", "-V"] {
        let output = nbwheel().arg(flag).output().unwrap();
        assert!(output.status.success());
        assert!(output.stderr.is_empty());
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{flag}");
    }
}

/// Where the generated files live, relative to the crate root: maturin packs
/// `nbwheel.data/` into the wheel (`[tool.maturin] data` in `pyproject.toml`), and pip puts
/// `data/share/…` below the environment's prefix, where man, bash-completion, zsh (with the
/// prefix's `site-functions` on `$fpath`) and fish look.
const DATA: &str = "nbwheel.data/data/share";

/// Folders the generated files lived in before they moved under [`DATA`]; leftovers there are
/// stale.
const OLD_DIRS: [&str; 2] = ["completions", "man"];

/// The committed completion script of `shell`.
fn completion_path(shell: Shell) -> PathBuf {
    let data = Path::new(DATA);
    match shell {
        Shell::Bash => data.join("bash-completion/completions/nbwheel"),
        Shell::Zsh => data.join("zsh/site-functions/_nbwheel"),
        Shell::Fish => data.join("fish/vendor_completions.d/nbwheel.fish"),
        // No standard folder: shipped for the user to source (see the README).
        _ => data
            .join("nbwheel/completions")
            .join(shell.file_name("nbwheel")),
    }
}

/// The folder of the committed man pages.
fn man_dir() -> PathBuf {
    Path::new(DATA).join("man/man1")
}

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// What the generated folders must hold: relative path → bytes.
fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for shell in SHELLS {
        let output = nbwheel()
            .args(["completions", &shell.to_string()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "completions {shell} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        files.insert(completion_path(shell), output.stdout);
    }
    let dir = tempfile::tempdir().unwrap();
    // The plain package version: the commit `--version` adds would change the pages with every
    // commit.
    let command = nbwheel::cli::command().version(env!("CARGO_PKG_VERSION"));
    clap_mangen::generate_to(command, dir.path()).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        files.insert(
            man_dir().join(entry.file_name()),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    files
}

/// Every file below `dir` (relative to `root`), recursively.
fn files_under(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
        let entry = entry.unwrap();
        let rel = dir.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            files_under(root, &rel, out);
        } else {
            out.push(rel);
        }
    }
}

/// Fails when the files under [`DATA`] differ from what the code generates;
/// `NBWHEEL_UPDATE_GENERATED=1` rewrites them (and removes files no longer generated, also any
/// left in the old `completions/` and `man/` folders).
#[test]
fn generated_files_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("NBWHEEL_UPDATE_GENERATED").is_some_and(|v| !v.is_empty());
    let expected = generated();
    let mut stale = Vec::new();
    for (path, bytes) in &expected {
        let full = root.join(path);
        if std::fs::read(&full).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(path.display().to_string());
            if update {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, bytes).unwrap();
            }
        }
    }
    let mut present = Vec::new();
    for dir in OLD_DIRS.iter().map(Path::new).chain([Path::new(DATA)]) {
        files_under(root, dir, &mut present);
    }
    for rel in present {
        if !expected.contains_key(&rel) {
            stale.push(format!("{} (no longer generated)", rel.display()));
            if update {
                std::fs::remove_file(root.join(&rel)).unwrap();
            }
        }
    }
    if update {
        for dir in OLD_DIRS {
            // Only when empty: a folder with anything else in it stays.
            let _ = std::fs::remove_dir(root.join(dir));
        }
    }
    assert!(
        update || stale.is_empty(),
        "generated files are stale: {}\nRegenerate them with `NBWHEEL_UPDATE_GENERATED=1 cargo test --locked --test it cli::` and commit the result.",
        stale.join(", ")
    );
}

#[test]
fn completions_cover_every_shell_and_command() {
    let files = generated();
    for shell in SHELLS {
        let script = String::from_utf8_lossy(&files[&completion_path(shell)]).into_owned();
        for path in command_paths().iter().filter(|p| p.len() == 1) {
            assert!(
                script.contains(&path[0]),
                "{shell} completion lacks `{}`",
                path[0]
            );
        }
    }
    assert!(files.contains_key(&man_dir().join("nbwheel.1")));
    assert!(files.contains_key(&man_dir().join("nbwheel-build.1")));
}

#[test]
fn unknown_shell_is_a_usage_error_naming_the_value() {
    let output = nbwheel().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("'tcsh'"), "{stderr}");
    assert!(output.stdout.is_empty());
}
