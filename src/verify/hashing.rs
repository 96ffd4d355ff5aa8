//! Hashing a wheel file while it is validated (see [`super::validate_and_hash`]).

use std::io::{Read, Seek, SeekFrom};

/// Hashes the prefix of a file as reads pass over it, whatever order they come in: a read
/// that starts at or before the hashed prefix's end extends it; a read a little past it first
/// fills the gap (a zip's local headers, skipped by the member reads); anything else is left
/// for [`HashingReader::finish`], which reads the rest of the file once.
pub(super) struct HashingReader<R> {
    inner: R,
    pos: u64,
    hashed: u64,
    hasher: sha2::Sha256,
}

/// The largest gap filled in passing (larger ones are read at the end).
const MAX_HASH_GAP: u64 = 256 * 1024;

impl<R: Read + Seek> HashingReader<R> {
    pub(super) fn new(inner: R) -> Self {
        HashingReader {
            inner,
            pos: 0,
            hashed: 0,
            hasher: sha2::Digest::new(),
        }
    }

    /// Reads `[hashed, to)` into the hasher and seeks back to where the reader was.
    fn fill_to(&mut self, to: u64) -> std::io::Result<()> {
        let back = self.pos;
        self.inner.seek(SeekFrom::Start(self.hashed))?;
        let mut buf = vec![0u8; 64 * 1024];
        while self.hashed < to {
            let want = usize::try_from((to - self.hashed).min(buf.len() as u64)).unwrap_or(0);
            let n = self.inner.read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            sha2::Digest::update(&mut self.hasher, &buf[..n]);
            self.hashed += n as u64;
        }
        self.pos = self.inner.seek(SeekFrom::Start(back))?;
        Ok(())
    }

    /// The sha256 (hex) and size of the whole file, reading whatever was not read yet.
    pub(super) fn finish(mut self) -> std::io::Result<(String, u64)> {
        self.fill_to(u64::MAX)?;
        Ok((
            hex::encode(sha2::Digest::finalize(self.hasher)),
            self.hashed,
        ))
    }
}

impl<R: Read + Seek> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos > self.hashed && self.pos - self.hashed <= MAX_HASH_GAP {
            let to = self.pos;
            self.fill_to(to)?;
        }
        let n = self.inner.read(buf)?;
        let end = self.pos + n as u64;
        if self.pos <= self.hashed && end > self.hashed {
            let from = usize::try_from(self.hashed - self.pos).unwrap_or(0);
            sha2::Digest::update(&mut self.hasher, &buf[from..n]);
            self.hashed = end;
        }
        self.pos = end;
        Ok(n)
    }
}

impl<R: Seek> Seek for HashingReader<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}
