//! The one strict reader of a wheel's zip container, for every read of a wheel nbwheel did not
//! build itself: validation (`verify`), the METADATA read of a downloaded wheel
//! (`index::metadata`), plugin detection (`netbox`) and the range reads of a remote wheel
//! (`index::lazy`).
//!
//! Input: the bytes of a zip, through [`ZipBytes`] — a file ([`FileBytes`]) or the ranges
//! fetched of a remote one ([`Window`]) — and [`ZipLimits`]. Output: the checked [`Member`]s
//! ([`read_layout`] for a whole file, [`read_directory`] and [`check_local`] for the parts a
//! range read has), and [`stream_member`], which decompresses one member into a sink while
//! checking its real size and CRC-32.
//!
//! The parsers do no I/O of their own: they ask [`ZipBytes`] for byte ranges, so the same code
//! reads a file on disk and the tail of a remote wheel held in memory (a range that was not
//! fetched is [`ZipError::NotFetched`], and the caller fetches it or gives up).
//!
//! The `zip` crate reads the central directory and trusts it; it does not tell when a local
//! header disagrees with the central directory, when bytes are hidden between members or after
//! the end record, or when two entries share bytes. Those disagreements are exactly what makes
//! two zip readers see two different wheels, so this module parses the structure by hand.
//!
//! Grammar supported (APPNOTE 6.3.10, single disk only):
//!
//! ```text
//! file   = member* central-directory [zip64-eocd zip64-locator] eocd
//! member = local-header(30 + name + extra) data [data-descriptor]   ; contiguous from offset 0
//! ```
//!
//! Methods: stored (0) and deflate (8). Rejected: encryption, multi-disk archives, gaps or
//! overlaps between members, bytes before the first member or after the end record, symbolic
//! links and special files, unsafe member names, and sizes over the limits.
//!
//! A foundation module: it imports nothing from the crate.

mod central;
mod local;
mod names;
mod problem;

use std::fmt;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

pub use central::{Directory, End, read_directory, read_end};
pub use local::{check_local, read_layout, stream_member};
pub use names::{is_other_char, unsafe_name_reason};
pub use problem::ZipProblem;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
const EOCD_LEN: u64 = 22;
const MAX_COMMENT: u64 = 0xFFFF;
const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_DESCRIPTOR: u16 = 0x0008;
const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;
const FLAG_UTF8: u16 = 0x0800;

/// How many bytes at the end of a file hold every end record: the end of central directory
/// record with the longest comment, the ZIP64 locator and a ZIP64 end record without
/// extensible data. A range read that fetches this suffix can always find the central
/// directory.
pub const TAIL_LEN: u64 = EOCD_LEN + MAX_COMMENT + 20 + 56;

/// Upper bounds that keep a hostile zip from exhausting memory, disk or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipLimits {
    /// The most entries in the central directory.
    pub max_members: usize,
    /// The largest sum of declared uncompressed sizes.
    pub max_total_uncompressed: u64,
    /// The largest declared uncompressed size of one member.
    pub max_member: u64,
    /// The largest ratio of uncompressed to compressed size of one member.
    pub max_ratio: u64,
    /// The largest central directory.
    pub max_central_directory: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_members: 100_000,
            max_total_uncompressed: 4 << 30,
            max_member: 2 << 30,
            max_ratio: 1000,
            max_central_directory: 64 << 20,
        }
    }
}

/// Which limit a wheel exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// [`ZipLimits::max_members`].
    Members,
    /// [`ZipLimits::max_central_directory`].
    CentralDirectory,
    /// [`ZipLimits::max_member`].
    MemberSize,
    /// [`ZipLimits::max_ratio`].
    Ratio,
    /// [`ZipLimits::max_total_uncompressed`].
    TotalSize,
    /// The largest `METADATA`, `WHEEL` or `RECORD` (a limit of the readers of those files).
    Metadata,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::Members => "member count",
            LimitKind::CentralDirectory => "central directory size",
            LimitKind::MemberSize => "member size",
            LimitKind::Ratio => "compression ratio",
            LimitKind::TotalSize => "total uncompressed size",
            LimitKind::Metadata => "metadata file size",
        })
    }
}

/// Why a zip cannot be read. The callers add the wheel's name and path.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    /// The bytes could not be read (or a sink could not be written).
    #[error("{0}")]
    Io(#[source] io::Error),
    /// The zip structure is unsound.
    #[error("{0}")]
    Malformed(ZipProblem),
    /// A size limit was exceeded.
    #[error("the {limit} limit is exceeded{}: {actual} > {max}", member.as_ref().map(|m| format!(" at `{m}`")).unwrap_or_default())]
    Limit {
        /// The member, when one is to blame.
        member: Option<String>,
        /// Which limit.
        limit: LimitKind,
        /// The value found.
        actual: u64,
        /// The limit.
        max: u64,
    },
    /// The bytes needed were not among the ranges fetched (only a [`Window`] says this).
    #[error("{len} bytes at offset {offset} were not fetched")]
    NotFetched {
        /// The first byte needed.
        offset: u64,
        /// How many bytes.
        len: u64,
    },
}

