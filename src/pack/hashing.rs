//! The archive's sha256, computed on a thread of its own while the archive is written: hashing
//! 28 MB took about 20 ms of the pack step's 60 on the build machine (`bench/README.md`), all of
//! it on the thread that also reads the wheels and writes the archive. Chunks go to the hashing
//! thread through a bounded channel and come back for reuse, so at most a few chunk buffers
//! exist at once and none is allocated per write.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use sha2::{Digest as _, Sha256};

/// Chunks in flight to the hashing thread.
const IN_FLIGHT: usize = 4;

/// Where the bytes are hashed.
enum Hasher {
    /// On the hashing thread.
    Thread {
        full: SyncSender<Vec<u8>>,
        empty: Receiver<Vec<u8>>,
        worker: JoinHandle<[u8; 32]>,
    },
    /// Inline, when no thread could be started.
    Inline(Sha256),
}

/// Writes through to `inner`, hashing and counting what was written.
pub(super) struct HashWriter<W> {
    inner: W,
    hasher: Hasher,
    count: u64,
}

impl<W: Write> HashWriter<W> {
    pub(super) fn new(inner: W) -> Self {
        let (full, to_hash) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (give_back, empty) = channel::<Vec<u8>>();
        let spawned = std::thread::Builder::new()
            .name("nbwheel-archive-sha256".into())
            .spawn(move || {
                let mut hasher = Sha256::new();
                for chunk in to_hash {
                    hasher.update(&chunk);
                    // The writer may be gone already (an error): the buffer is then dropped.
                    let _ = give_back.send(chunk);
                }
                hasher.finalize().into()
            });
        let hasher = match spawned {
            Ok(worker) => Hasher::Thread {
                full,
                empty,
                worker,
            },
            Err(_) => Hasher::Inline(Sha256::new()),
        };
        HashWriter {
            inner,
            hasher,
            count: 0,
        }
    }

    /// The inner writer, the sha256 of everything written and its length.
    pub(super) fn finish(self) -> io::Result<(W, [u8; 32], u64)> {
        let digest = match self.hasher {
            Hasher::Inline(h) => h.finalize().into(),
            Hasher::Thread { full, worker, .. } => {
                drop(full);
                worker
                    .join()
                    .map_err(|_| io::Error::other("the archive's hashing thread failed"))?
            }
        };
        Ok((self.inner, digest, self.count))
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        match &mut self.hasher {
            Hasher::Inline(h) => h.update(&buf[..n]),
            Hasher::Thread { full, empty, .. } => {
                let mut chunk = empty.try_recv().unwrap_or_default();
                chunk.clear();
                chunk.extend_from_slice(&buf[..n]);
                full.send(chunk)
                    .map_err(|_| io::Error::other("the archive's hashing thread stopped"))?;
            }
        }
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_counts_what_is_written_in_any_chunking() {
        let data: Vec<u8> = (0..1_000_003u32).map(|i| (i % 251) as u8).collect();
        for chunk in [1, 511, 4096, 300_000, 2_000_000] {
            let mut w = HashWriter::new(Vec::new());
            for piece in data.chunks(chunk) {
                w.write_all(piece).unwrap();
            }
            let (inner, digest, count) = w.finish().unwrap();
            assert_eq!(inner, data);
            assert_eq!(count, data.len() as u64);
            assert_eq!(
                digest,
                <[u8; 32]>::from(Sha256::digest(&data)),
                "chunk {chunk}"
            );
        }
    }
}
