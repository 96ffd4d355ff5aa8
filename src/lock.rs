//! The lock file written into every archive as `wheelhouse/pylock.toml` (PEP 751).
//!
//! Input: a [`crate::resolve::Resolution`] and the files downloaded for it. Output: TOML text listing every
//! wheel with its name, version, file name, sha256, size, upload time and the index it came from
//! (URLs never carry credentials), plus, under `[tool.nbwheel]`, the target and the upload-time
//! cutoff used, so a resolution can be replayed later. [`Lock::read`] parses such a file back
//! for `nbwheel build --lock`, which rebuilds exactly those wheels without resolving.
//!
//! Only the subset of PEP 751 that describes wheels is written or read; `serde` + `toml` do the
//! encoding.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr as _;

use pep440_rs::Version;
use pep508_rs::PackageName;
use serde::{Deserialize, Serialize};

use crate::wheel_name::WheelName;

use crate::redact::Redacted;

/// The most nbwheel reads of a lock file (16 MiB; a lock of thousands of wheels is far smaller).
pub const MAX_LOCK_BYTES: u64 = 16 << 20;

/// A PEP 751 lock file (the subset nbwheel writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Lock {
    /// Always `1.0`.
    pub lock_version: String,
    /// Always `nbwheel`.
    pub created_by: String,
    /// The target Python, e.g. `==3.12.*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_python: Option<String>,
    /// One marker expression describing the target.
    #[serde(default)]
    pub environments: Vec<String>,
    /// Every project of the closure.
    #[serde(default)]
    pub packages: Vec<LockedPackage>,
    /// nbwheel's own data.
    #[serde(default)]
    pub tool: LockTool,
}

/// `[tool]` of the lock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockTool {
    /// `[tool.nbwheel]`.
    #[serde(default)]
    pub nbwheel: NbwheelTool,
}

/// `[tool.nbwheel]`: how the lock was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NbwheelTool {
    /// The target, e.g. `cp312-manylinux_2_28_x86_64`.
    #[serde(default)]
    pub target: String,
    /// Every target of a merged archive (several architectures in one archive); empty for an
    /// archive built for one target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// The upload-time cutoff used, RFC 3339, when one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_prior_to: Option<String>,
}

/// One `[[packages]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LockedPackage {
    /// The normalised name.
    pub name: String,
    /// The version.
    pub version: String,
    /// The index URL it came from (no credentials), when it came from an index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// The sdist the wheel was built from (`--allow-sdist`), when it was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdist: Option<LockedSdist>,
    /// The wheel(s).
    pub wheels: Vec<LockedWheel>,
}

/// A `[packages.sdist]` entry (PEP 751): the source distribution a wheel was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LockedSdist {
    /// The file name.
    pub name: String,
    /// Where it was fetched from (no credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// PEP 700 upload time, when the index gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_time: Option<String>,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// `{ sha256 = "…" }`.
    pub hashes: BTreeMap<String, String>,
}

/// One `[[packages.wheels]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LockedWheel {
    /// The file name.
    pub name: String,
    /// Where it was fetched from (no credentials), when from an index or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file beside the lock inside the archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// PEP 700 upload time, when the index gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_time: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// `{ sha256 = "…" }`.
    pub hashes: BTreeMap<String, String>,
}

