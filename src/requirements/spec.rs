//! The requirement part of one line, as pip's `parse_req_from_line` classifies it.
//!
//! Input: the requirement text of a logical line (options already removed), the directory of the
//! file that holds it. Output: an [`EntryKind`] (a PEP 508 requirement, or a direct reference to a
//! wheel file) plus any hash found in a URL fragment, or an error saying why the form is not
//! supported. Grammar, tried in this order:
//!
//! ```text
//! url [ "; " marker ]                 scheme http|https|file|ftp, or a VCS scheme (git+…, hg+…, svn+…, bzr+…)
//! path [ "[" extras "]" ] [ ";" marker ]   contains `/`, starts with `.`, or ends in an archive suffix
//! pep508                              name [extras] (specifiers | "@" url) [";" marker]
//! ```
//!
//! A wheel (`.whl`) is a direct reference whose name and version come from the file name; sdists
//! (`.tar.gz`, `.zip`, …), directories, other paths and VCS URLs are refused.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use pep508_rs::{ExtraName, MarkerTree, PackageName, Requirement, VersionOrUrl};
use url::Url;

use super::lines::LogicalLine;
use super::{EntryKind, Location, RequirementsError};
use crate::redact::Redacted;
use crate::wheel_name::WheelName;

/// Hash names pip reads from a URL fragment.
const FRAGMENT_HASHES: &[&str] = &["sha1", "sha224", "sha256", "sha384", "sha512", "md5"];

/// What a file name is.
#[derive(Debug, PartialEq, Eq)]
enum Archive {
    Wheel,
    Sdist,
}

fn archive_kind(name: &str) -> Option<Archive> {
    let lower = name.to_ascii_lowercase();
    if lower.rsplit_once('.').is_some_and(|(_, ext)| ext == "whl") {
        Some(Archive::Wheel)
    } else if crate::wheel_name::sdist_stem(&lower).is_some() {
        Some(Archive::Sdist)
    } else {
        None
    }
}

/// The scheme of `text` if it has one (letters, digits, `+`, `-`, `.` before the first `:`).
fn scheme(text: &str) -> Option<String> {
    let (scheme, _) = text.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

fn is_vcs(scheme: &str) -> bool {
    matches!(scheme, "git" | "hg" | "svn" | "bzr")
        || ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|p| scheme.starts_with(p))
}

/// pip's `_looks_like_path`.
fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.starts_with('.')
}

/// Removes `.` and resolves `..` lexically (no file-system access).
pub(super) fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(
                    out.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_))
                ) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `base.join(path)`, made absolute against the working directory and normalised.
pub(super) fn absolute_in(base: &Path, path: &str) -> PathBuf {
    let joined = base.join(path);
    let absolute = std::path::absolute(&joined).unwrap_or(joined);
    normalize_path(&absolute)
}

/// A URL for messages: credentials and signature parameters removed, `${VAR}` put back.
fn shown_url(url: &Url, line: &LogicalLine) -> String {
    line.unexpand(Redacted::new(url).as_str())
}

/// Shows text that may hold a URL without its credentials.
fn shown_text(text: &str, line: &LogicalLine) -> String {
    match Url::parse(text) {
        Ok(url) => shown_url(&url, line),
        Err(_) => line.unexpand(text),
    }
}

/// Checks a hash value `algorithm:hex` and returns it as `algorithm:<lowercase hex>`.
pub(super) fn check_hash(
    value: &str,
    line: &LogicalLine,
    location: &Location,
) -> Result<String, RequirementsError> {
    let format = |reason| RequirementsError::HashFormat {
        location: location.clone(),
        value: line.unexpand(value),
        reason,
    };
    let (algorithm, hex) = value
        .split_once(':')
        .ok_or_else(|| format("expected `algorithm:hex`, like `sha256:abcd…`"))?;
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            return Err(RequirementsError::HashAlgorithm {
                location: location.clone(),
                algorithm: line.unexpand(algorithm),
            });
        }
    };
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format("the digest is not hexadecimal"));
    }
    if hex.len() != length {
        return Err(format("the digest has the wrong length for its algorithm"));
    }
    Ok(format!("{algorithm}:{}", hex.to_ascii_lowercase()))
}

