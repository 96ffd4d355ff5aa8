//! The binary's [`Reporter`]: indicatif bars on stderr when it is a terminal (never under `-q`),
//! and a log writer that prints above the bars instead of through them.
//!
//! Input: the library's progress events. Output: a resolve spinner per target, one download bar
//! (bytes, rate, ETA, wheels done) and a packing spinner, all on stderr. The download bar counts
//! bytes from the network: a file reused from the cache or a local folder shortens the total
//! instead of inflating the rate. Bytes arrive through [`Reporter::download_progress`] when the
//! transport reports them and otherwise all at once when a file finishes. No colour is used, so
//! `NO_COLOR` needs nothing here (the log writer's colour honours it in `main`).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use nbwheel::reporter::Reporter;
use nbwheel::target::Target;

fn multi() -> &'static MultiProgress {
    static MULTI: OnceLock<MultiProgress> = OnceLock::new();
    MULTI.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// The download bar and what it has counted.
struct Download {
    bar: ProgressBar,
    files: usize,
    done: usize,
    /// Bytes counted so far per file still in flight.
    streamed: HashMap<String, u64>,
}

/// Progress bars.
pub struct Bars {
    enabled: bool,
    resolve: Mutex<Option<ProgressBar>>,
    download: Mutex<Option<Download>>,
    pack: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// Bars are drawn only when stderr is a terminal and `-q` is not given.
    pub fn new(quiet: bool) -> Self {
        let enabled = !quiet && std::io::stderr().is_terminal();
        if !enabled {
            multi().set_draw_target(ProgressDrawTarget::hidden());
        }
        Bars {
            enabled,
            resolve: Mutex::new(None),
            download: Mutex::new(None),
            pack: Mutex::new(None),
        }
    }

    /// Removes every bar.
    pub fn clear(&self) {
        for slot in [&self.resolve, &self.pack] {
            if let Some(bar) = lock(slot).take() {
                bar.finish_and_clear();
            }
        }
        if let Some(d) = lock(&self.download).take() {
            d.bar.finish_and_clear();
        }
        let _ = multi().clear();
    }

    fn spinner(&self, slot: &Mutex<Option<ProgressBar>>, message: String) {
        if !self.enabled {
            return;
        }
        let mut slot = lock(slot);
        let bar = slot.get_or_insert_with(|| {
            let bar = multi().add(ProgressBar::new_spinner());
            bar.set_style(style("{spinner} {msg} {elapsed}"));
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        bar.set_message(message);
    }
}

impl Reporter for Bars {
    fn resolve_started(&self, target: &Target) {
        self.spinner(&self.resolve, format!("Resolving for {target}"));
    }

    fn resolve_finished(&self, _target: &Target, _packages: usize) {
        if let Some(bar) = lock(&self.resolve).take() {
            bar.finish_and_clear();
        }
    }

    fn download_started(&self, files: usize, bytes: u64) {
        if !self.enabled {
            return;
        }
        let bar = multi().add(ProgressBar::new(bytes));
        bar.set_style(style(
            "Downloading [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        ));
        bar.set_message(format!("0/{files} wheels"));
        bar.enable_steady_tick(Duration::from_millis(250));
        *lock(&self.download) = Some(Download {
            bar,
            files,
            done: 0,
            streamed: HashMap::new(),
        });
    }

    fn download_progress(&self, filename: &str, bytes: u64) {
        if let Some(d) = lock(&self.download).as_mut() {
            *d.streamed.entry(filename.to_string()).or_default() += bytes;
            d.bar.inc(bytes);
            if d.bar.position() > d.bar.length().unwrap_or(0) {
                d.bar.set_length(d.bar.position());
            }
        }
    }

    fn download_finished(&self, filename: &str, bytes: u64, reused: bool) {
        if let Some(d) = lock(&self.download).as_mut() {
            let streamed = d.streamed.remove(filename).unwrap_or(0);
            if reused {
                // Not from the network: take it out of the total so the rate and ETA stay true.
                d.bar.dec_length(bytes.saturating_sub(streamed));
            } else {
                d.bar.inc(bytes.saturating_sub(streamed));
            }
            if d.bar.position() > d.bar.length().unwrap_or(0) {
                d.bar.set_length(d.bar.position());
            }
            d.done += 1;
            d.bar.set_message(format!("{}/{} wheels", d.done, d.files));
        }
    }

    fn downloads_done(&self) {
        if let Some(d) = lock(&self.download).take() {
            d.bar.finish_and_clear();
        }
    }

    fn pack_started(&self, path: &Path) {
        self.spinner(
            &self.pack,
            format!("Checking and packing `{}`", path.display()),
        );
    }

    fn warn(&self, message: &str) {
        multi().suspend(|| eprintln!("warning: {message}"));
    }
}

/// A `tracing` writer that prints above the bars.
pub struct LogWriter;

impl LogWriter {
    /// For `tracing_subscriber::fmt().with_writer(LogWriter::new)`.
    pub fn new() -> Self {
        LogWriter
    }
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        multi().suspend(|| std::io::stderr().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
