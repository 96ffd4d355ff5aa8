//! Safe reading of a wheelhouse archive, ours or hand-packed with `pip download` and `tar`.
//!
//! Input: the path of a `.tar.gz`. Output: an [`OpenedArchive`]: the archive's sha256 and size,
//! every entry, the allowed regular files extracted flat into a temporary folder, and a list of
//! [`ArchiveFinding`]s (each one an integrity violation, exit 4). Reading goes on past a
//! finding so that every one is listed; it stops with an [`ArchiveError`] only when the stream
//! itself cannot be read (corrupt gzip, bad header checksum, truncation) or a limit is hit.
//!
//! Grammar accepted without findings (gzip, possibly multi-member, around a tar stream of
//! ustar, GNU or PAX headers):
//!
//! ```text
//! archive = [ "./" dir ] "wheelhouse/" dir  file*  zero-blocks
//! file    = "wheelhouse/" ( wheel-file-name | "requirements.txt" | "constraints.txt"
//!                         | "pylock.toml" )               ; regular files only
//! ```
//!
//! Names may start with `./` (as `tar czf x.tar.gz ./wheelhouse` writes them). GNU long names
//! and PAX `path` records are honoured (and checked like any name). Findings: links, devices,
//! FIFOs and other special entries, absolute names, `..` components, unsafe characters,
//! duplicates, PAX `size` records (readers disagree on them: CVE-2025-62518), names outside
//! `wheelhouse/`, anything else inside it, and data after the end-of-archive marker.
//!
//! The tar crate reads headers and checksums; its iterator runs in raw mode so that GNU and
//! PAX extension headers are seen (and judged) here instead of being applied silently.
//! Nothing is ever extracted by path: an allowed file is written to `<temp>/<file name>`,
//! created exclusively, so no entry can write outside the temporary folder.

use std::cell::Cell;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use sha2::{Digest as _, Sha256};

use crate::exit::ExitCode;
use crate::pack::ALLOWED_FILES;
use crate::wheel_name::WheelName;

/// The kind of a tar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// A hard link.
    Hardlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A FIFO.
    Fifo,
    /// Any other type flag.
    Other(u8),
}

impl std::fmt::Display for EntryType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryType::Regular => f.write_str("regular file"),
            EntryType::Directory => f.write_str("directory"),
            EntryType::Symlink => f.write_str("symbolic link"),
            EntryType::Hardlink => f.write_str("hard link"),
            EntryType::CharDevice => f.write_str("character device"),
            EntryType::BlockDevice => f.write_str("block device"),
            EntryType::Fifo => f.write_str("FIFO"),
            EntryType::Other(flag) => write!(f, "entry of type `{}`", flag.escape_ascii()),
        }
    }
}

impl EntryType {
    fn from_tar(kind: tar::EntryType) -> Self {
        match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => EntryType::Regular,
            tar::EntryType::Directory => EntryType::Directory,
            tar::EntryType::Symlink => EntryType::Symlink,
            tar::EntryType::Link => EntryType::Hardlink,
            tar::EntryType::Char => EntryType::CharDevice,
            tar::EntryType::Block => EntryType::BlockDevice,
            tar::EntryType::Fifo => EntryType::Fifo,
            other => EntryType::Other(other.as_byte()),
        }
    }
}

/// One entry of the archive (extension headers are not entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// The name as stored (after GNU/PAX long names), escaped if it is not clean UTF-8.
    pub name: String,
    /// The size from the header.
    pub size: u64,
    /// The kind.
    pub kind: EntryType,
}

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

/// Bounds that keep a hostile archive from exhausting memory or disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The most entries.
    pub max_entries: usize,
    /// The most bytes extracted in total.
    pub max_extracted: u64,
    /// The largest GNU long-name or PAX header.
    pub max_extension: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 100_000,
            max_extracted: 16 << 30,
            max_extension: 1 << 20,
        }
    }
}

