//! Reads files line by line into a [`RequirementsSet`], following `-r`/`-c` includes.
//!
//! Input: root paths (or a string standing for one) and an environment lookup. Output: the
//! filled [`RequirementsSet`]. Each included path is joined to the including file's folder; a
//! stack of open files (by canonical path) detects include cycles and reports the chain of
//! `-r`/`-c` lines. A file included twice without a cycle is read twice, as pip does.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use url::Url;

use super::lines::{self, LogicalLine};
use super::options::{self, Opt, OptionError};
use super::{Entry, FileKind, Location, RequirementsError, RequirementsSet, spec};

/// The identity of a file for cycle detection: its canonical path when it exists.
fn file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| spec::absolute_in(Path::new(""), &path.to_string_lossy()))
}

/// The folder relative paths in `path` are resolved against.
fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

/// One file being read, for cycle detection.
struct Frame {
    key: PathBuf,
    /// The `-r`/`-c` line in the parent file that included this one.
    included_at: Option<Location>,
}

pub(super) struct Parser<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    set: RequirementsSet,
    stack: Vec<Frame>,
    seen: HashSet<PathBuf>,
    /// Bytes read from all files so far.
    total: u64,
}

impl<'a> Parser<'a> {
    pub(super) fn new(env: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Parser {
            env,
            set: RequirementsSet::default(),
            stack: Vec::new(),
            seen: HashSet::new(),
            total: 0,
        }
    }

    pub(super) fn finish(self) -> Result<RequirementsSet, RequirementsError> {
        self.set.check_hashes(false)?;
        Ok(self.set)
    }

    pub(super) fn parse_file(
        &mut self,
        path: &Path,
        kind: FileKind,
        included_at: Option<Location>,
    ) -> Result<(), RequirementsError> {
        let key = file_key(path);
        if let Some(start) = self.stack.iter().position(|f| f.key == key) {
            let links = self.stack[start + 1..]
                .iter()
                .filter_map(|f| f.included_at.clone())
                .chain(included_at)
                .collect();
            return Err(RequirementsError::IncludeCycle {
                links,
                back_to: path.to_path_buf(),
            });
        }
        let limit = super::MAX_FILE_BYTES.min(super::MAX_TOTAL_BYTES - self.total);
        let bytes = super::read_bounded(path, limit)
            .map_err(|source| RequirementsError::Read {
                path: path.to_path_buf(),
                included_from: included_at.clone(),
                source,
            })?
            .ok_or_else(|| RequirementsError::TooLarge {
                path: path.to_path_buf(),
                included_from: included_at.clone(),
            })?;
        self.total += bytes.len() as u64;
        if self.seen.insert(key.clone()) {
            self.set.files_read.push(path.to_path_buf());
        }
        let content = lines::decode(&bytes).map_err(|line| RequirementsError::NotUtf8 {
            location: Location {
                path: path.to_path_buf(),
                line,
            },
        })?;
        self.stack.push(Frame { key, included_at });
        let result = self.parse_lines(&content, path, kind);
        self.stack.pop();
        result
    }

    /// Parses `content` as if it were the file `path` (not listed in `files_read`).
    pub(super) fn parse_content(
        &mut self,
        content: &str,
        path: &Path,
        kind: FileKind,
    ) -> Result<(), RequirementsError> {
        self.stack.push(Frame {
            key: file_key(path),
            included_at: None,
        });
        let result = self.parse_lines(content, path, kind);
        self.stack.pop();
        result
    }

    fn parse_lines(
        &mut self,
        content: &str,
        path: &Path,
        kind: FileKind,
    ) -> Result<(), RequirementsError> {
        for line in lines::logical_lines(content, self.env) {
            let location = Location {
                path: path.to_path_buf(),
                line: line.number,
            };
            self.parse_line(&line, location, path, kind)?;
        }
        Ok(())
    }

