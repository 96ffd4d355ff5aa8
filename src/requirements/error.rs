//! Why a requirements or constraints file was refused.
//!
//! Input: the facts gathered by the parser (file, line, column, the offending text with any
//! `${VAR}` value put back as `${VAR}` and URL credentials removed). Output: a
//! [`RequirementsError`] whose message names the file and line, and a [`RequirementsError::hint`]
//! saying what to do. Every variant maps to exit code 2.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Location;
use crate::wheel_name::WheelNameError;

/// Renders `path:line` or `path:line:column`.
fn at(location: &Location, column: Option<usize>) -> String {
    match column {
        Some(column) => format!("{location}:{column}"),
        None => location.to_string(),
    }
}

/// Renders ` (included from `a.txt:3`)` or nothing.
fn included(from: Option<&Location>) -> String {
    from.map(|l| format!(" (included from `{l}`)"))
        .unwrap_or_default()
}

/// Renders an include chain: `a.txt` (line 1) -> `b.txt` (line 4) -> `a.txt`.
fn chain(links: &[Location], back_to: &std::path::Path) -> String {
    let mut out = String::new();
    for link in links {
        let _ = write!(out, "`{}` (line {}) -> ", link.path.display(), link.line);
    }
    let _ = write!(out, "`{}`", back_to.display());
    out
}

