//! From the parsed command line to validated settings: targets, default input files, output
//! paths. No network; the only I/O is checking whether default input files exist.

use std::path::{Path, PathBuf};

use crate::cli::{BuildArgs, Format, InputArgs, ResolveArgs, TargetArgs};
use crate::error::Error;
use crate::target::{Arch, Glibc, Target, parse_pip_platform};

/// Settings shared by `build` and `resolve`.
#[derive(Debug, Clone)]
pub struct InputSettings {
    /// Root requirement files.
    pub requirements: Vec<PathBuf>,
    /// Root constraint files.
    pub constraints: Vec<PathBuf>,
    /// One target per architecture, in a fixed order.
    pub targets: Vec<Target>,
    /// The raw source and network flags.
    pub args: InputArgs,
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
        Ok(InputSettings {
            requirements,
            constraints,
            targets: targets(&args.target)?,
            args: args.clone(),
        })
    }
}

/// The targets the flags describe, one per architecture.
pub fn targets(args: &TargetArgs) -> Result<Vec<Target>, Error> {
    let usage = |flag: &str, message: String| {
        Error::usage(
            format!("Invalid value for `{flag}`: {message}"),
            Some("Run `nbwheel build --help` for the accepted values.".into()),
        )
    };
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
                arches.extend(Arch::ALL);
            } else {
                arches.push(part.parse().map_err(|m| usage("--arch", m))?);
            }
        }
        if arches.is_empty() {
            return Err(usage("--arch", "no architecture given".into()));
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

impl BuildSettings {
    /// Validates `nbwheel build` flags.
    pub fn from_args(args: &BuildArgs, cwd: &Path) -> Result<Self, Error> {
        let input = InputSettings::from_args(&args.input, cwd)?;
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
        Ok(ResolveSettings {
            input: InputSettings::from_args(&args.input, cwd)?,
            format: args.format,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
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
}
