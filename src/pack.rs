//! (stub)
use std::path::{Path, PathBuf};
use crate::error::ExitCode;
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct PackError;
impl PackError { pub fn exit_code(&self) -> ExitCode { ExitCode::Environment } }
pub struct PackInput { pub wheels: Vec<(String, PathBuf)>, pub files: Vec<(String, Vec<u8>)> }
pub struct PackOptions { pub mtime: u64, pub level: u32 }
impl PackOptions { pub fn from_env() -> Result<Self, PackError> { unimplemented!() } }
pub struct ArchiveInfo { pub path: PathBuf, pub sha256: String, pub size: u64, pub entries: usize }
pub fn pack(_o: &Path, _i: &PackInput, _p: &PackOptions) -> Result<ArchiveInfo, PackError> { unimplemented!() }
