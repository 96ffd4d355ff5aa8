//! pip-format requirements and constraints files.
//!
//! Input: the paths given with `-r` and `-c` (or a string, for tests and stdin) and a way to read
//! environment variables. Output: a [`RequirementsSet`]: the requirements and constraints in file
//! order, each with its hashes and `file:line`, and the file-wide options (indexes, find-links,
//! `--pre`, `--require-hashes`, …). [`RequirementsSet::render_requirements`] and
//! [`RequirementsSet::render_constraints`] write the files that go into the archive.
//!
//! Grammar (pip's; the submodules `lines`, `options` and `spec` give the details):
//!
//! ```text
//! file        = line*                     UTF-8 (BOM allowed) or UTF-16 with BOM; LF, CRLF or CR
//! line        = requirement [ "--hash" ["="] alg ":" hex ]*  |  option+  |  comment  |  blank
//! option      = -r/--requirement FILE | -c/--constraint FILE | -i/--index-url URL
//!             | --extra-index-url URL | -f/--find-links URL-OR-PATH | --no-index | --pre
//!             | --only-binary NAMES | --no-binary NAMES | --prefer-binary | --require-hashes
//!             | --trusted-host HOST | --use-feature NAME (ignored)
//! requirement = pep508 | name "@" wheel-url | wheel-url | wheel-path  (see `spec`)
//! ```
//!
//! `-r`/`-c` paths are relative to the including file; `-r` inside a constraints file includes
//! requirements, as in pip. Refused with exit 2, naming `file:line`: `-e`, VCS URLs, sdists,
//! directories, unknown options, hash algorithms other than sha256/384/512, extras on a
//! constraint, include cycles. When `--require-hashes` is given or any requirement has a
//! `--hash`, every requirement must be pinned with `==` (or be a wheel file) and have a hash.

mod bounds;
mod error;
mod lines;
mod options;
mod parser;
mod spec;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use pep508_rs::{ExtraName, MarkerTree, PackageName, Requirement, VersionOrUrl};
use url::Url;

pub use bounds::{MAX_NESTING, MAX_PEP508_BYTES, check_pep508, nesting_depth, parse_pep508};
pub use error::RequirementsError;

use crate::wheel_name::WheelName;

/// Which kind of file is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A requirements file (`-r`): what to install.
    Requirements,
    /// A constraints file (`-c`): versions allowed, never a reason to install.
    Constraints,
}

/// Where a logical line starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, as given or as joined to the including file's folder.
    pub path: PathBuf,
    /// The 1-based number of the line where the logical line starts.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

/// What a line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A PEP 508 requirement by name (never with a URL: those become [`EntryKind::DirectWheel`]).
    Named(Requirement<Url>),
    /// A wheel file named by URL or path.
    DirectWheel {
        /// The project, from the wheel file name.
        name: PackageName,
        /// The wheel file name.
        wheel: WheelName,
        /// Absolute URL; `file://` for paths.
        url: Url,
        /// Extras asked for.
        extras: Vec<ExtraName>,
        /// The environment marker.
        marker: MarkerTree,
    },
}

/// One requirement or constraint line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it asks for.
    pub kind: EntryKind,
    /// `--hash` values (and a URL fragment hash), as `sha256:<lowercase hex>`.
    pub hashes: Vec<String>,
    /// Where it was written.
    pub location: Location,
    /// Whether its line held a `${VAR}` (whose value must not be written anywhere).
    pub expanded: bool,
}

impl Entry {
    /// The normalised project name.
    pub fn name(&self) -> &PackageName {
        match &self.kind {
            EntryKind::Named(requirement) => &requirement.name,
            EntryKind::DirectWheel { name, .. } => name,
        }
    }

    /// The environment marker (`true` when there is none).
    pub fn marker(&self) -> &MarkerTree {
        match &self.kind {
            EntryKind::Named(requirement) => &requirement.marker,
            EntryKind::DirectWheel { marker, .. } => marker,
        }
    }

    /// The extras asked for.
    pub fn extras(&self) -> &[ExtraName] {
        match &self.kind {
            EntryKind::Named(requirement) => &requirement.extras,
            EntryKind::DirectWheel { extras, .. } => extras,
        }
    }

    /// True when the entry names exactly one version (`==` without `*`, `===`, or a wheel file).
    pub fn is_pinned(&self) -> bool {
        match &self.kind {
            EntryKind::DirectWheel { .. } => true,
            EntryKind::Named(requirement) => match &requirement.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
                    let mut iter = specifiers.iter();
                    match (iter.next(), iter.next()) {
                        (Some(only), None) => matches!(
                            only.operator(),
                            pep440_rs::Operator::Equal | pep440_rs::Operator::ExactEqual
                        ),
                        _ => false,
                    }
                }
                _ => false,
            },
        }
    }

    /// The normalised PEP 508 form written into the archive: no URL, no hashes; a wheel file as
    /// `name[extras]==version ; marker`.
    pub fn render(&self) -> String {
        match &self.kind {
            EntryKind::Named(requirement) => requirement.to_string(),
            EntryKind::DirectWheel {
                name,
                wheel,
                extras,
                marker,
                ..
            } => {
                let mut out = name.to_string();
                if !extras.is_empty() {
                    let extras: Vec<String> = extras.iter().map(ToString::to_string).collect();
                    let _ = write!(out, "[{}]", extras.join(","));
                }
                let _ = write!(out, "=={}", wheel.version);
                if let Some(contents) = marker.contents() {
                    let _ = write!(out, " ; {contents}");
                }
                out
            }
        }
    }
}

