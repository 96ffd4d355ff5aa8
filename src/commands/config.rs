//! Project configuration: `nbwheel.toml`, or the `[tool.nbwheel]` table of `pyproject.toml`.
//!
//! Input: the `--config FILE` / `--no-config` flags and the current directory. Output: a
//! [`Config`] (the file's path and its typed [`Options`]) that [`crate::commands::settings::apply_config`]
//! merges under the command line: a value from the file is used only when the option was given
//! neither as a flag nor through its `NBWHEEL_*` environment variable, so the precedence is
//! flags > environment > file > defaults.
//!
//! Discovery follows uv: starting in the current directory and walking up to the root, the first
//! directory holding `nbwheel.toml`, or a `pyproject.toml` with a `[tool.nbwheel]` table, wins
//! (`nbwheel.toml` first when a directory has both). Every key is the long name of a flag
//! (`index-url`, `arch`, `cache-dir`, …); list flags take TOML arrays. Relative paths in the file
//! are relative to the file's directory. An unknown key is an error naming the file, the key and
//! its line (exit 2), so a typo never silently falls back to a default.

use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;

use crate::cli::{BuildArgs, InputArgs, TargetArgs};
use crate::commands::Error;
use crate::index::client::IndexStrategy;

/// The project configuration file's name.
pub const FILE_NAME: &str = "nbwheel.toml";

/// Every key accepted in the file, sorted (a unit test keeps it equal to [`Options`]' fields).
pub const KEYS: &[&str] = &[
    "allow-invalid-record",
    "allow-license",
    "allow-linux-tag",
    "allow-sdist",
    "arch",
    "cache-dir",
    "cert",
    "client-cert",
    "compression-level",
    "constraint",
    "extra-index-url",
    "find-links",
    "ignore",
    "index-strategy",
    "index-url",
    "jobs",
    "manylinux",
    "max-request-time",
    "max-wheel-size",
    "netbox",
    "no-cache",
    "no-index",
    "offline",
    "output",
    "platform",
    "pre",
    "private-index",
    "private-prefix",
    "python",
    "require-hashes",
    "requirement",
    "retries",
    "strict",
    "target-profile",
    "timeout",
    "uploaded-prior-to",
];

/// A string or a list of strings (`arch = "all"` or `arch = ["x86_64", "aarch64"]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value (may itself be a comma list).
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl OneOrMany {
    fn joined(&self) -> String {
        match self {
            OneOrMany::One(s) => s.clone(),
            OneOrMany::Many(v) => v.join(","),
        }
    }
}

/// The options a file may set; each is the flag of the same name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {
    /// `-r/--requirement`.
    pub requirement: Option<Vec<PathBuf>>,
    /// `-c/--constraint`.
    pub constraint: Option<Vec<PathBuf>>,
    /// `--index-url`.
    pub index_url: Option<String>,
    /// `--extra-index-url`.
    pub extra_index_url: Option<Vec<String>>,
    /// `--find-links`.
    pub find_links: Option<Vec<String>>,
    /// `--no-index`.
    pub no_index: Option<bool>,
    /// `--index-strategy`.
    pub index_strategy: Option<String>,
    /// `--private-prefix`.
    pub private_prefix: Option<Vec<String>>,
    /// `--private-index`.
    pub private_index: Option<Vec<String>>,
    /// `--max-wheel-size`: a number of bytes or a string with a K/M/G suffix.
    pub max_wheel_size: Option<ByteSizeValue>,
    /// `--max-request-time`.
    pub max_request_time: Option<u64>,
    /// `--pre`.
    pub pre: Option<bool>,
    /// `--arch`.
    pub arch: Option<OneOrMany>,
    /// `--manylinux`.
    pub manylinux: Option<String>,
    /// `--python`.
    pub python: Option<String>,
    /// `--platform`.
    pub platform: Option<Vec<String>>,
    /// `--allow-linux-tag`.
    pub allow_linux_tag: Option<bool>,
    /// `--cache-dir`.
    pub cache_dir: Option<PathBuf>,
    /// `--no-cache`.
    pub no_cache: Option<bool>,
    /// `--offline`.
    pub offline: Option<bool>,
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// `--timeout`.
    pub timeout: Option<u64>,
    /// `--retries`.
    pub retries: Option<u32>,
    /// `--cert`.
    pub cert: Option<PathBuf>,
    /// `--client-cert`.
    pub client_cert: Option<PathBuf>,
    /// `build --output`.
    pub output: Option<PathBuf>,
    /// `build --compression-level`.
    pub compression_level: Option<u32>,
    /// `build --allow-invalid-record`.
    pub allow_invalid_record: Option<Vec<String>>,
    /// `build`/`resolve --allow-sdist`.
    pub allow_sdist: Option<Vec<String>>,
    /// `--uploaded-prior-to`.
    pub uploaded_prior_to: Option<String>,
    /// `--require-hashes`.
    pub require_hashes: Option<bool>,
    /// `--strict`.
    pub strict: Option<bool>,
    /// `--netbox`.
    pub netbox: Option<String>,
    /// `--target-profile`.
    pub target_profile: Option<String>,
    /// `--ignore`: advisory ids, or `{ id = "…", until = "YYYY-MM-DD" }` tables.
    pub ignore: Option<Vec<IgnoreEntry>>,
    /// `--allow-license`.
    pub allow_license: Option<Vec<String>>,
}

