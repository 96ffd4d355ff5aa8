//! `nbwheel upgrade`: plan the plugin pins for a `NetBox` release.
//!
//! Input: one requirements file, the constraints (or the cluster's), the targets and the
//! `NetBox` release: `--netbox`, else the cluster's (`--from-cluster`), else a `netbox==X` line
//! of the constraints, else none (then only resolution is checked: "what can be updated on the
//! current `NetBox`"). Output: an [`UpgradeReport`], one [`ProjectPlan`] per requirement: its
//! current pin, the newest release on the index, the proposed pin, and for each newer release
//! passed over, why in one line. With `--write` the requirements file is rewritten in place
//! ([`mod@write`]); a requirement with no usable release is a blocker (exit 1, naming each one).
//!
//! The algorithm ([`plan`]) is greedy, in file order, with a bounded number of resolutions:
//!
//! 1. Candidates of a requirement are the index's releases that have a wheel for every target
//!    (not yanked, not pre-releases), newest first (the current pin included, older ones after
//!    it, so a pin that no longer fits can be moved down).
//! 2. A candidate whose plugin refuses the release is skipped without resolving: only its
//!    `__init__.py` files are read, by range requests, and the answer is cached per wheel sha256
//!    ([`crate::commands::probe`]), the same fast verdict the `build --netbox` gate uses.
//! 3. Otherwise the whole set is resolved for every target with the requirement pinned to the
//!    candidate, the requirements before it held at their proposed pins and those after it left
//!    free (their name, extras and marker only), so that several plugins can move together when
//!    the base image moved. The first candidate that resolves everywhere is proposed.
//! 4. At most [`plan::MAX_RESOLVED_CANDIDATES`] candidates per requirement are resolved; the
//!    rest count as not tried. So the command makes at most `requirements × that × targets`
//!    resolutions, all over one client whose pages and metadata are fetched once.

pub mod plan;
pub mod write;

use std::path::PathBuf;

use crate::cli::{Format, UpgradeArgs};
use crate::commands::Error;
use crate::commands::cluster::Kubectl;
use crate::commands::settings::InputSettings;

/// A newer release passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The release.
    pub version: String,
    /// Why, in one line (`max_version 4.5`, `needs django>=6.1, constraints pin django==6.0.8`).
    pub reason: String,
}

/// The plan for one requirement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectPlan {
    /// The project's normalised name.
    pub name: String,
    /// Where it is written (`file:line`).
    pub location: String,
    /// The `==` pin today, if pinned.
    pub current: Option<String>,
    /// The newest release on the index with a wheel for every target.
    pub newest: Option<String>,
    /// The release proposed (`None`: no usable release, a blocker).
    pub proposed: Option<String>,
    /// Releases newer than the proposed one that were passed over, newest first.
    pub skipped: Vec<Skipped>,
    /// Why nothing could be proposed.
    pub blocker: Option<String>,
}

impl ProjectPlan {
    /// True when the proposed pin differs from the current one.
    pub fn changes(&self) -> bool {
        self.proposed.is_some() && self.proposed != self.current
    }
}

/// What `upgrade` found (and did).
#[derive(Debug, Clone, serde::Serialize)]
pub struct UpgradeReport {
    /// The requirements file.
    pub requirements: PathBuf,
    /// The `NetBox` release planned for, if known.
    pub netbox: Option<String>,
    /// Where that release came from (`--netbox`, `the cluster`, `constraints.txt:3`).
    pub netbox_from: Option<String>,
    /// The targets resolved for.
    pub targets: Vec<String>,
    /// One plan per requirement, in file order.
    pub projects: Vec<ProjectPlan>,
    /// True when `--write` rewrote the file.
    pub written: bool,
    /// Warnings (dropped hashes, lines not rewritten).
    pub warnings: Vec<String>,
}

impl UpgradeReport {
    /// The blockers, one line each: `name: why`.
    pub fn blockers(&self) -> Vec<String> {
        self.projects
            .iter()
            .filter_map(|p| Some(format!("`{}`: {}", p.name, p.blocker.as_ref()?)))
            .collect()
    }

    /// Exit 1 naming each blocker when there is one.
    pub fn outcome(&self) -> Result<(), Error> {
        let blockers = self.blockers();
        if blockers.is_empty() {
            return Ok(());
        }
        let release = self
            .netbox
            .as_ref()
            .map_or_else(String::new, |v| format!(" for NetBox {v}"));
        Err(Error::Findings {
            message: format!(
                "{} requirement(s) have no compatible release{release}:\n  {}",
                blockers.len(),
                blockers.join("\n  ")
            ),
            hint: Some("Wait for (or ask for) plugin releases that support this NetBox release, drop the plugin, or plan for another release with `--netbox`.".into()),
        })
    }
}

