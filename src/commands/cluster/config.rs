//! `nbwheel config`: the `customPythonConfig` block that enables an archive's plugins, and with
//! `--patch` the ready `kubectl patch netboxenterprise … --type merge` for it.
//!
//! Input: an archive and the wheelhouse source to configure. Output: a [`PluginConfigReport`]:
//! every `NetBox` plugin found in the archive's wheels (a top-level package whose `__init__.py`
//! defines a `PluginConfig` subclass and `config = …`), `PLUGINS`, `PLUGINS_CONFIG` with each
//! plugin's `required_settings` as placeholders, and the patch JSON with the CRD's `wheelhouse`
//! section for PVC or S3.
//!
//! Plugins are found by [`crate::netbox`]'s static detection (the same as `inspect` and
//! `build`).

use std::path::Path;

use serde_json::json;

use super::kubectl::shell_quote;
use crate::commands::Error;
use crate::netbox::python::python_string;

/// One plugin found in the archive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DetectedPlugin {
    /// The module name that goes into `PLUGINS`.
    pub module: String,
    /// The distribution it comes from.
    pub distribution: String,
    /// Its version.
    pub version: String,
    /// `required_settings`, in order.
    pub required_settings: Vec<String>,
}

/// What `nbwheel config` prints.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginConfigReport {
    /// The plugins found.
    pub plugins: Vec<DetectedPlugin>,
    /// The `customPythonConfig` text.
    pub custom_python_config: String,
    /// The merge patch for the resource.
    pub patch: serde_json::Value,
    /// The `kubectl patch` command.
    pub patch_command: String,
    /// Plugins left out, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Whether `module` is a dotted Python module name: identifiers (a letter or `_`, then letters,
/// digits or `_`) joined by `.`.
pub fn is_module_name(module: &str) -> bool {
    module.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Every plugin in the archive's wheels, and a warning for each one left out because its
/// module name is not a Python module name (it could not be imported, and is not pasted into
/// code).
pub fn detect_plugins(archive: &Path) -> Result<(Vec<DetectedPlugin>, Vec<String>), Error> {
    let report = crate::commands::verify::inspect(archive)?;
    let mut warnings = Vec::new();
    let plugins = report
        .plugins
        .into_iter()
        .filter(|p| {
            let ok = is_module_name(&p.module);
            if !ok {
                warnings.push(format!(
                    "plugin module {} of `{}` {} is not a Python module name: left out",
                    python_string(&p.module),
                    p.package.escape_debug(),
                    p.package_version.escape_debug()
                ));
            }
            ok
        })
        .map(|p| DetectedPlugin {
            module: p.module,
            distribution: p.package,
            version: p.package_version,
            required_settings: p.required_settings.unwrap_or_default(),
        })
        .collect();
    Ok((plugins, warnings))
}

/// The `customPythonConfig` text for `plugins`. Every value that comes from a plugin is written
/// as an escaped Python string literal, never as code.
pub fn custom_python_config(plugins: &[DetectedPlugin]) -> String {
    let names: Vec<String> = plugins.iter().map(|p| python_string(&p.module)).collect();
    let mut out = format!("PLUGINS = [{}]\nPLUGINS_CONFIG = {{\n", names.join(", "));
    for p in plugins {
        out.push_str(&format!("    {}: {{\n", python_string(&p.module)));
        for s in &p.required_settings {
            out.push_str(&format!(
                "        {}: {},  # required: set it\n",
                python_string(s),
                python_string(&format!("<{s}>"))
            ));
        }
        out.push_str("    },\n");
    }
    out.push_str("}\n");
    out
}

/// The CRD's `wheelhouse` section for a source (`media`: none).
pub fn wheelhouse_section(
    source: &str,
    name: &str,
    region: Option<&str>,
    endpoint: Option<&str>,
) -> Result<Option<serde_json::Value>, Error> {
    if source == "media" {
        return Ok(None);
    }
    if source == "pvc" {
        return Ok(Some(json!({"pvc": {
            "claimName": format!("{name}-wheelhouse"),
            "path": "wheelhouse.tar.gz",
            "create": true,
            "size": "1Gi",
        }})));
    }
    if let Some(rest) = source.strip_prefix("s3://")
        && let Some((bucket, key)) = rest
            .split_once('/')
            .filter(|(b, k)| !b.is_empty() && !k.is_empty())
    {
        let mut s3 = json!({
            "bucket": bucket,
            "key": key,
            "region": region.unwrap_or("us-east-1"),
            "credentialsSecret": {
                "name": "s3-credentials",
                "accessKeyId": "AWS_ACCESS_KEY_ID",
                "secretAccessKey": "AWS_SECRET_ACCESS_KEY",
            },
            "verifySsl": true,
        });
        if let Some(e) = endpoint {
            s3["endpoint"] = json!(e);
        }
        return Ok(Some(json!({ "s3": s3 })));
    }
    Err(Error::usage(
        format!("Invalid wheelhouse source `{source}`"),
        Some("Use `media`, `pvc` or `s3://BUCKET/KEY`.".into()),
    ))
}

/// `nbwheel config`.
pub fn config(
    archive: &Path,
    source: &str,
    name: &str,
    namespace: &str,
    region: Option<&str>,
    endpoint: Option<&str>,
) -> Result<PluginConfigReport, Error> {
    let (plugins, warnings) = detect_plugins(archive)?;
    let text = custom_python_config(&plugins);
    let mut config = json!({ "customPythonConfig": text });
    if let Some(w) = wheelhouse_section(source, name, region, endpoint)? {
        config["plugins"] = json!({ "wheelhouse": w });
    }
    let patch = json!({"spec": {"netbox": {"config": config}}});
    let patch_command = format!(
        "kubectl patch netboxenterprise -n {} {} --type merge -p {}",
        shell_quote(namespace),
        shell_quote(name),
        shell_quote(&patch.to_string())
    );
    Ok(PluginConfigReport {
        plugins,
        custom_python_config: text,
        patch,
        patch_command,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_for_each_source() {
        assert!(
            wheelhouse_section("media", "nbe", None, None)
                .unwrap()
                .is_none()
        );
        let pvc = wheelhouse_section("pvc", "nbe", None, None)
            .unwrap()
            .unwrap();
        assert_eq!(pvc["pvc"]["claimName"], "nbe-wheelhouse");
        let s3 = wheelhouse_section(
            "s3://b/media/w.tar.gz",
            "nbe",
            Some("eu-west-1"),
            Some("https://s3.example.com"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(s3["s3"]["key"], "media/w.tar.gz");
        assert_eq!(s3["s3"]["endpoint"], "https://s3.example.com");
        assert!(wheelhouse_section("s3://bucket", "nbe", None, None).is_err());
    }
}
