//! Custom modules: local project directories built into wheels by a PEP 517 frontend found on
//! the machine, then handed to the build like any other wheel.
//!
//! Input: `--local PATH` directories and requirement lines naming a local project directory
//! (`./my-plugin`, `/src/plugin`, `file:///src/plugin`), the targets and the chosen frontend.
//! Output: a [`LocalWheels`] — a temp find-links folder holding the built wheels, and the
//! requirement files to use instead (local lines replaced by `name==version`), so the resolver
//! pins, resolves the dependencies of, checks and packs them like any wheel from an index.
//! A wheel whose tags fit no target (a compiled module built on a host of another architecture
//! or a newer glibc) is refused with the reason. nbwheel never builds projects itself: the
//! frontend runs the project's own build backend.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::BuildFrontend;
use crate::exit::ExitCode;
use crate::target::Target;
use crate::wheel_name::WheelName;

/// Why a local project could not be built or used.
#[derive(Debug, thiserror::Error)]
pub enum LocalBuildError {
    /// No PEP 517 frontend on the machine.
    #[error("No PEP 517 frontend found to build `{}`: tried {tried}", project.display())]
    NoFrontend {
        /// The project.
        project: PathBuf,
        /// What was tried.
        tried: String,
    },
    /// The path is not a project.
    #[error("`{}` is not a Python project directory (no `pyproject.toml` or `setup.py`)", path.display())]
    NotAProject {
        /// The path.
        path: PathBuf,
    },
    /// The frontend failed.
    #[error("Building `{}` failed: `{command}` exited with {status}:\n{output}", project.display())]
    BuildFailed {
        /// The project.
        project: PathBuf,
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// The tail of its output.
        output: String,
    },
    /// The frontend produced no wheel.
    #[error("Building `{}` with `{command}` produced no wheel", project.display())]
    NoWheel {
        /// The project.
        project: PathBuf,
        /// The command line.
        command: String,
    },
    /// A built wheel does not run on a target.
    #[error("The wheel `{wheel}` built from `{}` does not run on {target}: its tags are `{tags}`{reason}", project.display())]
    WrongTarget {
        /// The project.
        project: PathBuf,
        /// The wheel file name.
        wheel: String,
        /// Its tags.
        tags: String,
        /// The target it does not fit.
        target: String,
        /// Why, when it can be told.
        reason: String,
    },
    /// A local file operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl LocalBuildError {
    /// The documented exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::NoFrontend { .. } | Self::NotAProject { .. } => ExitCode::Usage,
            Self::BuildFailed { .. } | Self::NoWheel { .. } | Self::WrongTarget { .. } => {
                ExitCode::NoSolution
            }
            Self::Io { .. } => ExitCode::Environment,
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NoFrontend { .. } => "Install one: `pip install uv` (then `uv build`), `pip install build`, or make `python3 -m pip` work; choose with `--build-frontend`.".into(),
            Self::NotAProject { .. } => "Point `--local` (or the requirement line) at the folder holding `pyproject.toml`.".into(),
            Self::BuildFailed { .. } | Self::NoWheel { .. } => "Run the command above in the project to see the build backend's own error.".into(),
            Self::WrongTarget { .. } => "A compiled module must be built on the target's architecture with a glibc no newer than the target's: build it on a matching machine or in a `quay.io/pypa/manylinux_2_28_<arch>` container (then `auditwheel repair`), or make it pure Python.".into(),
            Self::Io { .. } => "Check that the path exists and is writable.".into(),
        })
    }
}

/// Wheels built from local projects, ready for the build.
#[derive(Debug)]
pub struct LocalWheels {
    /// The find-links folder holding them (temporary; dropped with this value).
    pub dir: tempfile::TempDir,
    /// `(project dir, wheel file name, name, version)` of each.
    pub built: Vec<(PathBuf, String, String, String)>,
    /// The requirement files to use: the given ones with local lines replaced, plus one with a
    /// `name==version` line per `--local` project.
    pub requirements: Vec<PathBuf>,
}

fn is_project(dir: &Path) -> bool {
    dir.is_dir() && (dir.join("pyproject.toml").is_file() || dir.join("setup.py").is_file())
}

/// The local project a requirement line names, if any (relative to the file's folder).
pub fn local_project_of(line: &str, base: &Path) -> Option<PathBuf> {
    let text = line.split(" #").next().unwrap_or(line).trim();
    if text.is_empty() || text.starts_with('#') || text.starts_with('-') {
        return None;
    }
    let path = if let Some(rest) = text.strip_prefix("file://") {
        PathBuf::from(rest)
    } else if text.starts_with("./")
        || text.starts_with("../")
        || text.starts_with('/')
        || text == "."
    {
        PathBuf::from(text)
    } else {
        return None;
    };
    let path = if path.is_absolute() {
        path
    } else {
        base.join(path)
    };
    is_project(&path).then_some(path)
}

