//! Every scenario of `fixtures/scenarios/*.toml`, through the real binary against the fake
//! index: `nbwheel build` for each expectation, checking the exit code, the closure (every
//! `name==version`), the chosen files, the archive's contents, and the words of each error.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{FakeIndex, Scenario};

use crate::common::nbwheel;

/// Runs one expectation; returns a description of each mismatch.
fn check(
    scenario: &Scenario,
    index: &FakeIndex,
    expect: &common::Expect,
    work: &Path,
) -> Vec<String> {
    let (reqs, cons) = scenario.write_inputs_for(expect, work);
    let out = work.join("wheelhouse.tar.gz");
    let mut cmd = nbwheel();
    cmd.arg("build")
        .arg("-r")
        .arg(&reqs)
        .arg("-c")
        .arg(&cons)
        .args(["--index-url", &index.url()])
        .args([
            "--arch",
            &expect.arch,
            "--manylinux",
            &expect.manylinux,
            "--python",
            &expect.python,
        ])
        .arg("--cache-dir")
        .arg(work.join("cache"))
        .arg("-o")
        .arg(&out)
        .args(["--format", "json", "--retries", "0", "--timeout", "5"]);
    if expect.pre {
        cmd.arg("--pre");
    }
    if expect.allow_linux_tag {
        cmd.arg("--allow-linux-tag");
    }
    let output = cmd.output().expect("nbwheel runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let code = output.status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    if code != expect.exit_code {
        problems.push(format!(
            "exit code {code}, expected {}; stderr:\n{stderr}",
            expect.exit_code
        ));
        return problems;
    }
    if code != 0 {
        if let Err(missing) = expect.check_error(&stderr) {
            problems.push(format!("error lacks {missing:?}:\n{stderr}"));
        }
        if out.exists() {
            problems.push("a failed build left an archive".into());
        }
        return problems;
    }
    let Ok(report) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else {
        problems.push(format!("no JSON report on stdout; stderr:\n{stderr}"));
        return problems;
    };
    let wheels = report["archives"][0]["wheels"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: std::collections::BTreeMap<String, String> = wheels
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap_or_default().to_string(),
                w["version"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if got != expect.pinned() {
        problems.push(format!("closure {got:?}, expected {:?}", expect.pinned()));
    }
    let files: Vec<&str> = wheels.iter().filter_map(|w| w["file"].as_str()).collect();
    for f in &expect.files {
        if !files.contains(&f.as_str()) {
            problems.push(format!("expected file {f} among {files:?}"));
        }
    }
    // The archive holds exactly the wheels, the two input files and the lock.
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(&out)
        .output()
        .expect("tar runs");
    let mut names: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    names.sort();
    let mut want: Vec<String> = files.iter().map(|f| format!("wheelhouse/{f}")).collect();
    want.extend(
        [
            "wheelhouse/",
            "wheelhouse/constraints.txt",
            "wheelhouse/pylock.toml",
            "wheelhouse/requirements.txt",
        ]
        .map(String::from),
    );
    want.sort();
    if names != want {
        problems.push(format!("archive lists {names:?}, expected {want:?}"));
    }
    // Any archive `build` produces passes `verify` for the same target.
    let mut verify = nbwheel();
    verify.arg("verify").arg(&out).args([
        "--arch",
        &expect.arch,
        "--manylinux",
        &expect.manylinux,
        "--python",
        &expect.python,
    ]);
    if expect.allow_linux_tag {
        verify.arg("--allow-linux-tag");
    }
    let verified = verify.output().expect("nbwheel verify runs");
    if !verified.status.success() {
        problems.push(format!(
            "verify failed on the built archive:\n{}{}",
            String::from_utf8_lossy(&verified.stdout),
            String::from_utf8_lossy(&verified.stderr)
        ));
    }
    problems
}

#[test]
fn every_scenario_matches_its_expectations() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for scenario in Scenario::all() {
        let index = FakeIndex::start(&scenario);
        for (i, expect) in scenario.expect.iter().enumerate() {
            let work = tempfile::tempdir().unwrap();
            runs += 1;
            for p in check(&scenario, &index, expect, work.path()) {
                failures.push(format!(
                    "{} #{i} ({}): {p}",
                    scenario.name,
                    expect.describe()
                ));
            }
        }
    }
    assert!(runs > 20, "only {runs} expectations found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
