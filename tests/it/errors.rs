//! Snapshots of whole error outputs (stderr and exit code) for each class of failure, through
//! the binary against the fake index. Ports and temp paths are filtered.

use std::path::Path;

use crate::common::{FakeIndex, Release, Scenario};

use crate::common::nbwheel;

/// Runs `nbwheel build` on `reqs`/`cons` against `index`; returns "exit N" + stderr, filtered.
fn build(index: &FakeIndex, dir: &Path, reqs: &[&str], cons: &[&str], extra: &[&str]) -> String {
    std::fs::write(dir.join("requirements.txt"), reqs.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("constraints.txt"), cons.join("\n") + "\n").unwrap();
    let out = dir.join("wheelhouse.tar.gz");
    let output = nbwheel()
        .current_dir(dir)
        .args([
            "build",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
            "--timeout",
            "5",
        ])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap();
    assert!(!out.exists(), "a failed build must not leave an archive");
    let text = format!(
        "exit {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr)
    );
    text.replace(&index.url(), "http://[INDEX]/simple/")
        .replace(&index.base_url(), "http://[INDEX]")
        .replace(&dir.display().to_string(), "[TMP]")
}

fn scenario_index(name: &str) -> FakeIndex {
    FakeIndex::start(Scenario::load(name))
}

#[test]
fn conflict_between_dependencies_names_both_sides() {
    let index = scenario_index("conflicts");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["left-app", "right-app"],
        &[],
        &[]
    ));
}

#[test]
fn conflict_with_a_constraint_names_the_line() {
    let index = scenario_index("conflicts");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["shared-lib>=2"],
        &["shared-lib<2"],
        &[]
    ));
}

#[test]
fn sdist_only_three_levels_down_is_named() {
    let index = scenario_index("sdist_only");
    let dir = tempfile::tempdir().unwrap();
    let s = Scenario::load("sdist_only");
    let reqs: Vec<&str> = s.requirements.iter().map(String::as_str).collect();
    insta::assert_snapshot!(build(&index, dir.path(), &reqs, &[], &[]));
}

#[test]
fn glibc_too_new_hints_at_manylinux() {
    let index = FakeIndex::start(vec![
        Release::new("pillowish", "12.3.0").wheels(&["cp312-cp312-manylinux_2_28_x86_64"]),
        Release::new("plugin", "1.0").depends(&["pillowish==12.3.0"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin"],
        &[],
        &["--manylinux", "2_17"]
    ));
}

#[test]
fn unknown_project_is_named() {
    let index = FakeIndex::start(vec![
        Release::new("plugin", "1.0").depends(&["no-such-thing"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["plugin"], &[], &[]));
}

#[test]
fn bad_requirement_line_names_file_line_and_column() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin", "django>=>4"],
        &[],
        &[]
    ));
}

#[test]
fn editable_requirement_is_refused() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["-e ./my-plugin"], &[], &[]));
}

#[test]
fn bad_flag_value_is_a_usage_error() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(
        &index,
        dir.path(),
        &["plugin"],
        &[],
        &["--arch", "sparc"]
    ));
}

#[test]
fn hash_mismatch_from_the_index_is_an_integrity_error() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().wrong_hash("plugin-1.0-py3-none-any.whl");
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(build(&index, dir.path(), &["plugin"], &[], &[]));
}

#[test]
fn resolve_prints_pins_with_hashes_and_sources() {
    let index = scenario_index("basic");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "a\n").unwrap();
    let o = nbwheel()
        .current_dir(dir.path())
        .args(["resolve", "--arch", "all", "--index-url", &index.url()])
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).replace(&index.url(), "http://[INDEX]/simple/");
    insta::assert_snapshot!(text);
    // Nothing but metadata was fetched: no wheel download.
    let wheels: Vec<String> = index
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| {
            std::path::Path::new(p)
                .extension()
                .is_some_and(|e| e == "whl")
        })
        .collect();
    assert!(wheels.is_empty(), "{wheels:?}");
}

/// Runs `nbwheel ARGS` in `dir` (holding `requirements.txt` = `plugin`) with `env`; returns
/// "exit N" + stderr, filtered. Usage errors must print nothing on stdout and contact no index.
fn usage_error(index: &FakeIndex, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    std::fs::write(dir.join("requirements.txt"), "plugin\n").unwrap();
    let output = nbwheel()
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .env("NBWHEEL_INDEX_URL", index.url())
        .env("NBWHEEL_CACHE_DIR", dir.join("cache"))
        .output()
        .unwrap();
    assert!(output.stdout.is_empty(), "an error prints no data");
    assert_eq!(
        index.requests().len(),
        0,
        "a usage error is found before any request"
    );
    let text = format!(
        "exit {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr)
    );
    text.replace(&dir.display().to_string(), "[TMP]")
}

#[test]
fn missing_requirements_file_names_its_path() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build", "-r", "missing.txt"],
        &[]
    ));
}

#[test]
fn requirements_path_that_is_a_folder_is_named() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build", "-r", "empty/"],
        &[]
    ));
}

#[test]
fn no_default_requirements_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = nbwheel()
        .current_dir(dir.path())
        .arg("resolve")
        .output()
        .unwrap();
    let text = format!(
        "exit {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!(text.replace(&dir.path().display().to_string(), "[TMP]"));
}

#[test]
fn unreadable_constraints_file_names_its_path() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("constraints.d")).unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build", "-c", "constraints.d"],
        &[]
    ));
}

#[test]
fn bad_env_var_value_names_the_variable() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build"],
        &[("NBWHEEL_ARCH", "sparc")]
    ));
}

#[test]
fn bad_env_var_number_names_the_variable() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["resolve"],
        &[("NBWHEEL_TIMEOUT", "soon")]
    ));
}

#[test]
fn unknown_flag_is_named() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build", "--index-urll", "x"],
        &[]
    ));
}

#[test]
fn unknown_config_key_names_file_line_and_key() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nbwheel.toml"),
        "arch = \"x86_64\"\nmanylinx = \"2_17\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(usage_error(&index, dir.path(), &["build"], &[]));
}

#[test]
fn bad_config_value_names_the_file_and_key() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.nbwheel]\narch = \"sparc\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(usage_error(&index, dir.path(), &["resolve"], &[]));
}

#[test]
fn config_value_of_the_wrong_type_is_shown_in_place() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nbwheel.toml"), "jobs = \"many\"\n").unwrap();
    insta::assert_snapshot!(usage_error(&index, dir.path(), &["resolve"], &[]));
}

#[test]
fn missing_config_file_names_its_path() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build", "--config", "ci.toml"],
        &[]
    ));
}

#[test]
fn invalid_source_date_epoch_fails_before_any_request() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(usage_error(
        &index,
        dir.path(),
        &["build"],
        &[("SOURCE_DATE_EPOCH", "yesterday")]
    ));
}
