//! The binary's dispatch: one function per subcommand, each calling its command in
//! [`nbwheel::commands`] and rendering the report ([`crate::render`]).

use std::path::{Path, PathBuf};

use nbwheel::Error;
use nbwheel::cli::{
    BuildArgs, CacheCommand, Cli, ClusterArgs, ClusterCommand, Command, ConfigArgs,
    ConstraintsCommand, DiffArgs, Format, InspectArgs, ResolveArgs, UploadArgs, VerifyArgs,
};
use nbwheel::commands::build::{self, ResolveReport};
use nbwheel::commands::cluster::Kubectl;
use nbwheel::commands::settings::{BuildSettings, ResolveSettings};
use nbwheel::commands::verify as audit;
use nbwheel::index::cache::Cache;

use crate::progress;
use crate::render::{
    WithLicenses, print_json, print_stdout, print_warnings, render_build, render_inspect,
    render_verify,
};

/// Runs the parsed command line.
pub fn run(cli: &Cli, reporter: &progress::Bars) -> Result<(), Error> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io("Failed to read the current directory", ".", e))?;
    match &cli.command {
        Command::Build(args) => build(args, &cwd, reporter),
        Command::Resolve(args) => resolve(args, &cwd, reporter),
        Command::Verify(args) => verify(args),
        Command::Inspect(args) => inspect(args),
        Command::Diff(args) => diff(args),
        Command::Cache { command, cache_dir } => cache(command, cache_dir.as_ref()),
        Command::Cluster {
            command: ClusterCommand::Info { cluster, format },
        } => cluster_info(cluster, *format),
        Command::Cluster {
            command: ClusterCommand::Check(args),
        } => cluster_check(args),
        Command::Constraints {
            command: ConstraintsCommand::Pull { cluster, output },
        } => constraints_pull(cluster, output),
        Command::Upload(args) => upload(args),
        Command::Config(args) => config(args),
        Command::Audit(args) => audit_command(args, &cwd, reporter),
        Command::Sbom(args) => sbom(args),
        Command::Upgrade(args) => upgrade(args, &cwd),
        Command::Completions { shell } => {
            completions(*shell);
            Ok(())
        }
    }
}

fn build(args: &BuildArgs, cwd: &Path, reporter: &progress::Bars) -> Result<(), Error> {
    let (mut settings, from_cluster) = if args.from_cluster {
        let kubectl = Kubectl::system(args.cluster.context.clone(), false);
        let (s, c) = nbwheel::commands::cluster::build::settings(args, cwd, &kubectl)?;
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
        (BuildSettings::from_args(args, cwd)?, None)
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
    let audits = nbwheel::commands::advisory::command::after_build(args, &report)?;
    for a in &audits {
        eprint!("{}", nbwheel::commands::advisory::report::render(a));
    }
    nbwheel::commands::advisory::command::outcome(&audits)?;
    Ok(())
}

fn resolve(args: &ResolveArgs, cwd: &Path, reporter: &progress::Bars) -> Result<(), Error> {
    let settings = ResolveSettings::from_args(args, cwd)?;
    let report: ResolveReport = build::resolve_command(&settings, reporter)?;
    reporter.clear();
    print_warnings(&report.warnings);
    match settings.format {
        Format::Json => print_json(&report),
        Format::Text => print_stdout(&build::render_pins(&report)),
    }
    Ok(())
}

fn verify(args: &VerifyArgs) -> Result<(), Error> {
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
    Ok(())
}

fn inspect(args: &InspectArgs) -> Result<(), Error> {
    let report = audit::inspect(&args.archive)?;
    let licenses = nbwheel::commands::sbom::license::of_archive(&args.archive)?;
    match args.format {
        Format::Json => print_json(&WithLicenses {
            report: &report,
            licenses: &licenses,
        }),
        Format::Text => print_stdout(&render_inspect(&report, &licenses)),
    }
    Ok(())
}

fn audit_command(
    args: &nbwheel::cli::AuditArgs,
    cwd: &Path,
    reporter: &progress::Bars,
) -> Result<(), Error> {
    let report = nbwheel::commands::advisory::command::audit(args, cwd, reporter)?;
    reporter.clear();
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print_stdout(&nbwheel::commands::advisory::report::render(&report)),
    }
    nbwheel::commands::advisory::command::outcome(std::slice::from_ref(&report))?;
    Ok(())
}

