//! What `cluster check` found, and how it is shown.

use crate::commands::Error;

/// One pod's state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PodCheck {
    /// The pod.
    pub name: String,
    /// `netbox` or `netbox-worker`.
    pub role: String,
    /// The Ready condition.
    pub ready: bool,
    /// `status.startTime`.
    pub started: Option<String>,
}

/// One plugin's state in the pod.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginCheck {
    /// The import name.
    pub module: String,
    /// The distribution.
    pub package: String,
    /// The version in the archive (`None` without `--archive`).
    pub expected: Option<String>,
    /// The version installed in the pod.
    pub installed: Option<String>,
    /// Whether `import MODULE` worked.
    pub imported: bool,
    /// Whether `PLUGINS` lists it.
    pub in_plugins: bool,
}

/// What `cluster check` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    /// The namespace.
    pub namespace: String,
    /// The `NetBoxEnterprise` resource.
    pub resource: String,
    /// When the last upload was made (from the deployment annotation).
    pub uploaded_at: Option<String>,
    /// The pods looked at.
    pub pods: Vec<PodCheck>,
    /// The plugins looked at.
    pub plugins: Vec<PluginCheck>,
    /// What is wrong, one entry each (may span lines when quoting).
    pub findings: Vec<String>,
    /// Remarks that are not failures.
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Exit 1 when there is a finding.
    pub fn outcome(&self) -> Result<(), Error> {
        if self.findings.is_empty() {
            return Ok(());
        }
        Err(Error::Findings {
            message: format!(
                "The installation in `{}` is not proven: {} problem(s) found",
                self.namespace,
                self.findings.len()
            ),
            hint: Some("Fix what the findings name (rebuild with `nbwheel build --from-cluster`, add the module to `PLUGINS` with `nbwheel config --patch`), upload again, restart, and check again.".into()),
        })
    }

    /// The report in words.
    pub fn render(&self) -> String {
        let mut out = format!(
            "Cluster check of `{}/{}`{}:\n",
            self.namespace,
            self.resource,
            self.uploaded_at
                .as_ref()
                .map_or_else(String::new, |t| format!(", uploaded at {t}"))
        );
        for p in &self.pods {
            out.push_str(&format!(
                "  pod {} ({}): {}, started {}\n",
                p.name,
                p.role,
                if p.ready { "Ready" } else { "NOT Ready" },
                p.started.as_deref().unwrap_or("?")
            ));
        }
        for p in &self.plugins {
            out.push_str(&format!(
                "  plugin {} ({} {}): {}, {}\n",
                p.module,
                p.package,
                p.installed.as_deref().unwrap_or("not installed"),
                if p.imported {
                    "imports"
                } else {
                    "does NOT import"
                },
                if p.in_plugins {
                    "in PLUGINS"
                } else {
                    "NOT in PLUGINS"
                }
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        for f in &self.findings {
            out.push_str(&format!("problem: {f}\n"));
        }
        out.push_str(if self.findings.is_empty() {
            "OK: the pods run the uploaded plugins.\n"
        } else {
            "NOT proven.\n"
        });
        out
    }
}
