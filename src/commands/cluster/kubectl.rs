//! Running the user's own `kubectl`: nbwheel never talks to the Kubernetes API itself, so the
//! user's context, auth plugins and proxies all apply unchanged.
//!
//! Input: argument lists (without `--context`, which [`Kubectl`] adds). Output: the command's
//! stdout, or a [`ClusterError`] naming the exact command line that failed. Commands that change
//! the cluster go through [`Kubectl::change`], which under `--dry-run` records them instead of
//! running them.

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use super::ClusterError;

/// What one `kubectl` run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The exit status (`None` when killed by a signal).
    pub status: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs a `kubectl` binary. A trait so unit tests can answer without a process; the integration
/// tests put a stand-in `kubectl` on `PATH` instead.
pub trait Runner: Send + Sync {
    /// Runs the program with `args` (already including `--context`).
    fn run(&self, args: &[String]) -> Result<RunOutput, ClusterError>;
    /// The program name, for messages.
    fn program(&self) -> String;
}

/// The real `kubectl` (or `$NBWHEEL_KUBECTL`).
#[derive(Debug, Clone)]
pub struct SystemRunner {
    program: OsString,
    /// The most bytes kept of stdout and of stderr (the rest is read and dropped).
    max_output: u64,
    /// How long one command may run before it is killed.
    timeout: Option<std::time::Duration>,
}

impl SystemRunner {
    /// `$NBWHEEL_KUBECTL` when set, else `kubectl` from `PATH`.
    pub fn from_env() -> Self {
        SystemRunner {
            program: std::env::var_os("NBWHEEL_KUBECTL")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "kubectl".into()),
            max_output: 256 << 20,
            timeout: None,
        }
    }

    /// The same, keeping at most `max_output` bytes of each stream and killing a command after
    /// `timeout` (for reading answers nbwheel does not control, e.g. pod logs).
    #[must_use]
    pub fn bounded(mut self, max_output: u64, timeout: std::time::Duration) -> Self {
        self.max_output = max_output;
        self.timeout = Some(timeout);
        self
    }
}

/// Reads at most `max` bytes of `stream` and drops the rest (so the child never blocks).
fn read_bounded(
    stream: Option<impl std::io::Read + Send + 'static>,
    max: u64,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        use std::io::Read as _;
        let mut out = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.by_ref().take(max).read_to_end(&mut out);
            let _ = std::io::copy(&mut s, &mut std::io::sink());
        }
        out
    })
}

