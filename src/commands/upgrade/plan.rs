//! The greedy plan of [`super`]: candidates newest first, the plugin verdict before any
//! resolution, a bounded number of whole-set resolutions per requirement.

use std::str::FromStr as _;

use pep440_rs::{Version, VersionSpecifier, VersionSpecifiers};
use pep508_rs::VersionOrUrl;

use super::{ProjectPlan, Skipped, UpgradeReport};
use crate::commands::Error;
use crate::commands::probe::Probe;
use crate::commands::settings::InputSettings;
use crate::index::DistFile;
use crate::netbox::Plugin;
use crate::requirements::{Entry, EntryKind};
use crate::resolve::BlockingSource;
use crate::resolve::{self, ResolveError, ResolveOptions, Source as _};
use crate::target::Target;

/// How many candidates of one requirement are resolved at most.
pub const MAX_RESOLVED_CANDIDATES: usize = 6;
/// How many skipped releases are listed per requirement (the rest are counted).
const MAX_LISTED: usize = 10;
/// How many candidates' plugins are probed at once.
const BATCH: usize = 8;

/// What every step needs.
struct Ctx<'a> {
    source: BlockingSource,
    probe: Probe,
    constraints: &'a [Entry],
    targets: &'a [Target],
    options: ResolveOptions,
    netbox: Option<Version>,
}

/// One candidate release: its version and its best wheel on each target.
type Candidate = (Version, Vec<DistFile>);

/// Makes the plan (see the module documentation of [`super`]).
pub fn plan(
    input: &InputSettings,
    netbox: Option<Version>,
    from: Option<String>,
) -> Result<UpgradeReport, Error> {
    let prepared = crate::commands::build::prepare::prepare(input)?;
    let (netbox, from) = match netbox {
        Some(v) => (Some(v), from),
        None => netbox_from_constraints(&prepared.reqs.constraints),
    };
    let handle = prepared.runtime.handle().clone();
    let ctx = Ctx {
        source: BlockingSource::new(prepared.client.clone(), handle.clone()),
        probe: Probe::new(prepared.client.clone(), handle),
        constraints: &prepared.reqs.constraints,
        targets: &input.targets,
        options: ResolveOptions {
            pre: input.args.pre || prepared.reqs.pre,
            uploaded_prior_to: prepared.cutoff,
            excluded: std::collections::BTreeMap::new(),
            allow_sdist: crate::resolve::AllowSdist::default(),
        },
        netbox,
    };
    let reqs = &prepared.reqs.requirements;
    let mut held: Vec<Entry> = Vec::new();
    let mut projects = Vec::new();
    for i in 0..reqs.len() {
        projects.push(plan_one(&ctx, reqs, &mut held, i)?);
    }
    Ok(UpgradeReport {
        requirements: input.requirements.first().cloned().unwrap_or_default(),
        netbox: ctx.netbox.as_ref().map(ToString::to_string),
        netbox_from: from,
        targets: input.targets.iter().map(ToString::to_string).collect(),
        projects,
        written: false,
        warnings: prepared.warnings.clone(),
    })
}

/// `netbox==X` among the constraints, when the base image's file names it.
fn netbox_from_constraints(constraints: &[Entry]) -> (Option<Version>, Option<String>) {
    constraints
        .iter()
        .find(|e| e.name().as_ref() == "netbox")
        .and_then(|e| Some((pinned(e)?, e.location.to_string())))
        .map_or((None, None), |(v, at)| (Some(v), Some(format!("`{at}`"))))
}

/// The version an `==` pin names.
pub fn pinned(entry: &Entry) -> Option<Version> {
    if !entry.is_pinned() {
        return None;
    }
    match &entry.kind {
        EntryKind::Named(r) => match &r.version_or_url {
            Some(VersionOrUrl::VersionSpecifier(s)) => s.iter().next().map(|s| s.version().clone()),
            _ => None,
        },
        EntryKind::DirectWheel { wheel, .. } => Some(wheel.version.clone()),
    }
}

