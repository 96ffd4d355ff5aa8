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
//! HTML character references are decoded by hand because `tl` does not decode them and index
//! pages only need the XML entities and numeric references (pip's `html.parser` handles the
//! same set in practice).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::PackageName;
use serde::Deserialize;
use url::Url;

use super::page_cache::PageFilter;
use super::{
    DistFile, ForeignWheel, Hashes, IndexError, Origin, ProjectPage, Redacted, SkippedFile,
};
use crate::wheel_name::WheelName;

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

/// sdist extensions pip accepts; other non-wheel files are dropped.
const SDIST_EXTENSIONS: [&str; 11] = [
    ".tar.gz",
    ".tgz",
    ".tar",
    ".zip",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
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

#[derive(Deserialize)]
struct JsonHead {
    #[serde(default)]
    meta: Option<JsonMeta>,
    /// PEP 792 `{ "status": str, "reason": str? }`; read leniently (a malformed value is no
    /// status, never a refused page).
    #[serde(rename = "project-status", default)]
    project_status: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct JsonMeta {
    #[serde(rename = "api-version", default)]
    api_version: Option<String>,
}

#[derive(Deserialize)]
struct JsonFile {
    filename: String,
    url: String,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
    #[serde(rename = "requires-python", default)]
    requires_python: Option<String>,
    #[serde(default)]
    yanked: Option<BoolOrString>,
    #[serde(rename = "core-metadata", default)]
    core_metadata: Option<BoolOrHashes>,
    #[serde(rename = "dist-info-metadata", default)]
    dist_info_metadata: Option<BoolOrHashes>,
    /// The key `PyPI` served by mistake before PEP 714.
    #[serde(rename = "data-dist-info-metadata", default)]
    data_dist_info_metadata: Option<BoolOrHashes>,
    #[serde(rename = "upload-time", default)]
    upload_time: Option<String>,
    #[serde(default)]
    size: Option<u64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolOrString {
    Bool(bool),
    String(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolOrHashes {
    Bool(bool),
    Hashes(BTreeMap<String, String>),
}

/// The fields of one listed file before the checks, common to JSON and HTML.
struct RawFile<'a> {
    filename: Cow<'a, str>,
    url: Url,
    hashes: Hashes,
    requires_python: Option<&'a str>,
    yanked: Option<String>,
    core_metadata: Option<Hashes>,
    upload_time: Option<jiff::Timestamp>,
    size: Option<u64>,
}

/// What the checks make of a listed file.
enum Kind {
    Wheel(WheelName),
    Sdist,
}

/// Parses a PEP 691 JSON project page for `project`, keeping every file.
pub fn parse_json(
    body: &[u8],
    page_url: &Url,
    project: &PackageName,
    origin: Origin,
) -> Result<ProjectPage, IndexError> {
    parse_json_filtered(body, page_url, project, origin, None)
}

/// Parses a PEP 691 JSON project page for `project` as a stream: each file entry is checked,
/// and with a `filter` summarised as a [`ForeignWheel`] when no requested target can use it,
/// as soon as it is read, so only the kept files are ever held (a page such as
/// `pydantic-core`'s lists thousands of wheels for other platforms).
pub fn parse_json_filtered(
    body: &[u8],
    page_url: &Url,
    project: &PackageName,
    origin: Origin,
    filter: Option<&PageFilter>,
) -> Result<ProjectPage, IndexError> {
    let malformed = |reason: String| IndexError::MalformedPage {
        url: Redacted::new(page_url),
        reason,
    };
    // Read `meta` first, so that a major version 2 page is refused as such rather than as a
    // page whose `files` do not fit version 1. Both passes are linear; the first one keeps
    // nothing but the version.
    let head: JsonHead =
        serde_json::from_slice(body).map_err(|e| malformed(format!("invalid JSON: {e}")))?;
    let api_version = head.meta.and_then(|m| m.api_version);
    if let Some(v) = &api_version {
        check_api_version(v, page_url)?;
    }
    let mut sink = Sink {
        page_url,
        project: Some(project),
        origin,
        filter,
        files: Vec::new(),
        skipped: Vec::new(),
        foreign: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let name = serde::de::DeserializeSeed::deserialize(PageSeed { sink: &mut sink }, &mut de)
        .and_then(|name| de.end().map(|()| name))
        .map_err(|e| malformed(format!("invalid JSON: {e}")))?;
    if let Some(name) = &name {
        match PackageName::from_str(name) {
            Ok(n) if &n == project => {}
            _ => {
                return Err(malformed(format!(
                    "the page is for `{name}`, not `{project}`"
                )));
            }
        }
    }
    let status = head.project_status.as_ref().and_then(|s| {
        super::ProjectStatus::new(
            s.get("status")?.as_str()?,
            s.get("reason").and_then(|r| r.as_str()),
        )
    });
    Ok(ProjectPage {
        name: project.clone(),
        files: sink.files,
        api_version,
        skipped: sink.skipped,
        foreign: sink.foreign,
        status,
    })
}

/// Where the checked files of a page go as they are read.
struct Sink<'a> {
    page_url: &'a Url,
    project: Option<&'a PackageName>,
    origin: Origin,
    filter: Option<&'a PageFilter>,
    files: Vec<DistFile>,
    skipped: Vec<SkippedFile>,
    foreign: Vec<ForeignWheel>,
}

impl Sink<'_> {
    /// Checks one listed file and files it under kept, foreign or skipped. A skipped file is
    /// logged once (at `-v`), here, where the page is parsed.
    fn push(&mut self, raw: Result<RawFile<'_>, (Cow<'_, str>, String)>) {
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

/// The top level of a JSON page: `name` is returned, each entry of `files` goes to the sink as
/// it is read, anything else is skipped without being kept.
struct PageSeed<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> serde::de::DeserializeSeed<'de> for PageSeed<'_, '_> {
    type Value = Option<String>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("JsonPage", &["name", "files"], self)
    }
}

impl<'de> serde::de::Visitor<'de> for PageSeed<'_, '_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct JsonPage")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut name: Option<Option<String>> = None;
        let mut files = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "name" if name.is_none() => name = Some(map.next_value()?),
                "files" if !files => {
                    map.next_value_seed(FilesSeed {
                        sink: &mut *self.sink,
                    })?;
                    files = true;
                }
                "name" => return Err(serde::de::Error::duplicate_field("name")),
                "files" => return Err(serde::de::Error::duplicate_field("files")),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if !files {
            return Err(serde::de::Error::missing_field("files"));
        }
        Ok(name.flatten())
    }

    /// `[name, files]`, as a derived `Deserialize` reads a struct from a sequence.
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let name = seq.next_element::<Option<String>>()?.flatten();
        match seq.next_element_seed(FilesSeed { sink: self.sink })? {
            Some(()) => Ok(name),
            None => Err(serde::de::Error::invalid_length(
                1,
                &"struct JsonPage with 2 elements",
            )),
        }
    }
}

