//! (stub)
use std::path::Path;
use super::{DistFile, IndexError, Origin};
pub fn scan_dir(_d: &Path, _o: Origin) -> Result<Vec<DistFile>, IndexError> { unimplemented!() }