/// Why a lock file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The file could not be read.
    #[error("Failed to read the lock file `{}`", path.display())]
    Io {
        /// The path.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a lock nbwheel can use.
    #[error("Invalid lock file `{}`: {reason}", path.display())]
    Invalid {
        /// The path.
        path: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl Lock {
    /// A new, empty lock for `target` (its short description) and the cutoff.
    pub fn new(target: &crate::target::Target, cutoff: Option<jiff::Timestamp>) -> Self {
        Lock {
            lock_version: "1.0".into(),
            created_by: "nbwheel".into(),
            requires_python: Some(format!("=={}.*", target.python_version_string())),
            environments: vec![format!(
                "sys_platform == 'linux' and platform_machine == '{}' and implementation_name == 'cpython'",
                target.arch
            )],
            packages: Vec::new(),
            tool: LockTool {
                nbwheel: NbwheelTool {
                    target: target.short_description(),
                    targets: Vec::new(),
                    uploaded_prior_to: cutoff.map(|c| c.to_string()),
                },
            },
        }
    }

    /// A new, empty lock for a merged archive holding the wheels of every target.
    pub fn for_targets(targets: &[crate::target::Target], cutoff: Option<jiff::Timestamp>) -> Self {
        let Some(first) = targets.first() else {
            return Self::new(
                &crate::target::Target::new(crate::target::Arch::X86_64),
                cutoff,
            );
        };
        let mut lock = Self::new(first, cutoff);
        if targets.len() > 1 {
            lock.environments = targets
                .iter()
                .map(|t| {
                    format!(
                        "sys_platform == 'linux' and platform_machine == '{}' and implementation_name == 'cpython'",
                        t.arch
                    )
                })
                .collect();
            lock.tool.nbwheel.targets = targets
                .iter()
                .map(super::target::Target::short_description)
                .collect();
        }
        lock
    }

    /// The targets the lock claims: every target of a merged archive, else the one target.
    /// Entries nbwheel cannot read are skipped.
    pub fn claimed_targets(&self) -> Vec<crate::target::Target> {
        let names: Vec<&String> = if self.tool.nbwheel.targets.is_empty() {
            vec![&self.tool.nbwheel.target]
        } else {
            self.tool.nbwheel.targets.iter().collect()
        };
        names.into_iter().filter_map(|n| parse_target(n)).collect()
    }

    /// Adds a package with one wheel (a second wheel of the same version joins the first
    /// entry); `url` is redacted before it is stored.
    pub fn add(&mut self, name: &str, version: &str, index: Option<String>, wheel: LockedWheel) {
        let mut wheel = wheel;
        wheel.url = wheel
            .url
            .and_then(|u| url::Url::parse(&u).ok())
            .map(|u| lock_url(&u));
        if let Some(p) = self
            .packages
            .iter_mut()
            .find(|p| p.name == name && p.version == version)
        {
            if !p.wheels.iter().any(|w| w.name == wheel.name) {
                p.wheels.push(wheel);
                p.wheels.sort_by(|a, b| a.name.cmp(&b.name));
            }
            return;
        }
        self.packages.push(LockedPackage {
            name: name.to_string(),
            version: version.to_string(),
            index: index
                .and_then(|u| url::Url::parse(&u).ok())
                .map(|u| lock_url(&u)),
            sdist: None,
            wheels: vec![wheel],
        });
    }

    /// Records that `name==version`'s wheel was built from `sdist` (`url` is redacted).
    pub fn set_sdist(&mut self, name: &str, version: &str, sdist: LockedSdist) {
        let mut sdist = sdist;
        sdist.url = sdist
            .url
            .and_then(|u| url::Url::parse(&u).ok())
            .map(|u| lock_url(&u));
        if let Some(p) = self
            .packages
            .iter_mut()
            .find(|p| p.name == name && p.version == version)
        {
            p.sdist = Some(sdist);
        }
    }

    /// The TOML text, packages sorted by name.
    pub fn to_toml(&self) -> String {
        let mut lock = self.clone();
        lock.packages
            .sort_by(|a, b| a.name.cmp(&b.name).then(a.version.cmp(&b.version)));
        toml::to_string(&lock).unwrap_or_default()
    }

    /// Reads and checks a lock file.
    pub fn read(path: &Path) -> Result<Self, LockError> {
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = crate::requirements::read_bounded(path, MAX_LOCK_BYTES)
            .map_err(io)?
            .ok_or_else(|| LockError::Invalid {
                path: path.to_path_buf(),
                reason: format!("larger than {} MiB", MAX_LOCK_BYTES >> 20),
            })?;
        let text = String::from_utf8(bytes).map_err(|_| LockError::Invalid {
            path: path.to_path_buf(),
            reason: "not UTF-8".into(),
        })?;
        Self::parse(&text, path)
    }

    /// Parses and checks lock text.
    pub fn parse(text: &str, path: &Path) -> Result<Self, LockError> {
        let invalid = |reason: String| LockError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        // The TOML parser recurses into nested arrays and tables; a lock nests three deep.
        if crate::requirements::nesting_depth(text) > crate::requirements::MAX_NESTING {
            return Err(invalid(format!(
                "brackets are nested deeper than {}",
                crate::requirements::MAX_NESTING
            )));
        }
        let lock: Lock = toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
        if !lock.lock_version.starts_with("1.") {
            return Err(invalid(format!(
                "unsupported lock-version `{}` (expected 1.x)",
                lock.lock_version
            )));
        }
        for (i, p) in lock.packages.iter().enumerate() {
            p.check(i).map_err(invalid)?;
        }
        Ok(lock)
    }
}

impl LockedPackage {
    /// Checks every field of the entry (the `index`-th `[[packages]]`) for its type before
    /// anything uses it: a lock is input, and its values become cache paths, archive member
    /// names and URLs to fetch. The error names the field and the entry.
    fn check(&self, index: usize) -> Result<(), String> {
        let entry = format!(
            "[[packages]] #{} (`{}`)",
            index + 1,
            self.name.escape_debug()
        );
        let normalised = PackageName::new(self.name.clone()).ok();
        if normalised.as_ref().map(AsRef::<str>::as_ref) != Some(self.name.as_str()) {
            return Err(format!(
                "{entry}: `name` is not a normalised project name (PEP 503)"
            ));
        }
        if Version::from_str(&self.version).is_err() {
            return Err(format!(
                "{entry}: `version` `{}` is not a PEP 440 version",
                self.version.escape_debug()
            ));
        }
        if let Some(index_url) = &self.index {
            check_url(index_url, &["http", "https", "file"])
                .map_err(|e| format!("{entry}: `index` {e}"))?;
        }
        if self.wheels.is_empty() {
            return Err(format!("{entry}: `wheels` is empty"));
        }
        for (j, w) in self.wheels.iter().enumerate() {
            let at = format!("{entry}, wheel #{}", j + 1);
            if !is_safe_file_name(&w.name) {
                return Err(format!(
                    "{at}: `name` `{}` is not a wheel file name (one path component ending in `.whl`)",
                    w.name.escape_debug()
                ));
            }
            let Ok(parsed) = w.name.parse::<WheelName>() else {
                return Err(format!(
                    "{at}: `name` `{}` is not a valid wheel file name",
                    w.name.escape_debug()
                ));
            };
            if parsed.name.as_ref() != self.name.as_str() {
                return Err(format!(
                    "{at}: wheel `{}` is not a file of project `{}`",
                    w.name, self.name
                ));
            }
            if let Some(path) = &w.path
                && !is_safe_file_name(path)
            {
                return Err(format!(
                    "{at}: `path` `{}` is not a single file name",
                    path.escape_debug()
                ));
            }
            if let Some(url) = &w.url {
                // Files from local folders are written without a URL (found again through
                // `--find-links`), so a lock never makes nbwheel read a local path.
                check_url(url, &["http", "https"]).map_err(|e| format!("{at}: `url` {e}"))?;
            }
            let Some(sha) = w.hashes.get("sha256") else {
                return Err(format!("{at}: `hashes` has no `sha256`"));
            };
            if !is_sha256_hex(sha) {
                return Err(format!(
                    "{at}: `hashes.sha256` `{}` is not 64 lower-case hex digits",
                    sha.escape_debug()
                ));
            }
        }
        Ok(())
    }
}

/// A URL as a lock records it: without user info, query or fragment, so no credential or
/// signature (`sig=`, `X-Amz-Signature=`, a token) is ever written into an archive.
pub fn lock_url(url: &url::Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// Whether `s` is a sha256 as nbwheel writes it: 64 lower-case hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` is usable as one file name inside a folder: non-empty, at most 255 bytes, not
/// `.`/`..`, no path separator, no NUL or other control character, not starting with `-` or `.`.
pub fn is_safe_file_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && !s.starts_with('.')
        && !s.starts_with('-')
        && !s.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

/// Checks that `s` is an absolute URL with one of `schemes`.
fn check_url(s: &str, schemes: &[&str]) -> Result<(), String> {
    let url =
        url::Url::parse(s).map_err(|e| format!("`{}` is not a URL: {e}", s.escape_debug()))?;
    if schemes.contains(&url.scheme()) {
        Ok(())
    } else {
        Err(format!(
            "`{}` has scheme `{}` (only {} allowed)",
            Redacted::new(&url),
            url.scheme(),
            schemes.join("/")
        ))
    }
}

/// Parses a short target description, `cp312-manylinux_2_28_x86_64`.
pub fn parse_target(s: &str) -> Option<crate::target::Target> {
    let (py, rest) = s.split_once('-')?;
    let digits = py.strip_prefix("cp")?;
    let rest = rest.strip_prefix("manylinux_")?;
    let (glibc, arch) = [("_x86_64", "x86_64"), ("_aarch64", "aarch64")]
        .iter()
        .find_map(|(suffix, arch)| rest.strip_suffix(suffix).map(|g| (g, *arch)))?;
    let mut t = crate::target::Target::new(arch.parse().ok()?);
    t.glibc = glibc.parse().ok()?;
    let (major, minor) = digits.split_at(1);
    t.set_python(&format!("{major}.{minor}")).ok()?;
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Arch, Target};

    #[test]
    fn round_trips_and_never_holds_credentials() {
        let mut lock = Lock::new(&Target::new(Arch::X86_64), None);
        let index = url::Url::parse("https://user:s3cret@pypi.example.com/simple/").unwrap();
        lock.add(
            "zeta",
            "1.0",
            Some(index.to_string()),
            LockedWheel {
                name: "zeta-1.0-py3-none-any.whl".into(),
                url: Some(
                    Redacted::new(
                        &url::Url::parse(
                            "https://user:s3cret@pypi.example.com/f/zeta-1.0-py3-none-any.whl",
                        )
                        .unwrap(),
                    )
                    .to_string(),
                ),
                path: Some("zeta-1.0-py3-none-any.whl".into()),
                upload_time: None,
                size: 10,
                hashes: BTreeMap::from([("sha256".into(), "ab".repeat(32))]),
            },
        );
        let text = lock.to_toml();
        assert!(!text.contains("s3cret") && !text.contains("user@"));
        insta::assert_snapshot!(text);
        let back = Lock::parse(&text, Path::new("pylock.toml")).unwrap();
        assert_eq!(back.packages, lock.packages);
    }

    #[test]
    fn merged_locks_claim_every_target() {
        let targets = [Target::new(Arch::X86_64), Target::new(Arch::Aarch64)];
        let mut lock = Lock::for_targets(&targets, None);
        for arch in ["x86_64", "aarch64"] {
            lock.add(
                "c",
                "1.0",
                None,
                LockedWheel {
                    name: format!("c-1.0-cp312-cp312-manylinux_2_17_{arch}.whl"),
                    url: None,
                    path: None,
                    upload_time: None,
                    size: 1,
                    hashes: BTreeMap::from([("sha256".into(), "cd".repeat(32))]),
                },
            );
        }
        let back = Lock::parse(&lock.to_toml(), Path::new("pylock.toml")).unwrap();
        assert_eq!(back.packages.len(), 1);
        assert_eq!(back.packages[0].wheels.len(), 2);
        assert_eq!(back.claimed_targets(), targets.to_vec());
        assert_eq!(
            Lock::new(&targets[1], None).claimed_targets(),
            vec![targets[1].clone()]
        );
        assert!(parse_target("cp312-musllinux_1_2_x86_64").is_none());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        for (open, close) in [("[", "]"), ("{a=", "}")] {
            let text = format!(
                "lock-version = \"1.0\"\ncreated-by = \"x\"\nx = {}1{}\n",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            assert!(Lock::parse(&text, Path::new("p.toml")).is_err());
        }
    }

    #[test]
    fn rejects_missing_hash_and_bad_version() {
        let bad = "lock-version = \"2.0\"\ncreated-by = \"x\"\n";
        assert!(Lock::parse(bad, Path::new("p.toml")).is_err());
        let nohash = "lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\n[[packages.wheels]]\nname = \"a-1-py3-none-any.whl\"\nsize = 1\nhashes = {}\n";
        assert!(Lock::parse(nohash, Path::new("p.toml")).is_err());
    }
}
