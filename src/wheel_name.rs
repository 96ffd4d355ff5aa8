//! Wheel file names (PEP 427 / binary distribution format).
//!
//! Input: a file name such as `foo_bar-1.0-1-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`.
//! Output: a [`WheelName`] with the normalised project name, the version, the optional build tag
//! and the three compressed tag sets. Grammar:
//!
//! ```text
//! {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
//! ```
//!
//! Each tag part may hold several tags joined by `.`. The build tag starts with a digit. A name
//! that could escape a folder (`/`, `\`, `..`, control characters) is rejected here, so a
//! [`WheelName`] is always safe to use as one path component.

/// The largest wheel nbwheel accepts by default (1 GiB), the one cap for every reader of wheel
/// bytes: `verify` refuses a larger archive member from its tar header, before writing
/// anything, and a download refuses a larger body (the default of `--max-wheel-size`).
pub const DEFAULT_MAX_WHEEL_SIZE: u64 = 1 << 30;

/// The environment variable that overrides [`DEFAULT_MAX_WHEEL_SIZE`] (bytes, a plain integer).
pub const MAX_WHEEL_SIZE_ENV: &str = "NBWHEEL_MAX_WHEEL_SIZE";

/// The wheel-size cap in force: `NBWHEEL_MAX_WHEEL_SIZE` when it holds a positive integer,
/// else [`DEFAULT_MAX_WHEEL_SIZE`].
pub fn max_wheel_size() -> u64 {
    std::env::var(MAX_WHEEL_SIZE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&v| v > 0)
        .unwrap_or(DEFAULT_MAX_WHEEL_SIZE)
}

/// Source-distribution suffixes pip recognises (compared case-insensitively): the one list
/// for requirement URLs, index pages and the resolver.
pub const SDIST_SUFFIXES: [&str; 11] = [
    ".tar.gz",
    ".tgz",
    ".tar",
    ".zip",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
];

/// A source-distribution file name without its suffix (`foo-1.0` of `foo-1.0.tar.gz`), when it
/// ends in one of [`SDIST_SUFFIXES`].
pub fn sdist_stem(filename: &str) -> Option<&str> {
    let lower = filename.to_ascii_lowercase();
    let suffix = SDIST_SUFFIXES.iter().find(|s| lower.ends_with(*s))?;
    filename.get(..filename.len() - suffix.len())
}

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;

/// A parsed, validated wheel file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WheelName {
    /// The normalised project name.
    pub name: PackageName,
    /// The version as written in the file name.
    pub version: Version,
    /// The optional build tag.
    pub build: Option<BuildTag>,
    /// Python tags, e.g. `py2`, `py3`, `cp312`.
    pub python: Vec<String>,
    /// ABI tags, e.g. `none`, `abi3`, `cp312`.
    pub abi: Vec<String>,
    /// Platform tags, e.g. `any`, `manylinux_2_17_x86_64`.
    pub platform: Vec<String>,
    /// The file name exactly as given.
    filename: String,
}

/// A wheel build tag: a number followed by an optional string, compared as a tuple.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuildTag {
    /// The leading digits.
    pub number: u64,
    /// The rest of the tag.
    pub rest: String,
}

/// Why a wheel file name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WheelNameError {
    /// The name does not end in `.whl`.
    #[error("`{0}` is not a wheel file name (it must end in `.whl`)")]
    NotAWheel(String),
    /// The name contains a character that is never valid in a wheel file name.
    #[error("wheel file name `{name}` contains an unsafe character {character:?}")]
    UnsafeCharacter {
        /// The offending file name (escaped when printed).
        name: String,
        /// The first bad character.
        character: char,
    },
    /// The name has the wrong number of `-`-separated parts.
    #[error("wheel file name `{0}` must have 5 or 6 parts separated by `-`")]
    WrongParts(String),
    /// The distribution part is not a valid project name.
    #[error("wheel file name `{name}` has an invalid project name `{part}`")]
    BadName {
        /// The file name.
        name: String,
        /// The distribution part.
        part: String,
    },
    /// The version part is not a PEP 440 version.
    #[error("wheel file name `{name}` has an invalid version `{part}`")]
    BadVersion {
        /// The file name.
        name: String,
        /// The version part.
        part: String,
    },
    /// The build tag does not start with a digit.
    #[error("wheel file name `{name}` has a build tag `{part}` that does not start with a digit")]
    BadBuildTag {
        /// The file name.
        name: String,
        /// The build part.
        part: String,
    },
    /// A tag part is empty or malformed.
    #[error("wheel file name `{name}` has an empty or malformed tag `{part}`")]
    BadTag {
        /// The file name.
        name: String,
        /// The tag part.
        part: String,
    },
}

impl WheelName {
    /// The file name exactly as parsed.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// Every (python, abi, platform) triple of the compressed tag set.
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.python.iter().flat_map(move |py| {
            self.abi.iter().flat_map(move |abi| {
                self.platform
                    .iter()
                    .map(move |plat| (py.as_str(), abi.as_str(), plat.as_str()))
            })
        })
    }

    /// The tag triple part of the file name, e.g. `py3-none-any`.
    pub fn tag_string(&self) -> String {
        format!(
            "{}-{}-{}",
            self.python.join("."),
            self.abi.join("."),
            self.platform.join(".")
        )
    }

    /// True when every platform tag is `any` (a pure wheel, one file for all architectures).
    pub fn is_pure(&self) -> bool {
        self.platform.iter().all(|p| p == "any")
    }
}