/// One `ignore` entry: an advisory id, or a table with an expiry date and a reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum IgnoreEntry {
    /// `"GHSA-…"`.
    Id(String),
    /// `{ id = "GHSA-…", until = "2027-01-31", reason = "…" }`.
    Table {
        /// The advisory id or alias.
        id: String,
        /// The last day the entry applies.
        #[serde(default)]
        until: Option<String>,
        /// Why (for the reader of the file).
        #[serde(default)]
        reason: Option<String>,
    },
}

impl IgnoreEntry {
    /// The `--ignore` spelling: `ID` or `ID@YYYY-MM-DD`.
    pub fn as_flag(&self) -> String {
        match self {
            IgnoreEntry::Id(id)
            | IgnoreEntry::Table {
                id, until: None, ..
            } => id.clone(),
            IgnoreEntry::Table {
                id,
                until: Some(until),
                ..
            } => format!("{id}@{until}"),
        }
    }
}

/// A loaded configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file read.
    pub path: PathBuf,
    /// `tool.nbwheel.` for `pyproject.toml`, empty for `nbwheel.toml`: how keys are named in
    /// messages.
    pub prefix: &'static str,
    /// Its options, relative paths already joined to the file's directory.
    pub options: Options,
}

/// Finds and reads the configuration: `explicit` (from `--config`) when given, none with
/// `no_config`, else the nearest `nbwheel.toml` or `pyproject.toml` with `[tool.nbwheel]` from
/// `cwd` upwards.
pub fn load(explicit: Option<&Path>, no_config: bool, cwd: &Path) -> Result<Option<Config>, Error> {
    if no_config {
        return Ok(None);
    }
    if let Some(path) = explicit {
        let path = cwd.join(path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::usage(
                format!("Cannot read the `--config` file `{}`: {e}", path.display()),
                Some("Give an existing TOML file, or drop `--config` / `NBWHEEL_CONFIG`.".into()),
            )
        })?;
        let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        return parse(&path, &text, pyproject).map(|c| {
            // An explicit pyproject.toml without the table is an empty configuration.
            Some(c.unwrap_or_else(|| Config {
                path: path.clone(),
                prefix: "tool.nbwheel.",
                options: Options::default(),
            }))
        });
    }
    for dir in cwd.ancestors() {
        for (name, pyproject) in [(FILE_NAME, false), ("pyproject.toml", true)] {
            let path = dir.join(name);
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) if path.is_dir() => {
                    tracing::debug!("Skipping `{}`: {e}", path.display());
                    continue;
                }
                Err(e) => return Err(Error::io("Failed to read", path, e)),
            };
            if let Some(config) = parse(&path, &text, pyproject)? {
                tracing::info!("Using configuration from `{}`", path.display());
                return Ok(Some(config));
            }
        }
    }
    Ok(None)
}

