//! `nbwheel audit`: the pinned closure of an archive (or of `-r`/`-c` inputs) checked against
//! known vulnerabilities, PEP 792 project status, yanks and licenses.
//!
//! Input: a [`Closure`] (every `name==version` with the index it came from, the constraints
//! lines and the dependency graph) and [`AuditOptions`]. Output: an [`AuditReport`] whose
//! findings decide the exit code (1 when any applies, 0 otherwise).
//!
//! Sources of advisories ([`Source`]): the OSV API ([`osv_api`]: `/v1/querybatch`, then
//! `/v1/vulns/ID`), the `PyPI` JSON API ([`pypi_json`]) or an offline OSV database
//! ([`osv_db`]: a folder of records or the per-ecosystem `.zip`). Private projects (from any
//! source but the public index, or matching `--private-prefix`) are never sent to a service:
//! they are listed as not checked. Withdrawn advisories are dropped; `--ignore ID` (or the
//! `ignore` configuration key, optionally with an expiry date) silences one by id or alias.
//!
//! Each vulnerability says whether a fix is reachable: within the constraints, blocked by a
//! constraints line (the `NetBox` base image owns it), or by bumping the requirement or the
//! plugin that pulls the project in.

pub mod closure;
pub mod command;
pub mod load;
pub mod osv;
pub mod osv_api;
pub mod osv_db;
pub mod pypi_json;
pub mod report;
pub mod status;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pep440_rs::Version;
use pep508_rs::PackageName;

use crate::exit::ExitCode;
pub use closure::{Closure, Pinned};

/// Why an audit could not be done.
#[derive(Debug, thiserror::Error)]
pub enum AdvisoryError {
    /// The vulnerability service could not be reached or answered badly.
    #[error("The vulnerability service {url} could not be used: {reason}")]
    Unreachable {
        /// The URL, without credentials.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The offline OSV database could not be read.
    #[error("The OSV database `{}` could not be read: {reason}", path.display())]
    Database {
        /// The folder or zip.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// An `ignore` entry is malformed.
    #[error("Invalid ignore entry `{entry}`: {reason}")]
    Ignore {
        /// The entry as written.
        entry: String,
        /// What is wrong.
        reason: String,
    },
    /// Findings apply (already printed).
    #[error("{count} finding(s) apply (see above)")]
    Findings {
        /// How many.
        count: usize,
    },
}

impl AdvisoryError {
    /// 3 for an unreachable service, 2 for bad input, 1 for findings.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            AdvisoryError::Unreachable { .. } => ExitCode::Network,
            AdvisoryError::Database { .. } | AdvisoryError::Ignore { .. } => ExitCode::Usage,
            AdvisoryError::Findings { .. } => ExitCode::NoSolution,
        }
    }

    /// Advice for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            AdvisoryError::Unreachable { .. } => Some(
                "Check the network or `--vulnerability-url`; without internet use `--osv-db` with OSV's `PyPI/all.zip`.".into(),
            ),
            AdvisoryError::Database { .. } => Some(
                "Give a folder of OSV JSON records or the `all.zip` from https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip.".into(),
            ),
            AdvisoryError::Ignore { .. } => Some(
                "Write `ignore = [\"ID\", { id = \"ID\", until = \"2027-01-31\" }]`.".into(),
            ),
            AdvisoryError::Findings { .. } => None,
        }
    }
}

/// Where advisories come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The OSV API at this base URL.
    Osv(url::Url),
    /// The `PyPI` JSON API at this base URL.
    PypiJson(url::Url),
    /// An offline OSV database (folder or zip).
    Database(PathBuf),
}

impl Source {
    /// How the source is named in reports.
    pub fn describe(&self) -> String {
        match self {
            Source::Osv(u) => format!("OSV API {}", crate::index::Redacted::new(u)),
            Source::PypiJson(u) => format!("PyPI JSON API {}", crate::index::Redacted::new(u)),
            Source::Database(p) => format!("OSV database `{}`", p.display()),
        }
    }
}

