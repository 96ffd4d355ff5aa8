//! Scenario files: what a fake index publishes and what nbwheel must choose from it.
//!
//! Input: `fixtures/scenarios/<name>.toml` (format in `fixtures/scenarios/README.md`), or TOML
//! text, or [`Release`] values built in code. Output: a [`Scenario`] with its [`Release`]s (one
//! per project version: dependencies, `Requires-Python`, extras, yanked state, wheel tags, sdist,
//! upload time, extra files) and its [`Expect`]ations per target (pins, chosen files, or an
//! exit code and words the error must mention). Loading checks the expectations against the
//! releases, so a typo in a pin fails loudly instead of silently passing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nbwheel::target::{Arch, Glibc, Target};
use serde::Deserialize;

use super::wheel::{WheelSpec, normalize};

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The file stem (`extras` for `extras.toml`).
    #[serde(skip)]
    pub name: String,
    /// What the scenario is about, and which tag rule (`src/target.rs`) it covers.
    #[serde(default)]
    pub description: String,
    /// The root requirement lines.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// The constraint lines.
    #[serde(default)]
    pub constraints: Vec<String>,
    /// Whether `pip download` must agree with every expectation (default true).
    #[serde(default = "yes")]
    pub pip_agrees: bool,
    /// Why pip is wrong here (required when `pip_agrees = false`).
    #[serde(default)]
    pub pip_reason: Option<String>,
    /// The published project versions.
    #[serde(default, rename = "package")]
    pub packages: Vec<Release>,
    /// The expectations, one per target/variant.
    #[serde(default)]
    pub expect: Vec<Expect>,
}

/// Where a release's `requires_python` is published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequiresPythonIn {
    /// In the index listing and in METADATA.
    #[default]
    Both,
    /// Only in the index listing (`data-requires-python` / `requires-python`).
    Index,
    /// Only in METADATA.
    Metadata,
}

/// `yanked = true` or `yanked = "reason"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Yanked {
    /// `true` (yanked, no reason) or `false`.
    Flag(bool),
    /// Yanked with this reason.
    Reason(String),
}

/// One version of one project and the files published for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The project name as written in METADATA.
    pub name: String,
    /// The version.
    pub version: String,
    /// `Requires-Dist` lines (PEP 508, extras and markers allowed).
    #[serde(default)]
    pub depends: Vec<String>,
    /// `Requires-Python`.
    #[serde(default)]
    pub requires_python: Option<String>,
    /// Where `requires_python` is published (default both).
    #[serde(default)]
    pub requires_python_in: RequiresPythonIn,
    /// `Provides-Extra`; when absent, derived from `extra == "…"` markers in `depends`.
    #[serde(default)]
    pub provides_extra: Option<Vec<String>>,
    /// PEP 592 yanked state.
    #[serde(default)]
    pub yanked: Option<Yanked>,
    /// Wheel tag triples, each optionally prefixed with a build tag (`2-py3-none-any`).
    #[serde(default = "default_wheels")]
    pub wheels: Vec<String>,
    /// Whether an sdist is published too (`wheels = []` + `sdist = true` is sdist-only).
    #[serde(default)]
    pub sdist: bool,
    /// PEP 700 upload time (RFC 3339); defaults to 2024-01-01T00:00:00Z.
    #[serde(default)]
    pub upload_time: Option<String>,
    /// Extra files in every wheel of this release: path to text contents.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// The import package name (default: the escaped project name, lower case).
    #[serde(default)]
    pub import_name: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_wheels() -> Vec<String> {
    vec!["py3-none-any".to_string()]
}

impl Release {
    /// A release with one `py3-none-any` wheel and nothing else.
    pub fn new(name: &str, version: &str) -> Self {
        Release {
            name: name.to_string(),
            version: version.to_string(),
            depends: Vec::new(),
            requires_python: None,
            requires_python_in: RequiresPythonIn::Both,
            provides_extra: None,
            yanked: None,
            wheels: default_wheels(),
            sdist: false,
            upload_time: None,
            files: BTreeMap::new(),
            import_name: None,
        }
    }

    /// Sets the dependencies.
    #[must_use]
    pub fn depends(mut self, deps: &[&str]) -> Self {
        self.depends = deps.iter().map(ToString::to_string).collect();
        self
    }

