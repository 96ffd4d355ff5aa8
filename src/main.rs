//! The `nbwheel` binary: parse the command line, run the library, render the result or the
//! error, exit with the documented code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::FromArgMatches;
use nbwheel::Error;
use nbwheel::cli::{CacheCommand, Cli, ClusterCommand, Command, ConstraintsCommand, Format};
use nbwheel::commands::build::{self, BuildReport, ResolveReport};
use nbwheel::commands::cluster::Kubectl;
use nbwheel::commands::settings::{BuildSettings, ResolveSettings};
use nbwheel::commands::verify::{self as audit, AuditReport, InspectReport, Severity};
use nbwheel::index::cache::Cache;

mod progress;

/// The version of every `--format json` document's shape, its top-level `"version"` field.
/// Bumped only when a field is removed or changes meaning; new fields may appear at any time.
const JSON_SCHEMA_VERSION: u32 = 1;

fn main() -> ExitCode {
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
        .and_then(|_| run(&cli, &reporter));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Downloads still in flight on the runtime's background threads never unwind:
            // remove their temp files here (RELIABILITY invariant 2).
            nbwheel::index::cache::remove_own_temp_files();
            reporter.clear();
            render_error(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

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

fn run(cli: &Cli, reporter: &progress::Bars) -> Result<(), Error> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io("Failed to read the current directory", ".", e))?;
    match &cli.command {
        Command::Build(args) => {
            let (mut settings, from_cluster) = if args.from_cluster {
                let kubectl = Kubectl::system(args.cluster.context.clone(), false);
                let (s, c) = nbwheel::commands::cluster::build::settings(args, &cwd, &kubectl)?;
                eprintln!(
                    "Target from pod `{}/{}`: {}",
                    c.info.namespace,
                    c.info.pod,
                    s.input
                        .targets
                        .iter()
                        .map(nbwheel::target::Target::short_description)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                (s, Some(c))
            } else {
                (BuildSettings::from_args(args, &cwd)?, None)
            };
            let local = nbwheel::commands::local_build::apply(&mut settings)?;
            let report = build::build_command(&settings, reporter)?;
            drop((from_cluster, local));
            reporter.clear();
            print_warnings(&report.warnings);
            match settings.format {
                Format::Json => print_json(&report),
                Format::Text => print_stdout(&render_build(&report)),
            }
        }
        Command::Resolve(args) => {
            let settings = ResolveSettings::from_args(args, &cwd)?;
            let report: ResolveReport = build::resolve_command(&settings, reporter)?;
            reporter.clear();
            print_warnings(&report.warnings);
            match settings.format {
                Format::Json => print_json(&report),
                Format::Text => print_stdout(&build::render_pins(&report)),
            }
        }
        Command::Verify(args) => {
            let targets = nbwheel::commands::settings::targets(&args.target)?;
            let netbox = args
                .netbox
                .as_deref()
                .map(nbwheel::netbox::parse_netbox_version)
                .transpose()?;
            let no_target_flags = args.target.arch.is_none()
                && args.target.manylinux.is_none()
                && args.target.python.is_none()
                && args.target.platform.is_empty()
                && args.target.target_profile.is_none();
            let report = if no_target_flags {
                audit::verify_claimed(&args.archive, &targets, netbox.as_ref())?
            } else {
                audit::verify_for_netbox(&args.archive, &targets, netbox.as_ref())?
            };
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => print_stdout(&render_verify(&report)),
            }
            let code = report.exit_code();
            if code != nbwheel::ExitCode::Success {
                return Err(Error::Verify { code });
            }
        }
        Command::Inspect(args) => {
            let report = audit::inspect(&args.archive)?;
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => print_stdout(&render_inspect(&report)),
            }
        }
        Command::Diff(args) => {
            let report = nbwheel::commands::diff::diff(&args.old, &args.new)?;
            print_warnings(&report.warnings);
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => print_stdout(&nbwheel::commands::diff::render(&report)),
            }
        }
        Command::Cache { command, cache_dir } => {
            let dir = cache_dir.clone().unwrap_or_else(Cache::default_dir);
            match command {
                CacheCommand::Dir => print_stdout(&format!("{}\n", dir.display())),
                CacheCommand::Clean => {
                    Cache::at(dir.clone()).clean()?;
                    eprintln!("Removed `{}`", dir.display());
                }
            }
        }
        Command::Cluster {
            command: ClusterCommand::Info { cluster, format },
        } => {
            let kubectl = Kubectl::system(cluster.context.clone(), false);
            let mut info =
                nbwheel::commands::cluster::info(&kubectl, cluster.namespace.as_deref())?;
            info.context.clone_from(&cluster.context);
            match format {
                Format::Json => print_json(&info),
                Format::Text => print_stdout(&info.render()),
            }
        }
        Command::Constraints {
            command: ConstraintsCommand::Pull { cluster, output },
        } => {
            let kubectl = Kubectl::system(cluster.context.clone(), false);
            let (ns, pod, text) = nbwheel::commands::cluster::pull_constraints(
                &kubectl,
                cluster.namespace.as_deref(),
            )?;
            if output.as_os_str() == "-" {
                print_stdout(&text);
            } else {
                std::fs::write(output, &text)
                    .map_err(|e| Error::io("Failed to write", output, e))?;
                eprintln!(
                    "Wrote `{}` ({} lines) from pod `{ns}/{pod}`",
                    output.display(),
                    text.lines().count()
                );
            }
        }
        Command::Upload(args) => {
            let destination: nbwheel::commands::upload::Destination = args.to.parse()?;
            let kubectl = Kubectl::system(args.cluster.context.clone(), args.dry_run);
            let options = nbwheel::commands::upload::UploadOptions {
                archive: args.archive.clone(),
                destination,
                namespace: args.cluster.namespace.clone(),
                restart: args.restart,
                no_verify: args.no_verify,
                rollback: args.rollback,
                timeout: std::time::Duration::from_secs(args.timeout.max(1)),
                s3: nbwheel::commands::upload::s3::S3Options {
                    endpoint_url: args.endpoint_url.clone(),
                    region: args.region.clone(),
                    profile: args.profile.clone(),
                    part_size: args.part_size.saturating_mul(1024 * 1024),
                },
            };
            let report = nbwheel::commands::upload::upload(&kubectl, &options)?;
            if report.dry_run {
                let mut out = String::from("# --dry-run: nothing was changed; the steps:\n");
                for s in &report.steps {
                    out.push_str(s);
                    out.push('\n');
                }
                print_stdout(&out);
            } else {
                eprintln!(
                    "{} `{}`{}",
                    if args.rollback {
                        "Rolled back"
                    } else {
                        "Uploaded to"
                    },
                    report.destination,
                    if report.kept_previous {
                        " (the previous archive is kept aside: `nbwheel upload --rollback`)"
                    } else {
                        ""
                    }
                );
            }
        }
        Command::Config(args) => {
            let report = nbwheel::commands::cluster::config::config(
                &args.archive,
                &args.source,
                &args.name,
                &args.namespace,
                args.region.as_deref(),
                args.endpoint_url.as_deref(),
            )?;
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => {
                    if report.plugins.is_empty() {
                        eprintln!("warning: no NetBox plugin found in the archive's wheels");
                    }
                    let mut out = report.custom_python_config.clone();
                    if args.patch {
                        out.push('\n');
                        out.push_str(&report.patch_command);
                        out.push('\n');
                    }
                    print_stdout(&out);
                }
            }
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut nbwheel::cli::command(), "nbwheel", &mut out);
            print_stdout(&String::from_utf8_lossy(&out));
        }
    }
    Ok(())
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// A report with the schema version in front of its fields.
#[derive(serde::Serialize)]
struct Versioned<'a, T: serde::Serialize> {
    version: u32,
    #[serde(flatten)]
    report: &'a T,
}

