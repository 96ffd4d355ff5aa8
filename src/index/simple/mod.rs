//! Simple Repository API project pages: PEP 691 JSON and PEP 503 HTML, parsed into a
//! [`ProjectPage`]. No I/O: the caller fetches (and size-limits) the body.
//!
//! Input: the page body, its final URL (after redirects), the project asked for (or `None` for
//! a flat `--find-links` page listing any projects) and where the page came from. Output: a
//! [`ProjectPage`] whose files are wheels (with a parsed [`WheelName`]) and sdists
//! (`wheel: None`, kept so the resolver can say "only an sdist exists"). Other files are dropped.
//!
//! Grammar supported:
//!
//! ```text
//! JSON (PEP 691 + 700 + 714):
//!   { "meta": { "api-version": "1.x" }, "name": "...",
//!     "files": [ { "filename": str, "url": str (absolute or relative to the page),
//!                  "hashes": { alg: hex }, "requires-python": str | null,
//!                  "yanked": bool | str,
//!                  "core-metadata" | "dist-info-metadata" | "data-dist-info-metadata":
//!                      bool | { alg: hex },
//!                  "upload-time": ISO 8601 UTC, "size": int } ... ] }
//! HTML (PEP 503 + 592 + 629 + 658 + 714):
//!   <meta name="pypi:repository-version" content="1.x">
//!   <base href="...">                               (first one wins)
//!   <a href="URL#alg=hex" data-requires-python="..." data-yanked[="reason"]
//!      data-core-metadata="true|alg=hex" data-dist-info-metadata="...">filename</a>
//! ```
//!
//! API versions: major 1 is read; a minor above [`SUPPORTED_MINOR`] is read with a warning
//! (PEP 629); any other major is refused with [`IndexError::UnsupportedApiVersion`].
//!
//! `requires-python` is read leniently (`lenient_requires_python`): values pip accepts are
//! repaired as uv repairs them, and a value that still does not parse is ignored, as pip
//! ignores it (the wheel's METADATA `Requires-Python` is still checked before it is chosen).
//!
//! The file, not the page, is the unit of distrust: a listed file whose name ends in `.whl`
//! must parse as a [`WheelName`], equal the last segment of its URL percent-decoded exactly
//! once, and (when a project is given) belong to that project; its URL must be `http`, `https`
//! or `file` — and `file` only on a page that was itself read from a `file:` URL, so a remote
//! page never makes nbwheel read a local file — and its hashes and upload time must parse. A file that fails is skipped (never
//! downloaded, never chosen) and recorded in [`ProjectPage::skipped`] with the reason, logged
//! once at `-v`; the rest of the page is used, as pip and uv do. Only a page that cannot be
//! read at all (invalid JSON, not UTF-8, another project's page, an unsupported API version, a
//! bad `<base>`) is an error. File URLs lose any credentials and fragment. `.egg`, `.exe`,
//! `.msi` and other files that are neither wheels nor sdists are ignored, as are sdists whose
//! name is not one safe path component.
//!
//! Layout: `json` (the streamed JSON reader), `html` (the streamed HTML reader: one pass of a
//! WHATWG tokenizer, character references decoded as browsers decode them), `check` (the rules
//! every listed file passes, whatever the format); the `Sink` here sorts checked files into
//! kept, foreign and skipped as each is read, so neither format builds a tree of the page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

use pep508_rs::PackageName;
use url::Url;

use super::page_cache::PageFilter;
use super::{
    DistFile, ForeignWheel, Hashes, IndexError, Origin, ProjectPage, Redacted, SkippedFile,
};
use crate::wheel_name::WheelName;

mod check;
mod html;
#[cfg(test)]
mod html_tests;
mod json;
#[cfg(test)]
mod tests;

pub(crate) use check::{is_safe_component, is_sdist_filename};
pub use html::{parse_html, parse_html_filtered};
pub use json::{parse_json, parse_json_filtered};

use check::{
    Checked, check_api_version, check_file, hashes_from_fragment, hashes_from_map,
    last_segment_decoded, sdist_project,
};

/// The PEP 691 JSON media type, version 1.
pub const JSON_CONTENT_TYPE: &str = "application/vnd.pypi.simple.v1+json";

/// The `Accept` header for project pages: JSON first, then the versioned HTML, then any HTML.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/// The highest minor version of API 1 whose fields this parser knows (1.4, PEP 792). Later
/// minors are read with a warning.
pub const SUPPORTED_MINOR: u32 = 4;

