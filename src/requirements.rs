//! (stub)
/// Stub.
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct RequirementsError;
impl RequirementsError {
    /// Stub.
    pub fn hint(&self) -> Option<String> {
        None
    }
}