fn print_json<T: serde::Serialize>(report: &T) {
    let value = Versioned {
        version: JSON_SCHEMA_VERSION,
        report,
    };
    match serde_json::to_string_pretty(&value) {
        Ok(s) => print_stdout(&format!("{s}\n")),
        Err(e) => eprintln!("error: failed to encode JSON: {e}"),
    }
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn human_bytes(n: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let f = n as f64;
    if n >= 1_000_000 {
        format!("{:.1} MB", f / 1e6)
    } else if n >= 1_000 {
        format!("{:.1} kB", f / 1e3)
    } else {
        format!("{n} B")
    }
}

fn render_build(report: &BuildReport) -> String {
    let mut out = String::new();
    for a in &report.archives {
        let name_w = a.wheels.iter().map(|w| w.name.len()).max().unwrap_or(0);
        let ver_w = a.wheels.iter().map(|w| w.version.len()).max().unwrap_or(0);
        out.push_str(&format!("{}:\n", a.target));
        for w in &a.wheels {
            out.push_str(&format!(
                "  {:name_w$}  {:ver_w$}  {:>9}  {}  ({})\n",
                w.name,
                w.version,
                human_bytes(w.size),
                w.file,
                w.source
            ));
        }
        let total: u64 = a.wheels.iter().map(|w| w.size).sum();
        out.push_str(&format!(
            "Wrote {} ({} wheels, {} of wheels, archive {})\n  sha256:{}\n",
            a.archive.display(),
            a.wheels.len(),
            human_bytes(total),
            human_bytes(a.size),
            a.sha256
        ));
    }
    let plugins = nbwheel::netbox::render_configuration(&report.plugins);
    if !plugins.is_empty() {
        out.push('\n');
        out.push_str(&plugins);
    }
    out
}

fn render_verify(report: &AuditReport) -> String {
    let mut out = format!(
        "{}: {} wheels, sha256:{}\n",
        report.archive.display(),
        report.wheels.len(),
        report.sha256
    );
    for t in &report.targets {
        if !t.installs.is_empty() {
            out.push_str(&format!(
                "  {}: installs {} projects\n",
                t.target,
                t.installs.len()
            ));
        }
    }
    for f in &report.findings {
        let label = match f.severity {
            Severity::Integrity => "integrity",
            Severity::WouldNotInstall => "would not install",
            Severity::Note => "note",
        };
        out.push_str(&format!("{label}: {}: {}\n", f.subject, f.message));
    }
    out.push_str(if report.sound {
        "Sound: the archive will install on every target checked.\n"
    } else {
        "NOT sound.\n"
    });
    out
}

fn render_inspect(report: &InspectReport) -> String {
    let mut out = format!(
        "{}  {}  sha256:{}\n",
        report.archive.display(),
        human_bytes(report.size),
        report.sha256
    );
    let name_w = report
        .wheels
        .iter()
        .map(|w| w.name.len())
        .max()
        .unwrap_or(0);
    let ver_w = report
        .wheels
        .iter()
        .map(|w| w.version.len())
        .max()
        .unwrap_or(0);
    let tag_w = report
        .wheels
        .iter()
        .map(|w| w.tags.len())
        .max()
        .unwrap_or(0);
    for w in &report.wheels {
        out.push_str(&format!(
            "  {:name_w$}  {:ver_w$}  {:tag_w$}  {:>9}  sha256:{}\n",
            w.name,
            w.version,
            w.tags,
            human_bytes(w.size),
            w.sha256
        ));
    }
    for f in &report.files {
        out.push_str(&format!("  {f}\n"));
    }
    let plugins = nbwheel::netbox::render_configuration(&report.plugins);
    if !plugins.is_empty() {
        out.push('\n');
        out.push_str(&plugins);
    }
    out
}

fn render_error(e: &Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let _ = writeln!(err, "  Caused by: {cause}");
        source = cause.source();
    }
    if let Some(hint) = e.hint() {
        let _ = writeln!(err, "hint: {hint}");
    }
}