/// Parses the requirement part of a line.
pub(super) fn parse_requirement(
    text: &str,
    line: &LogicalLine,
    location: &Location,
    base_dir: &Path,
) -> Result<(EntryKind, Vec<String>), RequirementsError> {
    let text = text.trim();
    // A bare URL.
    if let Some(scheme) = scheme(text) {
        if is_vcs(&scheme) {
            let (url, _) = text.split_once("; ").unwrap_or((text, ""));
            return Err(RequirementsError::Vcs {
                location: location.clone(),
                url: shown_text(url.trim(), line),
            });
        }
        if matches!(scheme.as_str(), "http" | "https" | "file" | "ftp") {
            let (url, marker) = text.split_once("; ").unwrap_or((text, ""));
            let url = Url::parse(url.trim()).map_err(|e| RequirementsError::UnsupportedUrl {
                location: location.clone(),
                url: line.unexpand(url.trim()),
                reason: format!("it is not a valid URL ({e})"),
            })?;
            let marker = parse_marker(marker, line, location)?;
            return direct(url, None, Vec::new(), marker, line, location);
        }
    }
    // A bare path.
    let (head, marker) = text.split_once(';').unwrap_or((text, ""));
    let head = head.trim();
    let (path, extras) = strip_extras(head);
    let pep508_url = head
        .split_once('@')
        .is_some_and(|(before, _)| !looks_like_path(before));
    if !pep508_url && (looks_like_path(path) || archive_kind(path).is_some()) {
        return match archive_kind(path) {
            Some(Archive::Wheel) => {
                let absolute = absolute_in(base_dir, path);
                let url =
                    Url::from_file_path(&absolute).map_err(|()| RequirementsError::LocalPath {
                        location: location.clone(),
                        target: line.unexpand(path),
                    })?;
                let extras = parse_extras(extras, line, location)?;
                let marker = parse_marker(marker, line, location)?;
                direct(url, None, extras, marker, line, location)
            }
            Some(Archive::Sdist) => Err(RequirementsError::Sdist {
                location: location.clone(),
                target: line.unexpand(path),
            }),
            None => Err(RequirementsError::LocalPath {
                location: location.clone(),
                target: line.unexpand(path),
            }),
        };
    }
    // PEP 508.
    if let Some((start, reason)) = trailing_punctuation(text) {
        return Err(pep508_error(&reason, start, 1, text, line, location));
    }
    super::check_pep508(text).map_err(|reason| RequirementsError::Pep508 {
        location: location.clone(),
        column: None,
        reason,
        excerpt: None,
    })?;
    let requirement = Requirement::<Url>::from_str(text)
        .map_err(|e| pep508_error(&e.message.to_string(), e.start, e.len, text, line, location))?;
    match requirement.version_or_url {
        Some(VersionOrUrl::Url(url)) => {
            if is_vcs(url.scheme()) {
                return Err(RequirementsError::Vcs {
                    location: location.clone(),
                    url: shown_url(&url, line),
                });
            }
            direct(
                url,
                Some(&requirement.name),
                requirement.extras,
                requirement.marker,
                line,
                location,
            )
        }
        _ => Ok((EntryKind::Named(requirement), Vec::new())),
    }
}

