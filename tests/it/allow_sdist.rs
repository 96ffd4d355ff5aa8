//! `--allow-sdist`: a project published only as an sdist is built by a PEP 517 frontend (pip
//! here, with its build isolation on) and packed when the result is pure; a compiled result is
//! refused naming the project and the wheel; without the flag the error hints at it; a second
//! build takes the wheel from the cache.
//!
//! The sdists carry an in-tree backend (`backend-path`) with `requires = []`, so pip's isolated
//! build environment needs nothing from an index and the test stays offline. The backend
//! appends a line to `$SDIST_BUILD_LOG` each time it builds, to count frontend runs.

use std::path::Path;
use std::process::Output;

use crate::common::nbwheel;
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Scenario};

const BACKEND: &str = r#"import base64, hashlib, os, zipfile

NAME, VERSION, DEPS = "@NAME@", "1.0", ["b"]


def _line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    log = os.environ.get("SDIST_BUILD_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(NAME + " " + os.environ.get("SOURCE_DATE_EPOCH", "-") + "\n")
    tag = "@TAG@"
    dist = f"{NAME}-{VERSION}.dist-info"
    meta = "Metadata-Version: 2.1\nName: " + NAME + "\nVersion: " + VERSION + "\n"
    meta += "".join(f"Requires-Dist: {d}\n" for d in DEPS)
    files = [
        (f"{NAME}/__init__.py", b"X = 1\n"),
        (f"{dist}/METADATA", meta.encode()),
        (f"{dist}/WHEEL", ("Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: " + tag + "\n").encode()),
    ]
    record = [_line(p, d) for p, d in files] + [f"{dist}/RECORD,,"]
    files.append((f"{dist}/RECORD", ("\n".join(record) + "\n").encode()))
    name = f"{NAME}-{VERSION}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for p, d in files:
            z.writestr(zipfile.ZipInfo(p, date_time=(1980, 1, 1, 0, 0, 0)), d)
    return name
"#;

/// An sdist `NAME-1.0.tar.gz` whose backend builds a wheel tagged `tag`.
fn sdist(name: &str, tag: &str) -> Vec<u8> {
    let root = format!("{name}-1.0");
    let pyproject = format!(
        "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n\n[project]\nname = \"{name}\"\nversion = \"1.0\"\n"
    );
    let backend = BACKEND.replace("@NAME@", name).replace("@TAG@", tag);
    let pkg_info = format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n");
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, text) in [
        ("pyproject.toml", pyproject.as_str()),
        ("backend.py", backend.as_str()),
        ("PKG-INFO", pkg_info.as_str()),
    ] {
        let mut h = tar::Header::new_ustar();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, format!("{root}/{path}"), text.as_bytes())
            .unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

fn index_with_sdists() -> FakeIndex {
    let index = FakeIndex::start(Scenario::load("basic"));
    index.put_file(
        "puresrc",
        "1.0",
        "puresrc-1.0.tar.gz",
        sdist("puresrc", "py3-none-any"),
    );
    index.put_file(
        "fastsrc",
        "1.0",
        "fastsrc-1.0.tar.gz",
        sdist("fastsrc", "cp312-cp312-linux_x86_64"),
    );
    index
}

fn build(index: &FakeIndex, dir: &Path, python: &Path, reqs: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .env("NBWHEEL_BUILD_PYTHON", python)
        .env("SDIST_BUILD_LOG", dir.join("builds.log"))
        .args(["build", "-q", "--arch", "x86_64", "--build-frontend", "pip"])
        .args(["--index-url", &index.url(), "--retries", "0"])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

fn filtered(o: &Output, index: &FakeIndex, dir: &Path) -> String {
    format!(
        "exit {}\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr)
    )
    .replace(&index.url(), "http://[INDEX]/simple/")
    .replace(&index.base_url(), "http://[INDEX]")
    .replace(&dir.display().to_string(), "[TMP]")
}

/// Every member of a `.tar.gz` with its bytes.
fn members(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = std::collections::BTreeMap::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        out.insert(name, bytes);
    }
    out
}

fn builds(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("builds.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_pure_sdist_is_built_packed_locked_and_cached() {
    let python = require!(tools::pip());
    let index = index_with_sdists();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        &python,
        "a\npuresrc\n",
        &["--allow-sdist", "puresrc"],
    );
    assert!(o.status.success(), "{}", filtered(&o, &index, dir.path()));
    let log = builds(dir.path());
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].starts_with("puresrc "), "{log:?}");
    assert_ne!(log[0], "puresrc -", "SOURCE_DATE_EPOCH must be set");
    let listing = members(&dir.path().join("wheelhouse.tar.gz"))
        .into_keys()
        .collect::<Vec<_>>();
    assert!(
        listing
            .iter()
            .any(|n| n.ends_with("puresrc-1.0-py3-none-any.whl")),
        "{listing:?}"
    );
    // Its dependency came from the built wheel's metadata.
    assert!(listing.iter().any(|n| n.contains("/b-")), "{listing:?}");
    let lock = members(&dir.path().join("wheelhouse.tar.gz"))
        .into_iter()
        .find(|(n, _)| n.ends_with("pylock.toml"))
        .map(|(_, t)| String::from_utf8_lossy(&t).into_owned())
        .unwrap();
    let sdist_sha = index.sha256("puresrc-1.0.tar.gz");
    assert!(lock.contains("[packages.sdist]"), "{lock}");
    assert!(lock.contains("name = \"puresrc-1.0.tar.gz\""), "{lock}");
    assert!(lock.contains(&sdist_sha), "{lock}");
    assert!(lock.contains("puresrc-1.0-py3-none-any.whl"), "{lock}");
    // The archive passes `verify` (the lock's sdist table included).
    let v = nbwheel()
        .arg("verify")
        .arg(dir.path().join("wheelhouse.tar.gz"))
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));

    // Again: the wheel comes from the cache, the frontend does not run.
    std::fs::remove_file(dir.path().join("wheelhouse.tar.gz")).unwrap();
    let o = build(
        &index,
        dir.path(),
        &python,
        "a\npuresrc\n",
        &["--allow-sdist", ":all:"],
    );
    assert!(o.status.success(), "{}", filtered(&o, &index, dir.path()));
    assert_eq!(
        builds(dir.path()).len(),
        1,
        "the second build ran the frontend"
    );
}

