//! From the parsed command line to validated settings: targets, default input files, output
//! paths, and the configuration file merged under the flags ([`apply_config`]). No network; the
//! only I/O is reading the configuration file and checking whether default input files exist.

use std::path::{Path, PathBuf};

use clap::{ArgMatches, CommandFactory};

use crate::cli::{BuildArgs, Cli, Command, Format, InputArgs, ResolveArgs, TargetArgs};
use crate::commands::Error;
use crate::commands::config;
use crate::target::{Arch, Glibc, Profile, Target, parse_pip_platform};

/// Parses `--uploaded-prior-to`: an RFC 3339 date-time, a date (midnight UTC), or an ISO 8601
/// duration (`P7D`, `PT12H`, `P1W`) subtracted from `now`.
pub fn parse_cutoff(value: &str, now: jiff::Timestamp) -> Result<jiff::Timestamp, String> {
    let v = value.trim();
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    if let Ok(dt) = v.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    if v.starts_with(['P', 'p']) {
        let span: jiff::Span = v.parse().map_err(|e| format!("invalid duration: {e}"))?;
        if span.is_negative() {
            return Err("the duration must be positive".into());
        }
        return now
            .to_zoned(jiff::tz::TimeZone::UTC)
            .checked_sub(span)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    Err("expected an ISO 8601 date (`2026-11-01`), date-time (`2026-11-01T12:00:00Z`) or duration (`P7D`)".into())
}

/// Settings shared by `build` and `resolve`.
#[derive(Debug, Clone)]
pub struct InputSettings {
    /// Root requirement files.
    pub requirements: Vec<PathBuf>,
    /// Root constraint files.
    pub constraints: Vec<PathBuf>,
    /// One target per architecture, in a fixed order.
    pub targets: Vec<Target>,
    /// The upload-time cutoff, resolved against the clock once.
    pub uploaded_prior_to: Option<jiff::Timestamp>,
    /// The raw source and network flags.
    pub args: InputArgs,
    /// Projects whose sdist may be built (`build`/`resolve --allow-sdist`).
    pub allow_sdist: crate::resolve::AllowSdist,
}

/// Settings of `nbwheel build`.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Inputs and targets.
    pub input: InputSettings,
    /// One output path per target, in the order of `input.targets`.
    pub outputs: Vec<PathBuf>,
    /// gzip level.
    pub compression_level: Option<u32>,
    /// Projects whose invalid RECORD is tolerated.
    pub allow_invalid_record: Vec<String>,
    /// Rebuild from this lock instead of resolving.
    pub lock: Option<PathBuf>,
    /// The `NetBox` release plugins must support (`--netbox`).
    pub netbox: Option<pep440_rs::Version>,
    /// Output format.
    pub format: Format,
    /// Pack every target's wheels into ONE archive (`--merge`, or a cluster of mixed nodes).
    pub merge: bool,
    /// The `NetBox` version plugins are gated on (from `--from-cluster`).
    // TODO(netbox gate): hand this to the `--netbox VERSION` plugin gate once it lands.
    pub netbox_version: Option<String>,
    /// Local project directories to build into wheels (`--local`).
    pub local_projects: Vec<PathBuf>,
    /// The PEP 517 frontend for local projects (`None`: the first found).
    pub build_frontend: Option<crate::cli::BuildFrontend>,
}

/// Settings of `nbwheel resolve`.
#[derive(Debug, Clone)]
pub struct ResolveSettings {
    /// Inputs and targets.
    pub input: InputSettings,
    /// Output format.
    pub format: Format,
}

impl InputSettings {
    /// Validates the shared flags; `cwd` is where default files are looked for.
    pub fn from_args(args: &InputArgs, cwd: &Path) -> Result<Self, Error> {
        let requirements = if args.requirements.is_empty() {
            let default = cwd.join("requirements.txt");
            if !default.is_file() {
                return Err(Error::usage(
                    format!(
                        "No requirements file given and `{}` does not exist",
                        default.display()
                    ),
                    Some("Pass one with `-r FILE`.".into()),
                ));
            }
            vec![default]
        } else {
            args.requirements.clone()
        };
        let constraints = if args.constraints.is_empty() {
            let default = cwd.join("constraints.txt");
            if default.is_file() {
                vec![default]
            } else {
                Vec::new()
            }
        } else {
            args.constraints.clone()
        };
        let uploaded_prior_to = args
            .uploaded_prior_to
            .as_deref()
            .map(|v| parse_cutoff(v, jiff::Timestamp::now()))
            .transpose()
            .map_err(|m| {
                Error::usage(
                    format!("Invalid value for `--uploaded-prior-to`: {m}"),
                    Some("Examples: `2026-11-01`, `2026-11-01T12:00:00Z`, `P7D`.".into()),
                )
            })?;
        Ok(InputSettings {
            uploaded_prior_to,
            requirements,
            constraints,
            targets: targets(&args.target)?,
            args: args.clone(),
            allow_sdist: crate::resolve::AllowSdist::default(),
        })
    }
}