    /// Sets the wheel tags.
    #[must_use]
    pub fn wheels(mut self, tags: &[&str]) -> Self {
        self.wheels = tags.iter().map(ToString::to_string).collect();
        self
    }

    /// Sets `Requires-Python` (index and METADATA).
    #[must_use]
    pub fn requires_python(mut self, spec: &str) -> Self {
        self.requires_python = Some(spec.to_string());
        self
    }

    /// Marks the release yanked with a reason.
    #[must_use]
    pub fn yanked(mut self, reason: &str) -> Self {
        self.yanked = Some(Yanked::Reason(reason.to_string()));
        self
    }

    /// Publishes only an sdist.
    #[must_use]
    pub fn sdist_only(mut self) -> Self {
        self.wheels.clear();
        self.sdist = true;
        self
    }

    /// Adds a file to every wheel of the release.
    #[must_use]
    pub fn file(mut self, path: &str, contents: &str) -> Self {
        self.files.insert(path.to_string(), contents.to_string());
        self
    }

    /// The yanked reason (`Some("")` for `yanked = true`).
    pub fn yanked_reason(&self) -> Option<String> {
        match &self.yanked {
            None | Some(Yanked::Flag(false)) => None,
            Some(Yanked::Flag(true)) => Some(String::new()),
            Some(Yanked::Reason(r)) => Some(r.clone()),
        }
    }

    /// The `Provides-Extra` list: explicit, or derived from `extra == "x"` markers.
    pub fn extras(&self) -> Vec<String> {
        if let Some(explicit) = &self.provides_extra {
            return explicit.clone();
        }
        let mut found = BTreeSet::new();
        for dep in &self.depends {
            let compact: String = dep.chars().filter(|c| !c.is_whitespace()).collect();
            let mut rest = compact.as_str();
            while let Some(pos) = rest.find("extra==") {
                rest = &rest[pos + "extra==".len()..];
                let quote = rest.chars().next().unwrap_or('"');
                let body = &rest[1..];
                if let Some(end) = body.find(quote) {
                    found.insert(body[..end].to_string());
                }
            }
        }
        found.into_iter().collect()
    }

    /// `Requires-Python` as listed by the index.
    pub fn index_requires_python(&self) -> Option<&str> {
        match self.requires_python_in {
            RequiresPythonIn::Both | RequiresPythonIn::Index => self.requires_python.as_deref(),
            RequiresPythonIn::Metadata => None,
        }
    }

    /// `Requires-Python` as written in METADATA.
    pub fn metadata_requires_python(&self) -> Option<&str> {
        match self.requires_python_in {
            RequiresPythonIn::Both | RequiresPythonIn::Metadata => self.requires_python.as_deref(),
            RequiresPythonIn::Index => None,
        }
    }

    /// One [`WheelSpec`] per entry of `wheels`.
    pub fn wheel_specs(&self) -> Vec<WheelSpec> {
        self.wheels
            .iter()
            .map(|entry| {
                let (build, tags) = split_build(entry);
                WheelSpec {
                    name: self.name.clone(),
                    version: self.version.clone(),
                    tags: tags.to_string(),
                    build: build.map(ToString::to_string),
                    requires_dist: self.depends.clone(),
                    requires_python: self.metadata_requires_python().map(ToString::to_string),
                    provides_extra: self.extras(),
                    files: self
                        .files
                        .iter()
                        .map(|(p, c)| (p.clone(), c.clone().into_bytes()))
                        .collect(),
                    import_name: self.import_name.clone(),
                }
            })
            .collect()
    }
}

/// Splits `2-py3-none-any` into `(Some("2"), "py3-none-any")`.
fn split_build(entry: &str) -> (Option<&str>, &str) {
    match entry.split_once('-') {
        Some((first, rest)) if first.starts_with(|c: char| c.is_ascii_digit()) => {
            (Some(first), rest)
        }
        _ => (None, entry),
    }
}