/// The entry pinned to `version` (extras and marker kept).
fn with_pin(entry: &Entry, version: &Version) -> Entry {
    let mut out = entry.clone();
    if let EntryKind::Named(r) = &mut out.kind {
        let spec = VersionSpecifier::equals_version(version.clone());
        r.version_or_url = Some(VersionOrUrl::VersionSpecifier(
            VersionSpecifiers::from_iter([spec]),
        ));
    }
    out
}

/// The entry with any version (a requirement not planned yet).
fn free(entry: &Entry) -> Entry {
    let mut out = entry.clone();
    if let EntryKind::Named(r) = &mut out.kind {
        r.version_or_url = None;
    }
    out
}

fn plan_one(
    ctx: &Ctx<'_>,
    reqs: &[Entry],
    held: &mut Vec<Entry>,
    i: usize,
) -> Result<ProjectPlan, Error> {
    let entry = &reqs[i];
    let current = pinned(entry);
    let mut plan = ProjectPlan {
        name: entry.name().to_string(),
        location: entry.location.to_string(),
        current: current.as_ref().map(ToString::to_string),
        newest: None,
        proposed: None,
        skipped: Vec::new(),
        blocker: None,
    };
    // A wheel file is not from an index, and an entry without a pin takes whatever resolves:
    // neither is planned.
    if let EntryKind::Named(r) = &entry.kind
        && current.is_none()
    {
        plan.current = Some(match &r.version_or_url {
            Some(VersionOrUrl::VersionSpecifier(s)) if !s.is_empty() => s.to_string(),
            _ => "(any)".to_string(),
        });
    }
    if current.is_none() || !matches!(entry.kind, EntryKind::Named(_)) {
        plan.proposed.clone_from(&plan.current);
        held.push(entry.clone());
        return Ok(plan);
    }
    let candidates = ctx.candidates(entry)?;
    plan.newest = candidates.first().map(|(v, _)| v.to_string());
    let mut skipped = Vec::new();
    let mut resolved = 0;
    'outer: for batch in candidates.chunks(BATCH) {
        let verdicts = ctx.refusals(batch)?;
        for ((version, files), refusal) in batch.iter().zip(verdicts) {
            if let Some(reason) = refusal {
                skipped.push(Skipped {
                    version: version.to_string(),
                    reason,
                });
                continue;
            }
            if resolved == MAX_RESOLVED_CANDIDATES {
                plan.blocker = Some(format!(
                    "gave up after {MAX_RESOLVED_CANDIDATES} releases that do not resolve (pin an older one by hand)"
                ));
                break 'outer;
            }
            resolved += 1;
            let candidate = with_pin(entry, version);
            let set: Vec<Entry> = held
                .iter()
                .cloned()
                .chain(std::iter::once(candidate.clone()))
                .chain(reqs[i + 1..].iter().map(free))
                .collect();
            match ctx.resolves(&set)? {
                None => {
                    plan.proposed = Some(version.to_string());
                    held.push(candidate);
                    break 'outer;
                }
                Some(why) => skipped.push(Skipped {
                    version: version.to_string(),
                    reason: ctx.explain(entry, files, held, &why),
                }),
            }
        }
    }
    if plan.proposed.is_none() {
        held.push(entry.clone());
        if plan.blocker.is_none() {
            plan.blocker = Some(match skipped.first() {
                None => "no release has a wheel for every target".to_string(),
                Some(s) => format!(
                    "none of {} release(s) fits; newest {}: {}",
                    skipped.len(),
                    s.version,
                    s.reason
                ),
            });
        }
    }
    if skipped.len() > MAX_LISTED {
        let more = skipped.len() - MAX_LISTED;
        skipped.truncate(MAX_LISTED);
        skipped.push(Skipped {
            version: "…".into(),
            reason: format!("{more} older release(s) passed over too"),
        });
    }
    plan.skipped = skipped;
    Ok(plan)
}

