//! The checks every listed file passes, whatever the page's format.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::PackageName;
use url::Url;

use super::{
    DistFile, HASH_ALGORITHMS, Hashes, IndexError, Kind, Origin, RawFile, Redacted,
    SUPPORTED_MINOR, SkippedFile, WheelName,
};

/// True when a file name ends in one of the sdist extensions pip accepts (case-insensitive).
pub(crate) fn is_sdist_filename(filename: &str) -> bool {
    crate::wheel_name::sdist_stem(filename).is_some()
}

/// The project of an sdist file name `{name}-{version}{ext}`.
pub(super) fn sdist_project(filename: &str) -> Option<PackageName> {
    let stem = crate::wheel_name::sdist_stem(filename)?;
    let (name, version) = stem.rsplit_once('-')?;
    Version::from_str(version).ok()?;
    PackageName::from_str(name).ok()
}

/// Checks a PEP 629 version string: major 1 is read, a minor above [`SUPPORTED_MINOR`] warns,
/// any other major is refused.
pub(super) fn check_api_version(version: &str, page_url: &Url) -> Result<(), IndexError> {
    let mut parts = version.trim().split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().map_or(Some(0), |p| p.parse::<u32>().ok());
    let (Some(major), Some(minor)) = (major, minor) else {
        return Err(IndexError::MalformedPage {
            url: Redacted::new(page_url),
            reason: format!("invalid API version {version:?}"),
        });
    };
    if major != 1 {
        return Err(IndexError::UnsupportedApiVersion {
            url: Redacted::new(page_url),
            version: version.to_string(),
        });
    }
    if minor > SUPPORTED_MINOR {
        tracing::warn!(
            "Index page {} uses API version {version}, newer than 1.{SUPPORTED_MINOR}; reading it as 1.{SUPPORTED_MINOR}",
            Redacted::new(page_url)
        );
    }
    Ok(())
}

/// The last path segment of a URL, percent-decoded once; `None` when it is not UTF-8 or the URL
/// has no path.
pub(super) fn last_segment_decoded(url: &Url) -> Option<String> {
    let seg = url.path_segments()?.next_back()?;
    percent_encoding::percent_decode_str(seg)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// Lower-cases and checks a JSON `hashes` dictionary. Algorithms other than the known ones
/// are ignored; a known one with a digest that is not hex makes the file unusable.
pub(super) fn hashes_from_map(map: &BTreeMap<String, String>) -> Result<Hashes, String> {
    let mut out = BTreeMap::new();
    for (alg, digest) in map {
        let alg = alg.to_ascii_lowercase();
        if HASH_ALGORITHMS.contains(&alg.as_str()) {
            let digest = check_digest(&alg, digest)?;
            out.insert(alg, digest);
        }
    }
    Ok(Hashes(out))
}

/// Parses `alg=hex` (an HTML URL fragment or `data-core-metadata` value). Fragments naming no
/// known algorithm (such as `#egg=…`) give no hash.
pub(super) fn hashes_from_fragment(fragment: &str) -> Result<Hashes, String> {
    let mut out = BTreeMap::new();
    for part in fragment.split('&') {
        let Some((alg, digest)) = part.split_once('=') else {
            continue;
        };
        let alg = alg.trim().to_ascii_lowercase();
        if HASH_ALGORITHMS.contains(&alg.as_str()) {
            let digest = check_digest(&alg, digest.trim())?;
            out.insert(alg, digest);
        }
    }
    Ok(Hashes(out))
}

/// A digest must be non-empty hex; it is returned lower-cased.
fn check_digest(alg: &str, digest: &str) -> Result<String, String> {
    if digest.is_empty() || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("invalid {alg} digest {digest:?}"));
    }
    Ok(digest.to_ascii_lowercase())
}

/// True when a name is one path component that is safe to show and to write.
pub(crate) fn is_safe_component(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '/' | '\\' | ':' | '%'))
}

/// What the checks make of one listed file.
pub(super) enum Checked {
    /// A wheel or sdist that passed every check.
    Keep(Box<DistFile>),
    /// Neither a wheel nor an sdist (`.egg`, `.exe`, `.msi`, `.rpm`, …): never used, not worth
    /// naming.
    Ignore,
    /// Malformed, unsafe or foreign: never downloaded, never chosen, named on failure.
    Skip(SkippedFile),
}

/// A listed wheel's parsed name, or why it cannot be used: its name does not parse as a safe
/// wheel file name, belongs to another project, or differs from the last segment of its URL
/// (decoded once).
pub(super) fn wheel_problem(
    filename: &str,
    url: Option<&Url>,
    project: Option<&PackageName>,
) -> Result<WheelName, String> {
    let wheel = WheelName::from_str(filename).map_err(|e| e.to_string())?;
    if let Some(project) = project
        && &wheel.name != project
    {
        return Err(format!(
            "the wheel belongs to `{}`, not `{project}`",
            wheel.name
        ));
    }
    if let Some(url) = url {
        let segment = last_segment_decoded(url);
        if segment.as_deref() != Some(filename) {
            return Err(format!(
                "the last segment of its URL, decoded once, is {:?}",
                segment.unwrap_or_default()
            ));
        }
    }
    Ok(wheel)
}