/// What nbwheel must produce for one target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// A short label for messages (default: derived from the target).
    #[serde(default)]
    pub label: Option<String>,
    /// `x86_64` (default) or `aarch64`.
    #[serde(default = "default_arch")]
    pub arch: String,
    /// The glibc floor, `2_28` by default.
    #[serde(default = "default_manylinux")]
    pub manylinux: String,
    /// The target Python, `3.12` by default (`3.12.4` sets the micro version).
    #[serde(default = "default_python")]
    pub python: String,
    /// Whether pre-releases are allowed (`--pre`).
    #[serde(default)]
    pub pre: bool,
    /// Whether `linux_<arch>` wheels are accepted.
    #[serde(default)]
    pub allow_linux_tag: bool,
    /// Overrides the scenario's requirement lines.
    #[serde(default)]
    pub requirements: Option<Vec<String>>,
    /// Overrides the scenario's constraint lines.
    #[serde(default)]
    pub constraints: Option<Vec<String>>,
    /// The complete closure, `name==version` each.
    #[serde(default)]
    pub pins: Vec<String>,
    /// Expected chosen files (a subset of the closure; packages not listed are not checked).
    #[serde(default)]
    pub files: Vec<String>,
    /// The expected exit code (0 by default).
    #[serde(default)]
    pub exit_code: i32,
    /// Words the error message must contain (compared case-insensitively).
    #[serde(default)]
    pub error_contains: Vec<String>,
    /// Overrides the scenario's `pip_agrees`.
    #[serde(default)]
    pub pip_agrees: Option<bool>,
    /// Why pip is wrong for this expectation.
    #[serde(default)]
    pub pip_reason: Option<String>,
}

fn default_arch() -> String {
    "x86_64".into()
}

fn default_manylinux() -> String {
    "2_28".into()
}

fn default_python() -> String {
    "3.12".into()
}

impl Expect {
    /// The nbwheel target of this expectation.
    pub fn target(&self) -> Target {
        let arch: Arch = self.arch.parse().expect("valid arch in scenario");
        let mut target = Target::new(arch);
        target.glibc = self
            .manylinux
            .parse::<Glibc>()
            .expect("valid manylinux in scenario");
        target
            .set_python(&self.python)
            .expect("valid python in scenario");
        target.allow_linux_tag = self.allow_linux_tag;
        target
    }

    /// A label for messages: the explicit one or `x86_64 2_28 py3.12`.
    pub fn describe(&self) -> String {
        self.label.clone().unwrap_or_else(|| {
            format!(
                "{} {} py{}{}{}",
                self.arch,
                self.manylinux,
                self.python,
                if self.pre { " --pre" } else { "" },
                if self.allow_linux_tag { " +linux" } else { "" }
            )
        })
    }

    /// The expected closure: normalised name to version.
    pub fn pinned(&self) -> BTreeMap<String, String> {
        self.pins
            .iter()
            .map(|p| {
                let (name, version) = p
                    .split_once("==")
                    .unwrap_or_else(|| panic!("pin `{p}` must be `name==version`"));
                (normalize(name.trim()), version.trim().to_string())
            })
            .collect()
    }

    /// Checks an error message against `error_contains` (case-insensitive); returns the
    /// missing words.
    pub fn check_error(&self, message: &str) -> Result<(), Vec<String>> {
        let lower = message.to_lowercase();
        let missing: Vec<String> = self
            .error_contains
            .iter()
            .filter(|w| !lower.contains(&w.to_lowercase()))
            .cloned()
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }

    /// `None` when pip must agree, else the reason it does not.
    pub fn pip_disagreement<'a>(&'a self, scenario: &'a Scenario) -> Option<&'a str> {
        let agrees = self.pip_agrees.unwrap_or(scenario.pip_agrees);
        if agrees {
            None
        } else {
            Some(
                self.pip_reason
                    .as_deref()
                    .or(scenario.pip_reason.as_deref())
                    .unwrap_or("(no reason given)"),
            )
        }
    }
}

impl AsRef<[Release]> for Scenario {
    fn as_ref(&self) -> &[Release] {
        &self.packages
    }
}

