//! The reader: the gzip and tar streams walked entry by entry, every name and type judged, the
//! allowed files extracted flat into a temporary folder, within the limits.

use super::*;

/// Hashes what it reads and remembers whether the file itself failed, to tell I/O errors
/// from corrupt data.
pub(super) struct HashReader<R> {
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
    walk_archive(path, limits, &mut |_, _| Ok(()))
}

/// What [`walk_archive`] calls for each allowed file once it is written to the temp folder:
/// the file name inside `wheelhouse/` and its temp path. The callback may read the file and
/// delete it (a deleted file is not in [`OpenedArchive::wheel_files`]); an error stops the
/// walk at that member.
pub type MemberSink<'s> = dyn FnMut(&str, &Path) -> io::Result<()> + 's;

/// Reads the archive at `path` as a stream: each member's name, type and size are judged from
/// its header, an allowed file larger than `limits.max_member` stops the walk before anything
/// of it is written, and every allowed file is handed to `sink` as soon as it is written, so a
/// sink that deletes what it has checked keeps disk use to the largest single member.
pub fn walk_archive(
    path: &Path,
    limits: &ArchiveLimits,
    sink: &mut MemberSink<'_>,
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
        sink,
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
pub(super) struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<String>,
    bad_pax: bool,
}

pub(super) struct State<'a> {
    path: &'a Path,
    dir: &'a Path,
    limits: &'a ArchiveLimits,
    entries: Vec<ArchiveEntry>,
    findings: Vec<ArchiveFinding>,
    seen: HashSet<String>,
    extracted: u64,
    sink: &'a mut MemberSink<'a>,
}

pub(super) fn escape(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.escape_debug().to_string(),
        Err(_) => bytes.escape_ascii().to_string(),
    }
}

impl State<'_> {
    pub(super) fn limit(&self, limit: &'static str, actual: u64, max: u64) -> ArchiveError {
        ArchiveError::Limit {
            path: self.path.to_path_buf(),
            limit,
            actual,
            max,
        }
    }

    pub(super) fn find(&mut self, entry: &str, problem: FindingKind) {
        self.findings.push(ArchiveFinding {
            entry: entry.to_string(),
            problem,
        });
    }

    pub(super) fn read_extension<R: Read>(
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

    /// Reads a PAX or GNU extension header into `pending` (or a finding); `false` for any
    /// other entry.
    fn extension<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        pending: &mut Pending,
        stream_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<bool, ArchiveError> {
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
                return Ok(true);
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
                return Ok(true);
            }
            tar::EntryType::GNULongName => {
                let mut data = self.read_extension(entry, stream_err)?;
                while data.last() == Some(&0) {
                    data.pop();
                }
                pending.path = Some(data);
                return Ok(true);
            }
            tar::EntryType::GNULongLink => {
                let mut data = self.read_extension(entry, stream_err)?;
                while data.last() == Some(&0) {
                    data.pop();
                }
                pending.link = Some(data);
                return Ok(true);
            }
            _ => {}
        }
        Ok(false)
    }

    /// Reads one tar entry: an extension header, or a member checked for its kind, name,
    /// place and size and then extracted and handed to the sink.
    pub(super) fn entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        pending: &mut Pending,
        stream_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        if self.extension(entry, pending, stream_err)? {
            return Ok(());
        }
        let kind = entry.header().entry_type();
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
        if !self.is_file(entry, kind, &name, pending.link) {
            return Ok(());
        }
        let Some(component) = self.placement(&raw_name, &name, kind) else {
            return Ok(());
        };
        let component = component.as_str();
        if size > self.limits.max_member {
            return Err(ArchiveError::Member {
                path: self.path.to_path_buf(),
                member: name,
                size,
                max: self.limits.max_member,
            });
        }
        self.extracted = self.extracted.saturating_add(size);
        if self.extracted > self.limits.max_extracted {
            return Err(self.limit("extracted size", self.extracted, self.limits.max_extracted));
        }
        self.extract(entry, component, size, stream_err)?;
        let target = self.dir.join(component);
        (self.sink)(component, &target).map_err(|source| ArchiveError::Io {
            action: "Failed to check",
            path: target,
            source,
        })
    }

    /// True for a regular file or directory; a finding for a link or a special file.
    fn is_file<R: Read>(
        &mut self,
        entry: &tar::Entry<'_, R>,
        kind: EntryType,
        name: &str,
        link: Option<Vec<u8>>,
    ) -> bool {
        match kind {
            EntryType::Regular | EntryType::Directory => {}
            EntryType::Symlink | EntryType::Hardlink => {
                let target = link
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
                    name,
                    FindingKind::Link {
                        kind,
                        target: escape(&target),
                    },
                );
                return false;
            }
            other => {
                self.find(name, FindingKind::Special(other));
                return false;
            }
        }

        true
    }

    /// The file name under `wheelhouse/` of an entry that may be there; a finding (and `None`)
    /// for an unsafe name, a duplicate, or a place or name not allowed.
    fn placement(&mut self, raw_name: &[u8], name: &str, kind: EntryType) -> Option<String> {
        let clean = self.check_name(raw_name, name)?;
        if !self.seen.insert(clean.clone()) {
            self.find(name, FindingKind::Duplicate);
            return None;
        }
        let is_dir = kind == EntryType::Directory;
        let component = match clean.split_once('/') {
            None if clean.is_empty() && is_dir => return None,
            None if clean == "wheelhouse" => {
                if !is_dir {
                    self.find(name, FindingKind::NotADirectory);
                }
                return None;
            }
            Some(("wheelhouse", rest)) if !rest.contains('/') && !is_dir => rest,
            Some(("wheelhouse", _)) => {
                self.find(name, FindingKind::NotAllowed);
                return None;
            }
            _ => {
                self.find(name, FindingKind::OutsideWheelhouse);
                return None;
            }
        };
        let allowed = if std::path::Path::new(component)
            .extension()
            .is_some_and(|e| e == "whl")
        {
            if component.parse::<WheelName>().is_err() {
                self.find(name, FindingKind::BadWheelName);
                return None;
            }
            true
        } else {
            ALLOWED_FILES.contains(&component)
        };
        if !allowed {
            self.find(name, FindingKind::NotAllowed);
            return None;
        }
        Some(component.to_string())
    }

    /// Normalises a name (strips `./`, a trailing `/`); records a finding and returns `None`
    /// when it is unsafe.
    pub(super) fn check_name(&mut self, raw: &[u8], shown: &str) -> Option<String> {
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
        if text.chars().any(crate::wheel_zip::is_other_char) {
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

    pub(super) fn extract<R: Read>(
        &self,
        entry: &mut tar::Entry<'_, R>,
        component: &str,
        size: u64,
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
        let mut written = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(stream_err)?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > size {
                // The tar entry reader stops at the header's size; never write past it.
                break;
            }
            out.write_all(&buf[..n]).map_err(write_err)?;
        }
        Ok(())
    }
}
