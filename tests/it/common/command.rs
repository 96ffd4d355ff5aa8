//! The one way tests run the binary: [`nbwheel`], with a clean environment; and two ways to
//! adjust it: with the caller's network settings ([`host_network`], for the opt-in real-`PyPI`
//! tests) or through `sh` ([`through_sh`], for a umask or a resource limit).

use std::process::Command;

/// Variables of the caller's environment that [`nbwheel`] removes besides every `NBWHEEL_*`,
/// `PIP_*` and `AWS_*` one: build dates, logging, TLS roots and proxies.
const CLEARED: &[&str] = &[
    "SOURCE_DATE_EPOCH",
    "RUST_LOG",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The built `nbwheel` binary with a clean, hermetic environment: every `NBWHEEL_*`, `PIP_*`
/// and `AWS_*` variable of the caller removed (one list to keep current, not one per test
/// file), no `SOURCE_DATE_EPOCH` or `RUST_LOG`, no TLS roots or proxies from the caller, no
/// home netrc (`NETRC` points nowhere), the default cache under the target directory instead of
/// the user's (`XDG_CACHE_HOME`), no colour. A test that needs a variable sets it on the
/// returned command.
pub fn nbwheel() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nbwheel"));
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if ["NBWHEEL_", "PIP_", "AWS_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            cmd.env_remove(&key);
        }
    }
    for var in CLEARED {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .env("NETRC", "/nonexistent/netrc")
        .env(
            "XDG_CACHE_HOME",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache"),
        );
    cmd
}

/// Variables [`host_network`] passes on from the caller for the opt-in real-`PyPI` tests.
const NETWORK: &[&str] = &[
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Passes the caller's TLS roots and proxies on to `cmd` (for the opt-in tests that reach the
/// real `PyPI` through the network's proxy).
pub fn host_network(cmd: &mut Command) -> &mut Command {
    for var in NETWORK {
        if let Some(value) = std::env::var_os(var) {
            cmd.env(var, value);
        }
    }
    cmd
}

/// Runs `cmd` through `sh -c SCRIPT PROGRAM ARGS…`, with the same environment and folder, so
/// that the script (e.g. `umask 077; exec "$0" "$@"`) runs the program as `"$0"`.
pub fn through_sh(cmd: &Command, script: &str) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(script)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        sh.current_dir(dir);
    }
    sh
}

/// `nbwheel build -vv --format json` of `reqs` (written to `dir/requirements.txt`) against the
/// index at `index_url`, cache `dir/cache`, no retries, with `extra` arguments: the debug log
/// on stderr, the report on stdout.
pub fn build_logged(
    index_url: &str,
    dir: &std::path::Path,
    reqs: &str,
    extra: &[&str],
) -> std::process::Output {
    std::fs::write(dir.join("requirements.txt"), reqs).unwrap();
    nbwheel()
        .current_dir(dir)
        .args(["build", "-vv", "--index-url", index_url, "--retries", "0"])
        .args(["-r", "requirements.txt", "--format", "json"])
        .args(["--cache-dir", "cache"])
        .args(extra)
        .output()
        .unwrap()
}
