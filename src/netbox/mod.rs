//! `NetBox` awareness: which wheels are `NetBox` plugins, under which import name, for which
//! `NetBox` releases; the `PLUGINS = [...]` line; the `min_version`/`max_version` gate.
//!
//! Input: a wheel file (read in place by the strict zip reader [`crate::wheel_zip`], which
//! refuses a layout two zip readers could see differently; never extracted, no Python run).
//! Output: one [`Plugin`] per plugin package found. The top-level packages come from the paths in `RECORD`
//! (plus `top_level.txt` when present; `{dist}.data/purelib|platlib/` paths count as top level);
//! a package without `__init__.py` is a namespace package and its subpackages are looked at
//! instead (three levels at most). A package is a plugin when its `__init__.py` defines a class
//! derived from `PluginConfig` and binds `config = ThatClass` ([`python`] reads the source
//! statically), or imports `config` (or the class it names) from a module of the wheel that
//! defines it (`from .plugin import config`, `from .config import XConfig as config`; followed
//! one step). A class attribute set to a name imported from a module of the
//! wheel (`min_version = NETBOX_MIN_VERSION` after `from .version import …`) takes that
//! module's literal constant, one step too. The import name ([`Plugin::module`]) is what `PLUGINS` needs; it usually differs
//! from the distribution name (`netbox-plugin-dns` installs `netbox_dns`).
//!
//! The gate follows `NetBox`'s own `PluginConfig.validate` (`netbox/netbox/plugins/__init__.py`):
//! `min_version` and `max_version` are parsed with `packaging.version.parse` and the running
//! version must satisfy `min_version <= netbox <= max_version`, each bound only when set. So
//! `max_version = "4.2"` admits 4.2.0 but refuses 4.2.3 (4.2.3 > 4.2), which is why plugins
//! write `"4.2.99"`; nbwheel compares the same way, with PEP 440 versions. A bound that is not a
//! literal, or not a valid version, cannot be checked and is reported, never guessed.
//!
//! The `build` hook that uses the gate (resolve, download, detect, exclude incompatible plugin
//! versions, resolve again) is [`crate::commands::gate`]; `diff` is [`crate::commands::diff`].

pub mod python;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;

use crate::exit::ExitCode;
use crate::wheel_name::WheelName;
use crate::wheel_zip::{self, FileBytes, Member, ZipError, ZipLimits};

use python::{Attr, Literal};

/// The largest `__init__.py` read (plugin modules are small; larger ones are not plugins).
pub const MAX_INIT: u64 = 1 << 20;
/// The largest `RECORD` or `top_level.txt` read.
const MAX_RECORD: u64 = 16 << 20;
/// How deep namespace packages are followed.
const MAX_NAMESPACE_DEPTH: usize = 3;

/// A `NetBox` plugin found in a wheel.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plugin {
    /// The import name to list in `PLUGINS`, e.g. `netbox_dns`.
    pub module: String,
    /// The distribution's normalised name, e.g. `netbox-plugin-dns`.
    pub package: String,
    /// The distribution's version (from the wheel's file name).
    pub package_version: String,
    /// The plugin class's `name`, when it is a literal.
    pub name: Option<String>,
    /// The plugin class's `version`, when it is a literal.
    pub version: Option<String>,
    /// `min_version`, when set to a literal.
    pub min_version: Option<String>,
    /// `max_version`, when set to a literal.
    pub max_version: Option<String>,
    /// `required_settings` (empty when not set); `None` when set to something not literal.
    pub required_settings: Option<Vec<String>>,
    /// `default_settings` as JSON (`{}` when not set); `None` when not literal.
    pub default_settings: Option<serde_json::Value>,
    /// Attributes set to something nbwheel cannot read statically (e.g. `version = __version__`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dynamic: Vec<String>,
}

