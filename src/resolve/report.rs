//! A failed resolution, explained in words.
//!
//! Input: pubgrub's derivation tree and what the provider learnt while solving (which versions it
//! passed over and why, which requirement and constraint lines name each project). Output: the
//! chain of reasons pubgrub derived, rendered with PEP 440 specifiers and project names in
//! backticks, followed by the facts behind it (every unusable version and why, the lines of
//! `requirements.txt` and `constraints.txt` involved) and a hint at the fix.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Bound;

use pep440_rs::Version;
use pep508_rs::PackageName;
use pubgrub::{
    DefaultStringReporter, DerivationTree, Derived, External, Map, Ranges, ReportFormatter,
    Reporter, Term,
};

use super::candidates::Unavailable;
use super::provider::{Pkg, Provider, Skipped};

type Tree = DerivationTree<Pkg, Ranges<Version>, String>;
type Ext = External<Pkg, Ranges<Version>, String>;
type Terms = Map<Pkg, Term<Ranges<Version>>>;

/// Renders a range as PEP 440 specifiers, e.g. `>=1.0, <2.0`; several segments are joined by
/// ` or `.
pub fn format_range(range: &Ranges<Version>) -> String {
    if range == &Ranges::full() {
        return "(any version)".to_string();
    }
    if range.is_empty() {
        return "(no version)".to_string();
    }
    let segments: Vec<String> = range
        .iter()
        .map(|(lo, hi)| match (lo, hi) {
            (Bound::Included(a), Bound::Included(b)) if a == b => format!("=={a}"),
            (Bound::Unbounded, Bound::Unbounded) => "(any version)".to_string(),
            _ => {
                let mut parts = Vec::new();
                match lo {
                    Bound::Included(a) => parts.push(format!(">={a}")),
                    Bound::Excluded(a) => parts.push(format!(">{a}")),
                    Bound::Unbounded => {}
                }
                match hi {
                    Bound::Included(b) => parts.push(format!("<={b}")),
                    Bound::Excluded(b) => parts.push(format!("<{b}")),
                    Bound::Unbounded => {}
                }
                parts.join(", ")
            }
        })
        .collect();
    segments.join(" or ")
}

fn pkg_range(pkg: &Pkg, range: &Ranges<Version>) -> String {
    match pkg {
        Pkg::Root => "your requirements".to_string(),
        _ if range == &Ranges::full() => format!("{pkg}"),
        _ => format!("{pkg} {}", format_range(range)),
    }
}

struct Formatter;

impl Formatter {
    fn terms(terms: &Terms) -> String {
        let list: Vec<_> = terms.iter().collect();
        match list.as_slice() {
            [] => "the requirements cannot be satisfied".into(),
            [(Pkg::Root, Term::Positive(_))] => "your requirements cannot be satisfied".into(),
            [(p, Term::Positive(r))] => format!("{} cannot be used", pkg_range(p, r)),
            [(p, Term::Negative(r))] => format!("{} is required", pkg_range(p, r)),
            [(p1, Term::Positive(r1)), (p2, Term::Negative(r2))]
            | [(p2, Term::Negative(r2)), (p1, Term::Positive(r1))] => {
                Self::dependency(p1, r1, p2, r2)
            }
            many => {
                let parts: Vec<String> = many
                    .iter()
                    .map(|(p, t)| match t {
                        Term::Positive(r) => pkg_range(p, r),
                        Term::Negative(r) => format!("not {}", pkg_range(p, r)),
                    })
                    .collect();
                format!("{} are incompatible", parts.join(", "))
            }
        }
    }

    fn dependency(p1: &Pkg, r1: &Ranges<Version>, p2: &Pkg, r2: &Ranges<Version>) -> String {
        match p1 {
            Pkg::Root => format!("you require {}", pkg_range(p2, r2)),
            _ => format!("{} depends on {}", pkg_range(p1, r1), pkg_range(p2, r2)),
        }
    }
}

impl ReportFormatter<Pkg, Ranges<Version>, String> for Formatter {
    type Output = String;

    fn format_external(&self, external: &Ext) -> String {
        match external {
            External::NotRoot(_, _) => "we are solving your requirements".into(),
            External::NoVersions(p, r) => {
                format!("no usable version of {} exists", pkg_range(p, r))
            }
            External::FromDependencyOf(p1, r1, p2, r2) => Self::dependency(p1, r1, p2, r2),
            External::Custom(p, r, why) => {
                format!("{} cannot be used because {why}", pkg_range(p, r))
            }
        }
    }

    fn format_terms(&self, terms: &Terms) -> String {
        Self::terms(terms)
    }

