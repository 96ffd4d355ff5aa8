//! The closure an audit or an SBOM describes: every pinned project of an archive with the
//! index it came from, its license, the constraints and requirements lines, and the dependency
//! graph as resolved (each wheel's `Requires-Dist`, markers evaluated for the archive's target,
//! kept when the dependency is in the archive).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::{ExtraName, PackageName, Requirement, VersionOrUrl};

use super::Fix;
use crate::commands::Error;
use crate::lock::Lock;
use crate::target::{Arch, Target};

/// One pinned project (one wheel of it; a merged archive may hold several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    /// The project.
    pub name: PackageName,
    /// Its version.
    pub version: Version,
    /// Wheel file names.
    pub files: Vec<WheelFile>,
    /// The index it came from (no credentials); `None` for local or find-links wheels.
    pub index: Option<String>,
    /// True when it must never be sent to a public service.
    pub private: bool,
    /// The license (SPDX expression when known, else the declared text), `None` when unknown.
    pub license: Option<String>,
}

/// One wheel of a pinned project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelFile {
    /// The file name.
    pub file: String,
    /// Hex sha256.
    pub sha256: String,
    /// Where it was downloaded from (no credentials), when known.
    pub url: Option<String>,
}

/// A `name` line of a constraints or requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecLine {
    /// The file as shown to the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The specifiers on the line (empty when none).
    pub specifiers: VersionSpecifiers,
}

/// Everything an audit or SBOM needs to know about a closure.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    /// The archive or inputs, for reports.
    pub subject: String,
    /// The projects, sorted by name.
    pub packages: Vec<Pinned>,
    /// Constraint lines by project.
    pub constraints: BTreeMap<PackageName, SpecLine>,
    /// Requirement lines by project (the roots).
    pub requirements: BTreeMap<PackageName, SpecLine>,
    /// Dependencies by project, as resolved.
    pub dependencies: BTreeMap<PackageName, BTreeSet<PackageName>>,
    /// The targets, as `cp312-manylinux_2_28_x86_64`.
    pub targets: Vec<String>,
}

/// Reads the `name` lines of a pip-format file: comments, options and lines that are not a
/// named requirement are skipped (the builder already refused what pip would refuse).
pub fn spec_lines(text: &str, file: &str) -> BTreeMap<PackageName, SpecLine> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        let Ok(req) = crate::requirements::parse_pep508::<pep508_rs::VerbatimUrl>(line) else {
            continue;
        };
        let specifiers = match req.version_or_url {
            Some(VersionOrUrl::VersionSpecifier(s)) => s,
            _ => VersionSpecifiers::empty(),
        };
        out.entry(req.name).or_insert(SpecLine {
            file: file.to_string(),
            line: i + 1,
            specifiers,
        });
    }
    out
}

impl Closure {
    /// The project by name.
    pub fn get(&self, name: &PackageName) -> Option<&Pinned> {
        self.packages.iter().find(|p| &p.name == name)
    }

    /// The roots (requirements) that pull `name` in, sorted; empty when `name` is a root.
    pub fn roots_of(&self, name: &PackageName) -> Vec<PackageName> {
        if self.requirements.contains_key(name) {
            return Vec::new();
        }
        let mut roots = BTreeSet::new();
        let mut seen = BTreeSet::from([name.clone()]);
        let mut queue = vec![name.clone()];
        while let Some(n) = queue.pop() {
            for (parent, deps) in &self.dependencies {
                if deps.contains(&n) && seen.insert(parent.clone()) {
                    if self.requirements.contains_key(parent) {
                        roots.insert(parent.clone());
                    }
                    queue.push(parent.clone());
                }
            }
        }
        roots.into_iter().collect()
    }