    fn parse_line(
        &mut self,
        line: &LogicalLine,
        location: Location,
        path: &Path,
        kind: FileKind,
    ) -> Result<(), RequirementsError> {
        let (requirement, options) = lines::split_requirement_options(&line.text);
        let words =
            options::shell_split(options).map_err(|reason| RequirementsError::ShellSplit {
                location: location.clone(),
                reason,
            })?;
        let (options, positional) = options::parse_options(&words).map_err(|e| match e {
            OptionError::Unknown(option) => RequirementsError::UnknownOption {
                location: location.clone(),
                option: line.unexpand(&option),
            },
            OptionError::Ambiguous(option, candidates) => RequirementsError::AmbiguousOption {
                location: location.clone(),
                option: line.unexpand(&option),
                candidates,
            },
            OptionError::MissingValue(option) => RequirementsError::MissingValue {
                location: location.clone(),
                option,
            },
            OptionError::UnexpectedValue(option) => RequirementsError::UnexpectedValue {
                location: location.clone(),
                option,
            },
        })?;
        if let Some(argument) = positional.first() {
            return Err(RequirementsError::UnexpectedArgument {
                location,
                argument: line.unexpand(argument),
            });
        }
        let base = base_dir(path);

        if requirement.trim().is_empty() {
            for option in options {
                self.apply_option(option, line, &location, path)?;
            }
            return Ok(());
        }

        let mut hashes = Vec::new();
        for option in options {
            match (option.opt, option.value) {
                (Opt::Hash, Some(value)) => hashes.push(spec::check_hash(&value, line, &location)?),
                (Opt::Editable, Some(value)) => {
                    return Err(RequirementsError::Editable {
                        location,
                        target: line.unexpand(&value),
                    });
                }
                (Opt::GlobalOption | Opt::ConfigSettings, _) => {
                    return Err(RequirementsError::UnsupportedOption {
                        location,
                        option: option.name.to_string(),
                    });
                }
                _ => {
                    return Err(RequirementsError::MisplacedOption {
                        location,
                        option: option.name.to_string(),
                        reason: "applies to the whole file and must be on a line of its own, not after a requirement",
                    });
                }
            }
        }
        let (entry_kind, fragment_hashes) =
            spec::parse_requirement(requirement, line, &location, base)?;
        for hash in fragment_hashes {
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        let entry = Entry {
            kind: entry_kind,
            hashes,
            location,
            expanded: !line.expansions.is_empty(),
        };
        match kind {
            FileKind::Requirements => self.set.requirements.push(entry),
            FileKind::Constraints => {
                if !entry.extras().is_empty() {
                    return Err(RequirementsError::ExtrasInConstraint {
                        requirement: entry.render(),
                        location: entry.location,
                    });
                }
                self.set.constraints.push(entry);
            }
        }
        Ok(())
    }

    fn apply_option(
        &mut self,
        option: options::ParsedOption,
        line: &LogicalLine,
        location: &Location,
        path: &Path,
    ) -> Result<(), RequirementsError> {
        let value = option.value.unwrap_or_default();
        let set = &mut self.set;
        match option.opt {
            Opt::Requirement | Opt::Constraint => {
                let nested = if option.opt == Opt::Requirement {
                    FileKind::Requirements
                } else {
                    FileKind::Constraints
                };
                let target = include_path(&value, line, location, path)?;
                self.parse_file(&target, nested, Some(location.clone()))
                    .map_err(|e| match e {
                        // The path as written, in case a `${VAR}` in it holds a secret.
                        RequirementsError::Read {
                            path,
                            included_from,
                            source,
                        } if included_from.as_ref() == Some(location) => RequirementsError::Read {
                            path: PathBuf::from(line.unexpand(&path.to_string_lossy())),
                            included_from,
                            source,
                        },
                        other => other,
                    })?;
            }
            Opt::IndexUrl => {
                if let Some((previous, at)) = &set.index_url
                    && *previous != value
                {
                    tracing::warn!("`--index-url` at `{location}` replaces the one at `{at}`");
                }
                set.index_url = Some((value, location.clone()));
            }
            Opt::ExtraIndexUrl => set.extra_index_urls.push((value, location.clone())),
            Opt::FindLinks => {
                let resolved = if is_url(&value) {
                    value
                } else {
                    spec::absolute_in(base_dir(path), &value)
                        .to_string_lossy()
                        .into_owned()
                };
                set.find_links.push((resolved, location.clone()));
            }
            Opt::NoIndex => set.no_index = true,
            Opt::Pre => set.pre = true,
            Opt::PreferBinary => set.prefer_binary = true,
            Opt::RequireHashes => set.require_hashes = true,
            Opt::OnlyBinary | Opt::NoBinary => {
                let values = value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string);
                if option.opt == Opt::OnlyBinary {
                    set.only_binary.extend(values);
                } else {
                    tracing::warn!(
                        "`--no-binary` at `{location}` has no effect: nbwheel only installs wheels"
                    );
                    set.no_binary.extend(values);
                }
            }
            Opt::TrustedHost => set.trusted_hosts.push(value),
            Opt::UseFeature => {
                tracing::warn!("`--use-feature` at `{location}` is ignored");
            }
            Opt::Editable => {
                return Err(RequirementsError::Editable {
                    location: location.clone(),
                    target: line.unexpand(&value),
                });
            }
            Opt::Hash => {
                return Err(RequirementsError::MisplacedOption {
                    location: location.clone(),
                    option: option.name.to_string(),
                    reason: "must follow a requirement on the same line",
                });
            }
            Opt::GlobalOption | Opt::ConfigSettings => {
                return Err(RequirementsError::UnsupportedOption {
                    location: location.clone(),
                    option: option.name.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// True for `http:`, `https:` and `file:` URLs (what pip treats as URLs in `-r` and `-f`).
fn is_url(value: &str) -> bool {
    value.split_once(':').is_some_and(|(scheme, _)| {
        matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "file"
        )
    })
}

/// The path of an included file: relative to the including file's folder; `file:` URLs are
/// read as paths; other URLs are refused.
fn include_path(
    value: &str,
    line: &LogicalLine,
    location: &Location,
    path: &Path,
) -> Result<PathBuf, RequirementsError> {
    if is_url(value) {
        let url = Url::parse(value).ok();
        if let Some(file) = url
            .as_ref()
            .filter(|u| u.scheme() == "file")
            .and_then(|u| u.to_file_path().ok())
        {
            return Ok(file);
        }
        return Err(RequirementsError::RemoteInclude {
            location: location.clone(),
            url: url.map_or_else(
                || line.unexpand(value),
                |u| line.unexpand(crate::redact::Redacted::new(&u).as_str()),
            ),
        });
    }
    Ok(spec::normalize_path(&base_dir(path).join(value)))
}