impl Runner for SystemRunner {
    fn run(&self, args: &[String]) -> Result<RunOutput, ClusterError> {
        let mut child = Command::new(&self.program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| {
                if source.kind() == std::io::ErrorKind::NotFound {
                    ClusterError::KubectlNotFound {
                        program: self.program(),
                    }
                } else {
                    ClusterError::Spawn {
                        command: render_command(&self.program(), args),
                        source,
                    }
                }
            })?;
        let _ = child.stdin.take().map(|mut s| s.flush());
        let stdout = read_bounded(child.stdout.take(), self.max_output);
        let stderr = read_bounded(child.stderr.take(), self.max_output);
        let started = std::time::Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(source) => {
                    return Err(ClusterError::Spawn {
                        command: render_command(&self.program(), args),
                        source,
                    });
                }
            }
            if self.timeout.is_some_and(|t| started.elapsed() > t) {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ClusterError::Timeout {
                    command: render_command(&self.program(), args),
                    stderr: format!(
                        "no answer within {} s",
                        self.timeout.map_or(0, |t| t.as_secs())
                    ),
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let stdout = stdout.join().unwrap_or_default();
        let stderr = stderr.join().unwrap_or_default();
        Ok(RunOutput {
            status: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    fn program(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }
}

/// `kubectl` with the user's context, and the dry-run plan.
pub struct Kubectl {
    runner: Box<dyn Runner>,
    context: Option<String>,
    dry_run: bool,
    log: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Kubectl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kubectl")
            .field("program", &self.runner.program())
            .field("context", &self.context)
            .field("dry_run", &self.dry_run)
            .finish_non_exhaustive()
    }
}

impl Kubectl {
    /// A `kubectl` for `context` (the current context when `None`).
    pub fn new(runner: Box<dyn Runner>, context: Option<String>, dry_run: bool) -> Self {
        Kubectl {
            runner,
            context,
            dry_run,
            log: Mutex::new(Vec::new()),
        }
    }

    /// The system `kubectl` for `context`.
    pub fn system(context: Option<String>, dry_run: bool) -> Self {
        Self::new(Box::new(SystemRunner::from_env()), context, dry_run)
    }

    /// Whether changes are only recorded.
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    fn full_args(&self, args: &[String]) -> Vec<String> {
        let mut full = Vec::with_capacity(args.len() + 2);
        if let Some(c) = &self.context {
            full.push("--context".to_string());
            full.push(c.clone());
        }
        full.extend(args.iter().cloned());
        full
    }

    /// The command line as a shell would take it, for messages and the dry-run plan.
    pub fn render(&self, args: &[String]) -> String {
        render_command(&self.runner.program(), &self.full_args(args))
    }

    /// Every command run (or, under `--dry-run`, planned) so far, in order.
    pub fn commands(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn record(&self, line: String) {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }

    /// Runs a command that only reads; returns stdout, or the failure naming the command.
    pub fn read(&self, args: &[String]) -> Result<String, ClusterError> {
        let out = self.raw(args)?;
        if out.status == Some(0) {
            Ok(out.stdout)
        } else {
            Err(self.failure(args, &out))
        }
    }

    /// Runs a command and returns its raw output whatever the status (for `test -f`).
    pub fn raw(&self, args: &[String]) -> Result<RunOutput, ClusterError> {
        let line = self.render(args);
        tracing::debug!(command = %line, "running kubectl");
        self.record(line);
        self.runner.run(&self.full_args(args))
    }

    /// Runs a command that changes the cluster; under `--dry-run` it is only recorded.
    pub fn change(&self, args: &[String]) -> Result<String, ClusterError> {
        if self.dry_run {
            self.record(self.render(args));
            return Ok(String::new());
        }
        self.read(args)
    }

    /// The error for a failed run: no access, or a plain failure.
    pub fn failure(&self, args: &[String], out: &RunOutput) -> ClusterError {
        let command = self.render(args);
        let stderr = out.stderr.trim().to_string();
        let lower = stderr.to_ascii_lowercase();
        let no_access = [
            "unable to connect to the server",
            "couldn't get current server api group",
            "the server has asked for the client to provide credentials",
            "no configuration has been provided",
            "context was not found",
            "does not exist",
            "connection refused",
            "i/o timeout",
        ]
        .iter()
        .any(|m| lower.contains(m))
            && !lower.contains("command terminated with exit code");
        if lower.contains("timed out waiting") {
            ClusterError::Timeout { command, stderr }
        } else if no_access {
            ClusterError::NoAccess { command, stderr }
        } else {
            ClusterError::CommandFailed {
                command,
                status: out.status,
                stderr,
            }
        }
    }
}

/// Quotes `args` for a POSIX shell where needed.
pub fn render_command(program: &str, args: &[String]) -> String {
    let mut out = shell_quote(program);
    for a in args {
        out.push(' ');
        out.push_str(&shell_quote(a));
    }
    out
}

/// One word quoted for a POSIX shell (single quotes unless only safe characters).
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@')
        });
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Canned(Vec<(String, RunOutput)>);

    impl Runner for Canned {
        fn run(&self, args: &[String]) -> Result<RunOutput, ClusterError> {
            let line = args.join(" ");
            Ok(self
                .0
                .iter()
                .find(|(m, _)| line.contains(m.as_str()))
                .map_or_else(
                    || RunOutput {
                        status: Some(0),
                        stdout: String::new(),
                        stderr: String::new(),
                    },
                    |(_, o)| o.clone(),
                ))
        }
        fn program(&self) -> String {
            "kubectl".into()
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn context_is_passed_and_failures_are_classified() {
        let k = Kubectl::new(
            Box::new(Canned(vec![
                (
                    "get pods".into(),
                    RunOutput {
                        status: Some(1),
                        stdout: String::new(),
                        stderr: "Unable to connect to the server: dial tcp 10.0.0.1:6443".into(),
                    },
                ),
                (
                    "wait".into(),
                    RunOutput {
                        status: Some(1),
                        stdout: String::new(),
                        stderr: "error: timed out waiting for the condition on pods/x".into(),
                    },
                ),
            ])),
            Some("prod east".into()),
            false,
        );
        let e = k.read(&s(&["get", "pods", "-A"])).unwrap_err();
        assert!(matches!(e, ClusterError::NoAccess { .. }), "{e:?}");
        assert!(
            e.to_string()
                .contains("kubectl --context 'prod east' get pods -A")
        );
        let e = k.read(&s(&["wait", "pod"])).unwrap_err();
        assert!(matches!(e, ClusterError::Timeout { .. }), "{e:?}");
    }

    #[test]
    fn dry_run_records_changes_only() {
        let k = Kubectl::new(Box::new(Canned(Vec::new())), None, true);
        k.read(&s(&["get", "nodes"])).unwrap();
        k.change(&s(&["patch", "x", "-p", "{\"a\": 1}"])).unwrap();
        assert_eq!(
            k.commands(),
            vec![
                "kubectl get nodes".to_string(),
                "kubectl patch x -p '{\"a\": 1}'".to_string()
            ]
        );
    }
}