/// The `files` array: each entry is deserialised, checked and dropped or kept in turn.
struct FilesSeed<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> serde::de::DeserializeSeed<'de> for FilesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FilesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(f) = seq.next_element::<JsonFile>()? {
            let page_url = self.sink.page_url;
            let raw = json_file(&f, page_url);
            self.sink
                .push(raw.map_err(|reason| (Cow::Borrowed(f.filename.as_str()), reason)));
        }
        Ok(())
    }
}

/// The fields of one JSON file entry; `Err(reason)` when one of them is unusable.
fn json_file<'a>(f: &'a JsonFile, page_url: &Url) -> Result<RawFile<'a>, String> {
    let url = page_url
        .join(&f.url)
        .map_err(|e| format!("invalid URL {:?}: {e}", f.url))?;
    let upload_time = f
        .upload_time
        .as_deref()
        .map(|t| {
            t.parse::<jiff::Timestamp>()
                .map_err(|e| format!("invalid `upload-time` {t:?}: {e}"))
        })
        .transpose()?;
    let core = f
        .core_metadata
        .as_ref()
        .or(f.dist_info_metadata.as_ref())
        .or(f.data_dist_info_metadata.as_ref());
    let core_metadata = match core {
        None | Some(BoolOrHashes::Bool(false)) => None,
        Some(BoolOrHashes::Bool(true)) => Some(Hashes::default()),
        Some(BoolOrHashes::Hashes(h)) => Some(hashes_from_map(h)?),
    };
    Ok(RawFile {
        filename: Cow::Borrowed(&f.filename),
        url,
        hashes: hashes_from_map(&f.hashes)?,
        requires_python: f.requires_python.as_deref(),
        yanked: match &f.yanked {
            None | Some(BoolOrString::Bool(false)) => None,
            Some(BoolOrString::Bool(true)) => Some(String::new()),
            Some(BoolOrString::String(reason)) => Some(reason.clone()),
        },
        core_metadata,
        upload_time,
        size: f.size,
    })
}

/// Parses a PEP 503 HTML page. With `project`, it is that project's page; with `None`, a flat
/// `--find-links` page listing files of any projects (split them with [`group_by_project`]).
///
/// For a flat page the returned `name` is only a label: the last path segment of the page URL
/// when it is a valid project name, else `find-links`.
pub fn parse_html(
    body: &[u8],
    page_url: &Url,
    project: Option<&PackageName>,
    origin: Origin,
) -> Result<ProjectPage, IndexError> {
    parse_html_filtered(body, page_url, project, origin, None)
}

