//! What can be wrong with the zip structure of a wheel.

/// What is wrong with the zip structure of a wheel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipProblem {
    /// No end of central directory record.
    #[error("no end of central directory record (not a zip file, or truncated)")]
    NoEndRecord,
    /// Bytes follow the end record.
    #[error("{0} unexpected bytes after the end of central directory record")]
    TrailingBytes(u64),
    /// The file ends inside a structure.
    #[error("truncated at offset {0}")]
    Truncated(u64),
    /// A multi-disk (split) archive.
    #[error("multi-disk archives are not supported")]
    MultiDisk,
    /// The ZIP64 records disagree with the end record or with their own position.
    #[error(
        "inconsistent ZIP64 end of central directory: {field} is {zip64}, end record says {eocd}"
    )]
    Zip64Mismatch {
        /// The field that disagrees.
        field: &'static str,
        /// The ZIP64 value.
        zip64: u64,
        /// The classic end record value.
        eocd: u64,
    },
    /// The ZIP64 end record is not where its locator says.
    #[error("ZIP64 end of central directory record not found at offset {0}")]
    Zip64Missing(u64),
    /// The central directory does not end where the end record starts.
    #[error(
        "central directory ends at offset {actual} but the end record starts at {expected} (prepended or hidden data)"
    )]
    CentralDirectoryPosition {
        /// Where the end record (or ZIP64 end record) starts.
        expected: u64,
        /// Where the central directory ends.
        actual: u64,
    },
    /// A central directory record is malformed.
    #[error("central directory entry {index}: {detail}")]
    BadCentralEntry {
        /// The 0-based entry index.
        index: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// The central directory holds a different number of entries than declared.
    #[error("central directory holds {actual} bytes of entries, end record declares {expected}")]
    CentralDirectorySize {
        /// The declared size.
        expected: u64,
        /// The parsed size.
        actual: u64,
    },
    /// The same member name appears twice.
    #[error("duplicate member `{0}`")]
    Duplicate(String),
    /// A member name is unsafe.
    #[error("unsafe member name {name}: {reason}")]
    UnsafeName {
        /// The name, escaped.
        name: String,
        /// Why it is unsafe.
        reason: &'static str,
    },
    /// A member is a symbolic link.
    #[error("member `{0}` is a symbolic link")]
    Symlink(String),
    /// A member is a device, FIFO or socket.
    #[error("member `{member}` is a special file (mode {mode:o})")]
    SpecialFile {
        /// The member name.
        member: String,
        /// The Unix mode from the external attributes.
        mode: u32,
    },
    /// A member is encrypted.
    #[error("member `{0}` is encrypted")]
    Encrypted(String),
    /// A member uses a compression method other than stored or deflate.
    #[error(
        "member `{member}` uses compression method {method} (only stored (0) and deflate (8) are allowed)"
    )]
    Method {
        /// The member name.
        member: String,
        /// The method number.
        method: u16,
    },
    /// A structure field is malformed.
    #[error("member `{member}`: {detail}")]
    BadMember {
        /// The member name.
        member: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// The local header disagrees with the central directory.
    #[error(
        "member `{member}`: {field} in the local header is {local}, the central directory says {central}"
    )]
    LocalMismatch {
        /// The member name (from the central directory).
        member: String,
        /// The field.
        field: &'static str,
        /// The local header's value.
        local: String,
        /// The central directory's value.
        central: String,
    },
    /// Two members share bytes.
    #[error(
        "member `{member}` at offset {offset} overlaps `{previous}`, which ends at {previous_end}"
    )]
    Overlap {
        /// The later member.
        member: String,
        /// Its local header offset.
        offset: u64,
        /// The earlier member.
        previous: String,
        /// Where the earlier member ends.
        previous_end: u64,
    },
    /// Bytes that belong to no member.
    #[error("{len} unaccounted bytes at offset {offset} (hidden data between members)")]
    Gap {
        /// Where the gap starts.
        offset: u64,
        /// Its length.
        len: u64,
    },
    /// The decompressed data disagrees with the headers.
    #[error("member `{member}`: {field} of the data is {actual}, the headers say {expected}")]
    DataMismatch {
        /// The member name.
        member: String,
        /// `size` or `CRC-32`.
        field: &'static str,
        /// The header value.
        expected: String,
        /// The computed value.
        actual: String,
    },
    /// The deflate stream is corrupt.
    #[error("member `{member}`: corrupt deflate stream: {error}")]
    Deflate {
        /// The member name.
        member: String,
        /// The decoder's message.
        error: String,
    },
}