/// One `--ignore` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    /// The advisory id or alias.
    pub id: String,
    /// The last day it applies (UTC), when set.
    pub until: Option<jiff::civil::Date>,
}

/// What to check and how.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The advisory source.
    pub source: Source,
    /// Ignored advisories.
    pub ignore: Vec<Ignore>,
    /// Check licenses (`--licenses`).
    pub licenses: bool,
    /// SPDX ids allowed (`--allow-license`); empty: only unknown licenses are findings.
    pub allow_licenses: Vec<String>,
    /// Check PEP 792 status and yanks on the indexes.
    pub check_status: bool,
    /// Today, for ignore expiry.
    pub today: jiff::civil::Date,
}

/// An advisory normalised from any source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// The id.
    pub id: String,
    /// Aliases (CVE, GHSA…).
    pub aliases: Vec<String>,
    /// One line.
    pub summary: String,
    /// Fixed versions, sorted.
    pub fixed: Vec<Version>,
}

impl Advisory {
    /// From an OSV record, for `name`.
    pub fn from_osv(vuln: &osv::Vulnerability, name: &PackageName) -> Self {
        Advisory {
            id: vuln.id.clone(),
            aliases: vuln.aliases.clone(),
            summary: vuln.headline(),
            fixed: vuln.fixed_versions(name),
        }
    }
}

/// What kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A known vulnerability.
    Vulnerability,
    /// PEP 792 `archived` or `deprecated`.
    ProjectStatus,
    /// The pinned release is yanked.
    Yanked,
    /// The license is unknown or not allowed.
    License,
}

/// How a fix can be had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// `within-constraints`, `blocked-by-constraints`, `bump-requirement`, `bump-plugin` or
    /// `none`.
    pub kind: &'static str,
    /// The explanation, e.g. "fixed in 3.2.1; `constraints.txt` line 41 pins ==3.1.0 …".
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// The project.
    pub package: String,
    /// Its pinned version.
    pub version: String,
    /// The advisory id (vulnerabilities), the status, `yanked` or the license.
    pub id: String,
    /// Aliases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The summary or reason.
    pub summary: String,
    /// Fixed versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// Whether and how a fix is reachable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// What `audit` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditReport {
    /// The archive or inputs audited.
    pub subject: String,
    /// The advisory source.
    pub source: String,
    /// How many projects were checked against it.
    pub checked: usize,
    /// Projects not sent anywhere because they are private.
    pub not_checked_private: Vec<String>,
    /// Every finding that applies.
    pub findings: Vec<Finding>,
    /// Findings silenced by `--ignore`.
    pub ignored: Vec<Finding>,
    /// Notes (expired ignores, skipped checks).
    pub notes: Vec<String>,
    /// Each project's license, when `--licenses`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub licenses: BTreeMap<String, String>,
}

impl AuditReport {
    /// 1 when a finding applies, else 0.
    pub fn exit_code(&self) -> ExitCode {
        if self.findings.is_empty() {
            ExitCode::Success
        } else {
            ExitCode::NoSolution
        }
    }
}

/// Whether `finding` is silenced; expired entries add a note once.
fn ignored_by<'a>(
    finding: &Finding,
    ignore: &'a [Ignore],
    today: jiff::civil::Date,
) -> Option<&'a Ignore> {
    ignore.iter().find(|i| {
        (i.id.eq_ignore_ascii_case(&finding.id)
            || finding
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&i.id)))
            && i.until.is_none_or(|until| today <= until)
    })
}