/// [`parse_html`], with wheels no requested target can use summarised as [`ForeignWheel`]s
/// when a `filter` is given. The page is held as a DOM over the borrowed body while it is
/// read (index servers that send HTML send small pages; PyPI sends JSON).
#[expect(
    clippy::too_many_lines,
    reason = "split with the page module in the next round"
)]
pub fn parse_html_filtered(
    body: &[u8],
    page_url: &Url,
    project: Option<&PackageName>,
    origin: Origin,
    filter: Option<&PageFilter>,
) -> Result<ProjectPage, IndexError> {
    let malformed = |reason: String| IndexError::MalformedPage {
        url: Redacted::new(page_url),
        reason,
    };
    let text =
        std::str::from_utf8(body).map_err(|e| malformed(format!("the page is not UTF-8: {e}")))?;
    let dom = tl::parse(text, tl::ParserOptions::default())
        .map_err(|e| malformed(format!("unparsable HTML: {e}")))?;
    let parser = dom.parser();
    let tags = || dom.nodes().iter().filter_map(tl::Node::as_tag);
    let is = |tag: &tl::HTMLTag<'_>, name: &str| {
        tag.name().as_bytes().eq_ignore_ascii_case(name.as_bytes())
    };

    let mut api_version = None;
    let mut base: Option<Url> = None;
    let (mut status, mut status_reason) = (None, None);
    for tag in tags() {
        let meta_name = || attr(tag, "name").map(|n| n.trim().to_ascii_lowercase());
        if is(tag, "meta") && meta_name().as_deref() == Some("pypi:project-status") {
            status = status.or_else(|| attr(tag, "content"));
        } else if is(tag, "meta") && meta_name().as_deref() == Some("pypi:project-status-reason") {
            status_reason = status_reason.or_else(|| attr(tag, "content"));
        } else if is(tag, "meta")
            && api_version.is_none()
            && attr(tag, "name").is_some_and(|n| n.trim() == "pypi:repository-version")
        {
            let v = attr(tag, "content").unwrap_or_default().trim().to_string();
            check_api_version(&v, page_url)?;
            api_version = Some(v);
        } else if is(tag, "base")
            && base.is_none()
            && let Some(href) = attr(tag, "href")
        {
            let href = href.trim();
            base = Some(
                page_url
                    .join(href)
                    .map_err(|e| malformed(format!("invalid `<base href={href:?}>`: {e}")))?,
            );
        }
    }
    let base = base.as_ref().unwrap_or(page_url);

    let mut sink = Sink {
        page_url,
        project,
        origin,
        filter,
        files: Vec::new(),
        skipped: Vec::new(),
        foreign: Vec::new(),
    };
    for tag in tags().filter(|t| is(t, "a")) {
        let Some(href) = attr(tag, "href").filter(|h| !h.trim().is_empty()) else {
            continue;
        };
        let text = decode_entities(&tag.inner_text(parser)).trim().to_string();
        let mut url = match base.join(href.trim()) {
            Ok(u) => u,
            Err(e) => {
                let filename = if text.is_empty() {
                    href.trim().to_string()
                } else {
                    text
                };
                sink.push(Err((
                    Cow::Owned(filename),
                    format!("invalid URL {href:?}: {e}"),
                )));
                continue;
            }
        };
        // The anchor text is the file name (PEP 503); without text, the URL's last segment.
        let filename: Cow<'_, str> = if text.is_empty() {
            match last_segment_decoded(&url) {
                Some(s) if !s.is_empty() => Cow::Owned(s),
                _ => continue,
            }
        } else {
            Cow::Owned(text)
        };
        let fields = (|| -> Result<(Hashes, Option<Hashes>), String> {
            let hashes = url
                .fragment()
                .map(hashes_from_fragment)
                .transpose()?
                .unwrap_or_default();
            let core_metadata = match attr(tag, "data-core-metadata")
                .or_else(|| attr(tag, "data-dist-info-metadata"))
                .as_deref()
                .map(str::trim)
            {
                None | Some("false") => None,
                Some("true" | "") => Some(Hashes::default()),
                Some(v) => Some(hashes_from_fragment(v)?),
            };
            Ok((hashes, core_metadata))
        })();
        url.set_fragment(None);
        let requires_python = attr(tag, "data-requires-python");
        let raw = fields.map(|(hashes, core_metadata)| RawFile {
            url,
            hashes,
            requires_python: requires_python.as_deref(),
            yanked: attr(tag, "data-yanked"),
            core_metadata,
            upload_time: None,
            size: None,
            filename: filename.clone(),
        });
        sink.push(raw.map_err(|reason| (filename.clone(), reason)));
    }
    let name = match project {
        Some(p) => p.clone(),
        None => page_url
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .and_then(|s| PackageName::from_str(s).ok())
            .or_else(|| PackageName::from_str("find-links").ok())
            .expect("`find-links` is a valid project name"),
    };
    Ok(ProjectPage {
        name,
        files: sink.files,
        api_version,
        skipped: sink.skipped,
        foreign: sink.foreign,
        status: status.and_then(|s| super::ProjectStatus::new(&s, status_reason.as_deref())),
    })
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

