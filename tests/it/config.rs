//! Configuration precedence through the binary: a flag beats its `NBWHEEL_*` variable, which
//! beats `nbwheel.toml` / `[tool.nbwheel]`, which beats the default; shown for `--index-url`
//! (which fake index gets the requests) and `--arch` (the target `resolve` prints).

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, FakeIndex, Release};

/// The binary with no `NBWHEEL_*` setting from the caller's environment.
fn nbwheel(cwd: &Path) -> Command {
    let mut cmd = common::nbwheel();
    cmd.current_dir(cwd)
        .env("NBWHEEL_CACHE_DIR", cwd.join("cache"));
    cmd
}

fn index() -> FakeIndex {
    FakeIndex::start(vec![Release::new("plugin", "1.0")])
}

/// A project folder with `requirements.txt` (`plugin`) in `dir/proj`; runs happen in
/// `dir/proj/sub` so the file is found by walking up.
fn project(dir: &Path, config: Option<&str>) -> std::path::PathBuf {
    let proj = dir.join("proj");
    std::fs::create_dir_all(proj.join("sub")).unwrap();
    std::fs::write(proj.join("requirements.txt"), "plugin\n").unwrap();
    if let Some(text) = config {
        std::fs::write(proj.join("nbwheel.toml"), text).unwrap();
    }
    proj.join("sub")
}

fn resolve(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let output = nbwheel(cwd)
        .args(["resolve", "-r", "../requirements.txt", "--retries", "0"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "resolve failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn used(index: &FakeIndex) -> bool {
    index.count("/simple/") > 0
}

#[test]
fn index_url_flag_beats_env_beats_file() {
    let (flag, env, file) = (index(), index(), index());
    let dir = tempfile::tempdir().unwrap();
    let cwd = project(
        dir.path(),
        Some(&format!("index-url = \"{}\"\n", file.url())),
    );

    resolve(&cwd, &[], &[]);
    assert!(used(&file), "the file's index-url beats the default (PyPI)");
    file.clear_log();

    resolve(&cwd, &[("NBWHEEL_INDEX_URL", &env.url())], &[]);
    assert!(used(&env) && !used(&file), "the variable beats the file");
    env.clear_log();

    resolve(
        &cwd,
        &[("NBWHEEL_INDEX_URL", &env.url())],
        &["--index-url", &flag.url()],
    );
    assert!(
        used(&flag) && !used(&env) && !used(&file),
        "the flag beats the variable"
    );
    flag.clear_log();

    resolve(
        &cwd,
        &[
            ("NBWHEEL_INDEX_URL", &env.url()),
            ("NBWHEEL_NO_CONFIG", "1"),
        ],
        &[],
    );
    assert!(used(&env) && !used(&file));
}

fn target_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn arch_flag_beats_env_beats_file_beats_default() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let url = index.url();
    let no_file = project(&dir.path().join("bare"), None);
    let cwd = project(
        dir.path(),
        Some(&format!(
            "index-url = \"{url}\"\narch = \"aarch64\"\nmanylinux = \"2_17\"\n"
        )),
    );
    let default = resolve(&no_file, &[], &["-i", &url]);
    assert_eq!(
        target_line(&default),
        "# CPython 3.12 on manylinux_2_28_x86_64 (1 projects)"
    );
    let file = resolve(&cwd, &[], &[]);
    assert_eq!(
        target_line(&file),
        "# CPython 3.12 on manylinux_2_17_aarch64 (1 projects)"
    );
    let env = resolve(&cwd, &[("NBWHEEL_ARCH", "x86_64")], &[]);
    assert_eq!(
        target_line(&env),
        "# CPython 3.12 on manylinux_2_17_x86_64 (1 projects)",
        "the variable replaces the file's arch, the file's manylinux still applies"
    );
    let flag = resolve(
        &cwd,
        &[("NBWHEEL_ARCH", "x86_64")],
        &["--arch", "all", "--manylinux", "2_28"],
    );
    assert_eq!(
        target_line(&flag),
        "# CPython 3.12 on manylinux_2_28_x86_64 (1 projects)\n# CPython 3.12 on manylinux_2_28_aarch64 (1 projects)"
    );
}

#[test]
fn pyproject_table_and_explicit_config_file() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cwd = project(dir.path(), None);
    std::fs::write(
        dir.path().join("proj/pyproject.toml"),
        format!(
            "[project]\nname = \"site\"\n\n[tool.nbwheel]\nindex-url = \"{}\"\narch = [\"aarch64\"]\n",
            index.url()
        ),
    )
    .unwrap();
    let out = resolve(&cwd, &[], &[]);
    assert!(target_line(&out).contains("aarch64"));

    // `--config` replaces discovery; relative paths in it are relative to the file.
    let other = dir.path().join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("reqs.txt"), "plugin\n").unwrap();
    std::fs::write(
        other.join("ci.toml"),
        format!(
            "requirement = [\"reqs.txt\"]\nindex-url = \"{}\"\n",
            index.url()
        ),
    )
    .unwrap();
    let output = nbwheel(&cwd)
        .args(["resolve", "--config"])
        .arg(other.join("ci.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(target_line(&output).contains("x86_64"));
}

#[test]
fn no_config_skips_a_broken_file() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let cwd = project(dir.path(), Some("no-such-key = 1\n"));
    let output = nbwheel(&cwd)
        .args(["resolve", "-r", "../requirements.txt", "-i", &index.url()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    resolve(&cwd, &[], &["-i", &index.url(), "--no-config"]);
    // Commands with nothing to configure do not read the file.
    let output = nbwheel(&cwd)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(output.status.success());
}
