//! The acceptance test of the whole product (docs/GUARANTEES.md row 32): build an archive, stop the
//! index, extract the archive, and let pip install it offline exactly as the `NetBox` pod does:
//! `pip install --no-index --find-links wheelhouse --target DIR --platform … --python-version
//! 3.12 --implementation cp --only-binary=:all: -r requirements.txt -c constraints.txt`.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};
use nbwheel::target::{Arch, Target};

/// The 3.12 venv's Python, else the machine's `python3` with pip.
fn pip_python() -> Result<std::path::PathBuf, tools::Missing> {
    tools::python312().or_else(|missing| {
        eprintln!(
            "no CPython 3.12 venv ({}); using the machine's python3",
            missing.why
        );
        tools::pip()
    })
}

fn build(index: &FakeIndex, scenario: &Scenario, work: &Path, arch: &str) -> std::path::PathBuf {
    let (reqs, cons) = scenario.write_inputs(work);
    let out = work.join(format!("wheelhouse-{arch}.tar.gz"));
    let o = common::nbwheel()
        .args([
            "build",
            "-q",
            "--arch",
            arch,
            "--index-url",
            &index.url(),
            "-r",
        ])
        .arg(&reqs)
        .arg("-c")
        .arg(&cons)
        .arg("--cache-dir")
        .arg(work.join("cache"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn pip_installs_the_archive_offline_as_the_pod_does() {
    let python = require!(pip_python());
    let scenario = Scenario::load("netbox_like");
    let work = tempfile::tempdir().unwrap();
    let archives: Vec<(Arch, std::path::PathBuf)> = {
        let index = FakeIndex::start(&scenario);
        Arch::ALL
            .iter()
            .map(|a| (*a, build(&index, &scenario, work.path(), a.as_str())))
            .collect()
        // The index stops here: the install below cannot reach it.
    };
    for (arch, archive) in archives {
        let x = work.path().join(format!("x-{arch}"));
        std::fs::create_dir(&x).unwrap();
        assert!(
            Command::new("tar")
                .arg("xzf")
                .arg(&archive)
                .arg("-C")
                .arg(&x)
                .status()
                .unwrap()
                .success()
        );
        let wh = x.join("wheelhouse");
        let site = x.join("site");
        let mut pip = common::pip::pip_command(&python);
        pip.args(["install", "--no-index", "--find-links"])
            .arg(&wh)
            .arg("--target")
            .arg(&site)
            .args([
                "--python-version",
                "3.12",
                "--implementation",
                "cp",
                "--only-binary=:all:",
            ]);
        for p in Target::new(arch).platforms() {
            pip.args(["--platform", &p]);
        }
        let o = pip
            .arg("-r")
            .arg(wh.join("requirements.txt"))
            .arg("-c")
            .arg(wh.join("constraints.txt"))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "pip install for {arch} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        // Everything in the archive got installed, and nothing else was needed.
        let installed: BTreeSet<String> = std::fs::read_dir(&site)
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".dist-info")?;
                Some(stem.to_ascii_lowercase().replace('_', "-"))
            })
            .collect();
        let shipped: BTreeSet<String> = std::fs::read_dir(&wh)
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let w: nbwheel::wheel_name::WheelName = name.parse().ok()?;
                Some(format!("{}-{}", w.name, w.version))
            })
            .collect();
        assert_eq!(installed, shipped, "{arch}: installed vs shipped");
    }
}