/// True when a file name ends in one of the sdist extensions pip accepts (case-insensitive).
pub(crate) fn is_sdist_filename(filename: &str) -> bool {
    let lower = filename.to_ascii_lowercase();
    SDIST_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// The project of an sdist file name `{name}-{version}{ext}`.
fn sdist_project(filename: &str) -> Option<PackageName> {
    let lower = filename.to_ascii_lowercase();
    let ext = SDIST_EXTENSIONS.iter().find(|e| lower.ends_with(*e))?;
    let stem = &filename[..filename.len() - ext.len()];
    let (name, version) = stem.rsplit_once('-')?;
    Version::from_str(version).ok()?;
    PackageName::from_str(name).ok()
}

/// Checks a PEP 629 version string: major 1 is read, a minor above [`SUPPORTED_MINOR`] warns,
/// any other major is refused.
fn check_api_version(version: &str, page_url: &Url) -> Result<(), IndexError> {
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

/// The value of an attribute (name compared case-insensitively), entities decoded; `None` when
/// absent, `Some("")` when given without a value (`<a data-yanked>`).
fn attr(tag: &tl::HTMLTag<'_>, name: &str) -> Option<String> {
    tag.attributes()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.map_or_else(String::new, |v| decode_entities(&v).into_owned()))
}

/// Decodes HTML character references: `&amp; &lt; &gt; &quot; &apos; &nbsp;`, `&#NNN;` and
/// `&#xHHH;`. Unknown or malformed references are kept as written. Linear in the input.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is at most 10 characters between `&` and `;` here.
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let body = &rest[1..end];
            let c = match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => body.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The last path segment of a URL, percent-decoded once; `None` when it is not UTF-8 or the URL
/// has no path.
fn last_segment_decoded(url: &Url) -> Option<String> {
    let seg = url.path_segments()?.next_back()?;
    percent_encoding::percent_decode_str(seg)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// Lower-cases and checks a JSON `hashes` dictionary. Algorithms other than the known ones
/// are ignored; a known one with a digest that is not hex makes the file unusable.
fn hashes_from_map(map: &BTreeMap<String, String>) -> Result<Hashes, String> {
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
fn hashes_from_fragment(fragment: &str) -> Result<Hashes, String> {
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
pub(crate) enum Checked {
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
pub(crate) fn wheel_problem(
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
pub(crate) fn lenient_requires_python(spec: &str) -> Option<VersionSpecifiers> {
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
fn check_file(
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

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};

    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn name(s: &str) -> PackageName {
        PackageName::from_str(s).unwrap()
    }

    fn render(page: &ProjectPage) -> String {
        let mut out = format!(
            "name: {}\napi-version: {}\n",
            page.name,
            page.api_version.as_deref().unwrap_or("-")
        );
        for f in &page.files {
            let wheel = f.wheel.as_ref().map_or("-".to_string(), |w| {
                format!("{} {} {}", w.name, w.version, w.tag_string())
            });
            let hashes = |h: &Hashes| {
                h.0.iter()
                    .map(|(a, d)| format!("{a}:{d}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            writeln!(out, "- {}", f.filename).unwrap();
            writeln!(out, "    wheel: {wheel}").unwrap();
            writeln!(out, "    url: {}", f.url).unwrap();
            writeln!(out, "    hashes: {}", hashes(&f.hashes)).unwrap();
            if let Some(rp) = &f.requires_python {
                writeln!(out, "    requires-python: {rp}").unwrap();
            }
            if let Some(y) = &f.yanked {
                writeln!(out, "    yanked: {y:?}").unwrap();
            }
            if let Some(cm) = &f.core_metadata {
                writeln!(out, "    core-metadata: [{}]", hashes(cm)).unwrap();
            }
            if let Some(t) = &f.upload_time {
                writeln!(out, "    upload-time: {t}").unwrap();
            }
            if let Some(s) = f.size {
                writeln!(out, "    size: {s}").unwrap();
            }
            writeln!(out, "    origin: {:?}", f.origin).unwrap();
        }
        out
    }

    /// A `tracing` writer into a shared buffer, to check warnings.
    #[derive(Clone, Default)]
    struct Logs(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Logs {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn with_logs<T>(f: impl FnOnce() -> T) -> (T, String) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .without_time()
            .with_target(false)
            .with_max_level(tracing::Level::WARN)
            .finish();
        let out = tracing::subscriber::with_default(subscriber, f);
        let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        (out, text)
    }

    const PYPI: &str = "https://pypi.org/simple/pillow/";

    fn json_page(api: &str, files: &serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "meta": {"api-version": api},
            "name": "x",
            "files": files,
        }))
        .unwrap()
    }

    fn one_json(filename: &str, file_url: &str) -> Result<ProjectPage, IndexError> {
        let body = json_page(
            "1.0",
            &serde_json::json!([{"filename": filename, "url": file_url, "hashes": {}}]),
        );
        parse_json(
            &body,
            &url("https://user:secret@example.org/simple/x/"),
            &name("x"),
            Origin::Index(0),
        )
    }

    fn one_html(anchor: &str, project: Option<&str>) -> Result<ProjectPage, IndexError> {
        let body = format!("<html><body>{anchor}</body></html>");
        parse_html(
            body.as_bytes(),
            &url("https://example.org/simple/x/"),
            project.map(name).as_ref(),
            Origin::Index(1),
        )
    }

    #[test]
    fn content_types() {
        let cases = [
            None,
            Some("application/vnd.pypi.simple.v1+json"),
            Some("Application/Vnd.PyPI.Simple.V1+JSON; charset=utf-8"),
            Some("application/vnd.pypi.simple.latest+json"),
            Some("application/vnd.pypi.simple.v1+html"),
            Some("text/html; charset=utf-8"),
            Some("application/json"),
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|c| format!("{c:?} -> {:?}", format_from_content_type(*c)))
            .collect();
        insta::assert_snapshot!(out.join("\n"));
    }

    #[test]
    fn project_status_pep_792() {
        let page_url = url("https://example.org/simple/x/");
        let json = br#"{"meta": {"api-version": "1.4"}, "name": "x", "files": [],
            "project-status": {"status": "Archived", "reason": "moved to y"}}"#;
        let page = parse_json(json, &page_url, &name("x"), Origin::Index(0)).unwrap();
        let status = page.status.unwrap();
        assert_eq!(
            (status.status.as_str(), status.reason.as_deref()),
            ("archived", Some("moved to y"))
        );
        let active = br#"{"name": "x", "files": [], "project-status": {"status": "active"}}"#;
        let page = parse_json(active, &page_url, &name("x"), Origin::Index(0)).unwrap();
        assert_eq!(page.status, None);
        let html = br#"<html><head><meta name="pypi:project-status" content="quarantined">
            <meta name="pypi:project-status-reason" content="malware &amp; spam"></head></html>"#;
        let page = parse_html(html, &page_url, Some(&name("x")), Origin::Index(0)).unwrap();
        let status = page.status.unwrap();
        assert!(status.is_quarantined());
        assert_eq!(status.reason.as_deref(), Some("malware & spam"));
    }

    #[test]
    fn json_pillow() {
        let body = include_bytes!("../../fixtures/index/pillow.json");
        let page = parse_json(body, &url(PYPI), &name("pillow"), Origin::Index(0)).unwrap();
        insta::assert_snapshot!(render(&page));
    }

    #[test]
    fn html_pillow() {
        let body = include_bytes!("../../fixtures/index/pillow.html");
        let page = parse_html(body, &url(PYPI), Some(&name("pillow")), Origin::Index(0)).unwrap();
        insta::assert_snapshot!(render(&page));
    }

    #[test]
    fn json_and_html_agree_on_pillow() {
        let json = parse_json(
            include_bytes!("../../fixtures/index/pillow.json"),
            &url(PYPI),
            &name("pillow"),
            Origin::Index(0),
        )
        .unwrap();
        let html = parse_html(
            include_bytes!("../../fixtures/index/pillow.html"),
            &url(PYPI),
            Some(&name("pillow")),
            Origin::Index(0),
        )
        .unwrap();
        assert_eq!(json.files.len(), html.files.len());
        for (j, h) in json.files.iter().zip(&html.files) {
            assert_eq!(j.filename, h.filename);
            assert_eq!(j.url, h.url);
            assert_eq!(j.hashes, h.hashes);
            assert_eq!(j.requires_python, h.requires_python);
            assert_eq!(j.yanked.is_some(), h.yanked.is_some());
            assert_eq!(j.core_metadata, h.core_metadata);
        }
    }

    #[test]
    fn relative_urls_and_base() {
        let body = json_page(
            "1.1",
            &serde_json::json!([
                {"filename": "x-1.0-py3-none-any.whl", "url": "../../packages/x-1.0-py3-none-any.whl#sha256=AB12", "hashes": {"SHA256": "AB12", "md5": "00ff"}},
                {"filename": "x-1.1-py3-none-any.whl", "url": "/files/x-1.1-py3-none-any.whl", "hashes": {}},
                {"filename": "x-1.2-py3-none-any.whl", "url": "x-1.2-py3-none-any.whl", "hashes": {}, "requires-python": ""},
                {"filename": "x-1.3+local-py3-none-any.whl", "url": "files/x-1.3%2Blocal-py3-none-any.whl", "hashes": {}, "requires-python": null},
                {"filename": "x-1.4-py3-none-any.whl", "url": "file:///srv/wheels/x-1.4-py3-none-any.whl", "hashes": {}},
            ]),
        );
        let json = parse_json(
            &body,
            &url("https://user:secret@example.org/simple/x/"),
            &name("x"),
            Origin::Index(2),
        )
        .unwrap();
        let html = parse_html(
            br#"<!DOCTYPE html><html><head><BASE HREF="https://mirror.example.org/base/dir/"></head><body>
            <a href="x-1.0-py3-none-any.whl#sha384=CAFE&amp;egg=x">x-1.0-py3-none-any.whl</a>
            <A HREF="../up/x-1.1-py3-none-any.whl#SHA512=beef&sha1=0a" data-yanked>
               x-1.1-py3-none-any.whl
            </A>
            <a href="/abs/x-1.2-py3-none-any.whl" data-requires-python="&gt;=3.8,&#60;4,!=3.9.&#x2A;">x-1.2-py3-none-any.whl</a>
            <a href="x-2.0.tar.gz" data-core-metadata data-dist-info-metadata="sha256=11">x-2.0.tar.gz</a>
            <a href="x-2.1-py3-none-any.whl" data-core-metadata="true"></a>
            <a href="x-2.2-py3-none-any.whl" data-core-metadata="false">x-2.2-py3-none-any.whl</a>
            <a href="x-2.2.exe">x-2.2.exe</a>
            <a href="x-2.2.egg">x-2.2.egg</a>
            <a name="no-href">anchor</a>
            </body></html>"#,
            &url("https://example.org/simple/x/"),
            Some(&name("x")),
            Origin::FindLinks(0),
        )
        .unwrap();
        insta::assert_snapshot!(format!("{}\n{}", render(&json), render(&html)));
    }

    #[test]
    fn api_versions() {
        let files = serde_json::json!([
            {"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {}}
        ]);
        let page_url = url("https://example.org/simple/x/");
        let mut out = String::new();
        for v in ["1.0", "1.4", "1.99", "2.0", "0.9", "1", "one.two"] {
            let (result, logs) = with_logs(|| {
                parse_json(
                    &json_page(v, &files),
                    &page_url,
                    &name("x"),
                    Origin::Index(0),
                )
            });
            let result = match result {
                Ok(p) => format!("ok, {} file(s)", p.files.len()),
                Err(e) => format!("error: {e}"),
            };
            writeln!(out, "json {v}: {result}\n  logs: {}", logs.trim()).unwrap();
        }
        for v in ["1.0", "1.99", "2.0"] {
            let body = format!(
                r#"<html><head><meta name="pypi:repository-version" content="{v}"></head>
                <body><a href="x-1.0-py3-none-any.whl">x-1.0-py3-none-any.whl</a></body></html>"#
            );
            let (result, logs) =
                with_logs(|| parse_html(body.as_bytes(), &page_url, None, Origin::Index(0)));
            let result = match result {
                Ok(p) => format!(
                    "ok, {} file(s), version {:?}, name {}",
                    p.files.len(),
                    p.api_version,
                    p.name
                ),
                Err(e) => format!("error: {e}"),
            };
            writeln!(out, "html {v}: {result}\n  logs: {}", logs.trim()).unwrap();
        }
        // A JSON page without `meta` is read as version 1.0.
        let body = br#"{"name": "x", "files": []}"#;
        let page = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap();
        writeln!(out, "json without meta: {:?}", page.api_version).unwrap();
        insta::assert_snapshot!(out);
    }

    #[test]
    fn lenient_requires_python_keeps_the_file() {
        let body = json_page(
            "1.0",
            &serde_json::json!([
                {"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {}, "requires-python": ">=3.6.*"},
                {"filename": "x-1.1-py3-none-any.whl", "url": "x-1.1-py3-none-any.whl", "hashes": {}, "requires-python": " >=3.8 "},
            ]),
        );
        let (page, logs) = with_logs(|| {
            parse_json(
                &body,
                &url("https://example.org/simple/x/"),
                &name("x"),
                Origin::Index(0),
            )
        });
        insta::assert_snapshot!(format!("{}\nlogs: {}", render(&page.unwrap()), logs.trim()));
    }

    #[test]
    fn requires_python_is_read_as_pip_and_uv_read_it() {
        let cases = [
            ">=3.8",
            ">=3.6.*",
            ">= '3.6'",
            ">=3.6,",
            ">=3.6, <4,",
            "=>3.7",
            ">=3.6<4",
            ">=2.7, !=3.0*, !=3.1.*",
            ">=2.7 !=3.0.*",
            "\">=3.8\"",
            ">=3.8.0.*",
            "3.6",
            "python>=3",
            "~=3",
            ">=",
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|c| {
                format!(
                    "{c:?} -> {}",
                    lenient_requires_python(c).map_or("(ignored)".to_string(), |s| s.to_string())
                )
            })
            .collect();
        insta::assert_snapshot!(out.join("\n"));
    }

    #[test]
    fn malformed_pages() {
        let page_url = url("https://token@example.org/simple/x/?X-Amz-Signature=abc");
        let mut out = String::new();
        let json_cases: [(&str, &[u8]); 8] = [
            ("empty", b""),
            ("not json", b"<html></html>"),
            ("truncated", br#"{"meta": {"api-version": "1.0"}, "files": [{"filename": "x"#),
            ("array", b"[]"),
            ("no files", br#"{"meta": {"api-version": "1.0"}, "name": "x"}"#),
            ("filename not a string", br#"{"files": [{"filename": 1, "url": "a"}]}"#),
            ("negative size", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "size": -1}]}"#),
            ("other project", br#"{"name": "Y", "files": []}"#),
        ];
        for (case, body) in json_cases {
            let err = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap_err();
            writeln!(out, "json {case}: {err}").unwrap();
        }
        let html_cases: [(&str, &[u8]); 2] = [
            ("not utf-8", b"<a href=\"x\xff\">x</a>"),
            (
                "bad base",
                br#"<base href="https://[::1"><a href="x-1.0-py3-none-any.whl">x</a>"#,
            ),
        ];
        for (case, body) in html_cases {
            let err = parse_html(body, &page_url, Some(&name("x")), Origin::Index(0)).unwrap_err();
            writeln!(out, "html {case}: {err}").unwrap();
        }
        // One unusable field makes one file unusable, not the page.
        let file_cases: [(&str, &[u8]); 4] = [
            ("bad upload time", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "upload-time": "yesterday"}]}"#),
            ("bad hash", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "hashes": {"sha256": "zz"}}]}"#),
            ("bad metadata hash", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "x-1.0-py3-none-any.whl", "core-metadata": {"sha256": ""}}]}"#),
            ("bad url", br#"{"files": [{"filename": "x-1.0-py3-none-any.whl", "url": "https://[::1"}]}"#),
        ];
        for (case, body) in file_cases {
            let page = parse_json(body, &page_url, &name("x"), Origin::Index(0)).unwrap();
            assert!(page.files.is_empty(), "{case}");
            writeln!(out, "json {case}: skipped {}", page.skipped[0]).unwrap();
        }
        let page = parse_html(
            br#"<a href="x-1.0-py3-none-any.whl#sha256=xyz">x-1.0-py3-none-any.whl</a>"#,
            &page_url,
            Some(&name("x")),
            Origin::Index(0),
        )
        .unwrap();
        assert!(page.files.is_empty());
        writeln!(out, "html bad fragment hash: skipped {}", page.skipped[0]).unwrap();
        // Garbage HTML is not an error: it lists no files.
        let page = parse_html(b"<<<a href=>></a <a", &page_url, None, Origin::Index(0)).unwrap();
        writeln!(out, "html garbage: {} file(s)", page.files.len()).unwrap();
        insta::assert_snapshot!(out);
    }

    #[test]
    fn hostile_files_in_json() {
        let cases = [
            (
                "too few parts",
                "x-1.0-py3-any.whl",
                "https://files.example.org/x-1.0-py3-any.whl",
            ),
            (
                "parent folders",
                "../../x-1.0-py3-none-any.whl",
                "https://files.example.org/..%2F..%2Fx-1.0-py3-none-any.whl",
            ),
            (
                "%2F in the name",
                "a%2Fx-1.0-py3-none-any.whl",
                "https://files.example.org/a%252Fx-1.0-py3-none-any.whl",
            ),
            (
                "%2F in the URL",
                "x-1.0-py3-none-any.whl",
                "https://files.example.org/a%2Fx-1.0-py3-none-any.whl",
            ),
            (
                "%252F in the URL",
                "x-1.0-py3-none-any.whl",
                "https://files.example.org/%252E%252E%252Fx-1.0-py3-none-any.whl",
            ),
            (
                "backslash",
                "..\\x-1.0-py3-none-any.whl",
                "https://files.example.org/..%5Cx-1.0-py3-none-any.whl",
            ),
            (
                "NUL",
                "x-1.0-py3-none-any.whl\u{0}",
                "https://files.example.org/x-1.0-py3-none-any.whl%00",
            ),
            (
                "control character",
                "x\u{1b}-1.0-py3-none-any.whl",
                "https://files.example.org/x%1B-1.0-py3-none-any.whl",
            ),
            (
                "name differs from URL",
                "x-1.0-py3-none-any.whl",
                "https://files.example.org/x-2.0-py3-none-any.whl",
            ),
            (
                "URL ends in a slash",
                "x-1.0-py3-none-any.whl",
                "https://files.example.org/x-1.0-py3-none-any.whl/",
            ),
            (
                "another project",
                "evil-1.0-py3-none-any.whl",
                "https://files.example.org/evil-1.0-py3-none-any.whl",
            ),
            (
                "trailing newline",
                "x-1.0-py3-none-any.whl\n",
                "https://files.example.org/x-1.0-py3-none-any.whl%0A",
            ),
            (
                "upper-case extension",
                "x-1.0-py3-none-any.WHL",
                "https://files.example.org/x-1.0-py3-none-any.WHL",
            ),
            (
                "leading dot",
                ".x-1.0-py3-none-any.whl",
                "https://files.example.org/.x-1.0-py3-none-any.whl",
            ),
            (
                "ftp scheme",
                "x-1.0-py3-none-any.whl",
                "ftp://files.example.org/x-1.0-py3-none-any.whl",
            ),
            (
                "data scheme",
                "x-1.0-py3-none-any.whl",
                "data:text/plain,x-1.0-py3-none-any.whl",
            ),
            (
                "sdist over ftp",
                "x-1.0.tar.gz",
                "ftp://files.example.org/x-1.0.tar.gz",
            ),
        ];
        let mut out = String::new();
        for (case, filename, file_url) in cases {
            let page = one_json(filename, file_url).expect(case);
            assert!(page.files.is_empty(), "{case}: {:?}", page.files);
            let [skipped] = &page.skipped[..] else {
                panic!("{case}: {:?}", page.skipped);
            };
            writeln!(out, "{case}: skipped {skipped}").unwrap();
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn hostile_files_in_html() {
        let cases = [
            (
                "too few parts",
                r#"<a href="x-1.0-py3-any.whl">x-1.0-py3-any.whl</a>"#,
            ),
            (
                "parent folders in the text",
                r#"<a href="..%2F..%2Fx-1.0-py3-none-any.whl">../../x-1.0-py3-none-any.whl</a>"#,
            ),
            (
                "parent folders in the URL only",
                r#"<a href="..%2F..%2Fx-1.0-py3-none-any.whl"></a>"#,
            ),
            (
                "slash as a character reference",
                r#"<a href="x-1.0-py3-none-any.whl">a&#47;x-1.0-py3-none-any.whl</a>"#,
            ),
            ("%252F", r#"<a href="a%252Fx-1.0-py3-none-any.whl"></a>"#),
            ("backslash", r#"<a href="..%5Cx-1.0-py3-none-any.whl"></a>"#),
            ("NUL", r#"<a href="x-1.0-py3-none-any.whl%00"></a>"#),
            (
                "name differs from URL",
                r#"<a href="y/x-2.0-py3-none-any.whl">x-1.0-py3-none-any.whl</a>"#,
            ),
            (
                "another project",
                r#"<a href="evil-1.0-py3-none-any.whl">evil-1.0-py3-none-any.whl</a>"#,
            ),
            (
                "encoded newline in URL",
                r#"<a href="x-1.0-py3-none-any.whl%0A">x-1.0-py3-none-any.whl</a>"#,
            ),
            (
                "javascript scheme",
                r#"<a href="javascript:alert(1)">x-1.0-py3-none-any.whl</a>"#,
            ),
        ];
        let mut out = String::new();
        for (case, anchor) in cases {
            // Each hostile anchor sits beside a sound file, which is still used.
            let page = one_html(
                &format!(r#"{anchor}<a href="x-9.0-py3-none-any.whl">x-9.0-py3-none-any.whl</a>"#),
                Some("x"),
            )
            .expect(case);
            let kept: Vec<&str> = page.files.iter().map(|f| f.filename.as_str()).collect();
            assert_eq!(kept, ["x-9.0-py3-none-any.whl"], "{case}");
            let [skipped] = &page.skipped[..] else {
                panic!("{case}: {:?}", page.skipped);
            };
            writeln!(out, "{case}: skipped {skipped}").unwrap();
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn flat_page_grouped_by_project() {
        let body = br#"<html><body>
            <a href="wheels/Django-4.2.11-py3-none-any.whl#sha256=ddc24a0a8280a0430baa37aff11f28574720af05888c62b7cfe71d219f4599d3">Django-4.2.11-py3-none-any.whl</a>
            <a href="wheels/django-4.2.11.tar.gz">django-4.2.11.tar.gz</a>
            <a href="wheels/netbox_plugin_dns-1.1.0-py3-none-any.whl">netbox_plugin_dns-1.1.0-py3-none-any.whl</a>
            <a href="wheels/netbox-plugin-dns-1.0.7.tar.gz">netbox-plugin-dns-1.0.7.tar.gz</a>
            <a href="wheels/asgiref-3.8.1-py3-none-any.whl">asgiref-3.8.1-py3-none-any.whl</a>
            <a href="wheels/oddname.tar.gz">oddname.tar.gz</a>
            <a href="wheels/README.txt">README.txt</a>
            </body></html>"#;
        let page = parse_html(
            body,
            &url("https://example.org/wheelhouse/index.html"),
            None,
            Origin::FindLinks(3),
        )
        .unwrap();
        let groups = group_by_project(page.files);
        let mut keys: Vec<_> = groups.keys().collect();
        keys.sort();
        let mut out = String::new();
        for k in keys {
            let names: Vec<&str> = groups[k].iter().map(|f| f.filename.as_str()).collect();
            writeln!(out, "{k}: {}", names.join(", ")).unwrap();
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn decodes_character_references() {
        let cases = [
            "plain",
            "&gt;=3.8,&lt;4",
            "&amp;amp; &quot;q&quot; &apos;a&apos;",
            "&#62;&#x3E;&#X3e;",
            "&unknown; & &#xZZ; &#1114112; &",
            "&gt",
            "&#x110000;",
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|c| format!("{c:?} -> {:?}", decode_entities(c)))
            .collect();
        insta::assert_snapshot!(out.join("\n"));
    }

    fn filename_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "(?s).{0,40}",
            "(?s).{0,30}\\.whl",
            "x-(?s).{0,8}-py3-none-any\\.whl",
            "(?s).{0,6}x-1\\.0(?s).{0,6}-py3-none-any\\.whl",
            "[a-zA-Z0-9_.%/\\\\-]{0,20}\\.(whl|tar\\.gz)",
        ]
    }

    proptest::proptest! {
        /// RELIABILITY row 7 as a property: whatever file names a page lists, the page is
        /// read, and every listed wheel is either skipped or becomes exactly one safe entry
        /// `wheelhouse/<valid>.whl` of this project.
        #[test]
        fn arbitrary_listed_names_are_skipped_or_one_wheelhouse_entry(
            filename in filename_strategy(),
            encode in proptest::bool::ANY,
            html in proptest::bool::ANY,
        ) {
            let segment = if encode {
                percent_encoding::utf8_percent_encode(&filename, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            } else {
                filename.clone()
            };
            let file_url = format!("https://files.example.org/p/{segment}");
            let page = if html {
                let anchor = format!(
                    "<a href=\"{}\">{}</a>",
                    file_url.replace('"', "%22"),
                    filename.replace('&', "&amp;").replace('<', "&lt;")
                );
                one_html(&anchor, Some("x"))
            } else {
                one_json(&filename, &file_url)
            };
            let page = page.expect("a listed file never makes the page unusable");
            for f in &page.files {
                let Some(w) = &f.wheel else {
                    proptest::prop_assert!(is_sdist_filename(&f.filename));
                    continue;
                };
                proptest::prop_assert!(is_safe_component(&f.filename), "{:?}", f.filename);
                proptest::prop_assert_eq!(w.filename(), f.filename.as_str());
                proptest::prop_assert_eq!(w.name.as_ref(), "x");
                proptest::prop_assert!(std::path::Path::new(&f.filename).extension().is_some_and(|e| e == "whl"));
                let joined = std::path::Path::new("wheelhouse").join(&f.filename);
                let parts: Vec<_> = joined.components().collect();
                proptest::prop_assert_eq!(parts.len(), 2);
                proptest::prop_assert!(matches!(parts[1], std::path::Component::Normal(_)));
                proptest::prop_assert_eq!(joined.parent(), Some(std::path::Path::new("wheelhouse")));
            }
            // A wheel-looking name is kept or skipped, never lost silently.
            if filename.trim_end().to_ascii_lowercase().ends_with(".whl") && !html {
                proptest::prop_assert_eq!(page.files.len() + page.skipped.len(), 1);
            }
        }

        #[test]
        fn arbitrary_html_never_panics(body in "(?s).{0,200}") {
            let _ = parse_html(body.as_bytes(), &url("https://example.org/simple/x/"), None, Origin::Index(0));
            let _ = parse_html(body.as_bytes(), &url("https://example.org/simple/x/"), Some(&name("x")), Origin::Index(0));
        }

        #[test]
        fn arbitrary_json_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_json(&body, &url("https://example.org/simple/x/"), &name("x"), Origin::Index(0));
        }
    }
}
