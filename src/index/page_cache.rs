//! Index pages as the requested targets can use them: a [`PageFilter`] that decides which
//! wheels are worth keeping, and the compact, already-filtered form of a page that the cache
//! keeps instead of the whole body.
//!
//! Input: a parsed [`ProjectPage`] with its HTTP validators, or a cache entry. Output: the
//! entry's bytes, or the page read back from them (`None` when the entry is absent, corrupt or
//! made for other targets: a miss, never an error).
//!
//! Why: a page such as `pydantic-core`'s lists thousands of wheels (7 MB of JSON), of which a
//! CPython 3.12 manylinux build can use a handful per version. Parsing and keeping it whole on
//! every run, warm or `--offline`, cost most of the memory and much of the CPU of a build.
//!
//! An entry is one line of JSON, the [`EntryHeader`] (the format, the key of the filter it was
//! made for, the final URL, the validators `ETag` / `Last-Modified`, and the sha256 of the body
//! it was made from), then the compact form: a small PEP 691 JSON document of the kept files
//! (absolute URLs), plus an `nbwheel` object holding the skipped files and the
//! [`ForeignWheel`] summaries. The header is read alone before the request (the validators),
//! and the page is decoded while the request is in flight. The body's sha256 serves an index
//! that sends no validators (some mirrors): a `200` whose body has the stored digest is the
//! page already decoded, so a warm run parses no page there either. JSON rather
//! than a binary format because the kept part is small (tens of kilobytes for the largest pages
//! of a NetBox set), it needs no new dependency, and above all it is read back through the
//! same parser and checks as a page from the network: the cache is hostile input too, and a
//! file that would not pass those checks makes the entry a miss. Entries are keyed by the page
//! URL and the filter key, so a run for other targets never sees a page filtered for these.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;
use serde::{Deserialize, Serialize};
use url::Url;

use super::{DistFile, ForeignWheel, IndexError, Origin, ProjectPage, SkippedFile, simple};
use crate::target::{TagRanks, Target};
use crate::wheel_name::WheelName;

/// The version of the compact form; an entry of another version is a miss. Bump it whenever
/// what a page is reduced to changes (the filter, the page checks), since an entry is reused
/// for an unchanged body without parsing the body again.
const FORMAT: u32 = 2;

/// Longest header line read back from the cache.
const MAX_HEADER: usize = 64 * 1024;

/// Longest tag string or skip reason accepted back from the cache.
const MAX_TEXT: usize = 4096;

/// Which wheels are kept from index pages: those some requested target could use with any
/// glibc (so "needs glibc 2.N" can still be told). Others are summarised as [`ForeignWheel`]s.
#[derive(Debug)]
pub struct PageFilter {
    ranks: Vec<TagRanks>,
    key: String,
}

impl PageFilter {
    /// The filter for a build's targets: the wheels any of them could use on either supported
    /// architecture, with any glibc. Keeping the other architecture's few wheels costs little
    /// and lets a single-architecture run share the entries of a two-architecture one (the key
    /// depends only on the interpreter).
    pub fn for_targets(targets: &[Target]) -> Self {
        use sha2::Digest as _;
        let mut tags: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut ranks = Vec::new();
        let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for target in targets {
            for arch in crate::target::Arch::ALL {
                let mut relaxed = target.clone();
                relaxed.arch = arch;
                relaxed.glibc.minor = 99;
                let list = relaxed.tags();
                let joined: Vec<String> = list
                    .iter()
                    .map(|(py, abi, plat)| format!("{py}-{abi}-{plat}"))
                    .collect();
                if !seen.insert(joined.join(" ")) {
                    continue;
                }
                tags.extend(joined);
                ranks.push(relaxed.tag_ranks());
            }
        }
        let mut hasher = sha2::Sha256::new();
        hasher.update(format!("page-filter {FORMAT}\n"));
        for tag in &tags {
            hasher.update(tag.as_bytes());
            hasher.update(b"\n");
        }
        PageFilter {
            ranks,
            key: hex::encode(hasher.finalize()),
        }
    }

