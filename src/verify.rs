//! (stub)
/// Stub.
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct WheelError;