/// Splits findings into applying and ignored; notes every expired ignore that matched.
pub fn apply_ignores(
    findings: Vec<Finding>,
    options: &AuditOptions,
    notes: &mut Vec<String>,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut applying = Vec::new();
    let mut ignored = Vec::new();
    let mut expired: BTreeSet<String> = BTreeSet::new();
    for f in findings {
        if ignored_by(&f, &options.ignore, options.today).is_some() {
            ignored.push(f);
            continue;
        }
        for i in &options.ignore {
            if let Some(until) = i.until
                && (i.id.eq_ignore_ascii_case(&f.id)
                    || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(&i.id)))
                && expired.insert(i.id.clone())
            {
                notes.push(format!("the ignore of `{}` expired on {until}", i.id));
            }
        }
        applying.push(f);
    }
    (applying, ignored)
}

/// Parses `ID` or `ID@YYYY-MM-DD` (`--ignore`), or a configuration entry.
pub fn parse_ignore(entry: &str, until: Option<&str>) -> Result<Ignore, AdvisoryError> {
    let bad = |reason: String| AdvisoryError::Ignore {
        entry: entry.to_string(),
        reason,
    };
    let (id, date) = match (entry.split_once('@'), until) {
        (_, Some(u)) => (entry, Some(u)),
        (Some((id, d)), None) => (id, Some(d)),
        (None, None) => (entry, None),
    };
    let id = id.trim();
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("an advisory id has no spaces".into()));
    }
    let until = date
        .map(|d| {
            d.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|e| bad(format!("the date must be YYYY-MM-DD: {e}")))
        })
        .transpose()?;
    Ok(Ignore {
        id: id.to_string(),
        until,
    })
}

/// The vulnerability findings for one project from its advisories, with the fix reachability.
pub fn vulnerability_findings(
    closure: &Closure,
    pinned: &Pinned,
    advisories: &[Advisory],
) -> Vec<Finding> {
    let mut out: Vec<Finding> = advisories
        .iter()
        .map(|a| Finding {
            kind: FindingKind::Vulnerability,
            package: pinned.name.to_string(),
            version: pinned.version.to_string(),
            id: a.id.clone(),
            aliases: a.aliases.clone(),
            summary: a.summary.clone(),
            fixed: a.fixed.iter().map(ToString::to_string).collect(),
            fix: Some(closure.fix_for(pinned, &a.fixed)),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The license findings: unknown, or (with an allow-list) not allowed.
pub fn license_findings(closure: &Closure, allow: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in &closure.packages {
        let problem = match p.license.as_deref() {
            None => Some(
                "no `License-Expression`, short `License` or license classifier in METADATA"
                    .to_string(),
            ),
            Some(l) if !allow.is_empty() && !crate::commands::sbom::license::allowed(l, allow) => {
                Some(format!("`{l}` is not in the allow-list"))
            }
            Some(_) => None,
        };
        if let Some(summary) = problem {
            out.push(Finding {
                kind: FindingKind::License,
                package: p.name.to_string(),
                version: p.version.to_string(),
                id: p.license.clone().unwrap_or_else(|| "unknown".into()),
                aliases: Vec::new(),
                summary,
                fixed: Vec::new(),
                fix: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_parse_and_expire() {
        let i = parse_ignore("GHSA-xxxx-yyyy@2027-01-31", None).unwrap();
        assert_eq!(i.id, "GHSA-xxxx-yyyy");
        assert_eq!(i.until, Some(jiff::civil::date(2027, 1, 31)));
        assert!(parse_ignore("PYSEC-1", Some("tomorrow")).is_err());
        let f = Finding {
            kind: FindingKind::Vulnerability,
            package: "a".into(),
            version: "1".into(),
            id: "PYSEC-1".into(),
            aliases: vec!["CVE-2024-1".into()],
            summary: String::new(),
            fixed: Vec::new(),
            fix: None,
        };
        let ignore = [Ignore {
            id: "cve-2024-1".into(),
            until: Some(jiff::civil::date(2026, 1, 1)),
        }];
        assert!(ignored_by(&f, &ignore, jiff::civil::date(2025, 12, 31)).is_some());
        assert!(ignored_by(&f, &ignore, jiff::civil::date(2026, 1, 2)).is_none());
    }
}
