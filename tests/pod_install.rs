//! The acceptance test of the whole product (docs/GUARANTEES.md row 32): build an archive, stop the
//! index, extract the archive, and let pip install it offline exactly as the `NetBox` pod does:
//! `pip install --no-index --find-links wheelhouse --target DIR --platform … --python-version
//! 3.12 --implementation cp --only-binary=:all: -r requirements.txt -c constraints.txt`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{FakeIndex, Scenario};
use nbwheel::target::{Arch, Target};

fn pip_python() -> Option<std::path::PathBuf> {
    match common::pip::python312() {
        Ok(p) => Some(p),
        Err(why) => {
            eprintln!("no CPython 3.12 venv ({why}); using the machine's python3");
            common::pip::system_python().ok()
        }
    }
}

fn build(index: &FakeIndex, scenario: &Scenario, work: &Path, arch: &str) -> std::path::PathBuf {
    let (reqs, cons) = scenario.write_inputs(work);
    let out = work.join(format!("wheelhouse-{arch}.tar.gz"));
    let o = Command::new(env!("CARGO_BIN_EXE_nbwheel"))
        .env_remove("NBWHEEL_INDEX_URL")
        .env_remove("NBWHEEL_CACHE_DIR")
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
    let Some(python) = pip_python() else {
        eprintln!("skipped: no python3 with pip");
        return;
    };
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