impl Ctx<'_> {
    /// The releases with a wheel for every target, newest first.
    fn candidates(&self, entry: &Entry) -> Result<Vec<Candidate>, Error> {
        let mut out: Option<Vec<Candidate>> = None;
        for target in self.targets {
            let versions = self.probe.versions(entry.name(), target)?;
            out = Some(match out {
                None => versions.into_iter().map(|(v, f)| (v, vec![f])).collect(),
                Some(prev) => prev
                    .into_iter()
                    .filter_map(|(v, mut files)| {
                        let (_, f) = versions.iter().find(|(w, _)| *w == v)?;
                        files.push(f.clone());
                        Some((v, files))
                    })
                    .collect(),
            });
        }
        Ok(out.unwrap_or_default())
    }

    /// For each candidate, why its plugin refuses the release (`None`: accepted, or no release
    /// to check against).
    fn refusals(&self, batch: &[Candidate]) -> Result<Vec<Option<String>>, Error> {
        let Some(netbox) = &self.netbox else {
            return Ok(vec![None; batch.len()]);
        };
        let files: Vec<DistFile> = batch.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
        let found = self.probe.plugins(&files)?;
        let mut found = found.into_iter();
        Ok(batch
            .iter()
            .map(|(_, f)| {
                let plugins: Vec<Plugin> = found
                    .by_ref()
                    .take(f.len())
                    .flat_map(|p| p.iter().cloned().collect::<Vec<_>>())
                    .collect();
                plugins.iter().find_map(|p| short_refusal(p, netbox))
            })
            .collect())
    }

    /// `None` when `set` resolves on every target, else the first failure's explanation.
    fn resolves(&self, set: &[Entry]) -> Result<Option<String>, Error> {
        for target in self.targets {
            match resolve::resolve(&self.source, set, self.constraints, target, &self.options) {
                Ok(_) => {}
                Err(ResolveError::NoSolution { explanation, .. }) => return Ok(Some(explanation)),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
    }

    /// One line on why a candidate does not resolve: a dependency the constraints or a held pin
    /// exclude, else the first line of the resolver's explanation.
    fn explain(&self, entry: &Entry, files: &[DistFile], held: &[Entry], why: &str) -> String {
        for (file, target) in files.iter().zip(self.targets) {
            let Ok(meta) = self.source.metadata(file) else {
                continue;
            };
            let env = target.marker_environment();
            for dep in &meta.requires_dist {
                if !dep.marker.evaluate(&env, entry.extras()) {
                    continue;
                }
                let Some(VersionOrUrl::VersionSpecifier(spec)) = &dep.version_or_url else {
                    continue;
                };
                let pins = self.constraints.iter().map(|e| (e, "constraints pin"));
                let held_pins = held.iter().map(|e| (e, "requirements pin"));
                for (other, what) in pins.chain(held_pins) {
                    if other.name() == &dep.name
                        && let Some(v) = pinned(other)
                        && !spec.contains(&v)
                    {
                        return format!("needs {}{spec}, {what} {}=={v}", dep.name, dep.name);
                    }
                }
            }
        }
        let first = why
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("does not resolve");
        first.chars().take(200).collect()
    }
}

/// `max_version 4.5` / `min_version 4.3`: why a plugin refuses `netbox`, in a few words.
fn short_refusal(plugin: &Plugin, netbox: &Version) -> Option<String> {
    crate::netbox::check_compatible(plugin, netbox).err()?;
    let parse = |v: &Option<String>| v.as_deref().and_then(|s| Version::from_str(s.trim()).ok());
    if let Some(max) = parse(&plugin.max_version)
        && *netbox > max
    {
        return Some(format!(
            "max_version {}",
            plugin.max_version.as_deref().unwrap_or_default()
        ));
    }
    Some(format!(
        "min_version {}",
        plugin.min_version.as_deref().unwrap_or_default()
    ))
}