/// Renders `foo>=1` (`r.txt:3`), `bar` (`r.txt:4`).
fn list(entries: &[(String, Location)]) -> String {
    entries
        .iter()
        .map(|(req, loc)| format!("`{req}` (`{loc}`)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every way a requirements or constraints file can be refused.
#[derive(Debug, thiserror::Error)]
pub enum RequirementsError {
    /// The file could not be read.
    #[error("Failed to read requirements file `{}`{}", path.display(), included(included_from.as_ref()))]
    Read {
        /// The file.
        path: PathBuf,
        /// The `-r`/`-c` line that named it, if any.
        included_from: Option<Location>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file (or all files read together) is larger than nbwheel reads.
    #[error("Requirements file `{}`{} is too large: nbwheel reads at most {} MiB from one file and {} MiB in all", path.display(), included(included_from.as_ref()), super::MAX_FILE_BYTES >> 20, super::MAX_TOTAL_BYTES >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The `-r`/`-c` line that named it, if any.
        included_from: Option<Location>,
    },
    /// The file is not UTF-8 (nor UTF-16 with a byte order mark).
    #[error("Requirements file `{location}` is not valid UTF-8")]
    NotUtf8 {
        /// The file and the line of the first bad byte.
        location: Location,
    },
    /// Files include each other in a loop.
    #[error("Include cycle in requirements files: {}", chain(links, back_to))]
    IncludeCycle {
        /// Each `-r`/`-c` line of the loop, in order.
        links: Vec<Location>,
        /// The file included again.
        back_to: PathBuf,
    },
    /// `-r`/`-c` names a remote URL.
    #[error("Remote requirements file `{url}` at `{location}` is not supported")]
    RemoteInclude {
        /// The line.
        location: Location,
        /// The URL, without credentials.
        url: String,
    },
    /// An option nbwheel does not know (nor pip).
    #[error("Unknown option `{option}` at `{location}`")]
    UnknownOption {
        /// The line.
        location: Location,
        /// The option as written.
        option: String,
    },
    /// An abbreviated option that matches several options.
    #[error("Ambiguous option `{option}` at `{location}`: it could be {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))]
    AmbiguousOption {
        /// The line.
        location: Location,
        /// The option as written.
        option: String,
        /// The options it abbreviates.
        candidates: Vec<&'static str>,
    },
    /// An option that needs a value has none.
    #[error("Option `{option}` at `{location}` requires a value")]
    MissingValue {
        /// The line.
        location: Location,
        /// The option.
        option: String,
    },
    /// A flag was given a value, like `--pre=yes`.
    #[error("Option `{option}` at `{location}` does not take a value")]
    UnexpectedValue {
        /// The line.
        location: Location,
        /// The option.
        option: String,
    },
    /// A pip option that only matters when building from source.
    #[error(
        "Option `{option}` at `{location}` is not supported: it only applies when building from source, and nbwheel never builds"
    )]
    UnsupportedOption {
        /// The line.
        location: Location,
        /// The option.
        option: String,
    },
    /// A file-wide option written after a requirement on the same line, or `--hash` on a line
    /// without a requirement.
    #[error("Option `{option}` at `{location}` {reason}")]
    MisplacedOption {
        /// The line.
        location: Location,
        /// The option.
        option: String,
        /// What is wrong with its place.
        reason: &'static str,
    },
    /// The options part of a line could not be split into words (an unclosed quote).
    #[error("Cannot split the options at `{location}`: {reason}")]
    ShellSplit {
        /// The line.
        location: Location,
        /// What the splitter found.
        reason: &'static str,
    },
    /// A word left over after the options.
    #[error("Unexpected argument `{argument}` after the options at `{location}`")]
    UnexpectedArgument {
        /// The line.
        location: Location,
        /// The word.
        argument: String,
    },
    /// `-e` / `--editable`.
    #[error(
        "Editable requirement `{target}` at `{location}` is not supported: nbwheel installs wheels only and never builds from source"
    )]
    Editable {
        /// The line.
        location: Location,
        /// What `-e` named.
        target: String,
    },
    /// A version-control reference (`git+…`, `hg+…`, `svn+…`, `bzr+…`).
    #[error(
        "Version-control requirement `{url}` at `{location}` is not supported: nbwheel installs wheels only and never builds from source"
    )]
    Vcs {
        /// The line.
        location: Location,
        /// The reference, without credentials.
        url: String,
    },
    /// A source archive.
    #[error(
        "Source distribution `{target}` at `{location}` is not supported: sdists are never built"
    )]
    Sdist {
        /// The line.
        location: Location,
        /// The path or URL, without credentials.
        target: String,
    },
    /// A local directory or a path that is not a wheel file.
    #[error(
        "Local path `{target}` at `{location}` is not a wheel file: local directories and projects are never built"
    )]
    LocalPath {
        /// The line.
        location: Location,
        /// The path or `file:` URL.
        target: String,
    },
    /// A URL that cannot be used as a direct reference.
    #[error("URL `{url}` at `{location}` cannot be used: {reason}")]
    UnsupportedUrl {
        /// The line.
        location: Location,
        /// The URL, without credentials.
        url: String,
        /// Why.
        reason: String,
    },
    /// The file name of a direct wheel reference is not a valid wheel name.
    #[error("Invalid wheel file name at `{location}`")]
    BadWheelName {
        /// The line.
        location: Location,
        /// What is wrong with the name.
        #[source]
        source: WheelNameError,
    },
    /// `name @ url` where the wheel at `url` is another project.
    #[error(
        "Requirement `{given}` at `{location}` points to a wheel of another project, `{wheel}`"
    )]
    NameMismatch {
        /// The line.
        location: Location,
        /// The name before `@`.
        given: String,
        /// The wheel file name.
        wheel: String,
    },
    /// The PEP 508 requirement, marker or extras could not be parsed.
    #[error("Invalid requirement at `{}`: {reason}{}", at(location, *column), excerpt.as_deref().map(|e| format!("\n{e}")).unwrap_or_default())]
    Pep508 {
        /// The line.
        location: Location,
        /// The 1-based column, when known.
        column: Option<usize>,
        /// What the PEP 508 parser said.
        reason: String,
        /// The requirement text with a caret line under the error, when it can be shown.
        excerpt: Option<String>,
    },
    /// `--hash` is not `algorithm:hex`, or the hex has the wrong length.
    #[error("Invalid hash `{value}` at `{location}`: {reason}")]
    HashFormat {
        /// The line.
        location: Location,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A hash algorithm other than sha256, sha384 or sha512.
    #[error(
        "Hash algorithm `{algorithm}` at `{location}` is not allowed; use `sha256`, `sha384` or `sha512`"
    )]
    HashAlgorithm {
        /// The line.
        location: Location,
        /// The algorithm as written.
        algorithm: String,
    },
    /// A constraint line with extras.
    #[error(
        "Constraint `{requirement}` at `{location}` has extras; constraints cannot have extras"
    )]
    ExtrasInConstraint {
        /// The line.
        location: Location,
        /// The constraint.
        requirement: String,
    },
    /// Hash-checking mode is on and some requirements are not pinned with `==`.
    #[error(
        "In hash-checking mode every requirement must be pinned with `==`; these are not: {}",
        list(entries)
    )]
    HashesUnpinned {
        /// Each unpinned requirement and its line.
        entries: Vec<(String, Location)>,
    },
    /// Hash-checking mode is on and some requirements have no `--hash`.
    #[error(
        "In hash-checking mode every requirement needs a `--hash`; these have none: {}",
        list(entries)
    )]
    HashesMissing {
        /// Each requirement without a hash and its line.
        entries: Vec<(String, Location)>,
    },
}