/// Parses one file; `None` for a `pyproject.toml` without `[tool.nbwheel]`.
pub fn parse(path: &Path, text: &str, pyproject: bool) -> Result<Option<Config>, Error> {
    let invalid = |message: String| {
        Error::usage(
            format!("Invalid configuration file `{}`: {message}", path.display()),
            Some("See the README section \"Configuration\" for the accepted keys.".into()),
        )
    };
    let mut root: toml::Table = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let (table, prefix) = if pyproject {
        let Some(toml::Value::Table(mut tool)) = root.remove("tool") else {
            return Ok(None);
        };
        match tool.remove("nbwheel") {
            Some(toml::Value::Table(t)) => (t, "tool.nbwheel."),
            Some(_) => return Err(invalid("`tool.nbwheel` is not a table".into())),
            None => return Ok(None),
        }
    } else {
        (root, "")
    };
    for key in table.keys() {
        if !KEYS.contains(&key.as_str()) {
            let line = line_of(text, key).map_or_else(String::new, |n| format!(":{n}"));
            let suggestion = KEYS
                .iter()
                .find(|k| k.replace('-', "_") == key.replace('-', "_") || close(k, key))
                .map_or_else(String::new, |k| format!(" Did you mean `{prefix}{k}`?"));
            return Err(Error::usage(
                format!("Unknown key `{prefix}{key}` in `{}{line}`", path.display()),
                Some(format!(
                    "{}Keys are the long flag names: {}.",
                    if suggestion.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", suggestion.trim_start())
                    },
                    KEYS.join(", ")
                )),
            ));
        }
    }
    let mut options: Options =
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                // toml says "invalid type: …\nin `key`"; put the key (and its line) first.
                let text_err = e.to_string();
                let (message, key) = text_err
                    .trim_end()
                    .rsplit_once("\nin `")
                    .map_or((text_err.trim_end(), None), |(m, k)| {
                        (m, Some(k.trim_end_matches('`')))
                    });
                match key {
                    Some(key) => {
                        let line =
                            line_of(text, key).map_or_else(String::new, |n| format!(" (line {n})"));
                        invalid(format!("`{prefix}{key}`{line}: {message}"))
                    }
                    None => invalid(message.to_string()),
                }
            })?;
    if let Some(s) = &options.index_strategy {
        parse_strategy(s).map_err(|m| invalid(format!("`{prefix}index-strategy`: {m}")))?;
    }
    if let Some(size) = &options.max_wheel_size {
        size.bytes()
            .map_err(|m| invalid(format!("`{prefix}max-wheel-size`: {m}")))?;
    }
    if let Some(level) = options.compression_level
        && level > 9
    {
        return Err(invalid(format!(
            "`{prefix}compression-level` is {level}, expected 0-9"
        )));
    }
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    options.absolutize(base);
    Ok(Some(Config {
        path: path.to_path_buf(),
        prefix,
        options,
    }))
}

/// The 1-based line where `key` is assigned, for messages (best effort).
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")));
            rest.is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// True when `b` looks like a typo of `a` (Damerau-Levenshtein distance of 2 at most; `strsim`
/// is already in the tree through clap's suggestions).
fn close(a: &str, b: &str) -> bool {
    strsim::damerau_levenshtein(a, b) <= 2
}

/// A size in `nbwheel.toml`: a number of bytes or a string such as `"512M"`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum ByteSizeValue {
    /// Bytes.
    Bytes(u64),
    /// A string for [`crate::cli::parse_byte_size`].
    Text(String),
}

impl ByteSizeValue {
    fn bytes(&self) -> Result<u64, String> {
        match self {
            ByteSizeValue::Bytes(0) => Err("a size must be above 0".to_string()),
            ByteSizeValue::Bytes(n) => Ok(*n),
            ByteSizeValue::Text(t) => crate::cli::parse_byte_size(t),
        }
    }
}

fn parse_strategy(s: &str) -> Result<IndexStrategy, String> {
    <IndexStrategy as clap::ValueEnum>::from_str(s, false)
        .map_err(|_| format!("unknown value `{s}` (expected `first-index` or `unsafe-best-match`)"))
}

impl Options {
    /// Joins relative paths to `base`, the file's directory.
    fn absolutize(&mut self, base: &Path) {
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for list in [&mut self.requirement, &mut self.constraint]
            .into_iter()
            .flatten()
        {
            list.iter_mut().for_each(join);
        }
        for p in [
            &mut self.cache_dir,
            &mut self.cert,
            &mut self.client_cert,
            &mut self.output,
        ]
        .into_iter()
        .flatten()
        {
            join(p);
        }
        for link in self.find_links.iter_mut().flatten() {
            let is_url = link.contains("://");
            if !is_url && Path::new(link.as_str()).is_relative() {
                *link = base.join(&*link).display().to_string();
            }
        }
    }
}