/// An archive that was read to the end.
#[derive(Debug)]
pub struct OpenedArchive {
    /// The hex sha256 of the archive file.
    pub sha256: String,
    /// The archive's size in bytes.
    pub size: u64,
    /// Every entry in order.
    pub entries: Vec<ArchiveEntry>,
    /// The allowed regular files, extracted flat under their file names.
    pub dir: tempfile::TempDir,
    /// Every problem found; not empty means exit 4.
    pub findings: Vec<ArchiveFinding>,
}

impl OpenedArchive {
    /// The wheels extracted from `wheelhouse/` (or `./wheelhouse/`) whose names parse, with
    /// their paths in the temp folder, in archive order.
    pub fn wheel_files(&self) -> Vec<(String, crate::wheel_name::WheelName, PathBuf)> {
        self.entries
            .iter()
            .filter_map(|entry| {
                let file = entry
                    .name
                    .strip_prefix("wheelhouse/")
                    .or_else(|| entry.name.strip_prefix("./wheelhouse/"))?;
                let wheel = file.parse().ok()?;
                let path = self.dir.path().join(file);
                path.is_file().then(|| (file.to_string(), wheel, path))
            })
            .collect()
    }
}

/// Why an archive could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file or the temp folder could not be read or written.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The gzip or tar stream is corrupt or truncated.
    #[error("Corrupt archive `{}`: {detail}", path.display())]
    Corrupt {
        /// The archive.
        path: PathBuf,
        /// What the decoder said.
        detail: String,
    },
    /// A limit was exceeded.
    #[error("Archive `{}` exceeds the {limit} limit: {actual} > {max} (configurable)", path.display())]
    Limit {
        /// The archive.
        path: PathBuf,
        /// Which limit.
        limit: &'static str,
        /// The value found.
        actual: u64,
        /// The limit.
        max: u64,
    },
}

impl ArchiveError {
    /// 5 for local I/O failures, 4 for a corrupt or oversized archive.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ArchiveError::Io { .. } => ExitCode::Environment,
            ArchiveError::Corrupt { .. } | ArchiveError::Limit { .. } => ExitCode::Integrity,
        }
    }
}

/// Hashes what it reads and remembers whether the file itself failed, to tell I/O errors
/// from corrupt data.
struct HashReader<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
    io_failed: Rc<Cell<bool>>,
}

impl<R: Read> Read for HashReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                self.count += n as u64;
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.io_failed.set(true);
                }
                Err(e)
            }
        }
    }
}

/// Opens `path` with the default [`ArchiveLimits`].
pub fn open_archive(path: &Path) -> Result<OpenedArchive, ArchiveError> {
    open_archive_with_limits(path, &ArchiveLimits::default())
}

/// Reads the whole archive at `path`, extracting the allowed files into a temp folder.
pub fn open_archive_with_limits(
    path: &Path,
    limits: &ArchiveLimits,
) -> Result<OpenedArchive, ArchiveError> {
    let io_err = |action, p: &Path| {
        let p = p.to_path_buf();
        move |source| ArchiveError::Io {
            action,
            path: p,
            source,
        }
    };
    let file = File::open(path).map_err(io_err("Failed to open", path))?;
    let dir = tempfile::Builder::new()
        .prefix("nbwheel-verify-")
        .tempdir()
        .map_err(io_err(
            "Failed to create a temporary folder in",
            &std::env::temp_dir(),
        ))?;
    let io_failed = Rc::new(Cell::new(false));
    let mut reader = HashReader {
        inner: BufReader::with_capacity(256 * 1024, file),
        hasher: Sha256::new(),
        count: 0,
        io_failed: Rc::clone(&io_failed),
    };
    let stream_err = |e: io::Error| {
        if io_failed.get() {
            ArchiveError::Io {
                action: "Failed to read",
                path: path.to_path_buf(),
                source: e,
            }
        } else {
            ArchiveError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
    };

    let mut state = State {
        path,
        dir: dir.path(),
        limits,
        entries: Vec::new(),
        findings: Vec::new(),
        seen: HashSet::new(),
        extracted: 0,
    };
    let mut archive = tar::Archive::new(MultiGzDecoder::new(&mut reader));
    {
        let mut pending = Pending::default();
        for entry in archive.entries().map_err(stream_err)?.raw(true) {
            let mut entry = entry.map_err(stream_err)?;
            state.entry(&mut entry, &mut pending, &stream_err)?;
        }
    }
    // After the end-of-archive marker only zero padding may follow.
    let mut rest = archive.into_inner();
    let mut buf = vec![0u8; 64 * 1024];
    let mut trailing = 0u64;
    loop {
        let n = rest.read(&mut buf).map_err(stream_err)?;
        if n == 0 {
            break;
        }
        trailing += buf[..n].iter().filter(|&&b| b != 0).count() as u64;
    }
    if trailing > 0 {
        state.findings.push(ArchiveFinding {
            entry: "(end of archive)".to_string(),
            problem: FindingKind::TrailingData(trailing),
        });
    }
    drop(rest);
    // The gzip decoder stops at its last member; hash anything it did not read.
    io::copy(&mut reader, &mut io::sink()).map_err(stream_err)?;
    let State {
        entries, findings, ..
    } = state;
    Ok(OpenedArchive {
        sha256: hex::encode(reader.hasher.finalize()),
        size: reader.count,
        entries,
        dir,
        findings,
    })
}

/// Extension headers waiting for the entry they describe.
#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<String>,
    bad_pax: bool,
}

