//! From the command line to an [`AuditReport`]: `nbwheel audit ARCHIVE`, `nbwheel audit -r …`
//! (resolving as `resolve` does) and `nbwheel build --audit`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;
use url::Url;

use super::closure::{self, Closure, Pinned, WheelFile};
use super::{AdvisoryError, AuditOptions, AuditReport, Source};
use crate::cli::{AdvisoryArgs, AuditArgs, BuildArgs, ResolveArgs, VulnerabilityService};
use crate::commands::Error;
use crate::index::http::{AuthStore, Http, HttpOptions};
use crate::reporter::Reporter;

/// The public index: a project from any other source is private.
const PYPI_SIMPLE: &str = "https://pypi.org/simple/";

/// The audit options from the flags (and the configuration merged into them).
pub fn options(args: &AdvisoryArgs, offline: bool) -> Result<AuditOptions, Error> {
    let url = |default: &str| -> Result<Url, Error> {
        let raw = args.vulnerability_url.as_deref().unwrap_or(default);
        let with_slash = if raw.ends_with('/') {
            raw.to_string()
        } else {
            format!("{raw}/")
        };
        Url::parse(&with_slash).map_err(|e| {
            Error::usage(
                format!("Invalid `--vulnerability-url` {raw:?}: {e}"),
                Some("Give the service's base URL, e.g. `https://api.osv.dev/`.".into()),
            )
        })
    };
    let source = match (&args.osv_db, args.vulnerability_service) {
        (Some(db), _) => Source::Database(db.clone()),
        (None, VulnerabilityService::Osv) => Source::Osv(url(super::osv_api::DEFAULT_URL)?),
        (None, VulnerabilityService::Pypi) => Source::PypiJson(url(super::pypi_json::DEFAULT_URL)?),
    };
    if offline && !matches!(source, Source::Database(_)) {
        return Err(Error::usage(
            "`--offline` needs an offline vulnerability database",
            Some("Add `--osv-db PATH` (a folder of OSV records or OSV's `PyPI/all.zip`).".into()),
        ));
    }
    let ignore = args
        .ignore
        .iter()
        .map(|i| super::parse_ignore(i, None))
        .collect::<Result<Vec<_>, _>>()
        .map_err(advisory_error)?;
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    Ok(AuditOptions {
        check_status: !offline && !matches!(source, Source::Database(_)),
        source,
        ignore,
        licenses: args.licenses,
        allow_licenses: args.allow_license.clone(),
        today,
    })
}

fn advisory_error(e: AdvisoryError) -> Error {
    Error::Advisory(e)
}

fn transport(
    timeout: u64,
    retries: u32,
    cert: Option<PathBuf>,
    indexes: &[&str],
) -> Result<Http, Error> {
    let urls: Vec<Url> = indexes.iter().filter_map(|i| Url::parse(i).ok()).collect();
    Ok(Http::new(
        HttpOptions {
            timeout: std::time::Duration::from_secs(timeout.max(1)),
            retries,
            cert,
            ..HttpOptions::default()
        },
        AuthStore::from_env(urls.iter()).with_index_origins(urls.iter()),
    )?)
}

/// Checks `closure` (private projects already marked) with `options`.
pub fn audit_closure(
    closure: &Closure,
    options: &AuditOptions,
    http: &Http,
) -> Result<AuditReport, Error> {
    let public: Vec<&Pinned> = closure.packages.iter().filter(|p| !p.private).collect();
    let queries: Vec<(PackageName, Version)> = public
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    let runtime = crate::commands::async_runtime(Some(2))?;
    let advisories = runtime
        .block_on(async {
            match &options.source {
                Source::Osv(url) => super::osv_api::query(http, url, &queries).await,
                Source::PypiJson(url) => super::pypi_json::query(http, url, &queries).await,
                Source::Database(path) => super::osv_db::query(path, &queries),
            }
        })
        .map_err(advisory_error)?;
    let mut findings = Vec::new();
    for (p, found) in public.iter().zip(&advisories) {
        findings.extend(super::vulnerability_findings(closure, p, found));
    }
    let mut notes = Vec::new();
    if options.check_status {
        findings.extend(runtime.block_on(super::status::check(http, &closure.packages))?);
    } else {
        notes.push("project status and yanks were not checked (offline)".to_string());
    }
    let mut licenses = std::collections::BTreeMap::new();
    if options.licenses {
        findings.extend(super::license_findings(closure, &options.allow_licenses));
        for p in &closure.packages {
            licenses.insert(
                p.name.to_string(),
                p.license.clone().unwrap_or_else(|| "unknown".into()),
            );
        }
    }
    let (mut findings, ignored) = super::apply_ignores(findings, options, &mut notes);
    findings.sort_by(|a, b| (&a.package, a.kind, &a.id).cmp(&(&b.package, b.kind, &b.id)));
    Ok(AuditReport {
        subject: closure.subject.clone(),
        source: options.source.describe(),
        checked: public.len(),
        not_checked_private: closure
            .packages
            .iter()
            .filter(|p| p.private)
            .map(|p| format!("{}=={}", p.name, p.version))
            .collect(),
        findings,
        ignored,
        notes,
        licenses,
    })
}

