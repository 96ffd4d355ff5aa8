//! Build script: records the git commit the binary is built from, for `nbwheel --version`
//! (`nbwheel 0.1.0 (abc1234 2026-12-02)`), as cargo and uv do.
//!
//! It sets `NBWHEEL_VERSION` for the crate's compilation: the package version, followed by the
//! short commit hash and the commit date when the crate is built from a git checkout of itself
//! and `git` runs. Otherwise (an sdist, a crates.io download, no `git`) it is the package version
//! alone. Nothing here may fail the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let full = match commit(&manifest_dir) {
        Some((hash, date)) => format!("{version} ({hash} {date})"),
        None => version,
    };
    println!("cargo:rustc-env=NBWHEEL_VERSION={full}");
}

/// The short hash and date (`YYYY-MM-DD`) of `HEAD`, when `dir` is the root of a git checkout
/// (`.git` is a directory, or a file in a worktree). A crate unpacked inside some other
/// repository is not asked: its `HEAD` is not this source's commit.
fn commit(dir: &Path) -> Option<(String, String)> {
    if !dir.join(".git").exists() {
        return None;
    }
    watch_head(dir);
    let out = git(
        dir,
        &["log", "-1", "--no-show-signature", "--format=%h %cs"],
    )?;
    let (hash, date) = out.split_once(' ')?;
    let valid = !hash.is_empty()
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && date.len() == 10
        && date.chars().all(|c| c.is_ascii_digit() || c == '-');
    valid.then(|| (hash.to_string(), date.to_string()))
}

/// Reruns this script when `HEAD` moves: the `HEAD` file, the branch ref it points to, and
/// `packed-refs` (where a ref lives after `git gc`). Only existing files are named, since cargo
/// reruns on every build for a missing one.
fn watch_head(dir: &Path) {
    let Some(git_dir) = git(dir, &["rev-parse", "--git-dir"]) else {
        return;
    };
    let git_dir = dir.join(git_dir);
    let common_dir = git(dir, &["rev-parse", "--git-common-dir"])
        .map_or_else(|| git_dir.clone(), |d| dir.join(d));
    let mut watched = vec![git_dir.join("HEAD"), common_dir.join("packed-refs")];
    if let Some(reference) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git_dir.join(&reference));
        watched.push(common_dir.join(&reference));
    }
    for path in watched {
        if path.is_file() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// `git ARGS` in `dir`: its trimmed stdout, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