#[test]
fn a_compiled_sdist_is_refused_naming_project_and_wheel() {
    let python = require!(tools::pip());
    let index = index_with_sdists();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        &python,
        "a\nfastsrc\n",
        &["--allow-sdist", "fastsrc"],
    );
    assert!(!dir.path().join("wheelhouse.tar.gz").exists());
    insta::assert_snapshot!(filtered(&o, &index, dir.path()));
}

#[test]
fn without_the_flag_the_error_hints_at_it() {
    // No frontend runs here: the resolver never offers an sdist without the flag.
    let index = index_with_sdists();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        Path::new("python3"),
        "a\npuresrc\n",
        &[],
    );
    assert!(builds(dir.path()).is_empty());
    insta::assert_snapshot!(filtered(&o, &index, dir.path()));
}

#[test]
fn an_invalid_allow_sdist_value_is_a_usage_error() {
    let index = index_with_sdists();
    let dir = tempfile::tempdir().unwrap();
    let o = build(
        &index,
        dir.path(),
        Path::new("python3"),
        "a\n",
        &["--allow-sdist", "not a name!"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        filtered(&o, &index, dir.path())
    );
}

#[test]
fn resolve_flags_the_pins_that_are_source_distributions() {
    // `resolve` builds nothing: it says which pins `build --allow-sdist` would build.
    let index = index_with_sdists();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "a\npuresrc\n").unwrap();
    let resolve = |format: &str| {
        nbwheel()
            .current_dir(dir.path())
            .args(["resolve", "--arch", "x86_64", "--allow-sdist", "puresrc"])
            .args(["--index-url", &index.url(), "--format", format])
            .arg("--cache-dir")
            .arg(dir.path().join("cache"))
            .output()
            .unwrap()
    };
    let o = resolve("json");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pins = report["targets"][0]["packages"].as_array().unwrap();
    let pin = |name: &str| pins.iter().find(|p| p["name"] == name).unwrap();
    assert_eq!(
        pin("puresrc")["built_from"],
        "puresrc-1.0.tar.gz",
        "{report}"
    );
    assert!(pin("a").get("built_from").is_none(), "{}", pin("a"));
    let o = resolve("text");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("puresrc==1.0")
            && l.ends_with("(built from the source distribution puresrc-1.0.tar.gz)")),
        "{text}"
    );
}