    fn explain_both_external(&self, e1: &Ext, e2: &Ext, current: &Terms) -> String {
        format!(
            "Because {} and {}, {}.",
            self.format_external(e1),
            self.format_external(e2),
            Self::terms(current)
        )
    }

    fn explain_both_ref(
        &self,
        id1: usize,
        d1: &Derived<Pkg, Ranges<Version>, String>,
        id2: usize,
        d2: &Derived<Pkg, Ranges<Version>, String>,
        current: &Terms,
    ) -> String {
        format!(
            "Because {} ({id1}) and {} ({id2}), {}.",
            Self::terms(&d1.terms),
            Self::terms(&d2.terms),
            Self::terms(current)
        )
    }

    fn explain_ref_and_external(
        &self,
        id: usize,
        derived: &Derived<Pkg, Ranges<Version>, String>,
        external: &Ext,
        current: &Terms,
    ) -> String {
        format!(
            "Because {} ({id}) and {}, {}.",
            Self::terms(&derived.terms),
            self.format_external(external),
            Self::terms(current)
        )
    }

    fn and_explain_external(&self, external: &Ext, current: &Terms) -> String {
        format!(
            "And because {}, {}.",
            self.format_external(external),
            Self::terms(current)
        )
    }

    fn and_explain_ref(
        &self,
        id: usize,
        derived: &Derived<Pkg, Ranges<Version>, String>,
        current: &Terms,
    ) -> String {
        format!(
            "And because {} ({id}), {}.",
            Self::terms(&derived.terms),
            Self::terms(current)
        )
    }

    fn and_explain_prior_and_external(
        &self,
        prior: &Ext,
        external: &Ext,
        current: &Terms,
    ) -> String {
        format!(
            "And because {} and {}, {}.",
            self.format_external(prior),
            self.format_external(external),
            Self::terms(current)
        )
    }
}

/// The explanation (several lines) and a hint.
pub fn explain(tree: &Tree, provider: &Provider<'_>) -> (String, Option<String>) {
    let mut out = String::new();
    let chain = DefaultStringReporter::report_with_formatter(tree, &Formatter);
    for line in chain.lines() {
        let _ = writeln!(out, "  {line}");
    }
    let names: BTreeSet<_> = tree
        .packages()
        .into_iter()
        .filter_map(Pkg::name)
        .cloned()
        .collect();
    let Facts {
        text: facts,
        mut hints,
        glibc_needed,
    } = Facts::gather(&names, provider);
    if !facts.is_empty() {
        out.push_str("Versions that could not be used on this target:\n");
        out.push_str(&facts);
    }
    let lines = lines_involved(&names, provider);
    if !lines.is_empty() {
        out.push_str("Lines involved:\n");
        out.push_str(&lines);
    }
    let target = provider.target();
    if let Some(n) = glibc_needed {
        hints.insert(
            0,
            format!(
                "These wheels need glibc 2.{n}, the target is glibc {}.{}: if the image has it, try `--manylinux 2_{n}`.",
                target.glibc.major, target.glibc.minor
            ),
        );
    }
    if names.iter().any(|n| provider.constraint(n).is_some()) && hints.is_empty() {
        hints.push("Constraints pin what the NetBox image already has and never move: choose plugin versions that accept those pins.".to_string());
    }
    hints.dedup();
    let hint = if hints.is_empty() {
        None
    } else {
        Some(hints.join("\n      "))
    };
    (out.trim_end().to_string(), hint)
}

/// The requirement and constraint lines that name the projects, one per line.
fn lines_involved(names: &BTreeSet<PackageName>, provider: &Provider<'_>) -> String {
    let mut lines = String::new();
    for name in names {
        for l in provider.requirement_lines.get(name).into_iter().flatten() {
            let _ = writeln!(lines, "  requirement `{}` ({})", l.text, l.location);
        }
        for l in provider.constraint_lines.get(name).into_iter().flatten() {
            let _ = writeln!(lines, "  constraint `{}` ({})", l.text, l.location);
        }
    }
    lines
}

/// What the provider learnt about the projects of a failure: one line per fact, and the hints
/// they call for, in the order they were found.
#[derive(Default)]
struct Facts {
    /// The facts, each line indented.
    text: String,
    /// The hints, in order (duplicates next to each other are dropped later).
    hints: Vec<String>,
    /// The newest glibc a passed-over wheel needs.
    glibc_needed: Option<u16>,
}

impl Facts {
    /// The facts about every project named: not found, files skipped, versions passed over.
    fn gather(names: &BTreeSet<PackageName>, provider: &Provider<'_>) -> Self {
        let mut facts = Facts::default();
        let skipped = provider.skipped.borrow();
        let not_found = provider.not_found.borrow();
        for name in names {
            if not_found.contains(name) {
                let _ = writeln!(
                    facts.text,
                    "  `{name}` was not found on any configured index or find-links source"
                );
                facts.hints.push(format!(
                    "Check the spelling of `{name}`, or add the index that has it with `--extra-index-url`."
                ));
                continue;
            }
            let versions = skipped.get(name);
            facts.skipped_files(name, versions, provider);
            if let Some(versions) = versions {
                facts.skipped_versions(name, versions, provider);
            }
        }
        facts
    }

