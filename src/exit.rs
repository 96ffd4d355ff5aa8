//! The documented exit codes, and the trait every stage's error implements to name its own.
//!
//! This module is a foundation: it imports nothing from the crate. Each stage (`requirements`,
//! `index`, `resolve`, `verify`, `pack`, `archive`, `netbox`) owns its error enum and decides its
//! exit code through [`HasExitCode`]; the top-level [`crate::Error`] of the commands only
//! forwards to it. The table is in `docs/ARCHITECTURE.md` and the README.

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: success.
    Success = 0,
    /// 1: the build cannot be done as asked (no solution, no compatible wheel).
    NoSolution = 1,
    /// 2: usage or input error (flags, requirements syntax, bad env var).
    Usage = 2,
    /// 3: network failure after retries (connect, DNS, 5xx, timeout, 401/407).
    Network = 3,
    /// 4: integrity or trust violation (hash mismatch, bad wheel, unsafe name, TLS failure).
    Integrity = 4,
    /// 5: local environment (disk full, permissions, cache lock timeout).
    Environment = 5,
    /// 130: interrupted.
    Interrupted = 130,
}

/// An error that knows which documented exit code it ends the process with.
pub trait HasExitCode {
    /// The exit code for this error.
    fn exit_code(&self) -> ExitCode;
}