    /// True when some requested target could use this wheel (with a newer glibc, perhaps).
    pub fn keeps(&self, wheel: &WheelName) -> bool {
        self.ranks.iter().any(|r| r.rank(wheel).is_some())
    }

    /// A digest of the targets' tags: cache entries are made for one key.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The first line of an entry: what it was made from, and how to revalidate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryHeader {
    format: u32,
    filter: String,
    /// The page's final URL (after redirects).
    pub url: String,
    /// The `ETag` the server sent with it.
    #[serde(default)]
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent with it.
    #[serde(rename = "last-modified", default)]
    pub last_modified: Option<String>,
    /// The sha256 (hex) of the body the page was parsed from.
    pub digest: String,
}

/// What the server said of a body besides the body: its final URL, validators and digest.
pub struct Stamp {
    /// The final URL (after redirects).
    pub url: Url,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// [`body_digest`] of the body.
    pub digest: String,
}

impl EntryHeader {
    /// Whether a response with this stamp carries the body this entry was made from, with the
    /// same validators (so the entry needs no rewrite).
    pub fn matches(&self, stamp: &Stamp) -> bool {
        self.digest == stamp.digest
            && self.url == stamp.url.as_str()
            && self.etag == stamp.etag
            && self.last_modified == stamp.last_modified
    }
}

/// The sha256 (hex) of a page body, as stored in [`EntryHeader::digest`].
pub fn body_digest(body: &[u8]) -> String {
    crate::index::cache::sha256_hex(body)
}

/// An entry read from the cache whose header fits the filter; the page is not decoded yet.
#[derive(Debug)]
pub struct Entry {
    /// The entry's header.
    pub header: EntryHeader,
    bytes: Vec<u8>,
    body_start: usize,
}

/// A page read back from the cache, with the header it was stored with.
#[derive(Debug)]
pub struct CachedFiltered {
    /// The page, filtered.
    pub page: ProjectPage,
    /// The entry's header.
    pub header: EntryHeader,
}

#[derive(Serialize, Deserialize)]
struct Extra {
    #[serde(default)]
    skipped: Vec<(String, String)>,
    /// `[version, tags, yanked, upload-time]`.
    #[serde(default)]
    foreign: Vec<(String, String, bool, Option<String>)>,
}

#[derive(Deserialize)]
struct ExtraOnly {
    nbwheel: Extra,
}

#[derive(Serialize)]
struct Meta<'a> {
    #[serde(rename = "api-version")]
    api_version: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum BoolOr<T> {
    Bool(bool),
    Value(T),
}

#[derive(Serialize)]
struct OutFile<'a> {
    filename: &'a str,
    url: &'a str,
    hashes: &'a BTreeMap<String, String>,
    #[serde(rename = "requires-python", skip_serializing_if = "Option::is_none")]
    requires_python: Option<String>,
    yanked: BoolOr<&'a str>,
    #[serde(rename = "core-metadata", skip_serializing_if = "Option::is_none")]
    core_metadata: Option<BoolOr<&'a BTreeMap<String, String>>>,
    #[serde(rename = "upload-time", skip_serializing_if = "Option::is_none")]
    upload_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

impl<'a> OutFile<'a> {
    fn new(f: &'a DistFile) -> Self {
        OutFile {
            filename: &f.filename,
            url: f.url.as_str(),
            hashes: &f.hashes.0,
            requires_python: f.requires_python.as_ref().map(ToString::to_string),
            yanked: match &f.yanked {
                None => BoolOr::Bool(false),
                Some(r) if r.is_empty() => BoolOr::Bool(true),
                Some(r) => BoolOr::Value(r),
            },
            core_metadata: f.core_metadata.as_ref().map(|h| {
                if h.is_empty() {
                    BoolOr::Bool(true)
                } else {
                    BoolOr::Value(&h.0)
                }
            }),
            upload_time: f.upload_time.map(|t| t.to_string()),
            size: f.size,
        }
    }
}

