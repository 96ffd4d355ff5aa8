//! `nbwheel config`: the `customPythonConfig` block that enables an archive's plugins, and with
//! `--patch` the ready `kubectl patch netboxenterprise … --type merge` for it.
//!
//! Input: an archive and the wheelhouse source to configure. Output: a [`PluginConfigReport`]:
//! every `NetBox` plugin found in the archive's wheels (a top-level package whose `__init__.py`
//! defines a `PluginConfig` subclass and `config = …`), `PLUGINS`, `PLUGINS_CONFIG` with each
//! plugin's `required_settings` as placeholders, and the patch JSON with the CRD's `wheelhouse`
//! section for PVC or S3.
//!
//! TODO(plugin detection): another module detects plugins this round; when it lands,
//! [`detect_plugins`] should delegate to it. This reader is a light textual scan of
//! `__init__.py`, enough for the conventional layout.

use std::io::Read;
use std::path::Path;

use serde_json::json;

use super::kubectl::shell_quote;
use crate::error::Error;

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
}

/// The string literals of a Python list/tuple expression on one or more lines.
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            let s: String = chars.by_ref().take_while(|d| *d != c).collect();
            out.push(s);
        }
    }
    out
}

/// Reads one `__init__.py` for a `PluginConfig` subclass; returns its module name (from
/// `name = '…'`, else the package) and required settings.
fn parse_init(package: &str, text: &str) -> Option<(String, Vec<String>)> {
    if !text.contains("PluginConfig") || !text.lines().any(|l| l.trim_start().starts_with("config"))
    {
        return None;
    }
    let mut name = None;
    let mut required = Vec::new();
    let mut lines = text.lines();
    let mut in_class = false;
    while let Some(line) = lines.next() {
        if line.starts_with("class ") && line.contains("PluginConfig") {
            in_class = true;
            continue;
        }
        if in_class && !line.is_empty() && !line.starts_with(' ') && !line.starts_with('\t') {
            in_class = false;
        }
        if !in_class {
            continue;
        }
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("name") {
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                name = string_literals(v).into_iter().next();
            }
        } else if let Some(rest) = t.strip_prefix("required_settings")
            && let Some(v) = rest.trim_start().strip_prefix('=')
        {
            let mut expr = v.to_string();
            let close = |s: &str| s.contains(']') || s.contains(')');
            while !close(&expr) {
                match lines.next() {
                    Some(l) => expr.push_str(l),
                    None => break,
                }
            }
            required = string_literals(&expr);
        }
    }
    Some((name.unwrap_or_else(|| package.to_string()), required))
}

/// Every plugin in the archive's wheels.
pub fn detect_plugins(archive: &Path) -> Result<Vec<DetectedPlugin>, Error> {
    let opened = crate::archive::open_archive(archive)?;
    let mut out = Vec::new();
    let mut wheels: Vec<_> = std::fs::read_dir(opened.dir.path())
        .map_err(|e| Error::io("Failed to read", opened.dir.path(), e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    wheels.sort();
    for path in wheels {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(wheel) = file_name.parse::<crate::wheel_name::WheelName>() else {
            continue;
        };
        let file = std::fs::File::open(&path).map_err(|e| Error::io("Failed to open", &path, e))?;
        let Ok(mut zip) = zip::ZipArchive::new(file) else {
            continue;
        };
        let inits: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(std::borrow::Cow::into_owned)
            .filter(|n| {
                let parts: Vec<&str> = n.split('/').collect();
                parts.len() == 2 && parts[1] == "__init__.py"
            })
            .collect();
        for init in inits {
            let mut text = String::new();
            let Ok(mut entry) = zip.by_name(&init) else {
                continue;
            };
            if entry.size() > 1_000_000 || entry.read_to_string(&mut text).is_err() {
                continue;
            }
            let package = init.trim_end_matches("/__init__.py");
            if let Some((module, required_settings)) = parse_init(package, &text) {
                out.push(DetectedPlugin {
                    module,
                    distribution: wheel.name.to_string(),
                    version: wheel.version.to_string(),
                    required_settings,
                });
            }
        }
    }
    Ok(out)
}

/// The `customPythonConfig` text for `plugins`.
pub fn custom_python_config(plugins: &[DetectedPlugin]) -> String {
    let names: Vec<String> = plugins.iter().map(|p| format!("'{}'", p.module)).collect();
    let mut out = format!("PLUGINS = [{}]\nPLUGINS_CONFIG = {{\n", names.join(", "));
    for p in plugins {
        out.push_str(&format!("    '{}': {{\n", p.module));
        for s in &p.required_settings {
            out.push_str(&format!("        '{s}': '<{s}>',  # required: set it\n"));
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
    let plugins = detect_plugins(archive)?;
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_plugin_config_class() {
        let text = "from netbox.plugins import PluginConfig\n\nclass C(PluginConfig):\n    name = 'netbox_x'\n    required_settings = [\n        'token',\n        \"url\",\n    ]\n\nconfig = C\n";
        assert_eq!(
            parse_init("pkg", text),
            Some(("netbox_x".into(), vec!["token".into(), "url".into()]))
        );
        assert_eq!(parse_init("pkg", "import os\n"), None);
    }

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
