//! The target profile: which interpreter and platform the wheelhouse is built for.
//!
//! Input: implementation + full Python version + architecture + glibc version (+ whether
//! `linux_<arch>` wheels are accepted). Output: the ordered list of compatible wheel tags
//! (highest priority first, as `packaging.tags` orders them: `cpython_tags` then
//! `compatible_tags`), a priority for any [`WheelName`], and the PEP 508 marker environment of
//! the target (never of the machine nbwheel runs on). Nothing here hard-codes a Python version.

mod profile;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

use crate::wheel_name::WheelName;

pub use profile::Profile;

/// A CPU architecture the target may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arch {
    /// 64-bit x86 (`amd64` in Kubernetes).
    X86_64,
    /// 64-bit ARM (`arm64` in Kubernetes).
    Aarch64,
}

impl Arch {
    /// Every supported architecture, in a fixed order.
    pub const ALL: [Arch; 2] = [Arch::X86_64, Arch::Aarch64];

    /// The name used in wheel tags and `platform_machine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
        }
    }

    /// The oldest glibc minor version that has a manylinux tag on this architecture.
    fn min_glibc_minor(self) -> u16 {
        match self {
            Arch::X86_64 => 5,
            Arch::Aarch64 => 17,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Arch {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x86_64" | "amd64" | "x64" => Ok(Arch::X86_64),
            "aarch64" | "arm64" => Ok(Arch::Aarch64),
            other => Err(format!(
                "unknown architecture `{other}` (expected `x86_64`, `aarch64` or `all`)"
            )),
        }
    }
}

/// A glibc version `2.N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Glibc {
    /// The major version (always 2 in practice).
    pub major: u16,
    /// The minor version.
    pub minor: u16,
}

impl Glibc {
    /// The default floor: glibc 2.28. NetBox 4.6.5 and later pin Pillow 12.3.0, whose only Linux
    /// wheels are `manylinux_2_28`, so the base image runs glibc 2.28 or newer; the vendor's
    /// documented `manylinux_2_17` would fail every plugin that needs Pillow.
    pub const DEFAULT: Glibc = Glibc {
        major: 2,
        minor: 28,
    };
}

impl fmt::Display for Glibc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.major, self.minor)
    }
}

impl FromStr for Glibc {
    type Err = String;

    /// Accepts `2_28`, `2.28`, `manylinux_2_28` and the legacy names `manylinux2014`,
    /// `manylinux2010`, `manylinux1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix("manylinux_").unwrap_or(t);
        match t {
            "manylinux2014" => {
                return Ok(Glibc {
                    major: 2,
                    minor: 17,
                });
            }
            "manylinux2010" => {
                return Ok(Glibc {
                    major: 2,
                    minor: 12,
                });
            }
            "manylinux1" => return Ok(Glibc { major: 2, minor: 5 }),
            _ => {}
        }
        let (maj, min) = t
            .split_once(['_', '.'])
            .ok_or_else(|| format!("invalid glibc version `{s}` (expected `2_N`, e.g. `2_28`)"))?;
        let major = maj
            .parse::<u16>()
            .map_err(|_| format!("invalid glibc version `{s}` (expected `2_N`, e.g. `2_28`)"))?;
        let minor = min
            .parse::<u16>()
            .map_err(|_| format!("invalid glibc version `{s}` (expected `2_N`, e.g. `2_28`)"))?;
        if major != 2 {
            return Err(format!(
                "invalid glibc version `{s}`: manylinux tags exist only for glibc 2.x"
            ));
        }
        Ok(Glibc { major, minor })
    }
}

/// A Python implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Implementation {
    /// `CPython`, the only implementation `NetBox` images run.
    CPython,
}

/// The full description of the machine the wheelhouse will be installed on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The interpreter implementation.
    pub implementation: Implementation,
    /// Python major version.
    pub major: u8,
    /// Python minor version.
    pub minor: u8,
    /// Python micro version (0 when the user gave only `3.12`, as pip does).
    pub micro: u8,
    /// The CPU architecture.
    pub arch: Arch,
    /// The glibc floor of the target.
    pub glibc: Glibc,
    /// Whether `linux_<arch>` wheels (built locally, not portable) are accepted, last.
    pub allow_linux_tag: bool,
    /// PEP 508 marker values that replace the computed ones (from a target profile), e.g.
    /// `platform_release`.
    pub markers: BTreeMap<String, String>,
}