#[derive(Serialize)]
struct OutPage<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta<'a>>,
    name: &'a str,
    files: Vec<OutFile<'a>>,
    /// PEP 792, kept so that a cached page still refuses a quarantined project.
    #[serde(rename = "project-status", skip_serializing_if = "Option::is_none")]
    project_status: Option<&'a super::ProjectStatus>,
    nbwheel: Extra,
}

/// The compact form of a filtered page, as stored in the cache.
pub fn encode(
    page: &ProjectPage,
    filter: &PageFilter,
    stamp: Stamp,
) -> Result<Vec<u8>, serde_json::Error> {
    let header = EntryHeader {
        format: FORMAT,
        filter: filter.key.clone(),
        url: stamp.url.to_string(),
        etag: stamp.etag,
        last_modified: stamp.last_modified,
        digest: stamp.digest,
    };
    let mut bytes = serde_json::to_vec(&header)?;
    bytes.push(b'\n');
    let out = OutPage {
        meta: page.api_version.as_deref().map(|v| Meta { api_version: v }),
        name: page.name.as_ref(),
        files: page.files.iter().map(OutFile::new).collect(),
        project_status: page.status.as_ref(),
        nbwheel: Extra {
            skipped: page
                .skipped
                .iter()
                .map(|s| (s.filename.clone(), s.reason.clone()))
                .collect(),
            foreign: page
                .foreign
                .iter()
                .map(|f| {
                    (
                        f.version.to_string(),
                        f.tags.clone(),
                        f.yanked,
                        f.upload_time.map(|t| t.to_string()),
                    )
                })
                .collect(),
        },
    };
    serde_json::to_writer(&mut bytes, &out)?;
    Ok(bytes)
}

/// Splits an entry into its header and page, checking the header: its format and filter
/// (`None`, logged at `-vv`, for a miss).
pub fn entry(bytes: Vec<u8>, filter: &PageFilter) -> Option<Entry> {
    let result = (|| {
        let end = bytes
            .iter()
            .take(MAX_HEADER)
            .position(|&b| b == b'\n')
            .ok_or("no header line")?;
        let header: EntryHeader =
            serde_json::from_slice(&bytes[..end]).map_err(|e| e.to_string())?;
        if header.format != FORMAT {
            return Err(format!("format {} is not {FORMAT}", header.format));
        }
        if header.filter != filter.key {
            return Err("it was filtered for other targets".into());
        }
        Ok((header, end + 1))
    })();
    match result {
        Ok((header, body_start)) => Some(Entry {
            header,
            bytes,
            body_start,
        }),
        Err(reason) => {
            tracing::debug!("Ignoring a cached page: {reason}");
            None
        }
    }
}

/// Reads the entry at `path` (see [`entry`]); the page is decoded by [`decode`].
pub fn read(path: &Path, filter: &PageFilter) -> Option<Entry> {
    entry(std::fs::read(path).ok()?, filter)
}

/// Decodes an entry's page for `project`, listed by `origin`, made with `filter`. Any problem
/// (a file that fails the page checks, a malformed summary) is a miss, logged at `-vv`.
pub fn decode(
    entry: Entry,
    project: &PackageName,
    origin: Origin,
    filter: &PageFilter,
) -> Option<CachedFiltered> {
    let Entry {
        header,
        bytes,
        body_start,
    } = entry;
    match try_decode(&bytes[body_start..], &header, project, origin, filter) {
        Ok(page) => Some(CachedFiltered { page, header }),
        Err(reason) => {
            tracing::debug!("Ignoring the cached page of `{project}`: {reason}");
            None
        }
    }
}

