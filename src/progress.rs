//! The binary's [`Reporter`]: indicatif bars on stderr when it is a terminal (never under `-q`),
//! and a log writer that prints above the bars instead of through them.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use nbwheel::reporter::Reporter;
use nbwheel::target::Target;

fn multi() -> &'static MultiProgress {
    static MULTI: OnceLock<MultiProgress> = OnceLock::new();
    MULTI.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
}

/// Progress bars.
pub struct Bars {
    enabled: bool,
    resolve: Mutex<Option<ProgressBar>>,
    download: Mutex<Option<ProgressBar>>,
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
        }
    }

    /// Removes every bar.
    pub fn clear(&self) {
        for slot in [&self.resolve, &self.download] {
            if let Some(bar) = slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
            {
                bar.finish_and_clear();
            }
        }
        let _ = multi().clear();
    }
}

impl Reporter for Bars {
    fn resolve_started(&self, target: &Target) {
        if !self.enabled {
            return;
        }
        let bar = multi().add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("Resolving for {target}"));
        bar.enable_steady_tick(Duration::from_millis(100));
        *self
            .resolve
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
    }

    fn resolve_finished(&self, _target: &Target, _packages: usize) {
        if let Some(bar) = self
            .resolve
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            bar.finish_and_clear();
        }
    }

    fn download_started(&self, files: usize, bytes: u64) {
        if !self.enabled {
            return;
        }
        let bar = multi().add(ProgressBar::new(bytes.max(1)));
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(format!("0/{files} wheels"));
        bar.set_length(bytes.max(1));
        *self
            .download
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
    }

    fn download_finished(&self, filename: &str, bytes: u64, _reused: bool) {
        if let Some(bar) = self
            .download
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            bar.inc(bytes);
            bar.set_message(filename.to_string());
        }
    }

    fn downloads_done(&self) {
        if let Some(bar) = self
            .download
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            bar.finish_and_clear();
        }
    }

    fn pack_started(&self, _path: &Path) {}

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