fn probe(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The frontend command for `project` writing into `out`, the chosen one or the first found.
fn frontend_command(
    choice: Option<BuildFrontend>,
    project: &Path,
    out: &Path,
) -> Result<Command, LocalBuildError> {
    let python = std::env::var("NBWHEEL_BUILD_PYTHON").unwrap_or_else(|_| "python3".into());
    let order = match choice {
        Some(c) => vec![c],
        None => vec![BuildFrontend::Uv, BuildFrontend::Build, BuildFrontend::Pip],
    };
    for f in &order {
        let found = match f {
            BuildFrontend::Uv => probe("uv", &["--version"]),
            BuildFrontend::Build => probe(&python, &["-m", "build", "--version"]),
            BuildFrontend::Pip => probe(&python, &["-m", "pip", "--version"]),
        };
        if !found {
            continue;
        }
        let mut cmd;
        match f {
            BuildFrontend::Uv => {
                cmd = Command::new("uv");
                cmd.args(["build", "--wheel", "--out-dir"])
                    .arg(out)
                    .arg(project);
            }
            BuildFrontend::Build => {
                cmd = Command::new(&python);
                cmd.args(["-m", "build", "--wheel", "--outdir"])
                    .arg(out)
                    .arg(project);
            }
            BuildFrontend::Pip => {
                cmd = Command::new(&python);
                cmd.args(["-m", "pip", "wheel", "--no-deps", "--wheel-dir"])
                    .arg(out)
                    .arg(project);
            }
        }
        return Ok(cmd);
    }
    let tried = order
        .iter()
        .map(|f| match f {
            BuildFrontend::Uv => "`uv build`".to_string(),
            BuildFrontend::Build => format!("`{python} -m build`"),
            BuildFrontend::Pip => format!("`{python} -m pip wheel`"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    Err(LocalBuildError::NoFrontend {
        project: project.to_path_buf(),
        tried,
    })
}

fn render(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| crate::commands::cluster::kubectl::shell_quote(&a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds one project into `out`; returns the new wheel's file name.
pub fn build_one(
    project: &Path,
    choice: Option<BuildFrontend>,
    out: &Path,
) -> Result<String, LocalBuildError> {
    build_one_env(project, choice, out, &[])
}

/// [`build_one`] with extra environment variables for the frontend (e.g. `SOURCE_DATE_EPOCH`
/// and the index to fetch build requirements from, for an sdist).
pub fn build_one_env(
    project: &Path,
    choice: Option<BuildFrontend>,
    out: &Path,
    env: &[(String, String)],
) -> Result<String, LocalBuildError> {
    if !is_project(project) {
        return Err(LocalBuildError::NotAProject {
            path: project.to_path_buf(),
        });
    }
    let staging = tempfile::tempdir().map_err(|source| LocalBuildError::Io {
        action: "Failed to create a temp folder in",
        path: std::env::temp_dir(),
        source,
    })?;
    let mut cmd = frontend_command(choice, project, staging.path())?;
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    let line = render(&cmd);
    tracing::info!(command = %line, "building a local project");
    let output = cmd.output().map_err(|source| LocalBuildError::Io {
        action: "Failed to run the build frontend for",
        path: project.to_path_buf(),
        source,
    })?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        return Err(LocalBuildError::BuildFailed {
            project: project.to_path_buf(),
            command: line,
            status: output.status.to_string(),
            output: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    let read = std::fs::read_dir(staging.path()).map_err(|source| LocalBuildError::Io {
        action: "Failed to read",
        path: staging.path().to_path_buf(),
        source,
    })?;
    let wheel = read
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("whl"))
        })
        .ok_or_else(|| LocalBuildError::NoWheel {
            project: project.to_path_buf(),
            command: line.clone(),
        })?;
    let dest = out.join(&wheel);
    std::fs::copy(staging.path().join(&wheel), &dest).map_err(|source| LocalBuildError::Io {
        action: "Failed to write",
        path: dest,
        source,
    })?;
    Ok(wheel)
}

/// Refuses a wheel whose tags fit none of `targets`' tag lists.
pub fn check_tags(
    project: &Path,
    wheel: &str,
    targets: &[Target],
) -> Result<WheelName, LocalBuildError> {
    let name: WheelName = wheel.parse().map_err(|_| LocalBuildError::NoWheel {
        project: project.to_path_buf(),
        command: format!("(the frontend wrote `{wheel}`, not a valid wheel name)"),
    })?;
    for t in targets {
        if t.tag_ranks().rank(&name).is_none() {
            let tags = name.tag_string();
            let other_arch = crate::target::Arch::ALL
                .iter()
                .find(|a| **a != t.arch && tags.contains(a.as_str()));
            let reason = if let Some(a) = other_arch {
                format!(" (compiled for `{a}`: this machine is not the target's architecture)")
            } else if tags.contains("linux_") && !tags.contains("manylinux") {
                " (a plain `linux_` tag: built for this machine only, not portable)".to_string()
            } else {
                String::new()
            };
            return Err(LocalBuildError::WrongTarget {
                project: project.to_path_buf(),
                wheel: wheel.to_string(),
                tags,
                target: t.short_description(),
                reason,
            });
        }
    }
    Ok(name)
}

/// Builds every local project named by `--local` or by a requirement line, checks its tags,
/// and returns the find-links folder and the requirement files to use.
pub fn prepare(
    locals: &[PathBuf],
    requirements: &[PathBuf],
    targets: &[Target],
    choice: Option<BuildFrontend>,
) -> Result<Option<LocalWheels>, LocalBuildError> {
    // Which requirement files name local projects.
    let mut from_files: Vec<(usize, Vec<(usize, PathBuf)>)> = Vec::new();
    for (i, file) in requirements.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let base = file.parent().unwrap_or(Path::new("."));
        let found: Vec<(usize, PathBuf)> = text
            .lines()
            .enumerate()
            .filter_map(|(n, l)| local_project_of(l, base).map(|p| (n, p)))
            .collect();
        if !found.is_empty() {
            from_files.push((i, found));
        }
    }
    if locals.is_empty() && from_files.is_empty() {
        return Ok(None);
    }
    let dir = tempfile::Builder::new()
        .prefix("nbwheel-local-")
        .tempdir()
        .map_err(|source| LocalBuildError::Io {
            action: "Failed to create a temp folder in",
            path: std::env::temp_dir(),
            source,
        })?;
    let mut built = Vec::new();
    let mut build = |project: &Path| -> Result<String, LocalBuildError> {
        let wheel = build_one(project, choice, dir.path())?;
        let name = check_tags(project, &wheel, targets)?;
        let pin = format!("{}=={}", name.name, name.version);
        built.push((
            project.to_path_buf(),
            wheel,
            name.name.to_string(),
            name.version.to_string(),
        ));
        Ok(pin)
    };
    let mut out_files: Vec<PathBuf> = requirements.to_vec();
    for (i, found) in &from_files {
        let original = &requirements[*i];
        let text = std::fs::read_to_string(original).map_err(|source| LocalBuildError::Io {
            action: "Failed to read",
            path: original.clone(),
            source,
        })?;
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (n, project) in found {
            lines[*n] = build(project)?;
        }
        let copy = dir.path().join(format!("requirements-{i}.txt"));
        std::fs::write(&copy, lines.join("\n") + "\n").map_err(|source| LocalBuildError::Io {
            action: "Failed to write",
            path: copy.clone(),
            source,
        })?;
        out_files[*i] = copy;
    }
    let mut pins = Vec::new();
    for p in locals {
        pins.push(build(p)?);
    }
    if !pins.is_empty() {
        let file = dir.path().join("requirements-local.txt");
        std::fs::write(&file, pins.join("\n") + "\n").map_err(|source| LocalBuildError::Io {
            action: "Failed to write",
            path: file.clone(),
            source,
        })?;
        out_files.push(file);
    }
    Ok(Some(LocalWheels {
        dir,
        built,
        requirements: out_files,
    }))
}

/// Builds the local projects of `settings` and points the build at them: the requirement
/// files are replaced and the wheels' folder is added as a find-links source. Keep the returned
/// value alive until the build is done.
pub fn apply(
    settings: &mut crate::commands::settings::BuildSettings,
) -> Result<Option<LocalWheels>, LocalBuildError> {
    let local = prepare(
        &settings.local_projects,
        &settings.input.requirements,
        &settings.input.targets,
        settings.build_frontend,
    )?;
    if let Some(l) = &local {
        settings.input.requirements.clone_from(&l.requirements);
        settings
            .input
            .args
            .find_links
            .insert(0, l.dir.path().to_string_lossy().into_owned());
    }
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Arch;

    #[test]
    fn local_lines_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("plug")).unwrap();
        std::fs::write(dir.path().join("plug/pyproject.toml"), "").unwrap();
        assert!(local_project_of("./plug", dir.path()).is_some());
        assert!(local_project_of("./plug  # mine", dir.path()).is_some());
        assert!(local_project_of("./missing", dir.path()).is_none());
        assert!(local_project_of("requests==2", dir.path()).is_none());
        assert!(local_project_of("-r other.txt", dir.path()).is_none());
    }

    #[test]
    fn a_wheel_for_the_other_architecture_is_refused() {
        let t = [Target::new(Arch::X86_64)];
        let e = check_tags(
            Path::new("/src/fast"),
            "fast-1.0-cp312-cp312-manylinux_2_17_aarch64.whl",
            &t,
        )
        .unwrap_err();
        assert!(e.to_string().contains("compiled for `aarch64`"), "{e}");
        assert_eq!(e.exit_code(), ExitCode::NoSolution);
        assert!(check_tags(Path::new("/src/p"), "p-1.0-py3-none-any.whl", &t).is_ok());
        let e = check_tags(Path::new("/p"), "p-1.0-cp312-cp312-linux_x86_64.whl", &t).unwrap_err();
        assert!(e.to_string().contains("not portable"), "{e}");
    }
}