/// Finds a name or extra that ends in `.`, `-` or `_` where `pep508_rs` 0.9 would panic instead
/// of failing (it validates such names with `expect`). Returns the byte offset and the reason.
pub(super) fn trailing_punctuation(text: &str) -> Option<(usize, String)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let check = |start: usize, what: &str| -> Option<(usize, String)> {
        let run = &text[start..];
        let len = run.find(|c: char| !is_name(c)).unwrap_or(run.len());
        let first = run[..len].chars().next()?;
        let last = run[..len].chars().next_back()?;
        if !first.is_ascii_alphanumeric() {
            return None;
        }
        let next = run[len..].chars().next();
        let ends_badly = matches!(last, '.' | '-' | '_')
            && next.is_none_or(|c| {
                c == ',' || c == ']' || c.is_whitespace() || what == "Package name"
            });
        ends_badly.then(|| {
            (
                start + len - 1,
                format!("{what} must end with an alphanumeric character, not `{last}`"),
            )
        })
    };
    let start = text.len() - text.trim_start().len();
    if let Some(found) = check(start, "Package name") {
        return Some(found);
    }
    let name_len = text[start..].find(|c: char| !is_name(c))?;
    let after = start + name_len;
    let open = after + text[after..].len() - text[after..].trim_start().len();
    if !text[open..].starts_with('[') {
        return None;
    }
    let mut position = open + 1;
    loop {
        let rest = &text[position..];
        let skip = rest.len() - rest.trim_start().len();
        position += skip;
        if let Some(found) = check(position, "Extra name") {
            return Some(found);
        }
        let rest = &text[position..];
        let len = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        let rest = rest[len..].trim_start();
        if let Some(next) = rest.strip_prefix(',') {
            position = text.len() - next.len();
        } else {
            return None;
        }
    }
}

/// pip's `_strip_extras`: `path[extras]` at the very end.
fn strip_extras(head: &str) -> (&str, Option<&str>) {
    if let Some(body) = head.strip_suffix(']')
        && let Some(open) = body.rfind('[')
        && open > 0
        && !body[open + 1..].is_empty()
    {
        return (&head[..open], Some(&body[open + 1..]));
    }
    (head, None)
}

fn parse_extras(
    extras: Option<&str>,
    line: &LogicalLine,
    location: &Location,
) -> Result<Vec<ExtraName>, RequirementsError> {
    let Some(extras) = extras else {
        return Ok(Vec::new());
    };
    extras
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            ExtraName::from_str(e).map_err(|err| RequirementsError::Pep508 {
                location: location.clone(),
                column: None,
                reason: line.unexpand(&err.to_string()),
                excerpt: None,
            })
        })
        .collect()
}

fn parse_marker(
    marker: &str,
    line: &LogicalLine,
    location: &Location,
) -> Result<MarkerTree, RequirementsError> {
    let marker = marker.trim();
    if marker.is_empty() {
        return Ok(MarkerTree::TRUE);
    }
    super::check_pep508(marker).map_err(|reason| RequirementsError::Pep508 {
        location: location.clone(),
        column: None,
        reason,
        excerpt: None,
    })?;
    MarkerTree::from_str(marker).map_err(|e| {
        let mut error = pep508_error(
            &e.message.to_string(),
            e.start,
            e.len,
            marker,
            line,
            location,
        );
        if let RequirementsError::Pep508 { column, .. } = &mut error {
            // The marker's columns do not start at the line's start.
            *column = None;
        }
        error
    })
}

/// Builds a [`RequirementsError::Pep508`] with a caret under the error, unless the text holds an
/// expanded `${VAR}` (its columns would point into a value that must not be shown).
fn pep508_error(
    reason: &str,
    start: usize,
    len: usize,
    input: &str,
    line: &LogicalLine,
    location: &Location,
) -> RequirementsError {
    let reason = line.unexpand(reason);
    let columns = super::bounds::span_columns(input, start, len);
    let Some((before, width)) = columns.filter(|_| line.expansions.is_empty()) else {
        return RequirementsError::Pep508 {
            location: location.clone(),
            column: None,
            reason,
            excerpt: Some(format!("    {}", line.unexpand(input))),
        };
    };
    RequirementsError::Pep508 {
        location: location.clone(),
        column: Some(line.indent + before + 1),
        reason,
        excerpt: Some(format!(
            "    {input}\n    {}{}",
            " ".repeat(before),
            "^".repeat(width)
        )),
    }
}

