//! The OSV schema (<https://ossf.github.io/osv-schema/>), the part of it an audit reads, and
//! the question it answers: does this advisory affect `name==version` on PyPI, and which
//! versions fix it.
//!
//! Matching follows the schema: an `affected` entry applies when its package is the `PyPI`
//! project (names compared normalised) and the version is listed in `versions` or falls in one
//! of its `ECOSYSTEM` (or `SEMVER`, read as PEP 440) ranges. A range's events are sorted by
//! version (`introduced: "0"` first); walking them, `introduced` opens, `fixed` closes before
//! its version and `last_affected` closes after it. `GIT` ranges carry commits, not versions,
//! and are skipped. A record with `withdrawn` set is never a finding.

use std::collections::BTreeSet;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;
use serde::{Deserialize, Serialize};

/// One OSV record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Vulnerability {
    /// `PYSEC-…`, `GHSA-…`, `CVE-…`.
    pub id: String,
    /// Other ids of the same advisory.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line.
    #[serde(default)]
    pub summary: Option<String>,
    /// Longer text (Markdown).
    #[serde(default)]
    pub details: Option<String>,
    /// RFC 3339; set when the advisory was withdrawn.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub modified: Option<String>,
    /// The affected packages.
    #[serde(default)]
    pub affected: Vec<Affected>,
}

/// One `affected` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Affected {
    /// The package.
    #[serde(default)]
    pub package: Option<OsvPackage>,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Explicitly affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Database-specific data (kept, not interpreted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// `affected[].package`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct OsvPackage {
    /// `PyPI` for Python projects.
    #[serde(default)]
    pub ecosystem: String,
    /// The project name as the database spells it.
    #[serde(default)]
    pub name: String,
}

/// `affected[].ranges[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Range {
    /// `ECOSYSTEM`, `SEMVER` or `GIT`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The events.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One range event; exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Event {
    /// The first affected version (`0`: all earlier ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The first fixed version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The last affected version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// An upper bound of the range (not a fix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// The ecosystem name of Python projects in OSV.
pub const ECOSYSTEM: &str = "PyPI";

impl Vulnerability {
    /// True when the advisory was withdrawn (whatever the date: a withdrawal is final).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// The `affected` entries for this `PyPI` project.
    fn entries_for<'a>(&'a self, name: &'a PackageName) -> impl Iterator<Item = &'a Affected> {
        self.affected.iter().filter(move |a| {
            a.package.as_ref().is_some_and(|p| {
                p.ecosystem == ECOSYSTEM && PackageName::from_str(&p.name).is_ok_and(|n| &n == name)
            })
        })
    }

    /// True when the advisory names this project (at any version).
    pub fn names(&self, name: &PackageName) -> bool {
        self.entries_for(name).next().is_some()
    }

    /// True when `name==version` is affected (and the advisory is not withdrawn).
    pub fn affects(&self, name: &PackageName, version: &Version) -> bool {
        !self.is_withdrawn()
            && self.entries_for(name).any(|a| {
                a.versions
                    .iter()
                    .any(|v| Version::from_str(v).is_ok_and(|v| &v == version))
                    || a.ranges
                        .iter()
                        .filter(|r| r.kind == "ECOSYSTEM" || r.kind == "SEMVER")
                        .any(|r| in_range(&r.events, version))
            })
    }

    /// The `fixed` versions of the ranges for this project, sorted.
    pub fn fixed_versions(&self, name: &PackageName) -> Vec<Version> {
        let fixed: BTreeSet<Version> = self
            .entries_for(name)
            .flat_map(|a| &a.ranges)
            .filter(|r| r.kind == "ECOSYSTEM" || r.kind == "SEMVER")
            .flat_map(|r| &r.events)
            .filter_map(|e| e.fixed.as_deref())
            .filter_map(|v| Version::from_str(v).ok())
            .collect();
        fixed.into_iter().collect()
    }

    /// The summary, or the first line of the details.
    pub fn headline(&self) -> String {
        let text = self
            .summary
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| {
                self.details
                    .as_deref()
                    .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
            })
            .unwrap_or("(no summary)")
            .trim();
        let mut out: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
        if text.chars().count() > 200 {
            out.push('…');
        }
        out
    }
}

/// Where a range event sits: its version, `None` for `introduced: "0"` (before everything);
/// the outer `None` for an event whose version does not parse.
#[expect(clippy::option_option, reason = "unparsable vs. before everything")]
fn event_version(event: &Event) -> Option<Option<Version>> {
    let raw = event
        .introduced
        .as_deref()
        .or(event.fixed.as_deref())
        .or(event.last_affected.as_deref())
        .or(event.limit.as_deref())?;
    if raw == "0" {
        return Some(None);
    }
    Version::from_str(raw).ok().map(Some)
}

/// True when `version` falls in the range the events describe.
pub fn in_range(events: &[Event], version: &Version) -> bool {
    let mut sorted: Vec<(Option<Version>, &Event)> = events
        .iter()
        .filter_map(|e| event_version(e).map(|v| (v, e)))
        .collect();
    // `None` (introduced 0) sorts first; at equal versions, `introduced` before the others.
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| b.1.introduced.is_some().cmp(&a.1.introduced.is_some()))
    });
    let mut affected = false;
    for (at, event) in sorted {
        let reached = at.as_ref().is_none_or(|at| version >= at);
        if event.introduced.is_some() {
            if reached {
                affected = true;
            }
        } else if event.fixed.is_some() || event.limit.is_some() {
            if reached {
                affected = false;
            }
        } else if event.last_affected.is_some() && at.as_ref().is_some_and(|at| version > at) {
            affected = false;
        }
    }
    affected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    fn events(json: &str) -> Vec<Event> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ranges_open_and_close() {
        let e = events(
            r#"[{"introduced": "0"}, {"fixed": "1.2.3"}, {"introduced": "2.0"}, {"fixed": "2.1"}]"#,
        );
        let hits: Vec<bool> = ["0.1", "1.2.2", "1.2.3", "1.9", "2.0", "2.0.9", "2.1", "3"]
            .iter()
            .map(|s| in_range(&e, &v(s)))
            .collect();
        assert_eq!(hits, [true, true, false, false, true, true, false, false]);
        let last = events(r#"[{"introduced": "1.0"}, {"last_affected": "1.4"}]"#);
        assert!(in_range(&last, &v("1.4")));
        assert!(!in_range(&last, &v("1.4.1")));
        assert!(!in_range(&last, &v("0.9")));
        let open = events(r#"[{"introduced": "1.0"}]"#);
        assert!(in_range(&open, &v("99")));
    }

    #[test]
    fn withdrawn_and_other_ecosystems_never_match() {
        let mut vuln: Vulnerability = serde_json::from_str(
            r#"{"id": "PYSEC-1", "affected": [
                {"package": {"ecosystem": "PyPI", "name": "Django_Thing"},
                 "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]},
                {"package": {"ecosystem": "npm", "name": "other"}, "versions": ["1.0"]}]}"#,
        )
        .unwrap();
        let name = PackageName::from_str("django-thing").unwrap();
        assert!(vuln.affects(&name, &v("1.0")));
        assert_eq!(vuln.fixed_versions(&name), vec![v("2.0")]);
        assert!(!vuln.affects(&PackageName::from_str("other").unwrap(), &v("1.0")));
        vuln.withdrawn = Some("2024-01-01T00:00:00Z".into());
        assert!(!vuln.affects(&name, &v("1.0")));
    }
}