struct State<'a> {
    path: &'a Path,
    dir: &'a Path,
    limits: &'a ArchiveLimits,
    entries: Vec<ArchiveEntry>,
    findings: Vec<ArchiveFinding>,
    seen: HashSet<String>,
    extracted: u64,
}

fn escape(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.escape_debug().to_string(),
        Err(_) => bytes.escape_ascii().to_string(),
    }
}

impl State<'_> {
    fn limit(&self, limit: &'static str, actual: u64, max: u64) -> ArchiveError {
        ArchiveError::Limit {
            path: self.path.to_path_buf(),
            limit,
            actual,
            max,
        }
    }

    fn find(&mut self, entry: &str, problem: FindingKind) {
        self.findings.push(ArchiveFinding {
            entry: entry.to_string(),
            problem,
        });
    }

    fn read_extension<R: Read>(
        &self,
        entry: &mut tar::Entry<'_, R>,
        stream_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<Vec<u8>, ArchiveError> {
        let size = entry.header().entry_size().map_err(stream_err)?;
        if size > self.limits.max_extension {
            return Err(self.limit("extension header size", size, self.limits.max_extension));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry.read_to_end(&mut data).map_err(stream_err)?;
        Ok(data)
    }

    #[expect(clippy::too_many_lines, reason = "split in the next round")]
    fn entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        pending: &mut Pending,
        stream_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        let kind = entry.header().entry_type();
        match kind {
            tar::EntryType::XHeader => {
                let data = self.read_extension(entry, stream_err)?;
                for ext in tar::PaxExtensions::new(&data) {
                    let Ok(ext) = ext else {
                        pending.bad_pax = true;
                        break;
                    };
                    match ext.key_bytes() {
                        b"path" => pending.path = Some(ext.value_bytes().to_vec()),
                        b"linkpath" => pending.link = Some(ext.value_bytes().to_vec()),
                        b"size" => pending.size = Some(escape(ext.value_bytes())),
                        _ => {}
                    }
                }
                return Ok(());
            }
            tar::EntryType::XGlobalHeader => {
                let data = self.read_extension(entry, stream_err)?;
                for ext in tar::PaxExtensions::new(&data) {
                    match ext {
                        Ok(ext) if matches!(ext.key_bytes(), b"path" | b"linkpath" | b"size") => {
                            let key = escape(ext.key_bytes());
                            self.find("(PAX global header)", FindingKind::PaxGlobal(key));
                        }
                        Ok(_) => {}
                        Err(_) => {
                            self.find("(PAX global header)", FindingKind::BadPax);
                            break;
                        }
                    }
                }
                return Ok(());
            }
            tar::EntryType::GNULongName => {
                let mut data = self.read_extension(entry, stream_err)?;
                while data.last() == Some(&0) {
                    data.pop();
                }
                pending.path = Some(data);
                return Ok(());
            }
            tar::EntryType::GNULongLink => {
                let mut data = self.read_extension(entry, stream_err)?;
                while data.last() == Some(&0) {
                    data.pop();
                }
                pending.link = Some(data);
                return Ok(());
            }
            _ => {}
        }

        if self.entries.len() >= self.limits.max_entries {
            return Err(self.limit(
                "entry count",
                self.entries.len() as u64 + 1,
                self.limits.max_entries as u64,
            ));
        }
        let pending = std::mem::take(pending);
        let raw_name = pending
            .path
            .unwrap_or_else(|| entry.header().path_bytes().into_owned());
        let name = escape(&raw_name);
        let size = entry.header().entry_size().map_err(stream_err)?;
        let kind = EntryType::from_tar(kind);
        self.entries.push(ArchiveEntry {
            name: name.clone(),
            size,
            kind,
        });
        if pending.bad_pax {
            self.find(&name, FindingKind::BadPax);
        }
        if let Some(value) = pending.size {
            self.find(&name, FindingKind::PaxSize(value));
        }
        match kind {
            EntryType::Regular | EntryType::Directory => {}
            EntryType::Symlink | EntryType::Hardlink => {
                let target = pending
                    .link
                    .or_else(|| {
                        entry
                            .header()
                            .link_name_bytes()
                            .map(std::borrow::Cow::into_owned)
                    })
                    .unwrap_or_default();
                let kind = if kind == EntryType::Symlink {
                    "symbolic link"
                } else {
                    "hard link"
                };
                self.find(
                    &name,
                    FindingKind::Link {
                        kind,
                        target: escape(&target),
                    },
                );
                return Ok(());
            }
            other => {
                self.find(&name, FindingKind::Special(other));
                return Ok(());
            }
        }

        let Some(clean) = self.check_name(&raw_name, &name) else {
            return Ok(());
        };
        if !self.seen.insert(clean.clone()) {
            self.find(&name, FindingKind::Duplicate);
            return Ok(());
        }
        let is_dir = kind == EntryType::Directory;
        let component = match clean.split_once('/') {
            None if clean.is_empty() && is_dir => return Ok(()),
            None if clean == "wheelhouse" => {
                if !is_dir {
                    self.find(&name, FindingKind::NotADirectory);
                }
                return Ok(());
            }
            Some(("wheelhouse", rest)) if !rest.contains('/') && !is_dir => rest,
            Some(("wheelhouse", _)) => {
                self.find(&name, FindingKind::NotAllowed);
                return Ok(());
            }
            _ => {
                self.find(&name, FindingKind::OutsideWheelhouse);
                return Ok(());
            }
        };
        let allowed = if std::path::Path::new(component)
            .extension()
            .is_some_and(|e| e == "whl")
        {
            if component.parse::<WheelName>().is_err() {
                self.find(&name, FindingKind::BadWheelName);
                return Ok(());
            }
            true
        } else {
            ALLOWED_FILES.contains(&component)
        };
        if !allowed {
            self.find(&name, FindingKind::NotAllowed);
            return Ok(());
        }
        self.extracted = self.extracted.saturating_add(size);
        if self.extracted > self.limits.max_extracted {
            return Err(self.limit("extracted size", self.extracted, self.limits.max_extracted));
        }
        self.extract(entry, component, stream_err)
    }

    /// Normalises a name (strips `./`, a trailing `/`); records a finding and returns `None`
    /// when it is unsafe.
    fn check_name(&mut self, raw: &[u8], shown: &str) -> Option<String> {
        let Ok(text) = std::str::from_utf8(raw) else {
            self.find(shown, FindingKind::UnsafeName("not valid UTF-8"));
            return None;
        };
        if text.starts_with('/') {
            self.find(shown, FindingKind::Absolute);
            return None;
        }
        if text.contains('\\') {
            self.find(shown, FindingKind::UnsafeName("backslash"));
            return None;
        }
        if text.chars().any(crate::verify::is_other_char) {
            self.find(
                shown,
                FindingKind::UnsafeName("control, format or private-use character"),
            );
            return None;
        }
        let mut rest = text;
        while let Some(stripped) = rest.strip_prefix("./") {
            rest = stripped;
        }
        if rest == "." {
            rest = "";
        }
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.split('/').any(|c| c == "..") {
            self.find(shown, FindingKind::ParentComponent);
            return None;
        }
        if !rest.is_empty() && rest.split('/').any(|c| c.is_empty() || c == ".") {
            self.find(shown, FindingKind::UnsafeName("empty or `.` component"));
            return None;
        }
        Some(rest.to_string())
    }

    fn extract<R: Read>(
        &self,
        entry: &mut tar::Entry<'_, R>,
        component: &str,
        stream_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        let target = self.dir.join(component);
        let write_err = |source| ArchiveError::Io {
            action: "Failed to write",
            path: target.clone(),
            source,
        };
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(write_err)?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).map_err(stream_err)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n]).map_err(write_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::process::Command;

    use super::*;
    use crate::pack::{PackInput, PackOptions, pack};

    /// A raw ustar header block.
    fn header(name: &[u8], kind: u8, size: u64, link: &[u8]) -> [u8; 512] {
        let mut h = tar::Header::new_ustar();
        {
            let old = h.as_old_mut();
            old.name[..name.len()].copy_from_slice(name);
            old.linkname[..link.len()].copy_from_slice(link);
        }
        h.set_mode(0o644);
        h.set_size(size);
        h.set_mtime(0);
        h.set_entry_type(tar::EntryType::new(kind));
        h.set_cksum();
        *h.as_bytes()
    }

    /// Builds a tar stream from (name, type, data, link) entries and gzips it.
    struct Tar(Vec<u8>);

    impl Tar {
        fn new() -> Self {
            Tar(Vec::new())
        }

        fn add(mut self, name: &str, kind: u8, data: &[u8], link: &str) -> Self {
            self.0.extend_from_slice(&header(
                name.as_bytes(),
                kind,
                data.len() as u64,
                link.as_bytes(),
            ));
            self.data(data)
        }

        /// A header whose size field says `size` but `data` follows.
        fn add_sized(mut self, name: &str, size: u64, data: &[u8]) -> Self {
            self.0
                .extend_from_slice(&header(name.as_bytes(), b'0', size, b""));
            self.data(data)
        }

        fn data(mut self, data: &[u8]) -> Self {
            self.0.extend_from_slice(data);
            let pad = (512 - data.len() % 512) % 512;
            self.0.extend(std::iter::repeat_n(0, pad));
            self
        }

        fn pax(self, records: &[(&str, &str)], global: bool) -> Self {
            let mut body = String::new();
            for (k, v) in records {
                let rest = format!(" {k}={v}\n");
                let mut len = rest.len() + 1;
                while len != rest.len() + len.to_string().len() {
                    len = rest.len() + len.to_string().len();
                }
                write!(body, "{len}{rest}").unwrap();
            }
            let kind = if global { b'g' } else { b'x' };
            self.add("PaxHeader", kind, body.as_bytes(), "")
        }

        fn gz(mut self, trailing: &[u8]) -> Vec<u8> {
            self.0.extend_from_slice(&[0u8; 1024]);
            self.0.extend_from_slice(trailing);
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&self.0).unwrap();
            enc.finish().unwrap()
        }
    }

    const WHEEL: &str = "wheelhouse/ok-1.0-py3-none-any.whl";

    fn base() -> Tar {
        Tar::new().add("wheelhouse/", b'5', b"", "")
    }

    fn open(bytes: &[u8]) -> Result<OpenedArchive, ArchiveError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.tar.gz");
        std::fs::write(&path, bytes).unwrap();
        open_archive(&path)
    }

    fn extracted(a: &OpenedArchive) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(a.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn reads_our_own_archive_without_findings() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{}-1.0-py3-none-any.whl", "x".repeat(120));
        let wheel = dir.path().join("src.whl");
        std::fs::write(&wheel, b"wheel bytes").unwrap();
        let input = PackInput {
            wheels: vec![
                (long.clone(), wheel.clone()),
                ("ok-1.0-py3-none-any.whl".into(), wheel),
            ],
            files: vec![("requirements.txt".into(), b"ok==1.0\n".to_vec())],
        };
        let out = dir.path().join("w.tar.gz");
        let info = pack(&out, &input, &PackOptions::default()).unwrap();
        let a = open_archive(&out).unwrap();
        assert_eq!(a.findings, []);
        assert_eq!(a.sha256, info.sha256);
        assert_eq!(a.size, info.size);
        assert_eq!(a.entries.len(), 4);
        assert_eq!(
            extracted(&a),
            ["ok-1.0-py3-none-any.whl", "requirements.txt", long.as_str()]
        );
        assert_eq!(
            std::fs::read(a.dir.path().join(&long)).unwrap(),
            b"wheel bytes"
        );
    }

    #[test]
    fn accepts_a_hand_packed_archive_with_dot_slash_names() {
        let dir = tempfile::tempdir().unwrap();
        let wh = dir.path().join("wheelhouse");
        std::fs::create_dir(&wh).unwrap();
        std::fs::write(wh.join("ok-1.0-py3-none-any.whl"), b"w").unwrap();
        std::fs::write(wh.join("constraints.txt"), b"ok==1.0\n").unwrap();
        let out = dir.path().join("hand.tar.gz");
        let status = Command::new("tar")
            .arg("-czf")
            .arg(&out)
            .arg("-C")
            .arg(dir.path())
            .arg("./wheelhouse")
            .status()
            .unwrap();
        assert!(status.success());
        let a = open_archive(&out).unwrap();
        assert_eq!(a.findings, []);
        assert_eq!(
            extracted(&a),
            ["constraints.txt", "ok-1.0-py3-none-any.whl"]
        );
    }

    #[test]
    fn hostile_archives_are_reported_and_nothing_escapes() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "parent traversal",
                base().add("../x.whl", b'0', b"x", "").gz(b""),
            ),
            (
                "traversal inside wheelhouse",
                base()
                    .add("wheelhouse/../../x-1.0-py3-none-any.whl", b'0', b"x", "")
                    .gz(b""),
            ),
            ("absolute", base().add("/etc/x", b'0', b"x", "").gz(b"")),
            (
                "symlink then a file through it",
                base()
                    .add("wheelhouse/evil", b'2', b"", "/etc")
                    .add("wheelhouse/evil/passwd", b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "symlinked wheelhouse",
                Tar::new()
                    .add("wheelhouse", b'2', b"", "/tmp")
                    .add(WHEEL, b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "hardlink",
                base()
                    .add(
                        "wheelhouse/h-1.0-py3-none-any.whl",
                        b'1',
                        b"",
                        "/etc/passwd",
                    )
                    .gz(b""),
            ),
            (
                "char device",
                base().add("wheelhouse/dev", b'3', b"", "").gz(b""),
            ),
            ("fifo", base().add("wheelhouse/fifo", b'6', b"", "").gz(b"")),
            (
                "duplicate names",
                base()
                    .add("wheelhouse/requirements.txt", b'0', b"first\n", "")
                    .add("./wheelhouse/requirements.txt", b'0', b"second\n", "")
                    .gz(b""),
            ),
            (
                "PAX path override to ../",
                base()
                    .pax(&[("path", "../evil-1.0-py3-none-any.whl")], false)
                    .add(WHEEL, b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "PAX size override",
                base()
                    .pax(&[("size", "0")], false)
                    .add_sized(WHEEL, 512, &[b'x'; 512])
                    .gz(b""),
            ),
            (
                "PAX global path",
                base()
                    .pax(&[("path", "x")], true)
                    .add(WHEEL, b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "GNU long name with ..",
                base()
                    .add(
                        "././@LongLink",
                        b'L',
                        b"wheelhouse/../../../evil-1.0-py3-none-any.whl\0",
                        "",
                    )
                    .add(WHEEL, b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "names outside or not allowed",
                base()
                    .add("other/x-1.0-py3-none-any.whl", b'0', b"x", "")
                    .add("wheelhouse/sub/", b'5', b"", "")
                    .add("wheelhouse/setup.py", b'0', b"x", "")
                    .add("wheelhouse/bad.whl", b'0', b"x", "")
                    .add("wheelhouse/a\u{202e}b.whl", b'0', b"x", "")
                    .add("wheelhouse\\x.whl", b'0', b"x", "")
                    .gz(b""),
            ),
            (
                "wheelhouse is a file",
                Tar::new().add("wheelhouse", b'0', b"x", "").gz(b""),
            ),
            (
                "data after the end-of-archive marker",
                base().add(WHEEL, b'0', b"x", "").gz(b"hidden"),
            ),
        ];
        let mut report = String::new();
        for (label, bytes) in cases {
            let a = open(&bytes).unwrap();
            writeln!(report, "{label}:").unwrap();
            for f in &a.findings {
                writeln!(report, "    {f}").unwrap();
            }
            writeln!(report, "    extracted: {:?}", extracted(&a)).unwrap();
            assert!(!a.findings.is_empty(), "{label}: no findings");
            for name in extracted(&a) {
                assert!(!name.contains('/') && name != ".." && !name.starts_with('.'));
            }
        }
        insta::assert_snapshot!(report);
    }

    #[test]
    fn corrupt_and_missing_archives_are_errors() {
        let mut bytes = base().add(WHEEL, b'0', b"x", "").gz(b"");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0xFF;
        let corrupt = open(&bytes).unwrap_err();
        assert_eq!(corrupt.exit_code(), ExitCode::Integrity);
        let not_gzip = open(b"not a gzip file at all").unwrap_err();
        assert_eq!(not_gzip.exit_code(), ExitCode::Integrity);
        let mut truncated = base().add(WHEEL, b'0', &[7u8; 4096], "").gz(b"");
        truncated.truncate(truncated.len() - 30);
        assert_eq!(
            open(&truncated).unwrap_err().exit_code(),
            ExitCode::Integrity
        );
        let missing = open_archive(Path::new("/nonexistent/w.tar.gz")).unwrap_err();
        assert_eq!(missing.exit_code(), ExitCode::Environment);
        let mut bad_sum = Tar::new().add(WHEEL, b'0', b"x", "");
        bad_sum.0[148] = b'7';
        assert_eq!(
            open(&bad_sum.gz(b"")).unwrap_err().exit_code(),
            ExitCode::Integrity
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 64,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Damaged tar streams (inside a valid gzip) never panic and never extract a path.
        #[test]
        fn damaged_tar_streams_never_panic(
            flips in proptest::collection::vec((proptest::prelude::any::<usize>(), 1u8..), 1..6),
        ) {
            let mut tar = base()
                .pax(&[("path", WHEEL)], false)
                .add(WHEEL, b'0', b"x", "")
                .add("wheelhouse/requirements.txt", b'0', b"ok\n", "");
            let len = tar.0.len();
            for (at, x) in flips {
                tar.0[at % len] ^= x;
            }
            if let Ok(a) = open(&tar.gz(b"")) {
                for name in extracted(&a) {
                    proptest::prop_assert!(!name.contains('/') && !name.starts_with('.'));
                }
            }
        }
    }

    #[test]
    fn limits_stop_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.tar.gz");
        let mut tar = base();
        for i in 0..5 {
            tar = tar.add(
                &format!("wheelhouse/p{i}-1.0-py3-none-any.whl"),
                b'0',
                b"x",
                "",
            );
        }
        std::fs::write(&path, tar.gz(b"")).unwrap();
        let limits = ArchiveLimits {
            max_entries: 3,
            ..ArchiveLimits::default()
        };
        let e = open_archive_with_limits(&path, &limits).unwrap_err();
        assert_eq!(e.exit_code(), ExitCode::Integrity);
        let limits = ArchiveLimits {
            max_extracted: 2,
            ..ArchiveLimits::default()
        };
        assert!(open_archive_with_limits(&path, &limits).is_err());
    }
}
