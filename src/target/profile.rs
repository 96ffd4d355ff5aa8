//! Target profiles: the built-in descriptions of NetBox images, and profile files.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use pep440_rs::Version;

use super::{Arch, Glibc, MARKER_NAMES, Target};

/// A named description of the machines a wheelhouse is for: `--target-profile NAME|FILE`.
///
/// Built in: `netbox-enterprise` (`CPython` 3.12, glibc 2.28 floor, see [`Glibc::DEFAULT`]),
/// `netbox-docker-4` and its alias `netbox-docker-3` (netbox-docker 3.x/4.x images: Ubuntu
/// 24.04, `CPython` 3.12, glibc 2.39), `netbox-docker-5` (netbox-docker 5.x: Ubuntu 26.04,
/// `CPython` 3.14, glibc 2.43; Ubuntu 26.04 ships glibc 2.43 and Python 3.14 as `python3`, as
/// recorded e.g. in the vmafx project's ADR-0603 on moving its container to `ubuntu:26.04`).
/// All allow both architectures and default to `x86_64`.
///
/// A profile file is TOML:
///
/// ```toml
/// python = "3.12.8"                  # required: 3.N or 3.N.M
/// implementation = "cpython"         # optional; CPython is the only one supported
/// glibc = "2.35"                     # required: 2.N or 2_N
/// architectures = ["x86_64", "aarch64"]  # optional (default both); `--arch all` means these
/// default_architectures = ["x86_64"] # optional (default: the first of `architectures`)
/// [markers]                          # optional PEP 508 marker overrides
/// platform_release = "6.8.0-45-generic"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name (the file path for a file).
    pub name: String,
    /// The Python version, `3.N` or `3.N.M`.
    pub python: String,
    /// The glibc floor.
    pub glibc: Glibc,
    /// The architectures the target has; `--arch all` builds these.
    pub architectures: Vec<Arch>,
    /// The architectures built when `--arch` is not given.
    pub default_architectures: Vec<Arch>,
    /// Marker overrides.
    pub markers: BTreeMap<String, String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    python: String,
    #[serde(default)]
    implementation: Option<String>,
    glibc: String,
    #[serde(default)]
    architectures: Option<Vec<String>>,
    #[serde(default)]
    default_architectures: Option<Vec<String>>,
    #[serde(default)]
    markers: BTreeMap<String, String>,
}

impl Profile {
    /// The names of the built-in profiles.
    pub const BUILTIN: [&'static str; 4] = [
        "netbox-enterprise",
        "netbox-docker-3",
        "netbox-docker-4",
        "netbox-docker-5",
    ];

    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Option<Profile> {
        let (python, glibc_minor) = match name {
            "netbox-enterprise" => ("3.12", 28),
            "netbox-docker-3" | "netbox-docker-4" => ("3.12", 39),
            "netbox-docker-5" => ("3.14", 43),
            _ => return None,
        };
        Some(Profile {
            name: name.to_string(),
            python: python.to_string(),
            glibc: Glibc {
                major: 2,
                minor: glibc_minor,
            },
            architectures: Arch::ALL.to_vec(),
            default_architectures: vec![Arch::X86_64],
            markers: BTreeMap::new(),
        })
    }

    /// Reads a profile from TOML text; `name` labels it in messages.
    pub fn from_toml(name: &str, text: &str) -> Result<Profile, String> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if let Some(i) = &file.implementation
            && !matches!(i.to_ascii_lowercase().as_str(), "cpython" | "cp")
        {
            return Err(format!(
                "implementation `{i}` is not supported (only `cpython`)"
            ));
        }
        let mut probe = Target::new(Arch::X86_64);
        probe.set_python(&file.python)?;
        let glibc: Glibc = file.glibc.parse()?;
        let arches = |list: &Option<Vec<String>>| -> Result<Option<Vec<Arch>>, String> {
            list.as_ref()
                .map(|l| {
                    let mut out: Vec<Arch> =
                        l.iter().map(|a| a.parse()).collect::<Result<_, _>>()?;
                    out.dedup();
                    if out.is_empty() {
                        return Err("an architecture list is empty".to_string());
                    }
                    Ok(out)
                })
                .transpose()
        };
        let architectures = arches(&file.architectures)?.unwrap_or_else(|| Arch::ALL.to_vec());
        let default_architectures =
            arches(&file.default_architectures)?.unwrap_or_else(|| vec![architectures[0]]);
        if let Some(a) = default_architectures
            .iter()
            .find(|a| !architectures.contains(a))
        {
            return Err(format!(
                "default architecture `{a}` is not in `architectures`"
            ));
        }
        for key in file.markers.keys() {
            if !MARKER_NAMES.contains(&key.as_str()) {
                return Err(format!(
                    "unknown marker `{key}` (expected one of {})",
                    MARKER_NAMES.join(", ")
                ));
            }
        }
        // These three must be versions for the marker environment to exist.
        for key in [
            "implementation_version",
            "python_full_version",
            "python_version",
        ] {
            if let Some(v) = file.markers.get(key)
                && Version::from_str(v).is_err()
            {
                return Err(format!("marker `{key}` = `{v}` is not a version"));
            }
        }
        Ok(Profile {
            name: name.to_string(),
            python: file.python,
            glibc,
            architectures,
            default_architectures,
            markers: file.markers,
        })
    }

    /// A built-in profile by name, or a TOML file by path.
    pub fn load(name_or_path: &str) -> Result<Profile, String> {
        if let Some(p) = Profile::builtin(name_or_path) {
            return Ok(p);
        }
        let path = Path::new(name_or_path);
        if !path.is_file() {
            return Err(format!(
                "`{name_or_path}` is neither a built-in profile ({}) nor a file",
                Profile::BUILTIN.join(", ")
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        Profile::from_toml(name_or_path, &text).map_err(|e| format!("`{name_or_path}`: {e}"))
    }

    /// Sets the target's Python, glibc and markers from the profile.
    pub fn apply(&self, target: &mut Target) -> Result<(), String> {
        target.set_python(&self.python)?;
        target.glibc = self.glibc;
        target.markers = self.markers.clone();
        Ok(())
    }
}