/// A direct reference: must be a wheel over http(s) or file.
fn direct(
    url: Url,
    given: Option<&PackageName>,
    extras: Vec<ExtraName>,
    marker: MarkerTree,
    line: &LogicalLine,
    location: &Location,
) -> Result<(EntryKind, Vec<String>), RequirementsError> {
    let unsupported = |reason: &str| RequirementsError::UnsupportedUrl {
        location: location.clone(),
        url: shown_url(&url, line),
        reason: reason.to_string(),
    };
    if !matches!(url.scheme(), "http" | "https" | "file") {
        return Err(unsupported(
            "only `https://`, `http://` and `file://` URLs are supported",
        ));
    }
    let last = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default();
    let filename = percent_encoding::percent_decode_str(last)
        .decode_utf8()
        .map_err(|_| unsupported("its file name is not valid UTF-8"))?;
    match archive_kind(&filename) {
        Some(Archive::Wheel) => {}
        Some(Archive::Sdist) => {
            return Err(RequirementsError::Sdist {
                location: location.clone(),
                target: shown_url(&url, line),
            });
        }
        None if url.scheme() == "file" => {
            return Err(RequirementsError::LocalPath {
                location: location.clone(),
                target: shown_url(&url, line),
            });
        }
        None => return Err(unsupported("it does not point to a wheel file (`.whl`)")),
    }
    let wheel =
        WheelName::from_str(&filename).map_err(|source| RequirementsError::BadWheelName {
            location: location.clone(),
            source,
        })?;
    if let Some(given) = &given
        && **given != wheel.name
    {
        return Err(RequirementsError::NameMismatch {
            location: location.clone(),
            given: given.to_string(),
            wheel: wheel.filename().to_string(),
        });
    }
    let mut hashes = Vec::new();
    for (key, value) in url
        .fragment()
        .unwrap_or_default()
        .split('&')
        .filter_map(|p| p.split_once('='))
    {
        if FRAGMENT_HASHES.contains(&key) {
            hashes.push(check_hash(&format!("{key}:{value}"), line, location)?);
        }
    }
    Ok((
        EntryKind::DirectWheel {
            name: wheel.name.clone(),
            wheel,
            url,
            extras,
            marker,
        },
        hashes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize_path(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
        assert_eq!(normalize_path(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(
            normalize_path(Path::new("../a/./b")),
            PathBuf::from("../a/b")
        );
        assert_eq!(
            normalize_path(Path::new("a/../../b")),
            PathBuf::from("../b")
        );
    }

    #[test]
    fn strip_extras_like_pip() {
        assert_eq!(strip_extras("./x.whl[a,b]"), ("./x.whl", Some("a,b")));
        assert_eq!(strip_extras("./x.whl[]"), ("./x.whl[]", None));
        assert_eq!(strip_extras("./x.whl"), ("./x.whl", None));
    }

    #[test]
    fn names_ending_in_punctuation_are_errors_not_panics() {
        for text in [
            "a-",
            "a- ==1",
            "a-\u{1c4d}0",
            "a[b-]",
            "a[b_ ]",
            "a[b., c]",
            "a [ ok , b- ]",
        ] {
            assert!(trailing_punctuation(text).is_some(), "{text}");
        }
        for text in [
            "a",
            "a-b==1",
            "a[b,c]",
            "a[b-c] ; x",
            "./x",
            "a-b@https://x",
        ] {
            assert_eq!(trailing_punctuation(text), None, "{text}");
        }
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("git+https://x").as_deref(), Some("git+https"));
        assert_eq!(scheme("foo @ https://x"), None);
        assert_eq!(scheme("foo>=1; python_version<'3'"), None);
        assert!(is_vcs("git+ssh") && is_vcs("svn") && !is_vcs("https"));
    }
}