/// True when the user gave `id` neither on the command line nor through its environment
/// variable, so a file value may fill it.
fn unset(m: &ArgMatches, id: &str) -> bool {
    !matches!(
        m.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

fn fill<T: Clone>(slot: &mut T, value: Option<&T>, m: &ArgMatches, id: &str) {
    if let Some(v) = value
        && unset(m, id)
    {
        *slot = v.clone();
    }
}

fn fill_opt<T: Clone>(slot: &mut Option<T>, value: Option<&T>, m: &ArgMatches, id: &str) {
    if let Some(v) = value
        && unset(m, id)
    {
        *slot = Some(v.clone());
    }
}

impl Config {
    /// How an option from this file is named in messages: "`key` in `path`".
    pub fn label(&self, key: &str) -> String {
        format!("`{}{key}` in `{}`", self.prefix, self.path.display())
    }

    /// Fills the target flags the user left unset; `m` holds the subcommand's matches.
    pub fn apply_target(&self, args: &mut TargetArgs, m: &ArgMatches) {
        let o = &self.options;
        fill_opt(
            &mut args.arch,
            o.arch.as_ref().map(OneOrMany::joined).as_ref(),
            m,
            "arch",
        );
        fill_opt(&mut args.manylinux, o.manylinux.as_ref(), m, "manylinux");
        fill_opt(&mut args.python, o.python.as_ref(), m, "python");
        fill(&mut args.platform, o.platform.as_ref(), m, "platform");
        fill_opt(
            &mut args.target_profile,
            o.target_profile.as_ref(),
            m,
            "target_profile",
        );
        fill(
            &mut args.allow_linux_tag,
            o.allow_linux_tag.as_ref(),
            m,
            "allow_linux_tag",
        );
    }

    /// Fills the input, source and network flags the user left unset.
    pub fn apply_input(&self, args: &mut InputArgs, m: &ArgMatches) {
        let o = &self.options;
        fill(
            &mut args.requirements,
            o.requirement.as_ref(),
            m,
            "requirements",
        );
        fill(
            &mut args.constraints,
            o.constraint.as_ref(),
            m,
            "constraints",
        );
        self.apply_target(&mut args.target, m);
        fill_opt(&mut args.index_url, o.index_url.as_ref(), m, "index_url");
        fill(
            &mut args.extra_index_url,
            o.extra_index_url.as_ref(),
            m,
            "extra_index_url",
        );
        fill(&mut args.find_links, o.find_links.as_ref(), m, "find_links");
        fill(&mut args.no_index, o.no_index.as_ref(), m, "no_index");
        if let Some(Ok(strategy)) = o.index_strategy.as_deref().map(parse_strategy) {
            fill(
                &mut args.index_strategy,
                Some(&strategy),
                m,
                "index_strategy",
            );
        }
        fill(
            &mut args.private_prefix,
            o.private_prefix.as_ref(),
            m,
            "private_prefix",
        );
        fill(
            &mut args.private_index,
            o.private_index.as_ref(),
            m,
            "private_index",
        );
        if let Some(Ok(size)) = o.max_wheel_size.as_ref().map(ByteSizeValue::bytes) {
            fill(&mut args.max_wheel_size, Some(&size), m, "max_wheel_size");
        }
        fill(
            &mut args.max_request_time,
            o.max_request_time.as_ref(),
            m,
            "max_request_time",
        );
        fill(&mut args.pre, o.pre.as_ref(), m, "pre");
        fill_opt(
            &mut args.uploaded_prior_to,
            o.uploaded_prior_to.as_ref(),
            m,
            "uploaded_prior_to",
        );
        fill(
            &mut args.require_hashes,
            o.require_hashes.as_ref(),
            m,
            "require_hashes",
        );
        fill(&mut args.strict, o.strict.as_ref(), m, "strict");
        fill_opt(&mut args.cache_dir, o.cache_dir.as_ref(), m, "cache_dir");
        fill(&mut args.no_cache, o.no_cache.as_ref(), m, "no_cache");
        fill(&mut args.offline, o.offline.as_ref(), m, "offline");
        fill(&mut args.jobs, o.jobs.as_ref(), m, "jobs");
        fill(&mut args.timeout, o.timeout.as_ref(), m, "timeout");
        fill(&mut args.retries, o.retries.as_ref(), m, "retries");
        fill_opt(&mut args.cert, o.cert.as_ref(), m, "cert");
        fill_opt(
            &mut args.client_cert,
            o.client_cert.as_ref(),
            m,
            "client_cert",
        );
    }

    /// Fills `nbwheel build`'s flags the user left unset.
    pub fn apply_build(&self, args: &mut BuildArgs, m: &ArgMatches) {
        let o = &self.options;
        self.apply_input(&mut args.input, m);
        fill_opt(&mut args.output, o.output.as_ref(), m, "output");
        fill_opt(
            &mut args.compression_level,
            o.compression_level.as_ref(),
            m,
            "compression_level",
        );
        fill(
            &mut args.allow_invalid_record,
            o.allow_invalid_record.as_ref(),
            m,
            "allow_invalid_record",
        );
        fill_opt(&mut args.netbox, o.netbox.as_ref(), m, "netbox");
        self.apply_allow_sdist(&mut args.allow_sdist, m);
        self.apply_advisory(&mut args.advisory);
    }

    /// Fills `--allow-sdist` (of `build` and `resolve`) when the user left it unset.
    pub fn apply_allow_sdist(&self, slot: &mut Vec<String>, m: &ArgMatches) {
        fill(slot, self.options.allow_sdist.as_ref(), m, "allow_sdist");
    }

    /// Fills `nbwheel verify`'s flags the user left unset.
    pub fn apply_verify(&self, args: &mut crate::cli::VerifyArgs, m: &ArgMatches) {
        self.apply_target(&mut args.target, m);
        fill_opt(&mut args.netbox, self.options.netbox.as_ref(), m, "netbox");
    }

    /// Fills the audit flags: the file's `ignore` and `allow-license` entries are added to
    /// the command line's.
    pub fn apply_advisory(&self, args: &mut crate::cli::AdvisoryArgs) {
        let o = &self.options;
        args.ignore
            .extend(o.ignore.iter().flatten().map(IgnoreEntry::as_flag));
        args.allow_license
            .extend(o.allow_license.iter().flatten().cloned());
    }

    /// Fills `nbwheel audit`'s flags the user left unset.
    pub fn apply_audit(&self, args: &mut crate::cli::AuditArgs, m: &ArgMatches) {
        self.apply_input(&mut args.input, m);
        self.apply_advisory(&mut args.advisory);
    }

    /// Fills `cache`'s `--cache-dir` when the user left it unset.
    pub fn apply_cache_dir(&self, slot: &mut Option<PathBuf>, m: &ArgMatches) {
        fill_opt(slot, self.options.cache_dir.as_ref(), m, "cache_dir");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn parse_str(text: &str) -> Result<Option<Config>, Error> {
        parse(Path::new("/p/nbwheel.toml"), text, false)
    }

    #[test]
    fn keys_match_the_options_struct() {
        // serde lists the expected fields when it meets an unknown one.
        let err = toml::Value::Table(toml::toml! { zzz-unknown = 1 })
            .try_into::<Options>()
            .unwrap_err()
            .to_string();
        let listed = err.split("expected one of").nth(1).unwrap();
        let mut fields: Vec<&str> = listed
            .split('`')
            .enumerate()
            .filter_map(|(i, s)| (i % 2 == 1).then_some(s))
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, KEYS);
    }

    #[test]
    fn every_key_is_a_build_flag() {
        let cmd = Cli::command();
        let build = cmd.find_subcommand("build").unwrap();
        for key in KEYS {
            assert!(
                build.get_arguments().any(|a| a.get_long() == Some(*key)),
                "`{key}` is not a long flag of `nbwheel build`"
            );
        }
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = parse_str("index-url = \"https://x/simple/\"\nindex_urll = 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unknown key `index_urll` in `/p/nbwheel.toml:2`"
        );
        let err = parse_str("arhc = \"x86_64\"\n").unwrap_err();
        assert!(
            err.hint().unwrap().starts_with("Did you mean `arch`?"),
            "{:?}",
            err.hint()
        );
        let err = parse(
            Path::new("/p/pyproject.toml"),
            "[project]\nname = \"x\"\n[tool.nbwheel]\ncolor = true\n",
            true,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unknown key `tool.nbwheel.color` in `/p/pyproject.toml:4`"
        );
    }

    #[test]
    fn values_are_typed_and_paths_relative_to_the_file() {
        let c = parse_str(
            "arch = [\"x86_64\", \"aarch64\"]\ncache-dir = \"cache\"\nfind-links = [\"wheels\", \"https://h/links.html\"]\njobs = 4\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.options.arch.unwrap().joined(), "x86_64,aarch64");
        assert_eq!(c.options.cache_dir.unwrap(), Path::new("/p/cache"));
        assert_eq!(
            c.options.find_links.unwrap(),
            vec!["/p/wheels".to_string(), "https://h/links.html".to_string()]
        );
        assert_eq!(c.options.jobs, Some(4));
        assert!(parse_str("jobs = \"many\"\n").is_err());
        assert!(parse_str("index-strategy = \"best\"\n").is_err());
        assert!(parse_str("compression-level = 12\n").is_err());
        assert!(parse_str("not toml").is_err());
    }

    #[test]
    fn pyproject_without_the_table_is_skipped() {
        let p = Path::new("/p/pyproject.toml");
        assert_eq!(parse(p, "[project]\nname = \"x\"\n", true).unwrap(), None);
        assert_eq!(
            parse(p, "[tool.black]\nline-length = 1\n", true).unwrap(),
            None
        );
        let c = parse(p, "[tool.nbwheel]\narch = \"all\"\n", true)
            .unwrap()
            .unwrap();
        assert_eq!(
            c.label("arch"),
            "`tool.nbwheel.arch` in `/p/pyproject.toml`"
        );
    }

    #[test]
    fn discovery_walks_up_and_prefers_nbwheel_toml() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.nbwheel]\npre = true\n",
        )
        .unwrap();
        let found = load(None, false, &sub).unwrap().unwrap();
        assert_eq!(found.path, dir.path().join("pyproject.toml"));
        std::fs::write(dir.path().join("a/nbwheel.toml"), "pre = false\n").unwrap();
        std::fs::write(dir.path().join("a/pyproject.toml"), "[tool.nbwheel]\n").unwrap();
        let found = load(None, false, &sub).unwrap().unwrap();
        assert_eq!(found.path, dir.path().join("a/nbwheel.toml"));
        assert_eq!(load(None, true, &sub).unwrap(), None);
        let explicit = load(Some(Path::new("../../pyproject.toml")), false, &sub)
            .unwrap()
            .unwrap();
        assert_eq!(explicit.options.pre, Some(true));
        assert!(load(Some(Path::new("missing.toml")), false, &sub).is_err());
    }

    #[test]
    fn file_fills_only_what_the_command_line_left_at_its_default() {
        let config = parse_str(
            "jobs = 4\ntimeout = 7\nno-index = true\nindex-strategy = \"unsafe-best-match\"\n",
        )
        .unwrap()
        .unwrap();
        let run = |argv: &[&str]| {
            let m = crate::cli::command()
                .try_get_matches_from(["nbwheel", "resolve", "-r", "r.txt"].iter().chain(argv))
                .unwrap();
            let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches(&m).unwrap();
            let crate::cli::Command::Resolve(args) = &mut cli.command else {
                unreachable!()
            };
            config.apply_input(&mut args.input, m.subcommand_matches("resolve").unwrap());
            args.input.clone()
        };
        let filled = run(&[]);
        assert_eq!((filled.jobs, filled.timeout, filled.no_index), (4, 7, true));
        assert_eq!(filled.index_strategy, IndexStrategy::UnsafeBestMatch);
        let kept = run(&[
            "-j",
            "16",
            "--timeout",
            "30",
            "--index-strategy",
            "first-index",
        ]);
        assert_eq!((kept.jobs, kept.timeout), (16, 30));
        assert_eq!(kept.index_strategy, IndexStrategy::FirstIndex);
    }

    #[test]
    fn typo_distance() {
        assert!(close("arch", "arhc"));
        assert!(close("timeout", "timeot"));
        assert!(!close("jobs", "python"));
    }
}
