//! The `nbwheel` binary: parse the command line, run the library, render the result or the
//! error, exit with the documented code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::FromArgMatches;
use nbwheel::Error;
use nbwheel::cli::Cli;

mod progress;
mod render;
mod run;

fn main() -> ExitCode {
    tune_allocator();
    let parsed = nbwheel::cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (mut cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            if let Some(var) = env_source_of(&e) {
                eprintln!("hint: The value comes from the environment variable `{var}`.");
            }
            return ExitCode::from(code);
        }
    };
    init_logging(cli.verbose, cli.quiet);
    install_interrupt_handler();
    let reporter = progress::Bars::new(cli.quiet);
    let result = std::env::current_dir()
        .map_err(|e| Error::io("Failed to read the current directory", ".", e))
        .and_then(|cwd| nbwheel::commands::settings::apply_config(&mut cli, &matches, &cwd))
        .and_then(|_| run::run(&cli, &reporter));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Downloads still in flight on the runtime's background threads never unwind:
            // remove their temp files here (docs/GUARANTEES.md, "The machine").
            nbwheel::index::cache::remove_own_temp_files();
            reporter.clear();
            render::render_error(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Caps glibc's allocator for a short, I/O-bound process (before any other thread exists):
///
/// - one arena (`M_ARENA_MAX`): by default glibc gives each thread that allocates an arena of
///   its own, up to eight per core, and every arena keeps the memory it once held; with the
///   runtime's workers, the blocking pool and the validation threads that was 15-25 MB of a
///   build's peak (bench/README.md). The threads spend their time waiting on the network or in
///   code that allocates little, and each keeps a small per-thread cache, so one lock costs no
///   measurable time here.
/// - a fixed 128 KiB mmap threshold (`M_MMAP_THRESHOLD`, glibc's starting value): glibc raises
///   the threshold each time a large block is freed, after which page bodies and HTTP read
///   buffers are carved from the heap and their memory stays with the process; fixed, every
///   large buffer is mapped on its own and returned when freed.
///
/// `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_` or `GLIBC_TUNABLES` in the environment win.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(
    unsafe_code,
    reason = "mallopt is a C call; it only sets allocator parameters"
)]
fn tune_allocator() {
    let set = |name: &str| std::env::var_os(name).is_some();
    if set("GLIBC_TUNABLES") {
        return;
    }
    if !set("MALLOC_ARENA_MAX") {
        // SAFETY: `mallopt` takes two integers and changes allocator settings under glibc's own
        // lock; no memory is handed over. A refusal (return value 0) leaves the defaults.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
    }
    if !set("MALLOC_MMAP_THRESHOLD_") {
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024) };
    }
}

/// Other allocators keep their defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// For a clap error about a bad value: the environment variable it came from, when the flag
/// was not on the command line but its variable is set (clap's message names only the flag).
fn env_source_of(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        e.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let long = arg.split_whitespace().next()?.strip_prefix("--")?;
    if std::env::args().any(|a| a == format!("--{long}") || a.starts_with(&format!("--{long}="))) {
        return None;
    }
    let cli = nbwheel::cli::command();
    let mut commands = vec![&cli];
    commands.extend(cli.get_subcommands());
    commands
        .iter()
        .flat_map(|c| c.get_arguments())
        .filter(|a| a.get_long() == Some(long))
        .filter_map(|a| a.get_env())
        .find(|env| std::env::var_os(env).is_some())
        .map(|env| env.to_string_lossy().into_owned())
}

/// SIGINT (Ctrl-C): remove this process's temp files and exit 130. Nothing else needs undoing:
/// cache entries and archives only ever appear by rename, and locks die with the process.
fn install_interrupt_handler() {
    let _ = std::thread::Builder::new()
        .name("nbwheel-signal".into())
        .spawn(|| {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            else {
                return;
            };
            if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
                nbwheel::index::cache::remove_own_temp_files();
                eprintln!("\nerror: Interrupted");
                std::process::exit(130);
            }
        });
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "nbwheel=info,warn",
        (false, _) => "nbwheel=debug,info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter::new)
        .with_ansi(ansi)
        .without_time()
        .with_target(false)
        .try_init();
}
