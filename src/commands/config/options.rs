//! The options a configuration file may set, as serde types, and their checks.

use std::path::{Path, PathBuf};

use crate::index::client::IndexStrategy;

/// A string or a list of strings (`arch = "all"` or `arch = ["x86_64", "aarch64"]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value (may itself be a comma list).
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn joined(&self) -> String {
        match self {
            OneOrMany::One(s) => s.clone(),
            OneOrMany::Many(v) => v.join(","),
        }
    }
}

/// The options a file may set; each is the flag of the same name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// `-r/--requirement`.
    pub requirement: Option<Vec<PathBuf>>,
    /// `-c/--constraint`.
    pub constraint: Option<Vec<PathBuf>>,
    /// `--index-url`.
    pub index_url: Option<String>,
    /// `--extra-index-url`.
    pub extra_index_url: Option<Vec<String>>,
    /// `--find-links`.
    pub find_links: Option<Vec<String>>,
    /// `--no-index`.
    pub no_index: Option<bool>,
    /// `--index-strategy`.
    pub index_strategy: Option<String>,
    /// `--private-prefix`.
    pub private_prefix: Option<Vec<String>>,
    /// `--private-index`.
    pub private_index: Option<Vec<String>>,
    /// `--max-wheel-size`: a number of bytes or a string with a K/M/G suffix.
    pub max_wheel_size: Option<ByteSizeValue>,
    /// `--max-request-time`.
    pub max_request_time: Option<u64>,
    /// `--pre`.
    pub pre: Option<bool>,
    /// `--arch`.
    pub arch: Option<OneOrMany>,
    /// `--manylinux`.
    pub manylinux: Option<String>,
    /// `--python`.
    pub python: Option<String>,
    /// `--platform`.
    pub platform: Option<Vec<String>>,
    /// `--allow-linux-tag`.
    pub allow_linux_tag: Option<bool>,
    /// `--cache-dir`.
    pub cache_dir: Option<PathBuf>,
    /// `--no-cache`.
    pub no_cache: Option<bool>,
    /// `--offline`.
    pub offline: Option<bool>,
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// `--timeout`.
    pub timeout: Option<u64>,
    /// `--retries`.
    pub retries: Option<u32>,
    /// `--cert`.
    pub cert: Option<PathBuf>,
    /// `--client-cert`.
    pub client_cert: Option<PathBuf>,
    /// `build --output`.
    pub output: Option<PathBuf>,
    /// `build --compression-level`.
    pub compression_level: Option<u32>,
    /// `build --allow-invalid-record`.
    pub allow_invalid_record: Option<Vec<String>>,
    /// `build`/`resolve --allow-sdist`.
    pub allow_sdist: Option<Vec<String>>,
    /// `--uploaded-prior-to`.
    pub uploaded_prior_to: Option<String>,
    /// `--require-hashes`.
    pub require_hashes: Option<bool>,
    /// `--strict`.
    pub strict: Option<bool>,
    /// `--netbox`.
    pub netbox: Option<String>,
    /// `--target-profile`.
    pub target_profile: Option<String>,
    /// `--ignore`: advisory ids, or `{ id = "…", until = "YYYY-MM-DD" }` tables.
    pub ignore: Option<Vec<IgnoreEntry>>,
    /// `--allow-license`.
    pub allow_license: Option<Vec<String>>,
}

/// One `ignore` entry: an advisory id, or a table with an expiry date and a reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum IgnoreEntry {
    /// `"GHSA-…"`.
    Id(String),
    /// `{ id = "GHSA-…", until = "2027-01-31", reason = "…" }`.
    Table {
        /// The advisory id or alias.
        id: String,
        /// The last day the entry applies.
        #[serde(default)]
        until: Option<String>,
        /// Why (for the reader of the file).
        #[serde(default)]
        reason: Option<String>,
    },
}

impl IgnoreEntry {
    /// The `--ignore` spelling: `ID` or `ID@YYYY-MM-DD`.
    pub fn as_flag(&self) -> String {
        match self {
            IgnoreEntry::Id(id)
            | IgnoreEntry::Table {
                id, until: None, ..
            } => id.clone(),
            IgnoreEntry::Table {
                id,
                until: Some(until),
                ..
            } => format!("{id}@{until}"),
        }
    }
}

/// A size in `nbwheel.toml`: a number of bytes or a string such as `"512M"`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum ByteSizeValue {
    /// Bytes.
    Bytes(u64),
    /// A string for [`crate::cli::parse_byte_size`].
    Text(String),
}

impl ByteSizeValue {
    pub(super) fn bytes(&self) -> Result<u64, String> {
        match self {
            ByteSizeValue::Bytes(0) => Err("a size must be above 0".to_string()),
            ByteSizeValue::Bytes(n) => Ok(*n),
            ByteSizeValue::Text(t) => crate::cli::parse_byte_size(t),
        }
    }
}

pub(super) fn parse_strategy(s: &str) -> Result<IndexStrategy, String> {
    <IndexStrategy as clap::ValueEnum>::from_str(s, false)
        .map_err(|_| format!("unknown value `{s}` (expected `first-index` or `unsafe-best-match`)"))
}

impl Options {
    /// Joins relative paths to `base`, the file's directory.
    pub(super) fn absolutize(&mut self, base: &Path) {
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for list in [&mut self.requirement, &mut self.constraint]
            .into_iter()
            .flatten()
        {
            list.iter_mut().for_each(join);
        }
        for p in [
            &mut self.cache_dir,
            &mut self.cert,
            &mut self.client_cert,
            &mut self.output,
        ]
        .into_iter()
        .flatten()
        {
            join(p);
        }
        for link in self.find_links.iter_mut().flatten() {
            let is_url = link.contains("://");
            if !is_url && Path::new(link.as_str()).is_relative() {
                *link = base.join(&*link).display().to_string();
            }
        }
    }
}
