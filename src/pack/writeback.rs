//! Early writeback of the archive: the kernel is asked to start writing each 8 MiB of the
//! temp file to disk as soon as it is written, so the `fsync` before the rename waits only for
//! the last few megabytes instead of the whole archive (28 MB of wheels: the fsync took about
//! 30 ms of a 60 ms pack, `bench/README.md`). Durability is unchanged: the fsync still comes
//! before the rename; this only starts the same work earlier.

use std::fs::File;
use std::io::{self, Write};

/// How much is written between two writeback requests.
const CHUNK: u64 = 8 * 1024 * 1024;

/// A [`Write`] over the archive's temp file that starts writeback every [`CHUNK`] bytes.
pub(super) struct Writeback<'a> {
    file: &'a File,
    written: u64,
    started: u64,
}

impl<'a> Writeback<'a> {
    pub(super) fn new(file: &'a File) -> Self {
        Writeback {
            file,
            written: 0,
            started: 0,
        }
    }
}

impl Write for Writeback<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = (&*self.file).write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= CHUNK {
            start_writeback(self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.file).flush()
    }
}

/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`: starts writing the range out without waiting. A
/// failure is ignored (the fsync that follows reports any real write error).
#[cfg(target_os = "linux")]
#[allow(
    unsafe_code,
    reason = "sync_file_range is a C call on a file descriptor this process owns"
)]
fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (
        libc::off64_t::try_from(offset),
        libc::off64_t::try_from(len),
    ) else {
        return;
    };
    // SAFETY: the descriptor is open for the whole call (borrowed from `file`); the call reads
    // no memory of this process and only schedules I/O on that file.
    let _ = unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
    };
}

/// Elsewhere the fsync does all the work.
#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: u64) {}