/// `nbwheel upgrade`: plans, writes when asked, and returns the report (the caller prints it,
/// then calls [`UpgradeReport::outcome`]).
pub fn upgrade(args: &UpgradeArgs, cwd: &std::path::Path) -> Result<UpgradeReport, Error> {
    if args.input.requirements.len() > 1 {
        return Err(Error::usage(
            "`upgrade` plans one requirements file at a time",
            Some("Pass one `-r FILE`; files it includes are planned too but not rewritten.".into()),
        ));
    }
    let netbox = args
        .netbox
        .as_deref()
        .map(crate::netbox::parse_netbox_version)
        .transpose()?;
    let mut input = InputSettings::from_args(&args.input, cwd)?;
    let mut from = netbox.as_ref().map(|_| "--netbox".to_string());
    let mut netbox = netbox;
    // Keeps the pulled constraints alive until the plan is made.
    let mut _pulled = None;
    if args.from_cluster {
        let kubectl = Kubectl::system(args.cluster.context.clone(), false);
        let (dir, info) = from_cluster(&kubectl, &args.cluster, &mut input)?;
        _pulled = Some(dir);
        if netbox.is_none()
            && let Some(v) = info.netbox_version.as_deref()
        {
            netbox = Some(crate::netbox::parse_netbox_version(v)?);
            from = Some(format!(
                "the cluster (pod `{}/{}`)",
                info.namespace, info.pod
            ));
        }
    }
    let mut report = plan::plan(&input, netbox, from)?;
    // Shown (and rewritten) as given, not joined to the working directory.
    if let Ok(relative) = report.requirements.strip_prefix(cwd) {
        report.requirements = relative.to_path_buf();
    }
    if args.write {
        let changes: Vec<&ProjectPlan> = report.projects.iter().filter(|p| p.changes()).collect();
        let file = input.requirements.first().cloned().unwrap_or_default();
        report.warnings.extend(write::rewrite(&file, &changes)?);
        report.written = !changes.is_empty();
    }
    Ok(report)
}

/// Reads the target and constraints from the cluster into `input`; returns the folder holding
/// the pulled constraints and what was read.
fn from_cluster(
    kubectl: &Kubectl,
    cluster: &crate::cli::ClusterArgs,
    input: &mut InputSettings,
) -> Result<(tempfile::TempDir, crate::commands::cluster::ClusterInfo), Error> {
    if !input.args.constraints.is_empty() {
        return Err(Error::usage(
            "`--from-cluster` takes the constraints from the cluster: it cannot be combined with `-c`",
            Some("Drop `-c`, or drop `--from-cluster`.".into()),
        ));
    }
    let info = crate::commands::cluster::info(kubectl, cluster.namespace.as_deref())?;
    let (_, _, text) = crate::commands::cluster::pull_constraints(kubectl, Some(&info.namespace))?;
    let dir = tempfile::Builder::new()
        .prefix("nbwheel-cluster-")
        .tempdir()
        .map_err(|e| Error::io("Failed to create a temp folder in", std::env::temp_dir(), e))?;
    let constraints = dir.path().join("constraints.txt");
    std::fs::write(&constraints, text.as_bytes())
        .map_err(|e| Error::io("Failed to write", &constraints, e))?;
    input.constraints = vec![constraints];
    let t = &input.args.target;
    if t.arch.is_none() && t.python.is_none() && t.manylinux.is_none() && t.platform.is_empty() {
        input.targets = info.targets()?;
    }
    Ok((dir, info))
}

/// The report as a table: project, current pin, newest, proposed, then the skipped releases.
pub fn render(report: &UpgradeReport, format: Format) -> String {
    if matches!(format, Format::Json) {
        return String::new();
    }
    let mut out = match (&report.netbox, &report.netbox_from) {
        (Some(v), Some(from)) if from.starts_with('-') => {
            format!("Plan for NetBox {v} (from `{from}`), ")
        }
        (Some(v), Some(from)) => format!("Plan for NetBox {v} (from {from}), "),
        _ => "Plan without a NetBox release (plugins not checked), ".to_string(),
    };
    out.push_str(&format!("{}:\n", report.targets.join(", ")));
    let rows: Vec<[String; 4]> = report
        .projects
        .iter()
        .map(|p| {
            let dash = || "-".to_string();
            [
                p.name.clone(),
                p.current.clone().unwrap_or_else(dash),
                p.newest.clone().unwrap_or_else(dash),
                p.proposed.clone().unwrap_or_else(|| "BLOCKED".to_string()),
            ]
        })
        .collect();
    let header = [
        "project".to_string(),
        "current".to_string(),
        "newest".to_string(),
        "proposed".to_string(),
    ];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[i].len())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String; 4]| {
        format!(
            "  {:w0$}  {:w1$}  {:w2$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    out.push_str(&line(&header));
    for (row, p) in rows.iter().zip(&report.projects) {
        out.push_str(&line(row));
        for s in &p.skipped {
            out.push_str(&format!("      {}: {}\n", s.version, s.reason));
        }
        if let Some(b) = &p.blocker {
            out.push_str(&format!("      blocked: {b}\n"));
        }
    }
    let changed = report.projects.iter().filter(|p| p.changes()).count();
    out.push_str(&match (changed, report.written) {
        (0, _) => "Every pin is already the newest usable release.\n".to_string(),
        (n, true) => format!(
            "Rewrote {n} pin(s) in `{}`.\n",
            report.requirements.display()
        ),
        (n, false) => format!(
            "{n} pin(s) can change (`--write` rewrites `{}`).\n",
            report.requirements.display()
        ),
    });
    out
}