/// One checked member of the archive.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member name (validated, UTF-8).
    pub name: String,
    /// True for directory entries (names ending in `/`).
    pub is_dir: bool,
    /// The compression method (0 or 8).
    pub method: u16,
    /// The CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// The compressed size.
    pub compressed: u64,
    /// The uncompressed size.
    pub uncompressed: u64,
    /// The offset of the local header.
    pub local_offset: u64,
    /// The offset of the data (set once the local header is read, see [`check_local`]).
    pub data_offset: u64,
    flags: u16,
    raw_name: Vec<u8>,
}

/// The checked structure of a whole zip file: its members in central directory order.
#[derive(Debug)]
pub struct Layout {
    /// Every member, each checked against its local header.
    pub members: Vec<Member>,
    /// The sum of the declared uncompressed sizes.
    pub uncompressed_size: u64,
}

/// Random access to the bytes of a zip: a file, or the ranges fetched of a remote one.
pub trait ZipBytes {
    /// The length of the whole file.
    fn size(&self) -> u64;
    /// Fills `buf` with the bytes at `offset` (the caller checked they are inside the file).
    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ZipError>;
    /// A reader of the `len` bytes at `offset` (the caller checked they are inside the file).
    fn reader_at(&mut self, offset: u64, len: u64) -> Result<Box<dyn Read + '_>, ZipError>;
}

/// Reads `buf.len()` bytes at `offset`, or says the file is truncated there.
fn read_at(src: &mut dyn ZipBytes, offset: u64, buf: &mut [u8]) -> Result<(), ZipError> {
    if offset.saturating_add(buf.len() as u64) > src.size() {
        return Err(ZipError::Malformed(ZipProblem::Truncated(offset)));
    }
    src.read_exact_at(offset, buf)
}

/// What a wheel is read from: a file, or a file seen through a hasher.
pub trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// The bytes of a file (or anything that reads and seeks).
pub struct FileBytes<'a> {
    file: &'a mut dyn ReadSeek,
    len: u64,
}

impl<'a> FileBytes<'a> {
    /// A file of `len` bytes.
    pub fn new(file: &'a mut dyn ReadSeek, len: u64) -> Self {
        FileBytes { file, len }
    }

    /// A file whose length is found by seeking to its end.
    pub fn measure(file: &'a mut dyn ReadSeek) -> io::Result<Self> {
        let len = file.seek(SeekFrom::End(0))?;
        Ok(FileBytes { file, len })
    }
}

impl ZipBytes for FileBytes<'_> {
    fn size(&self) -> u64 {
        self.len
    }

    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ZipError> {
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(ZipError::Io)?;
        self.file.read_exact(buf).map_err(ZipError::Io)
    }

    fn reader_at(&mut self, offset: u64, len: u64) -> Result<Box<dyn Read + '_>, ZipError> {
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(ZipError::Io)?;
        Ok(Box::new(BufReader::with_capacity(
            64 * 1024,
            (&mut *self.file).take(len),
        )))
    }
}

/// Bytes fetched from a remote file of `size` bytes, starting at offset `start` (a range
/// response). Reads outside them are [`ZipError::NotFetched`].
pub struct Window<'a> {
    /// The offset in the file of the first byte.
    pub start: u64,
    /// The bytes.
    pub bytes: &'a [u8],
    /// The length of the whole file.
    pub size: u64,
}

impl Window<'_> {
    fn slice(&self, offset: u64, len: u64) -> Result<&[u8], ZipError> {
        let not_fetched = ZipError::NotFetched { offset, len };
        let Some(from) = offset
            .checked_sub(self.start)
            .and_then(|f| usize::try_from(f).ok())
        else {
            return Err(not_fetched);
        };
        let to = usize::try_from(len)
            .ok()
            .and_then(|l| from.checked_add(l))
            .ok_or(ZipError::NotFetched { offset, len })?;
        self.bytes.get(from..to).ok_or(not_fetched)
    }
}

impl ZipBytes for Window<'_> {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ZipError> {
        buf.copy_from_slice(self.slice(offset, buf.len() as u64)?);
        Ok(())
    }

    fn reader_at(&mut self, offset: u64, len: u64) -> Result<Box<dyn Read + '_>, ZipError> {
        Ok(Box::new(self.slice(offset, len)?))
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

#[cfg(test)]
mod tests;