impl RequirementsError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        let text = match self {
            Self::Read { .. } => {
                "Check the path; a `-r`/`-c` path inside a file is relative to that file's folder."
            }
            Self::NotUtf8 { .. } => "Save the file as UTF-8.",
            Self::TooLarge { .. } => {
                "Check the path: requirement files are small text files, and a device or a generated file is refused."
            }
            Self::IncludeCycle { .. } => "Remove one of the `-r`/`-c` lines of the cycle.",
            Self::RemoteInclude { .. } => "Download the file and include it by its local path.",
            Self::UnknownOption { .. } | Self::AmbiguousOption { .. } => {
                "Supported options: `-r`, `-c`, `-i`/`--index-url`, `--extra-index-url`, `-f`/`--find-links`, `--no-index`, `--pre`, `--only-binary`, `--no-binary`, `--prefer-binary`, `--require-hashes`, `--trusted-host`, and `--hash` after a requirement."
            }
            Self::MissingValue { .. } | Self::UnexpectedValue { .. } => {
                "Write flags alone (`--pre`) and options with one value (`--index-url URL`)."
            }
            Self::UnsupportedOption { .. } => "Remove the option.",
            Self::MisplacedOption { option, .. } if option == "--hash" => {
                "Put `--hash` on the requirement's line, or end the requirement's line with `\\` to continue it."
            }
            Self::MisplacedOption { .. } => "Put the option on a line of its own.",
            Self::ShellSplit { .. } => "Close the quote, or escape it with `\\`.",
            Self::UnexpectedArgument { .. } => {
                "Write one requirement per line, with its options after it."
            }
            Self::Editable { .. } | Self::LocalPath { .. } => {
                "Build a wheel with `pip wheel --no-deps -w dist <path>` and list `./dist/<name>-<version>-<tags>.whl` instead."
            }
            Self::Vcs { .. } => {
                "Build a wheel with `pip wheel --no-deps -w dist <url>` and list `./dist/<name>-<version>-<tags>.whl` instead, or publish a wheel to an index."
            }
            Self::Sdist { .. } => {
                "Publish a wheel, or build one with `pip wheel --no-deps -w dist <sdist>` and list `./dist/<name>-<version>-<tags>.whl` instead."
            }
            Self::UnsupportedUrl { .. } => {
                "Direct references must name a wheel file (`.whl`) over `https://`, `http://` or `file://`."
            }
            Self::BadWheelName { .. } => {
                "Keep the wheel's file name as built: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`."
            }
            Self::NameMismatch { .. } => "Make the name before `@` match the wheel's project.",
            Self::Pep508 { .. } => {
                "Requirements follow PEP 508, e.g. `name[extra]>=1.0,<2 ; python_version >= \"3.12\"`."
            }
            Self::HashFormat { .. } | Self::HashAlgorithm { .. } => {
                "Write `--hash=sha256:<64 hex digits>`; compute it with `pip hash FILE` or `sha256sum FILE`."
            }
            Self::ExtrasInConstraint { .. } => {
                "Put `name[extra]` in the requirements file and keep `name==version` in the constraints file."
            }
            Self::HashesUnpinned { .. } => {
                "Pin each one with `==`, e.g. with `pip-compile --generate-hashes` or `uv pip compile --generate-hashes`."
            }
            Self::HashesMissing { .. } => {
                "Add `--hash=sha256:…` to each one, e.g. with `pip-compile --generate-hashes`; or remove every `--hash` and `--require-hashes`."
            }
        };
        Some(text.to_string())
    }
}