impl Scenario {
    /// The folder holding the scenario files.
    pub fn dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios")
    }

    /// Loads `fixtures/scenarios/<name>.toml`, checking it; panics with the reason on error.
    pub fn load(name: &str) -> Scenario {
        let path = Self::dir().join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
        Self::from_toml(name, &text)
    }

    /// Parses and checks scenario TOML text.
    pub fn from_toml(name: &str, text: &str) -> Scenario {
        let mut scenario: Scenario =
            toml::from_str(text).unwrap_or_else(|e| panic!("scenario `{name}`: {e}"));
        scenario.name = name.to_string();
        if let Err(e) = scenario.check() {
            panic!("scenario `{name}`: {e}");
        }
        scenario
    }

    /// Every scenario in `fixtures/scenarios/`, sorted by name.
    pub fn all() -> Vec<Scenario> {
        let mut names: Vec<String> = std::fs::read_dir(Self::dir())
            .expect("fixtures/scenarios exists")
            .filter_map(|e| {
                let path = e.ok()?.path();
                (path.extension()? == "toml")
                    .then(|| path.file_stem()?.to_str().map(ToString::to_string))?
            })
            .collect();
        names.sort();
        names.iter().map(|n| Self::load(n)).collect()
    }

    /// The requirement and constraint lines for one expectation (its overrides, else the
    /// scenario's).
    pub fn inputs_for(&self, expect: &Expect) -> (Vec<String>, Vec<String>) {
        (
            expect
                .requirements
                .clone()
                .unwrap_or_else(|| self.requirements.clone()),
            expect
                .constraints
                .clone()
                .unwrap_or_else(|| self.constraints.clone()),
        )
    }

    /// Writes `requirements.txt` and `constraints.txt` (possibly empty) into `dir`.
    pub fn write_inputs(&self, dir: &Path) -> (PathBuf, PathBuf) {
        write_lines(dir, &self.requirements, &self.constraints)
    }

    /// Like [`Scenario::write_inputs`], with the expectation's overrides.
    pub fn write_inputs_for(&self, expect: &Expect, dir: &Path) -> (PathBuf, PathBuf) {
        let (reqs, cons) = self.inputs_for(expect);
        write_lines(dir, &reqs, &cons)
    }

    /// Every wheel file name the scenario publishes.
    pub fn wheel_filenames(&self) -> BTreeSet<String> {
        self.packages
            .iter()
            .flat_map(Release::wheel_specs)
            .map(|w| w.filename())
            .collect()
    }

    fn check(&self) -> Result<(), String> {
        if !self.pip_agrees && self.pip_reason.is_none() {
            return Err("`pip_agrees = false` needs a `pip_reason`".into());
        }
        let mut seen = BTreeSet::new();
        for r in &self.packages {
            if !seen.insert((normalize(&r.name), r.version.clone())) {
                return Err(format!("`{}` {} is listed twice", r.name, r.version));
            }
            if r.wheels.is_empty() && !r.sdist {
                return Err(format!("`{}` {} publishes no file", r.name, r.version));
            }
        }
        let files = self.wheel_filenames();
        for (i, e) in self.expect.iter().enumerate() {
            let what = format!("expect #{} ({})", i + 1, e.describe());
            let _ = e.target();
            if e.exit_code == 0 && e.pins.is_empty() {
                return Err(format!("{what}: success needs `pins`"));
            }
            if e.exit_code != 0 && e.error_contains.is_empty() {
                return Err(format!("{what}: a failure needs `error_contains`"));
            }
            if e.pip_agrees == Some(false) && e.pip_reason.is_none() && self.pip_reason.is_none() {
                return Err(format!("{what}: `pip_agrees = false` needs a `pip_reason`"));
            }
            for (name, version) in e.pinned() {
                if !seen.contains(&(name.clone(), version.clone())) {
                    return Err(format!("{what}: pin `{name}=={version}` is not published"));
                }
            }
            for f in &e.files {
                if !files.contains(f) {
                    return Err(format!("{what}: file `{f}` is not published"));
                }
            }
        }
        Ok(())
    }
}

fn write_lines(dir: &Path, reqs: &[String], cons: &[String]) -> (PathBuf, PathBuf) {
    let r = dir.join("requirements.txt");
    let c = dir.join("constraints.txt");
    let join = |lines: &[String]| {
        let mut s = lines.join("\n");
        if !s.is_empty() {
            s.push('\n');
        }
        s
    };
    std::fs::write(&r, join(reqs)).expect("write requirements.txt");
    std::fs::write(&c, join(cons)).expect("write constraints.txt");
    (r, c)
}
