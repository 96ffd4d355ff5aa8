//! (stub)
use std::collections::HashMap;
use pep508_rs::PackageName;
use url::Url;
use super::{DistFile, IndexError, Origin, ProjectPage};
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";
pub enum PageFormat { Json, Html }
pub fn format_from_content_type(_ct: Option<&str>) -> PageFormat { unimplemented!() }
pub fn parse_json(_b: &[u8], _u: &Url, _p: &PackageName, _o: Origin) -> Result<ProjectPage, IndexError> { unimplemented!() }
pub fn parse_html(_b: &[u8], _u: &Url, _p: Option<&PackageName>, _o: Origin) -> Result<ProjectPage, IndexError> { unimplemented!() }
pub fn group_by_project(_f: Vec<DistFile>) -> HashMap<PackageName, Vec<DistFile>> { unimplemented!() }