fn try_decode(
    bytes: &[u8],
    header: &EntryHeader,
    project: &PackageName,
    origin: Origin,
    filter: &PageFilter,
) -> Result<ProjectPage, String> {
    let extra = serde_json::from_slice::<ExtraOnly>(bytes)
        .map_err(|e| e.to_string())?
        .nbwheel;
    let url = Url::parse(&header.url).map_err(|e| format!("invalid URL: {e}"))?;
    let mut page = simple::parse_json_filtered(bytes, &url, project, origin, Some(filter))
        .map_err(|e| e.to_string())?;
    // Every stored file was kept and passed the checks when it was stored.
    if !page.skipped.is_empty() || !page.foreign.is_empty() {
        return Err("a stored file does not pass the page checks".into());
    }
    for (filename, reason) in extra.skipped {
        if filename.len() > MAX_TEXT || reason.len() > MAX_TEXT {
            return Err("a skipped file's entry is too long".into());
        }
        page.skipped.push(SkippedFile { filename, reason });
    }
    for (version, tags, yanked, upload_time) in extra.foreign {
        let version = Version::from_str(&version).map_err(|e| e.to_string())?;
        if tags.len() > MAX_TEXT || tags.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(format!("invalid tags {tags:?}"));
        }
        let upload_time = upload_time
            .map(|t| t.parse::<jiff::Timestamp>())
            .transpose()
            .map_err(|e| e.to_string())?;
        page.foreign.push(ForeignWheel {
            version,
            tags,
            yanked,
            upload_time,
            origin,
        });
    }
    Ok(page)
}

