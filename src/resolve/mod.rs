//! (stub)
use crate::error::ExitCode;
/// Stub.
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct ResolveError;
impl ResolveError {
    /// Stub.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::NoSolution
    }
    /// Stub.
    pub fn hint(&self) -> Option<String> {
        None
    }
}
