//! Opt-in tests against the real PyPI with real NetBox plugins: `NBWHEEL_REAL_PYPI=1 cargo test
//! --locked --test it real_pypi`. Skipped (with a message) otherwise; never run by `.ci/run`.
//!
//! The plugin set is `fixtures/example/requirements.txt` (ten NetBox 4.6 plugins). Against the
//! NetBox 4.6.6 image's constraints it builds for both architectures at glibc 2.28 and fails at
//! 2.17 naming Pillow 12.3.0 (`manylinux_2_28` wheels only) with the `--manylinux` hint; against
//! NetBox 4.5.10's constraints (Pillow 12.2.0) it builds at 2.17 too. Every archive passes
//! `verify`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

fn enabled() -> bool {
    if std::env::var_os("NBWHEEL_REAL_PYPI").is_some_and(|v| v == "1") {
        true
    } else {
        eprintln!("skipped: set NBWHEEL_REAL_PYPI=1 to run the tests against the real PyPI");
        false
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(cache: &Path, out: &Path, constraints: &Path, extra: &[&str]) -> Output {
    common::host_network(&mut common::nbwheel())
        .args(["build", "-q", "-r"])
        .arg(root().join("fixtures/example/requirements.txt"))
        .arg("-c")
        .arg(constraints)
        .arg("--cache-dir")
        .arg(cache)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn verify(archive: &Path, extra: &[&str]) {
    let o = common::nbwheel()
        .arg("verify")
        .arg(archive)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "verify {}: {}",
        archive.display(),
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn netbox_4_6_plugins_for_both_architectures() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cons = root().join("fixtures/example/constraints.txt");
    let out = dir.path().join("wh.tar.gz");
    // Every plugin of the example declares support for NetBox 4.6.6: the gate passes.
    let o = build(
        &dir.path().join("cache"),
        &out,
        &cons,
        &["--arch", "all", "--netbox", "4.6.6"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for arch in ["x86_64", "aarch64"] {
        let archive = dir.path().join(format!("wh-{arch}.tar.gz"));
        verify(&archive, &["--arch", arch]);
    }
    // The vendor's manylinux_2_17 cannot work with NetBox 4.6.6's Pillow.
    let o = build(
        &dir.path().join("cache"),
        &dir.path().join("old.tar.gz"),
        &cons,
        &["--manylinux", "2_17"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`pillow` 12.3.0") && err.contains("--manylinux 2_2"),
        "{err}"
    );
}

#[test]
fn netbox_4_5_plugins_at_the_vendors_glibc_floor() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cons = root().join("fixtures/example/constraints-4.5.10.txt");
    for arch in ["x86_64", "aarch64"] {
        let out = dir.path().join(format!("wh-{arch}.tar.gz"));
        let o = build(
            &dir.path().join("cache"),
            &out,
            &cons,
            &["--arch", arch, "--manylinux", "2_17"],
        );
        assert!(
            o.status.success(),
            "{arch}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        verify(&out, &["--arch", arch, "--manylinux", "2_17"]);
    }
}

/// `netbox-napalm-plugin`'s tree has sdist-only pure-Python dependencies: with
/// `--allow-sdist :all:` it builds for both architectures (the machine's frontend builds them,
/// fetching build requirements from PyPI) and every archive passes `verify`.
#[test]
fn netbox_napalm_plugin_with_allow_sdist() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "netbox-napalm-plugin\n",
    )
    .unwrap();
    let out = dir.path().join("wh.tar.gz");
    let o = common::host_network(&mut common::nbwheel())
        .current_dir(dir.path())
        .args(["build", "-q", "--arch", "all", "--allow-sdist", ":all:"])
        .arg("-c")
        .arg(root().join("fixtures/example/constraints.txt"))
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for arch in ["x86_64", "aarch64"] {
        verify(
            &dir.path().join(format!("wh-{arch}.tar.gz")),
            &["--arch", arch],
        );
    }
}