/// The targets the flags describe, one per architecture.
pub fn targets(args: &TargetArgs) -> Result<Vec<Target>, Error> {
    targets_labeled(args, &|flag| format!("`{flag}`"))
}

/// [`targets`], naming a bad value's origin with `label(flag)` (e.g. "`NBWHEEL_ARCH`
/// (`--arch`)" for a value from the environment).
pub fn targets_labeled(
    args: &TargetArgs,
    label: &dyn Fn(&str) -> String,
) -> Result<Vec<Target>, Error> {
    let usage = |flag: &str, message: String| {
        Error::usage(
            format!("Invalid value for {}: {message}", label(flag)),
            Some("Run `nbwheel build --help` for the accepted values.".into()),
        )
    };
    let profile = args
        .target_profile
        .as_deref()
        .map(Profile::load)
        .transpose()
        .map_err(|m| usage("--target-profile", m))?;
    let mut arches: Vec<Arch> = Vec::new();
    let mut glibc: Option<Glibc> = None;
    let mut allow_linux = args.allow_linux_tag;
    if !args.platform.is_empty() {
        if args.arch.is_some() || args.manylinux.is_some() {
            return Err(Error::usage(
                "`--platform` cannot be combined with `--arch` or `--manylinux`",
                Some("Use either pip's `--platform manylinux_2_28_x86_64` or `--arch x86_64 --manylinux 2_28`.".into()),
            ));
        }
        for p in &args.platform {
            let (arch, g) = parse_pip_platform(p).map_err(|m| usage("--platform", m))?;
            if !arches.contains(&arch) {
                arches.push(arch);
            }
            match g {
                Some(g) => glibc = Some(glibc.map_or(g, |old: Glibc| old.max(g))),
                None => allow_linux = true,
            }
        }
    }
    if let Some(list) = &args.arch {
        for part in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if part.eq_ignore_ascii_case("all") {
                arches.extend(
                    profile
                        .as_ref()
                        .map_or(&Arch::ALL[..], |p| &p.architectures),
                );
            } else {
                arches.push(part.parse().map_err(|m| usage("--arch", m))?);
            }
        }
        if arches.is_empty() {
            return Err(usage("--arch", "no architecture given".into()));
        }
    }
    if let Some(p) = &profile {
        if arches.is_empty() {
            arches.extend(&p.default_architectures);
        }
        if let Some(a) = arches.iter().find(|a| !p.architectures.contains(a)) {
            return Err(usage(
                "--arch",
                format!("the target profile `{}` has no {a} machines", p.name),
            ));
        }
    }
    if arches.is_empty() {
        arches.push(Arch::X86_64);
    }
    arches.sort();
    arches.dedup();
    if let Some(m) = &args.manylinux {
        glibc = Some(m.parse().map_err(|m| usage("--manylinux", m))?);
    }
    let mut out = Vec::new();
    for arch in arches {
        let mut t = Target::new(arch);
        if let Some(p) = &profile {
            p.apply(&mut t).map_err(|m| usage("--target-profile", m))?;
        }
        if let Some(g) = glibc {
            t.glibc = g;
        }
        if let Some(p) = &args.python {
            t.set_python(p).map_err(|m| usage("--python", m))?;
        }
        t.allow_linux_tag = allow_linux;
        if t.platforms().iter().all(|p| p.starts_with("linux_")) {
            return Err(usage(
                "--manylinux",
                format!("glibc {} has no manylinux tags on {arch}", t.glibc),
            ));
        }
        out.push(t);
    }
    Ok(out)
}

