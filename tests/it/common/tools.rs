//! External tools some tests need (pip, a `CPython` 3.12, the test-tools venv, util-linux
//! `script`), found in one place.
//!
//! A probe returns the tool or a [`Missing`] saying why and how to install it. Tests take a tool
//! with [`require!`]: when it is missing the test prints
//! `skipped: <why>; <how to install>` and returns, unless the environment variable `CI` is set
//! (non-empty), where it fails, so that CI cannot pass with a test that never ran. `.ci/run`
//! installs every tool listed here (`.ci/test-tools`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a tool is missing and how to get it.
#[derive(Debug, Clone)]
pub struct Missing {
    /// What is missing.
    pub why: String,
    /// How to install it.
    pub how: &'static str,
}

impl Missing {
    fn new(why: impl Into<String>, how: &'static str) -> Missing {
        Missing {
            why: why.into(),
            how,
        }
    }
}

/// Whether the environment variable `CI` is set (non-empty).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Reports a missing tool: panics under `CI`, else prints `<test>: skipped: …`.
///
/// The message goes straight to the process's stderr, past the test harness's capture, so that
/// `cargo test` shows it although the test counts as passed. The test is named by its thread
/// (the harness names each test's thread after it), else by `module`.
pub fn skip(module: &str, missing: &Missing) {
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or(module);
    assert!(
        !in_ci(),
        "{test}: {}; {} (CI is set: a test whose tool is missing fails instead of skipping)",
        missing.why,
        missing.how
    );
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: {}; {}",
        missing.why,
        missing.how
    );
}

/// Takes a tool from a probe (`Result<T, Missing>`), or reports it missing and returns from the
/// test: a skip locally, a failure when `CI` is set.
macro_rules! require {
    ($probe:expr) => {
        match $probe {
            Ok(tool) => tool,
            Err(missing) => {
                $crate::common::tools::skip(module_path!(), &missing);
                return;
            }
        }
    };
}
pub(crate) use require;

const HOW_PIP: &str = "install python3 with pip (e.g. `apt-get install python3-pip python3-venv`)";
const HOW_312: &str = "install CPython 3.12 under pyenv (`pyenv install 3.12`) or as `python3.12` on PATH; `bash .ci/test-tools` checks it";
const HOW_TOOLS: &str = "run `bash .ci/test-tools` (installs pypiserver and moto from PyPI)";
const HOW_SCRIPT: &str =
    "install util-linux (`apt-get install util-linux`), which provides `script`";

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `python3` (the stand-in `kubectl` is a Python script).
pub fn python3() -> Result<PathBuf, Missing> {
    if runs("python3", &["--version"]) {
        Ok(PathBuf::from("python3"))
    } else {
        Err(Missing::new("`python3` is not available", HOW_PIP))
    }
}

/// The machine's `python3`, when it has pip.
pub fn pip() -> Result<PathBuf, Missing> {
    super::pip::system_python().map_err(|why| Missing::new(why, HOW_PIP))
}

/// The Python of a venv of `CPython` 3.12 with its bundled pip.
pub fn python312() -> Result<PathBuf, Missing> {
    super::pip::python312().map_err(|why| Missing::new(why, HOW_312))
}

/// util-linux `script` (runs the binary on a pseudo-terminal).
pub fn script() -> Result<PathBuf, Missing> {
    if runs("script", &["--version"]) {
        Ok(PathBuf::from("script"))
    } else {
        Err(Missing::new(
            "util-linux `script` is not available to provide a terminal",
            HOW_SCRIPT,
        ))
    }
}

/// The `bin` folder of the venv `.ci/test-tools` fills (pypiserver, moto), when it holds
/// `program`: the tests never reach PyPI themselves.
pub fn test_tools(program: &str) -> Result<PathBuf, Missing> {
    let bin = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-tools-venv/bin");
    if bin.join("../.complete").is_file() && bin.join(program).is_file() {
        Ok(bin)
    } else {
        Err(Missing::new(
            format!("`{program}` is not installed in `{}`", bin.display()),
            HOW_TOOLS,
        ))
    }
}