impl FromStr for WheelName {
    type Err = WheelNameError;

    fn from_str(filename: &str) -> Result<Self, Self::Err> {
        if let Some(character) = filename.chars().find(|c| {
            c.is_control() || matches!(c, '/' | '\\' | ':' | '%' | '\u{0}') || c.is_whitespace()
        }) {
            return Err(WheelNameError::UnsafeCharacter {
                name: filename.escape_debug().to_string(),
                character,
            });
        }
        let stem = filename
            .strip_suffix(".whl")
            .ok_or_else(|| WheelNameError::NotAWheel(filename.to_string()))?;
        if stem.starts_with('.') {
            return Err(WheelNameError::UnsafeCharacter {
                name: filename.to_string(),
                character: '.',
            });
        }
        let parts: Vec<&str> = stem.split('-').collect();
        let (dist, version, build, py, abi, plat) = match parts.as_slice() {
            [dist, ver, py, abi, plat] => (*dist, *ver, None, *py, *abi, *plat),
            [dist, ver, build, py, abi, plat] => (*dist, *ver, Some(*build), *py, *abi, *plat),
            _ => return Err(WheelNameError::WrongParts(filename.to_string())),
        };
        let name = PackageName::new(dist.to_string()).map_err(|_| WheelNameError::BadName {
            name: filename.to_string(),
            part: dist.to_string(),
        })?;
        let version = Version::from_str(version).map_err(|_| WheelNameError::BadVersion {
            name: filename.to_string(),
            part: version.to_string(),
        })?;
        let build = build
            .map(|b| {
                let digits: String = b.chars().take_while(char::is_ascii_digit).collect();
                let number = digits
                    .parse::<u64>()
                    .map_err(|_| WheelNameError::BadBuildTag {
                        name: filename.to_string(),
                        part: b.to_string(),
                    })?;
                Ok(BuildTag {
                    number,
                    rest: b[digits.len()..].to_string(),
                })
            })
            .transpose()?;
        let split = |part: &str| -> Result<Vec<String>, WheelNameError> {
            let tags: Vec<String> = part.split('.').map(str::to_string).collect();
            if tags
                .iter()
                .any(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                return Err(WheelNameError::BadTag {
                    name: filename.to_string(),
                    part: part.to_string(),
                });
            }
            Ok(tags)
        };
        Ok(WheelName {
            name,
            version,
            build,
            python: split(py)?,
            abi: split(abi)?,
            platform: split(plat)?,
            filename: filename.to_string(),
        })
    }
}

impl fmt::Display for WheelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.filename)
    }
}

impl PartialOrd for WheelName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for WheelName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.filename.cmp(&other.filename)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdist_stems() {
        assert_eq!(sdist_stem("foo-1.0.tar.gz"), Some("foo-1.0"));
        assert_eq!(sdist_stem("Foo-1.0.TAR.GZ"), Some("Foo-1.0"));
        assert_eq!(sdist_stem("foo-1.0.tar.lzma"), Some("foo-1.0"));
        assert_eq!(sdist_stem("foo-1.0.zip"), Some("foo-1.0"));
        assert_eq!(sdist_stem("foo-1.0-py3-none-any.whl"), None);
        assert_eq!(sdist_stem("foo-1.0.egg"), None);
    }

    fn parse(s: &str) -> Result<WheelName, WheelNameError> {
        s.parse()
    }

    #[test]
    fn parses_compressed_tag_sets() {
        let w =
            parse("Foo_Bar-1.0.post1-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
                .unwrap();
        assert_eq!(w.name.as_ref(), "foo-bar");
        assert_eq!(w.version.to_string(), "1.0.post1");
        assert_eq!(w.python, ["py2", "py3"]);
        assert_eq!(w.platform.len(), 2);
        assert_eq!(w.tags().count(), 4);
        assert!(!w.is_pure());
        assert_eq!(
            w.tag_string(),
            "py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64"
        );
    }

    #[test]
    fn parses_build_tag() {
        let w = parse("foo-1.0-12abc-py3-none-any.whl").unwrap();
        assert_eq!(
            w.build,
            Some(BuildTag {
                number: 12,
                rest: "abc".into()
            })
        );
        assert!(w.is_pure());
        assert!(parse("foo-1.0-abc-py3-none-any.whl").is_err());
    }

    #[test]
    fn rejects_hostile_names() {
        for bad in [
            "../../x-1.0-py3-none-any.whl",
            "x-1.0-py3-none-any.whl\n",
            "a%2Fb-1.0-py3-none-any.whl",
            "a\\b-1.0-py3-none-any.whl",
            "x-1.0-py3-none\u{0}-any.whl",
            "x-1.0-py3-any.whl",
            "x-1.0-py3-none-any.zip",
            "x-notaversion!!-py3-none-any.whl",
            "x-1.0-py3-none-.whl",
            ".x-1.0-py3-none-any.whl",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_names_are_rejected_or_safe(s in "\\PC{0,40}") {
            if let Ok(w) = parse(&s) {
                let f = w.filename();
                proptest::prop_assert!(!f.contains('/') && !f.contains('\\') && !f.starts_with('.'));
                proptest::prop_assert!(std::path::Path::new(f).components().count() == 1);
            }
        }
    }
}
