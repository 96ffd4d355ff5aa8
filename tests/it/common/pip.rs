//! Running pip as a test oracle, hermetically.
//!
//! Input: a Python interpreter and pip arguments. Output: the finished [`std::process::Output`]
//! of `python -m pip …`, run with every `PIP_*` variable removed, no config file, no cache and
//! no version check, so the host's pip setup cannot leak in. [`python312`] finds a `CPython` 3.12
//! under `~/.pyenv` (else `python3.12` on `PATH`) and keeps a venv with its bundled pip under `<target dir>/pip-venv-3.12-bundled`
//! (no network; `NBWHEEL_TEST_UPGRADE_PIP=1` upgrades pip from PyPI into `…-upgraded`)
//! (pip evaluates markers on its own interpreter, so the differential tests need a 3.12 one).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A `Command` for `python -m pip` with a clean pip environment.
pub fn pip_command(python: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.arg("-m").arg("pip");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PIP_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("PIP_NO_CACHE_DIR", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_NO_INPUT", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONPATH")
        .env_remove("VIRTUAL_ENV");
    cmd
}

/// Runs `python -m pip <args>` and returns its output.
pub fn run_pip(python: &Path, args: &[String]) -> Output {
    pip_command(python)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{} -m pip`: {e}", python.display()))
}

/// The machine's `python3`, when it has pip.
pub fn system_python() -> Result<PathBuf, String> {
    let python = PathBuf::from("python3");
    let ok = pip_command(&python)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Ok(python)
    } else {
        Err("`python3 -m pip` is not available".into())
    }
}

/// The Python of the 3.12 venv (created once per target dir), or why there is none.
pub fn python312() -> Result<PathBuf, String> {
    static CELL: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    CELL.get_or_init(make_venv).clone()
}

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf()
}

fn upgrade_pip() -> bool {
    std::env::var_os("NBWHEEL_TEST_UPGRADE_PIP").is_some_and(|v| v == "1")
}

/// `python3.12` on `PATH`, when it runs and has the `venv` module.
fn python312_on_path() -> Option<PathBuf> {
    let ok = Command::new("python3.12")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("python3.12"))
}

fn make_venv() -> Result<PathBuf, String> {
    let venv = target_dir().join(if upgrade_pip() {
        "pip-venv-3.12-upgraded"
    } else {
        "pip-venv-3.12-bundled"
    });
    let python = venv.join("bin/python");
    if venv.join(".ready").exists() {
        return Ok(python);
    }
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    let mut bases: Vec<PathBuf> = std::fs::read_dir(Path::new(&home).join(".pyenv/versions"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("3.12"))
        })
        .map(|p| p.join("bin/python3"))
        .filter(|p| p.exists())
        .collect();
    bases.sort();
    let base = match bases.pop() {
        Some(base) => base,
        None => python312_on_path().ok_or(
            "no CPython 3.12 under ~/.pyenv/versions/3.12*/bin/python3 or as `python3.12`",
        )?,
    };
    // Build in a private folder, then rename, so concurrent test binaries never see half a venv.
    let tmp = target_dir().join(format!("pip-venv-3.12.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let status = Command::new(&base)
        .args(["-m", "venv"])
        .arg(&tmp)
        .status()
        .map_err(|e| format!("cannot run `{} -m venv`: {e}", base.display()))?;
    if !status.success() {
        return Err(format!("`{} -m venv` failed", base.display()));
    }
    // The venv's own pip comes from the interpreter's bundled wheel (ensurepip): no network.
    // `NBWHEEL_TEST_UPGRADE_PIP=1` upgrades it from PyPI (opt-in, outside the hermetic suite).
    if upgrade_pip() {
        let tmp_python = tmp.join("bin/python");
        let out = pip_command(&tmp_python)
            .args(["install", "--quiet", "-U", "pip"])
            .output()
            .map_err(|e| format!("cannot upgrade pip: {e}"))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(format!(
                "upgrading pip in the 3.12 venv failed (needs PyPI): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    std::fs::write(tmp.join(".ready"), b"").map_err(|e| e.to_string())?;
    if std::fs::rename(&tmp, &venv).is_err() {
        // Another process won the race; use its venv.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    if venv.join(".ready").exists() {
        Ok(python)
    } else {
        Err("the 3.12 venv could not be put in place".into())
    }
}
