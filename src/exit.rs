//! The documented exit codes.
//!
//! This module is a foundation: it imports nothing from the crate. Each stage (`index`,
//! `resolve`, `pack`, `archive`, `netbox`) and each command that can fail in its own way owns its
//! error enum and decides that error's exit code in an inherent `exit_code()` method; the
//! top-level [`crate::Error`] of the commands calls it for the error it wraps (a stage whose
//! errors all end the same way, as `requirements` (2) and `verify` (4), gets its code there
//! directly). The table is in `docs/ARCHITECTURE.md` and the README.

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