/// Why plugin detection or the `NetBox` gate failed.
#[derive(Debug, thiserror::Error)]
pub enum NetboxError {
    /// A wheel could not be opened.
    #[error("Failed to read `{}`", path.display())]
    Io {
        /// The wheel's path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A wheel is not a readable zip.
    #[error("`{wheel}` is not a readable zip archive: {detail}")]
    Zip {
        /// The wheel's file name.
        wheel: String,
        /// What the zip reader said.
        detail: String,
    },
    /// `--netbox` is not a version.
    #[error("Invalid value for `--netbox`: `{value}` is not a version")]
    BadVersion {
        /// The value given.
        value: String,
    },
    /// Plugins chosen for the build do not support the target `NetBox` release, and no other
    /// choice was found in the rounds allowed.
    #[error("No plugin versions for NetBox {netbox} were found after {rounds} rounds:\n{details}")]
    Incompatible {
        /// The target release.
        netbox: String,
        /// How many resolutions were tried.
        rounds: usize,
        /// One line per incompatible plugin.
        details: String,
    },
}

impl NetboxError {
    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            NetboxError::Io { .. } => ExitCode::Environment,
            NetboxError::Zip { .. } => ExitCode::Integrity,
            NetboxError::BadVersion { .. } => ExitCode::Usage,
            NetboxError::Incompatible { .. } => ExitCode::NoSolution,
        }
    }

    /// Advice for the user.
    pub fn hint(&self) -> Option<String> {
        match self {
            NetboxError::Io { .. } => Some("Check that the file exists and is readable.".into()),
            NetboxError::Zip { .. } => Some(
                "The wheel is damaged or was tampered with; do not install it.".into(),
            ),
            NetboxError::BadVersion { .. } => {
                Some("Give the NetBox release the plugins will run on, e.g. `--netbox 4.2.3`.".into())
            }
            NetboxError::Incompatible { .. } => Some(
                "Pin plugin versions made for this NetBox release in `requirements.txt`, or build for another release with `--netbox`.".into(),
            ),
        }
    }
}

/// Parses a `--netbox` value (`4.2`, `4.2.3`, `v4.2.3`).
pub fn parse_netbox_version(value: &str) -> Result<Version, NetboxError> {
    Version::from_str(value.trim()).map_err(|_| NetboxError::BadVersion {
        value: value.to_string(),
    })
}