    /// The listed files of `name` that were skipped as malformed, unsafe or foreign.
    fn skipped_files(
        &mut self,
        name: &PackageName,
        versions: Option<&BTreeMap<Version, Skipped>>,
        provider: &Provider<'_>,
    ) {
        let bad_files = provider.skipped_files(name);
        if bad_files.is_empty() {
            return;
        }
        let usable = versions.is_some_and(|v| !v.is_empty()) || provider.has_versions(name);
        let _ = writeln!(
            self.text,
            "  `{name}`: {} listed file(s) were skipped as malformed, unsafe or foreign{}:",
            bad_files.len(),
            if usable {
                ""
            } else {
                ", and no usable file is left"
            }
        );
        for f in bad_files.iter().take(8) {
            let _ = writeln!(self.text, "    {f}");
        }
        if bad_files.len() > 8 {
            let _ = writeln!(self.text, "    … and {} more", bad_files.len() - 8);
        }
        self.hints.push(format!(
            "Files with unusable names are skipped, as pip and uv skip them; run with `-v` to see each one, or ask the index owner to fix `{name}`."
        ));
    }

    /// The newest eight versions of `name` that were passed over, each with its reason.
    fn skipped_versions(
        &mut self,
        name: &PackageName,
        versions: &BTreeMap<Version, Skipped>,
        provider: &Provider<'_>,
    ) {
        for (version, why) in versions.iter().rev().take(8) {
            let text = self.why_skipped(name, version, why, provider);
            let _ = writeln!(self.text, "  `{name}` {version} {text}");
        }
        if versions.len() > 8 {
            let _ = writeln!(
                self.text,
                "  … and {} older versions of `{name}` that cannot be used",
                versions.len() - 8
            );
        }
    }

    /// Why `name` `version` was passed over, in words; records the hint it calls for.
    fn why_skipped(
        &mut self,
        name: &PackageName,
        version: &Version,
        why: &Skipped,
        provider: &Provider<'_>,
    ) -> String {
        match why {
            Skipped::Unavailable(u) => {
                match u {
                    Unavailable::IncompatibleWheels {
                        needs_glibc: Some(n),
                        ..
                    } => {
                        self.glibc_needed = Some(self.glibc_needed.map_or(*n, |g| g.max(*n)));
                    }
                    Unavailable::UploadedAfterCutoff => self.hints.push(
                        "Files uploaded after the `--uploaded-prior-to` cutoff are ignored (and index files without an upload time): move the cutoff or pin an older version.".to_string(),
                    ),
                    Unavailable::NoWheels if provider.looks_pure(name) => self.hints.push(format!(
                        "`{name}` has versions published only as a source distribution, and no release of it has a platform-specific wheel, so it is likely pure Python: `--allow-sdist {name}` builds them (a wheel that is not pure is refused), or ask its maintainers for wheels."
                    )),
                    Unavailable::NoWheels => self.hints.push(format!(
                        "`{name}` {version} is published only as a source distribution: ask its maintainers for a wheel, or build one (`pip wheel {name}=={version}`) and pass its folder with `--find-links`."
                    )),
                    _ => {}
                }
                u.to_string()
            }
            Skipped::Yanked(reason) => {
                self.hints.push(format!(
                    "Yanked versions are used only when pinned exactly, e.g. `{name}=={version}`."
                ));
                if reason.is_empty() {
                    "is yanked".to_string()
                } else {
                    format!("is yanked ({reason})")
                }
            }
            Skipped::Excluded(reason) => {
                self.hints.push(format!(
                    "Allow another version of `{name}` in the requirements, or build for the NetBox release it was made for."
                ));
                reason.clone()
            }
            Skipped::PreRelease => {
                self.hints.push(
                    "Pre-releases are used only with `--pre` or when a specifier names one."
                        .to_string(),
                );
                "is a pre-release".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    #[test]
    fn ranges_render_as_specifiers() {
        assert_eq!(format_range(&Ranges::singleton(v("1.0"))), "==1.0");
        assert_eq!(format_range(&Ranges::higher_than(v("1.0"))), ">=1.0");
        assert_eq!(
            format_range(&Ranges::between(v("1.0"), v("2.0"))),
            ">=1.0, <2.0"
        );
        assert_eq!(format_range(&Ranges::full()), "(any version)");
    }
}
