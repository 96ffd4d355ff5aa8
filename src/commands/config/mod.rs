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
//!
//! The file's typed [`Options`] are in `options`; how they fill the command line's arguments
//! is in `apply`.

mod apply;
mod options;

use std::path::{Path, PathBuf};

use crate::commands::Error;

use options::parse_strategy;
pub use options::{ByteSizeValue, IgnoreEntry, OneOrMany, Options};

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

#[cfg(test)]
mod tests;