/// Finds the `NetBox` plugins in the wheel at `path`.
pub fn detect_plugins(path: &Path, wheel: &WheelName) -> Result<Vec<Plugin>, NetboxError> {
    let file = File::open(path).map_err(|source| NetboxError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    detect_plugins_in(file, wheel)
}

/// Finds the `NetBox` plugins in a wheel read from `reader`.
pub fn detect_plugins_in<R: Read + Seek>(
    reader: R,
    wheel: &WheelName,
) -> Result<Vec<Plugin>, NetboxError> {
    let zip_err = |e: ZipError| NetboxError::Zip {
        wheel: wheel.filename().to_string(),
        detail: e.to_string(),
    };
    let mut reader = reader;
    let mut src = FileBytes::measure(&mut reader).map_err(|e| zip_err(ZipError::Io(e)))?;
    let layout = wheel_zip::read_layout(&mut src, &ZipLimits::default()).map_err(zip_err)?;
    let mut archive = Archive {
        src,
        members: &layout.members,
    };
    // Installed path (after `.data/purelib|platlib/`) → member name.
    let mut members: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut record: Option<String> = None;
    let mut top_level: Option<String> = None;
    for name in layout.members.iter().map(|m| m.name.as_str()) {
        if let Some(installed) = installed_path(name) {
            members.insert(installed, name.to_string());
        } else if is_dist_info_file(name, "RECORD") {
            record = Some(name.to_string());
        } else if is_dist_info_file(name, "top_level.txt") {
            top_level = Some(name.to_string());
        }
    }
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    match record {
        Some(record) => {
            let text = read_member(&mut archive, &record, MAX_RECORD).map_err(zip_err)?;
            for row in text.lines() {
                if let Some(path) = record_path(row)
                    && let Some(installed) = installed_path(&path)
                    && let Some((top, _)) = installed.split_once('/')
                {
                    candidates.insert(top.to_string());
                }
            }
        }
        None => {
            for installed in members.keys() {
                if let Some((top, _)) = installed.split_once('/') {
                    candidates.insert(top.to_string());
                }
            }
        }
    }
    if let Some(top_level) = top_level {
        let text = read_member(&mut archive, &top_level, MAX_RECORD).map_err(zip_err)?;
        candidates.extend(
            text.lines()
                .map(|l| l.trim().trim_matches('/').to_string())
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        );
    }
    let mut packages = Vec::new();
    for top in &candidates {
        find_packages(&members, top, 0, &mut packages);
    }
    let modules = Modules { members, packages };
    let mut read = |path: &str| read_module(&mut archive, &modules.members, path, wheel);
    Ok(plugins_of_packages(&modules, wheel, &mut read))
}

/// A wheel's modules by installed path (→ member name), and the packages among them that may
/// define a plugin.
#[derive(Debug, Default)]
pub struct Modules {
    /// Installed path (after `.data/purelib|platlib/`) → member name.
    pub members: std::collections::BTreeMap<String, String>,
    /// Package paths (`netbox_dns`, `acme/netbox_rack`) that have an `__init__.py`.
    pub packages: Vec<String>,
}

impl Modules {
    /// From a wheel's member names alone (for reading them by range requests): top-level
    /// packages and packages inside namespace packages, as [`detect_plugins_in`] finds them.
    pub fn from_names(names: &[String]) -> Self {
        let mut members = std::collections::BTreeMap::new();
        for name in names {
            if let Some(installed) = installed_path(name) {
                members.insert(installed, name.clone());
            }
        }
        let candidates: BTreeSet<String> = members
            .keys()
            .filter_map(|k| k.split_once('/').map(|(top, _)| top.to_string()))
            .collect();
        let mut packages = Vec::new();
        for top in &candidates {
            find_packages(&members, top, 0, &mut packages);
        }
        Modules { members, packages }
    }
}

/// The plugins the packages of `modules` define; `read` gives the source of a module by its
/// installed path (`None` when it cannot be read: then what depends on it stays unknown).
/// Each package's `__init__.py` is read, and from there at most the modules it imports the
/// plugin or its bounds from (see `plugin_of_package`).
pub fn plugins_of_packages(
    modules: &Modules,
    wheel: &WheelName,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Vec<Plugin> {
    let mut out = Vec::new();
    for package in &modules.packages {
        if let Some(class) = plugin_of_package(read, &modules.members, package) {
            out.push(plugin_from_class(package.replace('/', "."), wheel, &class));
        }
    }
    out
}

/// The plugin class of `package` (an installed path such as `netbox_dns`), if it has one.
///
/// `NetBox` imports the package and reads its `config`. When `__init__.py` imports `config`
/// from a module of the wheel (`from .plugin import config`), that module is read instead (one
/// step, not further). An attribute set to a name imported from a module of the wheel
/// (`min_version = NETBOX_MIN_VERSION` after `from .version import NETBOX_MIN_VERSION`) takes
/// that module's literal constant (one step); anything else stays unknown.
fn plugin_of_package(
    read: &mut dyn FnMut(&str) -> Option<String>,
    members: &std::collections::BTreeMap<String, String>,
    package: &str,
) -> Option<python::PluginClass> {
    let source = read(&format!("{package}/__init__.py"))?;
    // `PluginConfig` or an imported `config`.
    if !source.contains("config") && !source.contains("Config") {
        return None;
    }
    let module = python::parse_module(&source);
    let (mut class, base) = match (module.plugin, module.config_from) {
        (Some(class), _) => (class, package.to_string()),
        (None, Some(from)) => {
            // `.plugin.config` (that module's `config`) or `.config.XConfig` (a class of it).
            let (reference, name) = from.rsplit_once('.')?;
            let (path, base) = module_file(members, package, reference)?;
            let source = read(&path)?;
            if !source.contains("PluginConfig") {
                return None;
            }
            let mut other = python::parse_module(&source);
            let class = match other.classes.remove(name) {
                Some(class) => class,
                None if name == "config" => other.plugin?,
                None => return None,
            };
            (class, base)
        }
        (None, None) => return None,
    };
    let mut constants: std::collections::HashMap<String, python::Module> =
        std::collections::HashMap::new();
    for attr in class.attrs.values_mut() {
        let Attr::Name(reference) = attr else {
            continue;
        };
        let resolved = reference.rsplit_once('.').and_then(|(module, name)| {
            let (path, _) = module_file(members, &base, module)?;
            if !constants.contains_key(&path) {
                let source = read(&path)?;
                constants.insert(path.clone(), python::parse_module(&source));
            }
            constants.get(&path)?.constants.get(name).cloned()
        });
        *attr = resolved.map_or(Attr::Dynamic, Attr::Literal);
    }
    Some(class)
}

/// The installed path of the module `reference` names, as imported from the package `base`
/// (`.version` or `..a.b`, relative; `top.version`, absolute), and the package that module's
/// own relative imports start from. `None` when the wheel has no such module.
fn module_file(
    members: &std::collections::BTreeMap<String, String>,
    base: &str,
    reference: &str,
) -> Option<(String, String)> {
    let dots = reference.bytes().take_while(|&b| b == b'.').count();
    let rest = &reference[dots..];
    if rest.is_empty() || rest.split('.').any(str::is_empty) {
        return None;
    }
    let mut start: Vec<&str> = if dots == 0 {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for _ in 1..dots {
        start.pop()?;
    }
    start.extend(rest.split('.'));
    let path = start.join("/");
    let init = format!("{path}/__init__.py");
    if members.contains_key(&init) {
        return Some((init, path));
    }
    let file = format!("{path}.py");
    if members.contains_key(&file) {
        let parent = path.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        return Some((file, parent));
    }
    None
}

/// The source of the module at the installed path `path` (at most [`MAX_INIT`] bytes).
fn read_module(
    archive: &mut Archive<'_>,
    members: &std::collections::BTreeMap<String, String>,
    path: &str,
    wheel: &WheelName,
) -> Option<String> {
    let member = members.get(path)?;
    match read_member(archive, member, MAX_INIT) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::debug!(wheel = wheel.filename(), member, "Skipped: {e}");
            None
        }
    }
}

/// Packages (paths with `/`) under `top` that have an `__init__.py`; a folder without one is a
/// namespace package whose subfolders are searched.
fn find_packages(
    members: &std::collections::BTreeMap<String, String>,
    top: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    if members.contains_key(&format!("{top}/__init__.py")) {
        out.push(top.to_string());
        return;
    }
    if depth >= MAX_NAMESPACE_DEPTH {
        return;
    }
    let prefix = format!("{top}/");
    let subs: BTreeSet<&str> = members
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter_map(|(k, _)| k[prefix.len()..].split_once('/').map(|(s, _)| s))
        .collect();
    for sub in subs {
        find_packages(members, &format!("{top}/{sub}"), depth + 1, out);
    }
}

/// The installed path of a member: itself, or the part after `{dist}.data/purelib/` or
/// `…/platlib/`; `None` for `.dist-info` and other `.data` members.
fn installed_path(name: &str) -> Option<String> {
    let (first, rest) = name.split_once('/')?;
    if first.ends_with(".dist-info") {
        return None;
    }
    // Wheel folder names are case-sensitive: `.data` is spelled in lower case (PEP 427).
    if first.rsplit_once('.').is_some_and(|(_, ext)| ext == "data") {
        let (kind, inner) = rest.split_once('/')?;
        return matches!(kind, "purelib" | "platlib").then(|| inner.to_string());
    }
    Some(name.to_string())
}

fn is_dist_info_file(name: &str, file: &str) -> bool {
    name.split_once('/')
        .is_some_and(|(dir, rest)| dir.ends_with(".dist-info") && rest == file)
}

/// The path (first column) of a `RECORD` row, with csv quoting undone.
fn record_path(row: &str) -> Option<String> {
    let row = row.trim_end_matches('\r');
    if let Some(quoted) = row.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    out.push('"');
                    chars.next();
                } else {
                    return Some(out);
                }
            } else {
                out.push(c);
            }
        }
        return None;
    }
    let path = row.split(',').next()?;
    (!path.is_empty()).then(|| path.to_string())
}

