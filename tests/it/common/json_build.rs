//! `nbwheel build --format json` in a work folder, and the pins of its report: the common step of
//! the lock, cutoff and page-cache tests.

use std::path::Path;
use std::process::Output;

use super::{FakeIndex, nbwheel};

/// stdout and stderr of `o`, for failure messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `build -q --format json` against `index` in `dir` (with its own cache), from `reqs` and
/// `cons` written there, `extra` arguments appended.
pub fn build(index: &FakeIndex, dir: &Path, reqs: &str, cons: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    std::fs::write(dir.join("constraints.txt"), cons).unwrap();
    nbwheel()
        .current_dir(dir)
        .args([
            "build",
            "-q",
            "--index-url",
            &index.url(),
            "--retries",
            "0",
            "--format",
            "json",
        ])
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap()
}

/// `name==version` of every wheel of the report's first archive.
pub fn pins(o: &Output) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(o)));
    v["archives"][0]["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{}=={}",
                w["name"].as_str().unwrap(),
                w["version"].as_str().unwrap()
            )
        })
        .collect()
}
