//! (stub)
use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::{ExtraName, PackageName};
/// Stub.
#[derive(Debug, Clone)]
pub struct CoreMetadata { pub name: PackageName, pub version: Version, pub requires_dist: Vec<pep508_rs::Requirement>, pub requires_python: Option<VersionSpecifiers>, pub provides_extra: Vec<ExtraName> }
pub fn parse_metadata(_b: &[u8], _f: &str) -> Result<CoreMetadata, super::IndexError> { unimplemented!() }
pub fn read_metadata_from_wheel(_p: &std::path::Path, _w: &crate::wheel_name::WheelName) -> Result<Vec<u8>, super::IndexError> { unimplemented!() }
pub fn check_matches(_m: &CoreMetadata, _w: &crate::wheel_name::WheelName) -> Result<(), super::IndexError> { unimplemented!() }
