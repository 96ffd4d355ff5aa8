//! The async runtime every network stage runs on.
//!
//! A foundation module: `build`, `verify` and `upload` all start their runtime here, so the
//! thread names and the error for a runtime that cannot start are the same everywhere.

/// The most threads of the blocking pool (tokio's default is 512). It runs name resolution
/// and the odd file operation, each a short call, so more threads only add stacks and
/// allocator state; further calls wait for a free thread.
pub const MAX_BLOCKING_THREADS: usize = 8;

/// A tokio runtime: multi-threaded with `workers` threads, or on the current thread for `None`.
/// Its blocking pool is capped at [`MAX_BLOCKING_THREADS`].
///
/// # Errors
/// The operating system refused the threads or the I/O driver (an environment failure, exit 5).
pub fn async_runtime(workers: Option<usize>) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match workers {
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n).thread_name("nbwheel-net");
            b
        }
        None => tokio::runtime::Builder::new_current_thread(),
    };
    builder
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .enable_all()
        .build()
}