/// A wheel whose layout the strict reader checked, and its members.
struct Archive<'a> {
    src: FileBytes<'a>,
    members: &'a [Member],
}

/// The first `max` bytes of the member `name` (the whole member is still read and checked
/// against its CRC-32), as text.
fn read_member(archive: &mut Archive<'_>, name: &str, max: u64) -> Result<String, ZipError> {
    let Some(member) = archive.members.iter().find(|m| m.name == name) else {
        return Ok(String::new());
    };
    let mut sink = Prefix {
        bytes: Vec::new(),
        max: usize::try_from(max).unwrap_or(usize::MAX),
    };
    wheel_zip::stream_member(&mut archive.src, member, &mut sink)?;
    Ok(String::from_utf8_lossy(&sink.bytes).into_owned())
}

/// Keeps the first `max` bytes written and drops the rest.
struct Prefix {
    bytes: Vec<u8>,
    max: usize,
}

impl std::io::Write for Prefix {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.max.saturating_sub(self.bytes.len());
        self.bytes.extend_from_slice(&buf[..buf.len().min(room)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn plugin_from_class(module: String, wheel: &WheelName, class: &python::PluginClass) -> Plugin {
    let mut dynamic = Vec::new();
    let mut text = |attr: &str| match class.attrs.get(attr) {
        Some(Attr::Literal(Literal::None)) | None => None,
        Some(Attr::Literal(l)) => {
            let t = l.as_version_text();
            if t.is_none() {
                dynamic.push(attr.to_string());
            }
            t
        }
        Some(Attr::Dynamic | Attr::Name(_)) => {
            dynamic.push(attr.to_string());
            None
        }
    };
    let name = text("name");
    let version = text("version");
    let min_version = text("min_version");
    let max_version = text("max_version");
    let required_settings = match class.attrs.get("required_settings") {
        None => Some(Vec::new()),
        Some(Attr::Literal(Literal::List(items))) => items
            .iter()
            .map(|i| match i {
                Literal::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        Some(_) => None,
    };
    if required_settings.is_none() {
        dynamic.push("required_settings".into());
    }
    let default_settings = match class.attrs.get("default_settings") {
        None => Some(serde_json::Value::Object(serde_json::Map::new())),
        Some(Attr::Literal(l @ Literal::Dict(_))) => Some(l.to_json()),
        Some(_) => None,
    };
    if default_settings.is_none() {
        dynamic.push("default_settings".into());
    }
    Plugin {
        module,
        package: wheel.name.to_string(),
        package_version: wheel.version.to_string(),
        name,
        version,
        min_version,
        max_version,
        required_settings,
        default_settings,
        dynamic,
    }
}

/// The `NetBox` releases a plugin declares, in words: `4.2.0 to 4.2.99`, `4.2.0 or later`,
/// `up to 4.2.99`, or `any release`.
pub fn netbox_range(plugin: &Plugin) -> String {
    match (&plugin.min_version, &plugin.max_version) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} or later"),
        (None, Some(max)) => format!("up to {max}"),
        (None, None) => "any release".into(),
    }
}

/// Checks a plugin against a `NetBox` release as `PluginConfig.validate` does; the error says
/// why, naming the plugin, its declared range and the target. Bounds that are not valid
/// versions are skipped (with a log line): `NetBox` itself would refuse to start on them.
pub fn check_compatible(plugin: &Plugin, netbox: &Version) -> Result<(), String> {
    let parse = |attr: &str, value: &Option<String>| -> Option<Version> {
        let value = value.as_deref()?;
        match Version::from_str(value.trim()) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(
                    "Plugin `{}` has {attr} `{value}`, which is not a version ({e}); not checked",
                    plugin.module
                );
                None
            }
        }
    };
    let min = parse("min_version", &plugin.min_version);
    let max = parse("max_version", &plugin.max_version);
    let too_old = min.as_ref().is_some_and(|m| netbox < m);
    let too_new = max.as_ref().is_some_and(|m| netbox > m);
    if too_old || too_new {
        return Err(format!(
            "is NetBox plugin `{}` for NetBox {} (`min_version`/`max_version`), not the target NetBox {netbox}",
            plugin.module,
            netbox_range(plugin)
        ));
    }
    Ok(())
}

/// The `configuration.py` lines for the plugins: `PLUGINS = [...]` and a `PLUGINS_CONFIG`
/// skeleton with each plugin's required settings (set to `None`, to be filled in). Empty when
/// there are no plugins.
pub fn render_configuration(plugins: &[Plugin]) -> String {
    let mut modules: Vec<&Plugin> = plugins.iter().collect();
    modules.sort_by(|a, b| a.module.cmp(&b.module));
    modules.dedup_by(|a, b| a.module == b.module);
    if modules.is_empty() {
        return String::new();
    }
    let names: Vec<String> = modules
        .iter()
        .map(|p| python::python_string(&p.module))
        .collect();
    let mut out = String::from("# NetBox configuration (customPythonConfig):\n");
    out.push_str(&format!("PLUGINS = [{}]\n", names.join(", ")));
    out.push_str("PLUGINS_CONFIG = {\n");
    for p in modules {
        let module = python::python_string(&p.module);
        match &p.required_settings {
            Some(required) if required.is_empty() => {
                out.push_str(&format!("    {module}: {{}},\n"));
            }
            Some(required) => {
                out.push_str(&format!("    {module}: {{\n"));
                for setting in required {
                    out.push_str(&format!(
                        "        {}: None,  # required\n",
                        python::python_string(setting)
                    ));
                }
                out.push_str("    },\n");
            }
            None => out.push_str(&format!(
                "    {module}: {{}},  # required settings could not be read; see the plugin's docs\n"
            )),
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests;