impl Target {
    /// The default target: `CPython` 3.12, glibc 2.28, the given architecture.
    pub fn new(arch: Arch) -> Self {
        Target {
            implementation: Implementation::CPython,
            major: 3,
            minor: 12,
            micro: 0,
            arch,
            glibc: Glibc::DEFAULT,
            allow_linux_tag: false,
            markers: BTreeMap::new(),
        }
    }

    /// Parses `3.12` or `3.12.4` into the version fields.
    pub fn set_python(&mut self, s: &str) -> Result<(), String> {
        let err = || format!("invalid Python version `{s}` (expected e.g. `3.12` or `3.12.4`)");
        let parts: Vec<&str> = s.trim().split('.').collect();
        let nums: Vec<u8> = parts
            .iter()
            .map(|p| p.parse::<u8>().map_err(|_| err()))
            .collect::<Result<_, _>>()?;
        match nums.as_slice() {
            [3, minor] => {
                self.major = 3;
                self.minor = *minor;
                self.micro = 0;
            }
            [3, minor, micro] => {
                self.major = 3;
                self.minor = *minor;
                self.micro = *micro;
            }
            _ => return Err(err()),
        }
        Ok(())
    }

    /// The full Python version, e.g. `3.12.0`.
    pub fn python_full_version(&self) -> Version {
        Version::new([
            u64::from(self.major),
            u64::from(self.minor),
            u64::from(self.micro),
        ])
    }

    /// `3.12` as a string.
    pub fn python_version_string(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    /// The platform list P, best first: `manylinux_2_N_<arch>` down to the architecture's
    /// minimum, each followed by its legacy alias, then `linux_<arch>` when opted in.
    pub fn platforms(&self) -> Vec<String> {
        let arch = self.arch.as_str();
        let mut out = Vec::new();
        let lowest = self.arch.min_glibc_minor();
        if self.glibc.major == 2 && self.glibc.minor >= lowest {
            for minor in (lowest..=self.glibc.minor).rev() {
                out.push(format!("manylinux_2_{minor}_{arch}"));
                let alias = match minor {
                    17 => Some("manylinux2014"),
                    12 => Some("manylinux2010"),
                    5 => Some("manylinux1"),
                    _ => None,
                };
                if let Some(alias) = alias {
                    out.push(format!("{alias}_{arch}"));
                }
            }
        }
        if self.allow_linux_tag {
            out.push(format!("linux_{arch}"));
        }
        out
    }

    /// The ordered list of compatible `python-abi-platform` tags, best first.
    pub fn tags(&self) -> Vec<(String, String, String)> {
        let plats = self.platforms();
        let (maj, min) = (self.major, self.minor);
        let cp = format!("cp{maj}{min}");
        let mut tags = Vec::new();
        let mut push = |py: &str, abi: &str, plat: &str| {
            tags.push((py.to_string(), abi.to_string(), plat.to_string()));
        };
        // 1. cpXY-cpXY-P
        for p in &plats {
            push(&cp, &cp, p);
        }
        // 2. cpXY-abi3-P, cpXY-none-P, then cpX(Y-1)-abi3 … cp32-abi3.
        for p in &plats {
            push(&cp, "abi3", p);
        }
        for p in &plats {
            push(&cp, "none", p);
        }
        if maj == 3 {
            for m in (2..min).rev() {
                let older = format!("cp3{m}");
                for p in &plats {
                    push(&older, "abi3", p);
                }
            }
        }
        // 3. pyXY-none-P, pyX-none-P, pyX(Y-1)-none-P … pyX0-none-P.
        let py_versions = py_versions(maj, min);
        for py in &py_versions {
            for p in &plats {
                push(py, "none", p);
            }
        }
        // 4. cpXY-none-any, then the py tags with `any`.
        push(&cp, "none", "any");
        for py in &py_versions {
            push(py, "none", "any");
        }
        tags
    }

    /// A lookup table from tag triple to its rank (0 is best).
    pub fn tag_ranks(&self) -> TagRanks {
        TagRanks::from_tags(self.tags())
    }

    /// The PEP 508 marker environment of the target, with the profile's overrides applied
    /// (they were checked when the profile was read).
    pub fn marker_environment(&self) -> MarkerEnvironment {
        let full = format!("{}.{}.{}", self.major, self.minor, self.micro);
        let short = self.python_version_string();
        let get = |key: &str, computed: &'static str| -> String {
            self.markers
                .get(key)
                .cloned()
                .unwrap_or_else(|| computed.to_string())
        };
        let implementation_version = self
            .markers
            .get("implementation_version")
            .cloned()
            .unwrap_or_else(|| full.clone());
        let python_full_version = self
            .markers
            .get("python_full_version")
            .cloned()
            .unwrap_or_else(|| full.clone());
        let python_version = self.markers.get("python_version").cloned().unwrap_or(short);
        let built = MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
            implementation_name: &get("implementation_name", "cpython"),
            implementation_version: &implementation_version,
            os_name: &get("os_name", "posix"),
            platform_machine: &get("platform_machine", self.arch.as_str()),
            platform_python_implementation: &get("platform_python_implementation", "CPython"),
            platform_release: &get("platform_release", ""),
            platform_system: &get("platform_system", "Linux"),
            platform_version: &get("platform_version", ""),
            python_full_version: &python_full_version,
            python_version: &python_version,
            sys_platform: &get("sys_platform", "linux"),
        });
        match built {
            Ok(env) => env,
            Err(e) if self.markers.is_empty() => {
                panic!("the target's computed marker versions are valid PEP 440 versions: {e}")
            }
            Err(e) => {
                tracing::warn!("Ignoring the profile's marker overrides: {e}");
                let mut plain = self.clone();
                plain.markers.clear();
                plain.marker_environment()
            }
        }
    }

    /// The most specific tag, for messages: `cp312-manylinux_2_28_x86_64`.
    pub fn short_description(&self) -> String {
        format!(
            "cp{}{}-manylinux_{}_{}",
            self.major, self.minor, self.glibc, self.arch
        )
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CPython {}.{}{} on manylinux_{}_{}",
            self.major,
            self.minor,
            if self.micro == 0 {
                String::new()
            } else {
                format!(".{}", self.micro)
            },
            self.glibc,
            self.arch
        )
    }
}

