//! Rendering for the terminal: reports as text or versioned JSON on stdout, warnings and errors
//! (with their hints) on stderr.

use std::io::Write;

use nbwheel::Error;
use nbwheel::commands::build::BuildReport;
use nbwheel::commands::verify::{AuditReport, InspectReport, Severity};

/// The version of every `--format json` document's shape, its top-level `"version"` field.
/// Bumped only when a field is removed or changes meaning; new fields may appear at any time.
const JSON_SCHEMA_VERSION: u32 = 1;

pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// A report with the schema version in front of its fields.
#[derive(serde::Serialize)]
pub struct Versioned<'a, T: serde::Serialize> {
    version: u32,
    #[serde(flatten)]
    report: &'a T,
}

pub fn print_json<T: serde::Serialize>(report: &T) {
    let value = Versioned {
        version: JSON_SCHEMA_VERSION,
        report,
    };
    match serde_json::to_string_pretty(&value) {
        Ok(s) => print_stdout(&format!("{s}\n")),
        Err(e) => eprintln!("error: failed to encode JSON: {e}"),
    }
}

pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

pub fn human_bytes(n: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let f = n as f64;
    if n >= 1_000_000 {
        format!("{:.1} MB", f / 1e6)
    } else if n >= 1_000 {
        format!("{:.1} kB", f / 1e3)
    } else {
        format!("{n} B")
    }
}

pub fn render_build(report: &BuildReport) -> String {
    let mut out = String::new();
    for a in &report.archives {
        let name_w = a.wheels.iter().map(|w| w.name.len()).max().unwrap_or(0);
        let ver_w = a.wheels.iter().map(|w| w.version.len()).max().unwrap_or(0);
        out.push_str(&format!("{}:\n", a.target));
        for w in &a.wheels {
            out.push_str(&format!(
                "  {:name_w$}  {:ver_w$}  {:>9}  {}  ({})\n",
                w.name,
                w.version,
                human_bytes(w.size),
                w.file,
                w.source
            ));
        }
        let total: u64 = a.wheels.iter().map(|w| w.size).sum();
        out.push_str(&format!(
            "Wrote {} ({} wheels, {} of wheels, archive {})\n  sha256:{}\n",
            a.archive.display(),
            a.wheels.len(),
            human_bytes(total),
            human_bytes(a.size),
            a.sha256
        ));
    }
    let plugins = nbwheel::netbox::render_configuration(&report.plugins);
    if !plugins.is_empty() {
        out.push('\n');
        out.push_str(&plugins);
    }
    out
}

pub fn render_verify(report: &AuditReport) -> String {
    let mut out = format!(
        "{}: {} wheels, sha256:{}\n",
        report.archive.display(),
        report.wheels.len(),
        report.sha256
    );
    for t in &report.targets {
        if !t.installs.is_empty() {
            out.push_str(&format!(
                "  {}: installs {} projects\n",
                t.target,
                t.installs.len()
            ));
        }
    }
    for f in &report.findings {
        let label = match f.severity {
            Severity::Integrity => "integrity",
            Severity::WouldNotInstall => "would not install",
            Severity::Note => "note",
        };
        out.push_str(&format!("{label}: {}: {}\n", f.subject, f.message));
    }
    out.push_str(if report.sound {
        "Sound: the archive will install on every target checked.\n"
    } else {
        "NOT sound.\n"
    });
    out
}

/// `inspect --format json`: the report and each wheel's license by file name.
#[derive(serde::Serialize)]
pub struct WithLicenses<'a> {
    #[serde(flatten)]
    pub report: &'a InspectReport,
    pub licenses: &'a std::collections::BTreeMap<String, Option<String>>,
}

pub fn render_inspect(
    report: &InspectReport,
    licenses: &std::collections::BTreeMap<String, Option<String>>,
) -> String {
    let mut out = format!(
        "{}  {}  sha256:{}\n",
        report.archive.display(),
        human_bytes(report.size),
        report.sha256
    );
    let name_w = report
        .wheels
        .iter()
        .map(|w| w.name.len())
        .max()
        .unwrap_or(0);
    let ver_w = report
        .wheels
        .iter()
        .map(|w| w.version.len())
        .max()
        .unwrap_or(0);
    let tag_w = report
        .wheels
        .iter()
        .map(|w| w.tags.len())
        .max()
        .unwrap_or(0);
    for w in &report.wheels {
        let license = licenses.get(&w.file).cloned().flatten();
        out.push_str(&format!(
            "  {:name_w$}  {:ver_w$}  {:tag_w$}  {:>9}  sha256:{}  {}\n",
            w.name,
            w.version,
            w.tags,
            human_bytes(w.size),
            w.sha256,
            license.as_deref().unwrap_or("license unknown")
        ));
    }
    for f in &report.files {
        out.push_str(&format!("  {f}\n"));
    }
    let plugins = nbwheel::netbox::render_configuration(&report.plugins);
    if !plugins.is_empty() {
        out.push('\n');
        out.push_str(&plugins);
    }
    out
}

pub fn render_error(e: &Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let _ = writeln!(err, "  Caused by: {cause}");
        source = cause.source();
    }
    if let Some(hint) = e.hint() {
        let _ = writeln!(err, "hint: {hint}");
    }
}
