//! (stub)
use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::{ExtraName, PackageName};
/// Stub.
#[derive(Debug, Clone)]
pub struct CoreMetadata { pub name: PackageName, pub version: Version, pub requires_dist: Vec<pep508_rs::Requirement>, pub requires_python: Option<VersionSpecifiers>, pub provides_extra: Vec<ExtraName> }