    /// How a fix for `pinned` can be had, given the fixed versions.
    pub fn fix_for(&self, pinned: &Pinned, fixed: &[Version]) -> Fix {
        let Some(target) = fixed.iter().filter(|v| **v > pinned.version).min() else {
            return Fix {
                kind: "none",
                message: "no fixed version is known".into(),
            };
        };
        if let Some(c) = self.constraints.get(&pinned.name)
            && !fixed
                .iter()
                .any(|v| *v > pinned.version && c.specifiers.contains(v))
        {
            return Fix {
                kind: "blocked-by-constraints",
                message: format!(
                    "fixed in {target}; `{}` line {} pins `{}{}` — the NetBox base image owns it",
                    c.file, c.line, pinned.name, c.specifiers
                ),
            };
        }
        if let Some(r) = self.requirements.get(&pinned.name) {
            return Fix {
                kind: "bump-requirement",
                message: format!(
                    "fixed in {target}, within the constraints: raise `{}` in `{}` line {}",
                    pinned.name, r.file, r.line
                ),
            };
        }
        let roots = self.roots_of(&pinned.name);
        let by = if roots.is_empty() {
            "a dependency".to_string()
        } else {
            roots
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Fix {
            kind: "bump-plugin",
            message: format!(
                "fixed in {target}, within the constraints: pulled in by {by}; bump it, or add `{}>={target}` to the requirements",
                pinned.name
            ),
        }
    }
}

/// The target of an archive's lock, or the default.
pub fn lock_target(lock: Option<&Lock>) -> Target {
    lock.and_then(|l| crate::lock::parse_target(&l.tool.nbwheel.target))
        .unwrap_or_else(|| Target::new(Arch::X86_64))
}

/// The dependency graph of wheels' `Requires-Dist`, markers evaluated for `target` with the
/// extras the roots and the other wheels ask for; only edges to projects in `present`.
pub fn dependency_graph(
    requires: &BTreeMap<PackageName, Vec<Requirement>>,
    roots: &[Requirement],
    target: &Target,
) -> BTreeMap<PackageName, BTreeSet<PackageName>> {
    let env = target.marker_environment();
    let mut extras: BTreeMap<PackageName, BTreeSet<ExtraName>> = BTreeMap::new();
    for r in roots.iter().chain(requires.values().flatten()) {
        extras
            .entry(r.name.clone())
            .or_default()
            .extend(r.extras.iter().cloned());
    }
    let mut out: BTreeMap<PackageName, BTreeSet<PackageName>> = BTreeMap::new();
    for (name, reqs) in requires {
        let wanted: Vec<ExtraName> = extras
            .get(name)
            .map(|e| e.iter().cloned().collect())
            .unwrap_or_default();
        let deps = out.entry(name.clone()).or_default();
        for r in reqs {
            if requires.contains_key(&r.name) && r.name != *name && r.marker.evaluate(&env, &wanted)
            {
                deps.insert(r.name.clone());
            }
        }
    }
    out
}

/// Reads `requirements.txt`, `constraints.txt` and the lock out of an extracted archive.
pub fn archive_inputs(dir: &Path) -> Result<(String, String, Option<Lock>), Error> {
    let read = |name: &str| -> Result<String, Error> {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(Error::io("Failed to read", path, e)),
        }
    };
    let lock = Lock::read(&dir.join("pylock.toml")).ok();
    Ok((read("requirements.txt")?, read("constraints.txt")?, lock))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn n(s: &str) -> PackageName {
        PackageName::from_str(s).unwrap()
    }

    fn pinned(name: &str, version: &str) -> Pinned {
        Pinned {
            name: n(name),
            version: Version::from_str(version).unwrap(),
            files: Vec::new(),
            index: None,
            private: false,
            license: None,
        }
    }

    #[test]
    fn fixes_name_the_constraint_or_the_plugin() {
        let mut c = Closure {
            constraints: spec_lines("# base\n\ndjango==3.1.0 # pinned\n", "constraints.txt"),
            requirements: spec_lines("netbox-foo>=1\n", "requirements.txt"),
            ..Closure::default()
        };
        c.dependencies
            .insert(n("netbox-foo"), BTreeSet::from([n("jinja2")]));
        let fixed = [Version::from_str("3.2.1").unwrap()];
        let fix = c.fix_for(&pinned("django", "3.1.0"), &fixed);
        assert_eq!(fix.kind, "blocked-by-constraints");
        assert_eq!(
            fix.message,
            "fixed in 3.2.1; `constraints.txt` line 3 pins `django==3.1.0` — the NetBox base image owns it"
        );
        let fix = c.fix_for(&pinned("jinja2", "3.1.0"), &fixed);
        assert_eq!(fix.kind, "bump-plugin");
        assert!(
            fix.message.contains("pulled in by `netbox-foo`"),
            "{}",
            fix.message
        );
        let fix = c.fix_for(&pinned("netbox-foo", "1.0"), &[]);
        assert_eq!(fix.kind, "none");
    }
}
