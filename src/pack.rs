//! (stub)
use crate::error::ExitCode;
/// Stub.
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct PackError;
impl PackError {
    /// Stub.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::Environment
    }
}