/// The PEP 508 marker names a profile may override.
pub const MARKER_NAMES: [&str; 11] = [
    "implementation_name",
    "implementation_version",
    "os_name",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_full_version",
    "python_version",
    "sys_platform",
];

fn py_versions(maj: u8, min: u8) -> Vec<String> {
    let mut v = vec![format!("py{maj}{min}"), format!("py{maj}")];
    for m in (0..min).rev() {
        v.push(format!("py{maj}{m}"));
    }
    v
}

/// Ranks of the target's tags, for choosing between wheel files. Lookups do not allocate.
#[derive(Debug, Clone, Default)]
pub struct TagRanks {
    ranks: HashMap<String, HashMap<String, HashMap<String, usize>>>,
}

impl TagRanks {
    fn from_tags(tags: Vec<(String, String, String)>) -> Self {
        let mut ranks: HashMap<String, HashMap<String, HashMap<String, usize>>> = HashMap::new();
        for (i, (py, abi, plat)) in tags.into_iter().enumerate() {
            ranks
                .entry(py)
                .or_default()
                .entry(abi)
                .or_default()
                .entry(plat)
                .or_insert(i);
        }
        TagRanks { ranks }
    }

    /// The best (lowest) rank over the wheel's compressed tag set, or `None` when no tag of the
    /// wheel runs on the target.
    pub fn rank(&self, wheel: &WheelName) -> Option<usize> {
        wheel
            .tags()
            .filter_map(|(py, abi, plat)| self.ranks.get(py)?.get(abi)?.get(plat).copied())
            .min()
    }
}

/// Parses pip's `--platform` spelling (`manylinux_2_17_x86_64`, `manylinux2014_aarch64`,
/// `linux_x86_64`) into an architecture and a glibc floor.
pub fn parse_pip_platform(s: &str) -> Result<(Arch, Option<Glibc>), String> {
    let s = s.trim();
    for arch in Arch::ALL {
        if let Some(prefix) = s.strip_suffix(&format!("_{}", arch.as_str())) {
            if prefix == "linux" {
                return Ok((arch, None));
            }
            let glibc = Glibc::from_str(prefix).map_err(|_| {
                format!("unsupported platform `{s}`: expected `manylinux_2_N_<arch>`")
            })?;
            return Ok((arch, Some(glibc)));
        }
    }
    Err(format!(
        "unsupported platform `{s}`: the target is manylinux glibc Linux on `x86_64` or `aarch64`"
    ))
}

#[cfg(test)]
mod tests;
