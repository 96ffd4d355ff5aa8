//! Differential test: every scenario's expectations (nbwheel's truth, from the tag rules in `src/target.rs`) checked
//! against `pip download`, where pip's semantics are right.
//!
//! For each `[[expect]]` of each `fixtures/scenarios/*.toml` not marked `pip_agrees = false`:
//! serve the scenario on a fake index, run `pip download --only-binary=:all:` with every platform
//! of the target as repeated `--platform` flags (pip accepts only exact platform strings,
//! pypa/pip#10760), `--python-version`, `--implementation cp`, `-r`/`-c` written from the
//! scenario, and compare the downloaded files with the expected pins (and chosen files where
//! given), or check that pip fails when nbwheel must. pip evaluates markers on its own
//! interpreter, so it runs from a `CPython` 3.12 venv (`target/pip-venv-3.12-*`); without a
//! `CPython` 3.12 the test skips with the reason printed, or fails under `CI` (`common::tools`).

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::common::tools::{self, require};
use crate::common::{Expect, FakeIndex, Scenario};
use nbwheel::wheel_name::WheelName;

/// One pip run to do.
struct Job {
    scenario: Arc<Scenario>,
    index: Arc<FakeIndex>,
    expect: Expect,
}

/// Runs pip for one expectation; `Err` describes a disagreement.
fn check(python: &std::path::Path, job: &Job) -> Result<(), String> {
    let Job {
        scenario,
        index,
        expect,
    } = job;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let inputs = dir.path().join("inputs");
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&inputs).map_err(|e| e.to_string())?;
    let (reqs, cons) = scenario.write_inputs_for(expect, &inputs);
    let mut args: Vec<String> = vec![
        "download".into(),
        "--only-binary=:all:".into(),
        "--index-url".into(),
        index.url(),
        "-d".into(),
        out_dir.display().to_string(),
        "--python-version".into(),
        expect.python.clone(),
        "--implementation".into(),
        "cp".into(),
        "-r".into(),
        reqs.display().to_string(),
        "-c".into(),
        cons.display().to_string(),
    ];
    for platform in expect.target().platforms() {
        args.push("--platform".into());
        args.push(platform);
    }
    if expect.pre {
        args.push("--pre".into());
    }
    let out = common::pip::run_pip(python, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if expect.exit_code != 0 {
        return if out.status.success() {
            Err(format!(
                "pip succeeded but nbwheel must exit {}; pip downloaded {:?}",
                expect.exit_code,
                downloaded(&out_dir)
            ))
        } else {
            Ok(())
        };
    }
    if !out.status.success() {
        return Err(format!("pip failed:\n{}", stderr.trim()));
    }
    let files = downloaded(&out_dir);
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    for f in &files {
        let w: WheelName = f
            .parse()
            .map_err(|e| format!("pip downloaded a non-wheel `{f}`: {e}"))?;
        got.insert(w.name.to_string(), w.version.to_string());
    }
    let want: BTreeMap<String, String> = expect
        .pinned()
        .into_iter()
        .map(|(n, v)| {
            let v = v.parse::<pep440_rs::Version>().map_or(v, |v| v.to_string());
            (n, v)
        })
        .collect();
    if got != want {
        return Err(format!(
            "pins differ:\n  nbwheel: {want:?}\n  pip:     {got:?}"
        ));
    }
    let missing: Vec<&String> = expect.files.iter().filter(|f| !files.contains(f)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "chosen files differ: expected {missing:?}, pip downloaded {files:?}"
        ));
    }
    Ok(())
}

fn downloaded(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn pip_agrees_with_every_scenario() {
    // The `pip_agrees = false` marks about markers assume pip runs on an x86_64 machine.
    if std::env::consts::ARCH != "x86_64" {
        println!("skipped: the scenarios' pip annotations assume an x86_64 host");
        return;
    }
    let python = require!(tools::python312());
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    for scenario in Scenario::all() {
        let scenario = Arc::new(scenario);
        let index = Arc::new(FakeIndex::start(&*scenario));
        for expect in &scenario.expect {
            if let Some(reason) = expect.pip_disagreement(&scenario) {
                skipped.push(format!(
                    "{} [{}]: {reason}",
                    scenario.name,
                    expect.describe()
                ));
                continue;
            }
            jobs.push(Job {
                scenario: Arc::clone(&scenario),
                index: Arc::clone(&index),
                expect: expect.clone(),
            });
        }
    }
    let total = jobs.len();
    let queue = Mutex::new(jobs);
    let failures = Mutex::new(Vec::new());
    // pip spends most of its time starting up; a few in parallel keep the test short.
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let Some(job) = queue.lock().expect("queue").pop() else {
                        break;
                    };
                    if let Err(e) = check(&python, &job) {
                        failures.lock().expect("failures").push(format!(
                            "{} [{}]: {e}",
                            job.scenario.name,
                            job.expect.describe()
                        ));
                    }
                }
            });
        }
    });
    for s in &skipped {
        println!("not compared (pip is wrong here): {s}");
    }
    let failures = failures.into_inner().expect("failures");
    println!(
        "{} expectations compared with pip, {} disagreements",
        total,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "pip disagrees with the scenario expectations:\n\n{}",
        failures.join("\n\n")
    );
}