/// Lenient `requires-python`: the value as written when it parses; else the value after the
/// repairs pip's and uv's users rely on (`>=3.6.*`, `>= '3.6'`, a trailing comma, `=>`,
/// `>=3.6<4`); else `None` (ignored, as pip does: the wheel's own METADATA `Requires-Python`
/// is still checked before it is chosen).
pub(super) fn lenient_requires_python(spec: &str) -> Option<VersionSpecifiers> {
    let spec = spec.trim();
    if let Ok(s) = VersionSpecifiers::from_str(spec) {
        return Some(s);
    }
    let mut clauses = Vec::new();
    // White space and quotes go; `>=3.6<4` and `>=2.7 !=3.0.*` lack a comma: one goes before
    // each operator that follows a version.
    let mut text = String::with_capacity(spec.len() + 4);
    let mut prev = ',';
    for c in spec.chars() {
        if c.is_whitespace() || matches!(c, '\'' | '"') {
            continue;
        }
        let is_op = matches!(c, '<' | '>' | '=' | '!' | '~');
        if is_op && !matches!(prev, '<' | '>' | '=' | '!' | '~' | ',') {
            text.push(',');
        }
        prev = c;
        text.push(c);
    }
    for clause in text.split(',') {
        let mut c = clause.to_string();
        if c.is_empty() {
            continue;
        }
        c = c.replacen("=>", ">=", 1).replacen("=<", "<=", 1);
        let op_len = c
            .find(|ch: char| !matches!(ch, '<' | '>' | '=' | '!' | '~'))
            .unwrap_or(c.len());
        let (op, mut version) = (c[..op_len].to_string(), c[op_len..].to_string());
        if op.is_empty() {
            // `3.6` alone: not a specifier pip would read either.
            return None;
        }
        // `.*` is only allowed after `==` and `!=`; `>=3.6.*` means `>=3.6`.
        if !matches!(op.as_str(), "==" | "!=") {
            while let Some(v) = version.strip_suffix(".*") {
                version = v.to_string();
            }
        }
        if version.ends_with('*') && !version.ends_with(".*") {
            // `!=3.0*` means `!=3.0.*`.
            version = format!("{}.*", version.trim_end_matches('*'));
        }
        clauses.push(format!("{op}{version}"));
    }
    VersionSpecifiers::from_str(&clauses.join(",")).ok()
}

/// Applies the rules to one listed file: a wheel whose name does not pass [`wheel_problem`] or
/// whose URL scheme is not `http`, `https` or `file` is skipped; so is a `file:` URL listed by
/// a page that is not itself local (`local_page`: the page was read from a `file:` URL the user
/// gave), so a remote page can never make nbwheel read a local file. Non-dist files and sdists
/// whose name is not one safe path component are ignored.
pub(super) fn check_file(
    raw: RawFile<'_>,
    project: Option<&PackageName>,
    origin: &Origin,
    local_page: bool,
) -> Checked {
    let filename = raw.filename.as_ref();
    let skip = |reason: String| {
        Checked::Skip(SkippedFile {
            filename: filename.to_string(),
            reason,
        })
    };
    // Trailing white space or control characters must not hide a wheel from the checks.
    let looks_like_wheel = filename
        .trim_end_matches(|c: char| c.is_whitespace() || c.is_control())
        .to_ascii_lowercase()
        .ends_with(".whl");
    let mut url = raw.url;
    if (looks_like_wheel || is_sdist_filename(filename))
        && !matches!(url.scheme(), "http" | "https" | "file")
    {
        return skip(format!(
            "its URL scheme `{}` is not `http`, `https` or `file`",
            url.scheme()
        ));
    }
    if url.scheme() == "file" && !local_page {
        if !(looks_like_wheel || is_sdist_filename(filename)) {
            return Checked::Ignore;
        }
        return skip("it points at a local `file:` URL but the page is remote".to_string());
    }
    let kind = if looks_like_wheel {
        match wheel_problem(filename, Some(&url), project) {
            Ok(w) => Kind::Wheel(w),
            Err(reason) => return skip(reason),
        }
    } else if is_sdist_filename(filename) {
        if !is_safe_component(filename) {
            tracing::debug!("Ignoring sdist with an unsafe name {filename:?}");
            return Checked::Ignore;
        }
        Kind::Sdist
    } else {
        tracing::debug!("Ignoring `{filename}`: neither a wheel nor an sdist");
        return Checked::Ignore;
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);

    let requires_python = match raw.requires_python.map(str::trim) {
        None | Some("") => None,
        Some(spec) => {
            let parsed = lenient_requires_python(spec);
            if parsed.is_none() {
                tracing::debug!(
                    "Ignoring the invalid `requires-python` {spec:?} of `{filename}` (its METADATA is still checked)"
                );
            }
            parsed
        }
    };
    Checked::Keep(Box::new(DistFile {
        filename: filename.to_string(),
        wheel: match kind {
            Kind::Wheel(w) => Some(w),
            Kind::Sdist => None,
        },
        url,
        hashes: raw.hashes,
        requires_python,
        yanked: raw.yanked,
        core_metadata: raw.core_metadata,
        upload_time: raw.upload_time,
        size: raw.size,
        origin: *origin,
    }))
}