/// The closure of `-r`/`-c` inputs, resolved as `resolve` does (first target).
fn resolved_closure(
    args: &AuditArgs,
    cwd: &Path,
    reporter: &dyn Reporter,
) -> Result<Closure, Error> {
    let resolve_args = ResolveArgs {
        input: args.input.clone(),
        format: args.format,
        allow_sdist: Vec::new(),
    };
    let settings = crate::commands::settings::ResolveSettings::from_args(&resolve_args, cwd)?;
    let report = crate::commands::build::resolve_command(&settings, reporter)?;
    let mut closure = Closure {
        subject: settings
            .input
            .requirements
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        ..Closure::default()
    };
    let read =
        |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| Error::io("Failed to read", p, e));
    for c in &settings.input.constraints {
        closure
            .constraints
            .extend(closure::spec_lines(&read(c)?, &c.display().to_string()));
    }
    for r in &settings.input.requirements {
        closure
            .requirements
            .extend(closure::spec_lines(&read(r)?, &r.display().to_string()));
    }
    if let Some(t) = report.targets.first() {
        closure.targets.push(t.target.clone());
        for p in &t.packages {
            let (Ok(name), Ok(version)) = (
                PackageName::from_str(&p.name),
                Version::from_str(&p.version),
            ) else {
                continue;
            };
            let index = Url::parse(&p.source)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .map(|u| u.to_string());
            closure.packages.push(Pinned {
                name,
                version,
                files: vec![WheelFile {
                    file: p.file.clone(),
                    sha256: p.sha256.clone().unwrap_or_default(),
                    url: None,
                }],
                index,
                private: false,
                license: None,
            });
        }
    }
    Ok(closure)
}

/// `nbwheel audit`.
pub fn audit(args: &AuditArgs, cwd: &Path, reporter: &dyn Reporter) -> Result<AuditReport, Error> {
    let options = options(&args.advisory, args.input.offline)?;
    let mut closure = match &args.archive {
        Some(archive) => super::load::load_archive(archive)?.closure,
        None => resolved_closure(args, cwd, reporter)?,
    };
    let public_index = args.input.index_url.as_deref().unwrap_or(PYPI_SIMPLE);
    super::load::mark_private(&mut closure, public_index, &args.input.private_prefix);
    let indexes: Vec<&str> = closure
        .packages
        .iter()
        .filter_map(|p| p.index.as_deref())
        .collect();
    let http = transport(
        args.input.timeout,
        args.input.retries,
        args.input.cert.clone(),
        &indexes,
    )?;
    let mut report = audit_closure(&closure, &options, &http)?;
    if options.licenses && args.archive.is_none() {
        report
            .notes
            .push("licenses are read from the wheels: audit the built archive for them".into());
    }
    Ok(report)
}

/// `build --audit`: audits each archive written; the reports, or the first error.
pub fn audit_built(args: &BuildArgs, archives: &[PathBuf]) -> Result<Vec<AuditReport>, Error> {
    let options = options(&args.advisory, args.input.offline)?;
    let public_index = args.input.index_url.as_deref().unwrap_or(PYPI_SIMPLE);
    let mut out = Vec::new();
    for archive in archives {
        let mut closure = super::load::load_archive(archive)?.closure;
        super::load::mark_private(&mut closure, public_index, &args.input.private_prefix);
        let indexes: Vec<&str> = closure
            .packages
            .iter()
            .filter_map(|p| p.index.as_deref())
            .collect();
        let http = transport(
            args.input.timeout,
            args.input.retries,
            args.input.cert.clone(),
            &indexes,
        )?;
        out.push(audit_closure(&closure, &options, &http)?);
    }
    Ok(out)
}

/// Ok when nothing applies, else the findings error (exit 1).
pub fn outcome(reports: &[AuditReport]) -> Result<(), Error> {
    let count: usize = reports.iter().map(|r| r.findings.len()).sum();
    if count == 0 {
        Ok(())
    } else {
        Err(advisory_error(AdvisoryError::Findings { count }))
    }
}

/// After `build`: writes `--sbom` (per archive) and runs `--audit`; the audit reports.
pub fn after_build(
    args: &BuildArgs,
    report: &crate::commands::build::BuildReport,
) -> Result<Vec<AuditReport>, Error> {
    let netbox = args.netbox.as_deref();
    if let Some(sbom) = &args.sbom {
        let several = report.archives.len() > 1;
        for a in &report.archives {
            let path = if several {
                crate::commands::sbom::path_for_arch(sbom, &a.arch)
            } else {
                sbom.clone()
            };
            let json = crate::commands::sbom::sbom_json(&a.archive, netbox)?;
            crate::commands::sbom::write_atomic(&path, &json)?;
        }
    }
    if !args.audit {
        return Ok(Vec::new());
    }
    let archives: Vec<PathBuf> = report.archives.iter().map(|a| a.archive.clone()).collect();
    audit_built(args, &archives)
}
