//! The text rendering of an [`AuditReport`].

use super::{AuditReport, Finding, FindingKind};

fn label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Vulnerability => "vulnerability",
        FindingKind::ProjectStatus => "project status",
        FindingKind::Yanked => "release",
        FindingKind::License => "license",
    }
}

fn render_finding(out: &mut String, f: &Finding) {
    let aliases = if f.aliases.is_empty() {
        String::new()
    } else {
        format!(" ({})", f.aliases.join(", "))
    };
    out.push_str(&format!(
        "{} {}: {} {}{aliases}\n  {}\n",
        f.package,
        f.version,
        label(f.kind),
        f.id,
        f.summary
    ));
    if !f.fixed.is_empty() {
        out.push_str(&format!("  fixed in: {}\n", f.fixed.join(", ")));
    }
    if let Some(fix) = &f.fix {
        out.push_str(&format!("  fix: {}\n", fix.message));
    }
}

/// The report as text.
pub fn render(report: &AuditReport) -> String {
    let mut out = format!(
        "Audited {} against the {}: {} projects checked\n",
        report.subject, report.source, report.checked
    );
    if !report.not_checked_private.is_empty() {
        out.push_str(&format!(
            "Not checked (private): {}\n",
            report.not_checked_private.join(", ")
        ));
    }
    if !report.licenses.is_empty() {
        out.push_str("Licenses:\n");
        let w = report.licenses.keys().map(String::len).max().unwrap_or(0);
        for (name, license) in &report.licenses {
            out.push_str(&format!("  {name:w$}  {license}\n"));
        }
    }
    for f in &report.findings {
        out.push('\n');
        render_finding(&mut out, f);
    }
    if !report.ignored.is_empty() {
        out.push('\n');
    }
    for f in &report.ignored {
        out.push_str(&format!(
            "Ignored: {} {} {} ({})\n",
            f.package,
            f.version,
            f.id,
            label(f.kind)
        ));
    }
    for n in &report.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push('\n');
    out.push_str(&match report.findings.len() {
        0 => "Nothing applies.\n".to_string(),
        1 => "1 finding applies.\n".to_string(),
        n => format!("{n} findings apply.\n"),
    });
    out
}