/// The error for an entry that cannot be encoded (it always can; kept typed all the same).
pub fn encode_error(path: &Path, e: serde_json::Error) -> IndexError {
    IndexError::Io {
        action: "Failed to encode a cached page for",
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Arch;

    fn name(s: &str) -> PackageName {
        PackageName::from_str(s).unwrap()
    }

    fn stamp(url: &Url, etag: Option<&str>) -> Stamp {
        Stamp {
            url: url.clone(),
            etag: etag.map(str::to_string),
            last_modified: None,
            digest: body_digest(b"body"),
        }
    }

    fn back(bytes: &[u8], project: &str, filter: &PageFilter) -> Option<CachedFiltered> {
        decode(
            entry(bytes.to_vec(), filter)?,
            &name(project),
            Origin::Index(0),
            filter,
        )
    }

    fn page_json() -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "meta": {"api-version": "1.1"},
            "name": "foo",
            "files": [
                {"filename": "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                 "url": "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                 "hashes": {"sha256": "aa"}, "requires-python": ">=3.8",
                 "core-metadata": {"sha256": "bb"}, "upload-time": "2024-01-01T00:00:00Z",
                 "size": 10, "yanked": "bad"},
                {"filename": "foo-1.0-cp312-cp312-win_amd64.whl",
                 "url": "foo-1.0-cp312-cp312-win_amd64.whl", "hashes": {}},
                {"filename": "foo-2.0-cp312-cp312-manylinux_2_99_x86_64.whl",
                 "url": "foo-2.0-cp312-cp312-manylinux_2_99_x86_64.whl", "hashes": {},
                 "core-metadata": true},
                {"filename": "foo-3.0-cp312-cp312-macosx_11_0_arm64.whl",
                 "url": "foo-3.0-cp312-cp312-macosx_11_0_arm64.whl", "hashes": {},
                 "yanked": true},
                {"filename": "foo-3.0.tar.gz", "url": "foo-3.0.tar.gz", "hashes": {}},
                {"filename": "bar-1.0-py3-none-any.whl", "url": "bar-1.0-py3-none-any.whl"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn filters_and_round_trips() {
        let filter = PageFilter::for_targets(&[Target::new(Arch::X86_64)]);
        let url = Url::parse("https://example.org/simple/foo/").unwrap();
        let page = simple::parse_json_filtered(
            &page_json(),
            &url,
            &name("foo"),
            Origin::Index(0),
            Some(&filter),
        )
        .unwrap();
        let kept: Vec<&str> = page.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(
            kept,
            [
                "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                "foo-2.0-cp312-cp312-manylinux_2_99_x86_64.whl",
                "foo-3.0.tar.gz"
            ]
        );
        assert_eq!(page.foreign.len(), 2);
        assert_eq!(page.skipped.len(), 1);
        let bytes = encode(&page, &filter, stamp(&url, Some("\"e\""))).unwrap();
        let read = back(&bytes, "foo", &filter).unwrap();
        assert_eq!(read.page, page);
        assert_eq!(read.header.etag.as_deref(), Some("\"e\""));
        assert!(read.header.matches(&stamp(&url, Some("\"e\""))));
        assert!(!read.header.matches(&stamp(&url, None)));
        let mut other_body = stamp(&url, Some("\"e\""));
        other_body.digest = body_digest(b"another body");
        assert!(!read.header.matches(&other_body));

        // The other architecture, or both: the same entry.
        let other = PageFilter::for_targets(&[Target::new(Arch::Aarch64)]);
        assert_eq!(other.key(), filter.key());
        let both =
            PageFilter::for_targets(&[Target::new(Arch::X86_64), Target::new(Arch::Aarch64)]);
        assert_eq!(both.key(), filter.key());
        // Another interpreter: a miss.
        let mut py311 = Target::new(Arch::X86_64);
        py311.minor = 11;
        let other = PageFilter::for_targets(&[py311]);
        assert!(back(&bytes, "foo", &other).is_none());
        // Another project: a miss.
        assert!(back(&bytes, "bar", &filter).is_none());
    }

    #[test]
    fn project_status_survives_the_compact_form() {
        let filter = PageFilter::for_targets(&[Target::new(Arch::X86_64)]);
        let url = Url::parse("https://example.org/simple/foo/").unwrap();
        let mut page = simple::parse_json_filtered(
            &page_json(),
            &url,
            &name("foo"),
            Origin::Index(0),
            Some(&filter),
        )
        .unwrap();
        page.status = super::super::ProjectStatus::new("quarantined", Some("malware"));
        let bytes = encode(&page, &filter, stamp(&url, None)).unwrap();
        let read = back(&bytes, "foo", &filter).unwrap();
        assert!(read.page.status.as_ref().unwrap().is_quarantined());
        assert_eq!(read.page, page);
    }

    #[test]
    fn corrupt_entries_are_misses() {
        let filter = PageFilter::for_targets(&[Target::new(Arch::X86_64)]);
        let url = Url::parse("https://example.org/simple/foo/").unwrap();
        let page = simple::parse_json_filtered(
            &page_json(),
            &url,
            &name("foo"),
            Origin::Index(0),
            Some(&filter),
        )
        .unwrap();
        let bytes = encode(&page, &filter, stamp(&url, None)).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let cases = [
            bytes[..bytes.len() / 2].to_vec(),
            Vec::new(),
            b"\xff\xfe".to_vec(),
            text.replace("\"format\":2", "\"format\":3").into_bytes(),
            // No header line, or a header that is not one.
            text.replacen('\n', " ", 1).into_bytes(),
            text.replacen("{\"format\"", "[\"format\"", 1).into_bytes(),
            // A stored file renamed to another project's wheel.
            text.replace(
                "\"filename\":\"foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl\"",
                "\"filename\":\"../evil-1.0-py3-none-any.whl\"",
            )
            .into_bytes(),
            // A stored file for a platform the filter drops.
            text.replace("manylinux_2_99_x86_64", "win_amd64")
                .into_bytes(),
            text.replace("\"3.0\"", "\"not a version\"").into_bytes(),
            text.replace("\"https://example.org/simple/foo/\"", "\"::\"")
                .into_bytes(),
        ];
        for (i, case) in cases.iter().enumerate() {
            assert_ne!(case, &bytes, "case {i} changed nothing");
            assert!(back(case, "foo", &filter).is_none(), "case {i}");
        }
    }
}