/// The hash algorithms recognised in HTML URL fragments and `data-core-metadata`.
const HASH_ALGORITHMS: [&str; 7] = [
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b",
];

/// How a page body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// PEP 691 JSON.
    Json,
    /// PEP 503 HTML.
    Html,
}

/// The format of a body from its `Content-Type` header: the PEP 691 JSON media types give
/// [`PageFormat::Json`], anything else (or nothing) [`PageFormat::Html`].
pub fn format_from_content_type(ct: Option<&str>) -> PageFormat {
    let Some(ct) = ct else {
        return PageFormat::Html;
    };
    let media = ct.split(';').next().unwrap_or_default().trim();
    if media.eq_ignore_ascii_case(JSON_CONTENT_TYPE)
        || media.eq_ignore_ascii_case("application/vnd.pypi.simple.latest+json")
    {
        PageFormat::Json
    } else {
        PageFormat::Html
    }
}

/// The fields of one listed file before the checks, common to JSON and HTML.
pub(super) struct RawFile<'a> {
    pub(super) filename: Cow<'a, str>,
    pub(super) url: Url,
    pub(super) hashes: Hashes,
    pub(super) requires_python: Option<&'a str>,
    pub(super) yanked: Option<String>,
    pub(super) core_metadata: Option<Hashes>,
    pub(super) upload_time: Option<jiff::Timestamp>,
    pub(super) size: Option<u64>,
}

/// What the checks make of a listed file.
pub(super) enum Kind {
    Wheel(WheelName),
    Sdist,
}

/// Where the checked files of a page go as they are read.
pub(super) struct Sink<'a> {
    pub(super) page_url: &'a Url,
    pub(super) project: Option<&'a PackageName>,
    pub(super) origin: Origin,
    pub(super) filter: Option<&'a PageFilter>,
    pub(super) files: Vec<DistFile>,
    pub(super) skipped: Vec<SkippedFile>,
    pub(super) foreign: Vec<ForeignWheel>,
}

impl Sink<'_> {
    /// Checks one listed file and files it under kept, foreign or skipped. A skipped file is
    /// logged once (at `-v`), here, where the page is parsed.
    pub(super) fn push(&mut self, raw: Result<RawFile<'_>, (Cow<'_, str>, String)>) {
        let checked = match raw {
            Ok(raw) => check_file(
                raw,
                self.project,
                &self.origin,
                self.page_url.scheme() == "file",
            ),
            Err((filename, reason)) => Checked::Skip(SkippedFile {
                filename: filename.into_owned(),
                reason,
            }),
        };
        match checked {
            Checked::Keep(file) => match (&file.wheel, self.filter) {
                (Some(w), Some(filter)) if !filter.keeps(w) => {
                    self.foreign.push(ForeignWheel {
                        version: w.version.clone(),
                        tags: w.tag_string(),
                        yanked: file.yanked.is_some(),
                        upload_time: file.upload_time,
                        origin: file.origin,
                    });
                }
                _ => self.files.push(*file),
            },
            Checked::Ignore => {}
            Checked::Skip(file) => {
                tracing::info!("Skipping {file} listed by {}", Redacted::new(self.page_url));
                self.skipped.push(file);
            }
        }
    }
}

/// Splits the files of a flat page by project: wheels by their name, sdists by the name before
/// the last `-` of the file name when the rest is a version. sdists whose name cannot be split
/// that way are dropped. Each project keeps the page's order.
pub fn group_by_project(files: Vec<DistFile>) -> HashMap<PackageName, Vec<DistFile>> {
    let mut out: HashMap<PackageName, Vec<DistFile>> = HashMap::new();
    for file in files {
        let name = match &file.wheel {
            Some(w) => Some(w.name.clone()),
            None => sdist_project(&file.filename),
        };
        if let Some(name) = name {
            out.entry(name).or_default().push(file);
        } else {
            tracing::debug!(
                "Ignoring `{}`: cannot tell its project from its name",
                file.filename
            );
        }
    }
    out
}

/// Splits the skipped files of a flat page by the project their name starts with (the part
/// before the first `-`), so a failed requirement can name them; files whose name gives no
/// valid project name are only logged.
pub fn group_skipped_by_project(files: Vec<SkippedFile>) -> HashMap<PackageName, Vec<SkippedFile>> {
    let mut out: HashMap<PackageName, Vec<SkippedFile>> = HashMap::new();
    for file in files {
        let name = file
            .filename
            .split('-')
            .next()
            .and_then(|n| PackageName::from_str(n).ok());
        if let Some(name) = name {
            out.entry(name).or_default().push(file);
        }
    }
    out
}
