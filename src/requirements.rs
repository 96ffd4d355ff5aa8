//! (stub, replaced by the real parser)
use std::path::PathBuf;
use pep508_rs::{ExtraName, MarkerTree, PackageName};
use crate::wheel_name::WheelName;
/// Stub.
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct RequirementsError;
impl RequirementsError {
    /// Stub.
    pub fn hint(&self) -> Option<String> { None }
}
/// Stub.
#[derive(Debug, Clone)]
pub struct Location { pub path: PathBuf, pub line: usize }
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{}:{}", self.path.display(), self.line) }
}
/// Stub.
#[derive(Debug, Clone)]
pub enum EntryKind {
    Named(pep508_rs::Requirement<pep508_rs::VerbatimUrl>),
    DirectWheel { name: PackageName, wheel: WheelName, url: url::Url, extras: Vec<ExtraName>, marker: MarkerTree },
}
/// Stub.
#[derive(Debug, Clone)]
pub struct Entry { pub kind: EntryKind, pub hashes: Vec<String>, pub location: Location }
impl Entry {
    pub fn name(&self) -> &PackageName { match &self.kind { EntryKind::Named(r) => &r.name, EntryKind::DirectWheel { name, .. } => name } }
    pub fn marker(&self) -> &MarkerTree { match &self.kind { EntryKind::Named(r) => &r.marker, EntryKind::DirectWheel { marker, .. } => marker } }
    pub fn extras(&self) -> &[ExtraName] { match &self.kind { EntryKind::Named(r) => &r.extras, EntryKind::DirectWheel { extras, .. } => extras } }
}
/// Stub.
#[derive(Debug, Clone, Default)]
pub struct RequirementsSet {
    pub requirements: Vec<Entry>, pub constraints: Vec<Entry>,
    pub index_url: Option<(String, Location)>, pub extra_index_urls: Vec<(String, Location)>,
    pub find_links: Vec<(String, Location)>,
    pub no_index: bool, pub pre: bool, pub require_hashes: bool,
    pub only_binary: Vec<String>, pub no_binary: Vec<String>, pub trusted_hosts: Vec<String>,
    pub files_read: Vec<PathBuf>,
}
impl RequirementsSet { pub fn render_requirements(&self) -> String { unimplemented!() } pub fn render_constraints(&self) -> String { unimplemented!() } }
pub fn parse(_r: &[PathBuf], _c: &[PathBuf], _env: &dyn Fn(&str) -> Option<String>) -> Result<RequirementsSet, RequirementsError> { unimplemented!() }