/// The output path for each target: `-o` (or `wheelhouse.tar.gz`) for one target; with several,
/// the architecture is added before the extension (`wheelhouse-x86_64.tar.gz`).
pub fn output_paths(output: Option<&Path>, targets: &[Target]) -> Vec<PathBuf> {
    let base = output.map_or_else(|| PathBuf::from("wheelhouse.tar.gz"), Path::to_path_buf);
    if targets.len() == 1 {
        return vec![base];
    }
    targets
        .iter()
        .map(|t| {
            let name = base.file_name().map_or_else(
                || "wheelhouse.tar.gz".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            let (stem, ext) = [".tar.gz", ".tgz"]
                .iter()
                .find_map(|e| name.strip_suffix(e).map(|s| (s.to_string(), *e)))
                .unwrap_or((name.clone(), ""));
            base.with_file_name(format!("{stem}-{}{ext}", t.arch))
        })
        .collect()
}

/// Reads the configuration file (see [`crate::commands::config`]) and fills every option the user gave
/// neither as a flag nor through its `NBWHEEL_*` variable, then checks the target values that
/// came from the environment or the file, naming where a bad one came from. `matches` are the
/// whole command line's; returns the file used, if any. Commands without configurable options
/// read no file.
pub fn apply_config(
    cli: &mut Cli,
    matches: &ArgMatches,
    cwd: &Path,
) -> Result<Option<PathBuf>, Error> {
    let Some((name, sub)) = matches.subcommand() else {
        return Ok(None);
    };
    if !matches!(
        cli.command,
        Command::Build(_)
            | Command::Resolve(_)
            | Command::Verify(_)
            | Command::Cache { .. }
            | Command::Upgrade(_)
            | Command::Audit(_)
    ) {
        return Ok(None);
    }
    let config = config::load(cli.config.as_deref(), cli.no_config, cwd)?;
    let command = Cli::command();
    let env_of = |id: &str| {
        command
            .find_subcommand(name)
            .and_then(|c| c.get_arguments().find(|a| a.get_id() == id))
            .and_then(|a| a.get_env())
            .map(|e| e.to_string_lossy().into_owned())
    };
    let label = |flag: &str| {
        let id = flag.trim_start_matches('-').replace('-', "_");
        match sub.value_source(&id) {
            Some(clap::parser::ValueSource::EnvVariable) => {
                env_of(&id).map_or_else(|| format!("`{flag}`"), |env| format!("`{env}` (`{flag}`)"))
            }
            Some(clap::parser::ValueSource::CommandLine) => format!("`{flag}`"),
            _ => config.as_ref().map_or_else(
                || format!("`{flag}`"),
                |c| c.label(flag.trim_start_matches('-')),
            ),
        }
    };
    match &mut cli.command {
        Command::Build(args) => {
            if let Some(c) = &config {
                c.apply_build(args, sub);
            }
            targets_labeled(&args.input.target, &label)?;
        }
        Command::Resolve(args) => {
            if let Some(c) = &config {
                c.apply_input(&mut args.input, sub);
                c.apply_allow_sdist(&mut args.allow_sdist, sub);
            }
            targets_labeled(&args.input.target, &label)?;
        }
        Command::Upgrade(args) => {
            if let Some(c) = &config {
                c.apply_input(&mut args.input, sub);
            }
            targets_labeled(&args.input.target, &label)?;
        }
        Command::Verify(args) => {
            if let Some(c) = &config {
                c.apply_verify(args, sub);
            }
            targets_labeled(&args.target, &label)?;
        }
        Command::Audit(args) => {
            if let Some(c) = &config {
                c.apply_audit(args, sub);
            }
            if args.archive.is_none() {
                targets_labeled(&args.input.target, &label)?;
            }
        }
        Command::Cache { cache_dir, .. } => {
            if let Some(c) = &config {
                c.apply_cache_dir(cache_dir, sub);
            }
        }
        _ => {}
    }
    Ok(config.map(|c| c.path))
}

impl BuildSettings {
    /// Validates `nbwheel build` flags.
    pub fn from_args(args: &BuildArgs, cwd: &Path) -> Result<Self, Error> {
        let mut input = InputSettings::from_args(&args.input, cwd)?;
        input.allow_sdist = allow_sdist(&args.allow_sdist)?;
        let outputs = if args.merge {
            output_paths(args.output.as_deref(), &input.targets[..1])
        } else {
            output_paths(args.output.as_deref(), &input.targets)
        };
        Ok(BuildSettings {
            input,
            outputs,
            compression_level: args.compression_level,
            allow_invalid_record: args.allow_invalid_record.clone(),
            lock: args.lock.clone(),
            netbox: args
                .netbox
                .as_deref()
                .map(crate::netbox::parse_netbox_version)
                .transpose()?,
            format: args.format,
            merge: args.merge,
            netbox_version: None,
            local_projects: args.local.iter().map(|p| cwd.join(p)).collect(),
            build_frontend: args.build_frontend,
        })
    }
}

impl ResolveSettings {
    /// Validates `nbwheel resolve` flags.
    pub fn from_args(args: &ResolveArgs, cwd: &Path) -> Result<Self, Error> {
        let mut input = InputSettings::from_args(&args.input, cwd)?;
        input.allow_sdist = allow_sdist(&args.allow_sdist)?;
        Ok(ResolveSettings {
            input,
            format: args.format,
        })
    }
}

/// Reads `--allow-sdist` values.
fn allow_sdist(values: &[String]) -> Result<crate::resolve::AllowSdist, Error> {
    crate::resolve::AllowSdist::parse(values).map_err(|message| {
        Error::usage(
            format!("Invalid `--allow-sdist`: {message}"),
            Some("Name a project (`--allow-sdist netbox-napalm-plugin`) or pass `:all:`.".into()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn input(args: &[&str]) -> Result<InputSettings, Error> {
        let mut argv = vec!["nbwheel", "resolve", "-r", "req.txt"];
        argv.extend(args);
        let cli = Cli::try_parse_from(argv).unwrap();
        match cli.command {
            crate::cli::Command::Resolve(r) => InputSettings::from_args(&r.input, Path::new(".")),
            _ => unreachable!(),
        }
    }

    #[test]
    fn arch_lists_and_all() {
        let s = input(&["--arch", "aarch64,x86_64"]).unwrap();
        assert_eq!(s.targets.len(), 2);
        assert_eq!(input(&["--arch", "all"]).unwrap().targets.len(), 2);
        assert_eq!(input(&[]).unwrap().targets[0].arch, Arch::X86_64);
        assert!(input(&["--arch", "riscv64"]).is_err());
    }

    #[test]
    fn pip_platform_spelling() {
        let s = input(&["--platform", "manylinux_2_17_aarch64"]).unwrap();
        assert_eq!(s.targets[0].arch, Arch::Aarch64);
        assert_eq!(s.targets[0].glibc.minor, 17);
        assert!(input(&["--platform", "manylinux_2_17_x86_64", "--arch", "x86_64"]).is_err());
        assert!(input(&["--platform", "win_amd64"]).is_err());
    }

    #[test]
    fn manylinux_and_python() {
        let s = input(&["--manylinux", "2_17", "--python", "3.12.4"]).unwrap();
        assert_eq!(s.targets[0].glibc.minor, 17);
        assert_eq!(s.targets[0].micro, 4);
        assert!(input(&["--manylinux", "3_1"]).is_err());
        assert!(input(&["--python", "2.7"]).is_err());
        assert!(input(&["--manylinux", "2_4"]).is_err());
    }

    #[test]
    fn cutoffs() {
        let now: jiff::Timestamp = "2026-11-27T06:00:00Z".parse().unwrap();
        let t = |s: &str| parse_cutoff(s, now).map(|t| t.to_string());
        assert_eq!(t("2026-11-01").unwrap(), "2026-11-01T00:00:00Z");
        assert_eq!(t("2026-11-01T12:30:00Z").unwrap(), "2026-11-01T12:30:00Z");
        assert_eq!(t("P7D").unwrap(), "2026-11-20T06:00:00Z");
        assert_eq!(t("PT12H").unwrap(), "2026-11-26T18:00:00Z");
        assert!(t("yesterday").is_err());
        assert!(t("P").is_err());
    }

    #[test]
    fn outputs_per_arch() {
        let s = input(&["--arch", "all"]).unwrap();
        let outs = output_paths(Some(Path::new("out/plugins.tar.gz")), &s.targets);
        assert_eq!(
            outs,
            vec![
                PathBuf::from("out/plugins-x86_64.tar.gz"),
                PathBuf::from("out/plugins-aarch64.tar.gz")
            ]
        );
    }

    #[test]
    fn target_profiles_and_flags_that_override_them() {
        let s = input(&["--target-profile", "netbox-docker-5"]).unwrap();
        assert_eq!(s.targets.len(), 1);
        let t = &s.targets[0];
        assert_eq!((t.arch, t.minor, t.glibc.minor), (Arch::X86_64, 14, 43));
        let s = input(&[
            "--target-profile",
            "netbox-docker-5",
            "--python",
            "3.14.2",
            "--manylinux",
            "2_39",
            "--arch",
            "all",
        ])
        .unwrap();
        assert_eq!(s.targets.len(), 2);
        assert_eq!(
            (
                s.targets[1].arch,
                s.targets[1].micro,
                s.targets[1].glibc.minor
            ),
            (Arch::Aarch64, 2, 39)
        );
        let s = input(&[
            "--target-profile",
            "netbox-enterprise",
            "--platform",
            "manylinux_2_17_aarch64",
        ])
        .unwrap();
        assert_eq!(
            (s.targets[0].arch, s.targets[0].glibc.minor),
            (Arch::Aarch64, 17)
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("site.toml");
        std::fs::write(
            &file,
            "python = \"3.12.9\"\nglibc = \"2.31\"\narchitectures = [\"x86_64\"]\n",
        )
        .unwrap();
        let file = file.to_str().unwrap();
        let s = input(&["--target-profile", file, "--arch", "all"]).unwrap();
        assert_eq!(s.targets.len(), 1);
        assert_eq!((s.targets[0].micro, s.targets[0].glibc.minor), (9, 31));
        let e = input(&["--target-profile", file, "--arch", "aarch64"]).unwrap_err();
        assert!(e.to_string().contains("has no aarch64 machines"), "{e}");
        assert!(input(&["--target-profile", "netbox-docker-9"]).is_err());
    }
}
