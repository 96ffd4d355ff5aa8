//! The command line's own surface: `--help` of every command as snapshots, and the committed
//! generated files (shell completions in `completions/`, man pages in `man/`) compared with what
//! the current code generates.
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

#[test]
fn version_goes_to_stdout() {
    let output = nbwheel().arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("nbwheel {}\n", env!("CARGO_PKG_VERSION"))
    );
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
        files.insert(
            Path::new("completions").join(shell.file_name("nbwheel")),
            output.stdout,
        );
    }
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(nbwheel::cli::command(), dir.path()).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        files.insert(
            Path::new("man").join(entry.file_name()),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    files
}

/// Fails when `completions/` or `man/` differ from what the code generates;
/// `NBWHEEL_UPDATE_GENERATED=1` rewrites them (and removes files no longer generated).
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
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
            let rel = Path::new(dir).join(entry.unwrap().file_name());
            if !expected.contains_key(&rel) {
                stale.push(format!("{} (no longer generated)", rel.display()));
                if update {
                    std::fs::remove_file(root.join(&rel)).unwrap();
                }
            }
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
        let script = String::from_utf8_lossy(
            &files[&Path::new("completions").join(shell.file_name("nbwheel"))],
        )
        .into_owned();
        for path in command_paths().iter().filter(|p| p.len() == 1) {
            assert!(
                script.contains(&path[0]),
                "{shell} completion lacks `{}`",
                path[0]
            );
        }
    }
    assert!(files.contains_key(Path::new("man/nbwheel.1")));
    assert!(files.contains_key(Path::new("man/nbwheel-build.1")));
}

#[test]
fn unknown_shell_is_a_usage_error_naming_the_value() {
    let output = nbwheel().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("'tcsh'"), "{stderr}");
    assert!(output.stdout.is_empty());
}