fn sbom(args: &nbwheel::cli::SbomArgs) -> Result<(), Error> {
    let json = nbwheel::commands::sbom::sbom_json(&args.archive, args.netbox.as_deref())?;
    match &args.output {
        Some(path) => nbwheel::commands::sbom::write_atomic(path, &json)?,
        None => print_stdout(&String::from_utf8_lossy(&json)),
    }
    Ok(())
}

fn diff(args: &DiffArgs) -> Result<(), Error> {
    let report = nbwheel::commands::diff::diff(&args.old, &args.new)?;
    print_warnings(&report.warnings);
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print_stdout(&nbwheel::commands::diff::render(&report)),
    }
    Ok(())
}

fn cache(command: &CacheCommand, cache_dir: Option<&PathBuf>) -> Result<(), Error> {
    let dir = cache_dir.cloned().unwrap_or_else(Cache::default_dir);
    match command {
        CacheCommand::Dir => print_stdout(&format!("{}\n", dir.display())),
        CacheCommand::Clean => {
            Cache::at(dir.clone()).clean()?;
            eprintln!("Removed `{}`", dir.display());
        }
    }
    Ok(())
}

fn cluster_info(cluster: &ClusterArgs, format: Format) -> Result<(), Error> {
    let kubectl = Kubectl::system(cluster.context.clone(), false);
    let mut info = nbwheel::commands::cluster::info(&kubectl, cluster.namespace.as_deref())?;
    info.context.clone_from(&cluster.context);
    match format {
        Format::Json => print_json(&info),
        Format::Text => print_stdout(&info.render()),
    }
    Ok(())
}

fn constraints_pull(cluster: &ClusterArgs, output: &Path) -> Result<(), Error> {
    let kubectl = Kubectl::system(cluster.context.clone(), false);
    let (ns, pod, text) =
        nbwheel::commands::cluster::pull_constraints(&kubectl, cluster.namespace.as_deref())?;
    if output.as_os_str() == "-" {
        print_stdout(&text);
    } else {
        std::fs::write(output, &text).map_err(|e| Error::io("Failed to write", output, e))?;
        eprintln!(
            "Wrote `{}` ({} lines) from pod `{ns}/{pod}`",
            output.display(),
            text.lines().count()
        );
    }
    Ok(())
}

fn upload(args: &UploadArgs) -> Result<(), Error> {
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
            cert: args.cert.clone(),
            client_cert: args.client_cert.clone(),
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
    if args.check && !report.dry_run {
        let check = nbwheel::cli::CheckArgs {
            archive: args.archive.clone().filter(|_| !args.rollback),
            cluster: args.cluster.clone(),
            timeout: args.timeout.max(1),
            format: Format::Text,
        };
        cluster_check(&check)?;
    }
    Ok(())
}

/// `nbwheel cluster check` (also after `upload --restart --check`).
fn cluster_check(args: &nbwheel::cli::CheckArgs) -> Result<(), Error> {
    let runner = nbwheel::commands::cluster::SystemRunner::from_env().bounded(
        nbwheel::commands::cluster::check::MAX_OUTPUT,
        std::time::Duration::from_secs(args.timeout.max(1)),
    );
    let kubectl = Kubectl::new(Box::new(runner), args.cluster.context.clone(), false);
    let report = nbwheel::commands::cluster::check::check(
        &kubectl,
        args.cluster.namespace.as_deref(),
        args.archive.as_deref(),
    )?;
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print_stdout(&report.render()),
    }
    report.outcome()
}

fn upgrade(args: &nbwheel::cli::UpgradeArgs, cwd: &Path) -> Result<(), Error> {
    let report = nbwheel::commands::upgrade::upgrade(args, cwd)?;
    print_warnings(&report.warnings);
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print_stdout(&nbwheel::commands::upgrade::render(&report, args.format)),
    }
    report.outcome()
}

fn config(args: &ConfigArgs) -> Result<(), Error> {
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
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
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
    Ok(())
}

fn completions(shell: clap_complete::Shell) {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut nbwheel::cli::command(), "nbwheel", &mut out);
    print_stdout(&String::from_utf8_lossy(&out));
}
