//! (stub)
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct WheelError;
#[derive(Debug, Default)]
pub struct WheelCheck { pub allow_invalid_record: bool }
pub struct ValidatedWheel;
pub fn validate_wheel(_p: &std::path::Path, _w: &crate::wheel_name::WheelName, _o: &WheelCheck) -> Result<ValidatedWheel, WheelError> { unimplemented!() }