/// Everything read from the requirements and constraints files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequirementsSet {
    /// Requirement lines, includes inlined, in order; duplicates kept.
    pub requirements: Vec<Entry>,
    /// Constraint lines, in order.
    pub constraints: Vec<Entry>,
    /// `-i`/`--index-url` (the last one wins).
    pub index_url: Option<(String, Location)>,
    /// `--extra-index-url`, in order.
    pub extra_index_urls: Vec<(String, Location)>,
    /// `-f`/`--find-links`: URL strings, or paths made absolute against the including file's
    /// folder.
    pub find_links: Vec<(String, Location)>,
    /// `--no-index`.
    pub no_index: bool,
    /// `--pre`.
    pub pre: bool,
    /// `--prefer-binary`.
    pub prefer_binary: bool,
    /// `--require-hashes`.
    pub require_hashes: bool,
    /// `--only-binary` values, split at commas (`:all:`, `:none:` or names).
    pub only_binary: Vec<String>,
    /// `--no-binary` values, split at commas; recorded only, since sdists are never built.
    pub no_binary: Vec<String>,
    /// `--trusted-host` values.
    pub trusted_hosts: Vec<String>,
    /// Every file read from disk, once each, in the order first read.
    pub files_read: Vec<PathBuf>,
}

/// The most nbwheel reads from one requirements or constraints file (16 MiB): a requirements
/// file is a small text file, and `-r /dev/zero` must end.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The most nbwheel reads from all requirement files of one run together (64 MiB), includes
/// counted each time they are read.
pub const MAX_TOTAL_BYTES: u64 = 64 << 20;

/// Reads at most `limit` bytes of `path`: `Ok(None)` when the file holds more.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Parses the root requirement files (`-r`) and constraint files (`-c`) given on the command line.
pub fn parse(
    requirements: &[PathBuf],
    constraints: &[PathBuf],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<RequirementsSet, RequirementsError> {
    let mut parser = parser::Parser::new(env);
    for path in requirements {
        parser.parse_file(path, FileKind::Requirements, None)?;
    }
    for path in constraints {
        parser.parse_file(path, FileKind::Constraints, None)?;
    }
    parser.finish()
}

/// Parses `content` as if it were the file `path` (for tests and stdin). Includes are read
/// from disk relative to `path`'s folder; `path` itself is not listed in `files_read`.
pub fn parse_str(
    content: &str,
    path: &Path,
    kind: FileKind,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<RequirementsSet, RequirementsError> {
    let mut parser = parser::Parser::new(env);
    parser.parse_content(content, path, kind)?;
    parser.finish()
}

impl RequirementsSet {
    /// The `requirements.txt` written into the archive: the user's requirements, includes
    /// inlined, one per line, in order, in normalised PEP 508 form without options, hashes or
    /// URLs (a wheel file becomes `name[extras]==version ; marker`: the wheel is in the archive
    /// and the pod installs with `--no-index`). LF line endings, a trailing newline.
    pub fn render_requirements(&self) -> String {
        render(&self.requirements)
    }

    /// [`Self::render_requirements`] for an archive whose wheels have the versions `pins`
    /// (normalised name → version): a line that held a `${VAR}` is written as
    /// `name[extras]==version` of the version packed (its marker and specifiers may hold the
    /// variable's value, which never reaches the archive), or left out when the archive has no
    /// such project (its marker excluded it).
    pub fn render_requirements_pinned(
        &self,
        pins: &std::collections::BTreeMap<PackageName, String>,
    ) -> String {
        let mut out = String::new();
        for entry in &self.requirements {
            if !entry.expanded {
                out.push_str(&entry.render());
                out.push('\n');
                continue;
            }
            let Some(version) = pins.get(entry.name()) else {
                continue;
            };
            out.push_str(entry.name().as_ref());
            if !entry.extras().is_empty() {
                let extras: Vec<String> = entry.extras().iter().map(ToString::to_string).collect();
                let _ = write!(out, "[{}]", extras.join(","));
            }
            let _ = writeln!(out, "=={version}");
        }
        out
    }

    /// The same for `constraints.txt`.
    pub fn render_constraints(&self) -> String {
        render(&self.constraints)
    }

    /// True when hashes are checked: `--require-hashes` in a file or any requirement with a hash.
    pub fn hash_mode(&self) -> bool {
        self.require_hashes || self.requirements.iter().any(|e| !e.hashes.is_empty())
    }

    /// In hash-checking mode (see [`Self::hash_mode`], or `require_hashes` from the command
    /// line), checks that every requirement is pinned and has a hash. [`parse`] already runs it
    /// with `false`.
    pub fn check_hashes(&self, require_hashes: bool) -> Result<(), RequirementsError> {
        if !(require_hashes || self.hash_mode()) {
            return Ok(());
        }
        let offenders = |wrong: &dyn Fn(&Entry) -> bool| -> Vec<(String, Location)> {
            self.requirements
                .iter()
                .filter(|e| wrong(e))
                .map(|e| (e.render(), e.location.clone()))
                .collect()
        };
        let unpinned = offenders(&|e| !e.is_pinned());
        if !unpinned.is_empty() {
            return Err(RequirementsError::HashesUnpinned { entries: unpinned });
        }
        let missing = offenders(&|e| e.hashes.is_empty());
        if !missing.is_empty() {
            return Err(RequirementsError::HashesMissing { entries: missing });
        }
        Ok(())
    }
}

fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        out.push_str(&entry.render());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
