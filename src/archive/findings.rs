//! What is wrong with an archive: one [`ArchiveFinding`] per problem, each an integrity
//! violation (exit 4).

use super::EntryType;

/// Something in the archive that must not be there. Every finding means exit 4.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{entry}`: {problem}")]
pub struct ArchiveFinding {
    /// The entry's name, escaped.
    pub entry: String,
    /// What is wrong.
    pub problem: FindingKind,
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindingKind {
    /// A symbolic or hard link.
    #[error("{kind} to `{target}` (links are not allowed)")]
    Link {
        /// "symbolic link" or "hard link".
        kind: &'static str,
        /// The link target, escaped.
        target: String,
    },
    /// A device, FIFO or other special entry.
    #[error("{0} (only files and directories are allowed)")]
    Special(EntryType),
    /// An absolute name.
    #[error("absolute path")]
    Absolute,
    /// A `..` component.
    #[error("`..` component (path traversal)")]
    ParentComponent,
    /// A name with unsafe characters.
    #[error("unsafe name: {0}")]
    UnsafeName(&'static str),
    /// The same name twice.
    #[error("duplicate entry (only the first is used)")]
    Duplicate,
    /// A PAX record overrides the entry size.
    #[error("PAX `size` record `{0}` overrides the header size (readers disagree on it)")]
    PaxSize(String),
    /// A PAX global header sets a path, link or size for every later entry.
    #[error("PAX global header sets `{0}`")]
    PaxGlobal(String),
    /// A PAX extended header could not be parsed.
    #[error("malformed PAX extended header")]
    BadPax,
    /// Outside `wheelhouse/`.
    #[error("outside `wheelhouse/`")]
    OutsideWheelhouse,
    /// Inside `wheelhouse/` but not a wheel or one of the allowed files.
    #[error(
        "not allowed in a wheelhouse (only `*.whl`, `requirements.txt`, `constraints.txt` and `pylock.toml`)"
    )]
    NotAllowed,
    /// A `.whl` whose name does not parse.
    #[error("not a valid wheel file name")]
    BadWheelName,
    /// `wheelhouse` is not a directory.
    #[error("`wheelhouse` must be a directory")]
    NotADirectory,
    /// Non-zero bytes after the end-of-archive marker.
    #[error("{0} bytes of data after the end-of-archive marker")]
    TrailingData(u64),
}
