//! The files a fake index publishes, and its Simple API pages.
//!
//! Input: [`Release`]s. Output: a [`Catalog`] of [`PublishedFile`]s (real wheel and sdist
//! bytes with their sha256, md5 and PEP 658 metadata), and the pages rendered from it under the
//! current knobs: PEP 691 JSON (`meta.api-version` 1.1, `files[]` with `filename`, `url`,
//! `hashes`, `requires-python` (only when set), `yanked`, `core-metadata` plus the older `dist-info-metadata` /
//! `data-dist-info-metadata` spellings, `upload-time`, `size`; `versions`) and PEP 503 HTML
//! (anchors with `#sha256=` fragments, `data-requires-python` HTML-escaped, `data-yanked`,
//! `data-core-metadata`, `data-dist-info-metadata`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use super::knobs::{HashMode, KnobState, MetadataMode};
use super::scenario::Release;
use super::wheel::{core_metadata, md5_hex, normalize, sdist, sha256_hex};

/// The default PEP 700 upload time.
pub const DEFAULT_UPLOAD_TIME: &str = "2024-01-01T00:00:00.000000Z";

/// One file as the index serves it.
#[derive(Debug, Clone)]
pub struct PublishedFile {
    /// Normalised project name.
    pub project: String,
    /// The version.
    pub version: String,
    /// The file name.
    pub filename: String,
    /// The bytes served.
    pub bytes: Arc<[u8]>,
    /// Hex sha256 of `bytes`.
    pub sha256: String,
    /// Hex md5 of `bytes`.
    pub md5: String,
    /// The METADATA served as `<file>.metadata` (wheels only).
    pub metadata: Option<Arc<[u8]>>,
    /// `requires-python` in the listing.
    pub requires_python: Option<String>,
    /// Yanked reason (`Some("")` when yanked without one).
    pub yanked: Option<String>,
    /// PEP 700 upload time.
    pub upload_time: String,
}

impl PublishedFile {
    /// A file with the given bytes and no listing attributes.
    pub fn raw(project: &str, version: &str, filename: &str, bytes: Vec<u8>) -> Self {
        PublishedFile {
            project: normalize(project),
            version: version.to_string(),
            filename: filename.to_string(),
            sha256: sha256_hex(&bytes),
            md5: md5_hex(&bytes),
            bytes: bytes.into(),
            metadata: None,
            requires_python: None,
            yanked: None,
            upload_time: DEFAULT_UPLOAD_TIME.to_string(),
        }
    }
}

/// Everything published, by project.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Normalised project name to (display name, files in listing order).
    pub projects: BTreeMap<String, (String, Vec<PublishedFile>)>,
}

impl Catalog {
    /// Builds every wheel and sdist of the releases.
    pub fn build(releases: &[Release]) -> Self {
        let mut catalog = Catalog::default();
        for r in releases {
            catalog
                .projects
                .entry(normalize(&r.name))
                .or_insert_with(|| (r.name.clone(), Vec::new()));
            for spec in r.wheel_specs() {
                let mut f = PublishedFile::raw(&r.name, &r.version, &spec.filename(), spec.build());
                f.metadata = Some(spec.metadata().into_bytes().into());
                catalog.push(f, r);
            }
            if r.sdist {
                let meta = core_metadata(
                    &r.name,
                    &r.version,
                    r.metadata_requires_python(),
                    &r.depends,
                    &r.extras(),
                );
                let (name, bytes) = sdist(&r.name, &r.version, &meta);
                let f = PublishedFile::raw(&r.name, &r.version, &name, bytes);
                catalog.push(f, r);
            }
        }
        catalog
    }

    fn push(&mut self, mut f: PublishedFile, r: &Release) {
        f.requires_python = r.index_requires_python().map(ToString::to_string);
        f.yanked = r.yanked_reason();
        if let Some(t) = &r.upload_time {
            f.upload_time.clone_from(t);
        }
        self.add(&r.name, f);
    }

    /// Adds a file to a project (creating the project).
    pub fn add(&mut self, display_name: &str, f: PublishedFile) {
        self.projects
            .entry(f.project.clone())
            .or_insert_with(|| (display_name.to_string(), Vec::new()))
            .1
            .push(f);
    }

    /// Finds a file by name.
    pub fn file(&self, filename: &str) -> Option<&PublishedFile> {
        self.projects
            .values()
            .flat_map(|(_, files)| files)
            .find(|f| f.filename == filename)
    }

    /// Every file, in listing order.
    pub fn files(&self) -> impl Iterator<Item = &PublishedFile> {
        self.projects.values().flat_map(|(_, files)| files)
    }
}

/// The `.metadata` bytes served for a file under the knobs, if any.
pub(crate) fn served_metadata(f: &PublishedFile, knobs: &KnobState) -> Option<Vec<u8>> {
    let meta = f.metadata.as_ref()?;
    match knobs.metadata_mode(&f.filename, &f.project) {
        Some(MetadataMode::Absent) => None,
        Some(MetadataMode::Differs) => {
            let mut m = meta.to_vec();
            m.extend_from_slice(b"Requires-Dist: injected-by-fake-index\n");
            Some(m)
        }
        Some(MetadataMode::WrongHash) | None => Some(meta.to_vec()),
    }
}

/// The sha256 listed for the `.metadata`, or `None` when none is listed.
fn listed_metadata_hash(f: &PublishedFile, knobs: &KnobState) -> Option<String> {
    let served = served_metadata(f, knobs)?;
    Some(match knobs.metadata_mode(&f.filename, &f.project) {
        Some(MetadataMode::WrongHash) => sha256_hex(b"not the metadata"),
        _ => sha256_hex(&served),
    })
}

/// The listed hashes of a file: algorithm to hex digest.
fn listed_hashes(f: &PublishedFile, knobs: &KnobState) -> Vec<(&'static str, String)> {
    match knobs.hash_mode(&f.filename, &f.project) {
        None => vec![("sha256", f.sha256.clone())],
        Some(HashMode::Wrong) => vec![("sha256", sha256_hex(b"not the file"))],
        Some(HashMode::None) => vec![],
        Some(HashMode::Md5Only) => vec![("md5", f.md5.clone())],
    }
}

fn file_url(f: &PublishedFile, base: &str, knobs: &KnobState) -> String {
    if knobs.relative_urls {
        format!("../../files/{}", f.filename)
    } else {
        format!("{base}/files/{}", f.filename)
    }
}

fn api_version(knobs: &KnobState) -> &str {
    knobs.api_version.as_deref().unwrap_or("1.1")
}

/// PEP 691 JSON for a project. `base` is `http://127.0.0.1:PORT`.
pub(crate) fn project_json(
    name: &str,
    files: &[PublishedFile],
    base: &str,
    knobs: &KnobState,
) -> String {
    let mut versions: Vec<&str> = Vec::new();
    let entries: Vec<Value> = files
        .iter()
        .map(|f| {
            if !versions.contains(&f.version.as_str()) {
                versions.push(&f.version);
            }
            let hashes: serde_json::Map<String, Value> = listed_hashes(f, knobs)
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::String(v)))
                .collect();
            let core = listed_metadata_hash(f, knobs)
                .map_or(Value::Bool(false), |h| json!({ "sha256": h }));
            let mut entry = json!({
                "filename": f.filename,
                "url": file_url(f, base, knobs),
                "hashes": hashes,
                "yanked": f
                    .yanked
                    .clone()
                    .or_else(|| knobs.yanks.get(&f.filename).cloned())
                    .map_or(Value::Bool(false), Value::String),
                "upload-time": f.upload_time,
                "size": f.bytes.len(),
            });
            if let Some(rp) = &f.requires_python {
                entry["requires-python"] = Value::String(rp.clone());
            }
            if f.metadata.is_some() {
                entry["core-metadata"] = core.clone();
                entry["dist-info-metadata"] = core.clone();
                entry["data-dist-info-metadata"] = core;
            }
            entry
        })
        .collect();
    let mut page = json!({
        "meta": { "api-version": api_version(knobs), "_last-serial": 1 },
        "name": name,
        "versions": versions,
        "files": entries,
    });
    if let Some((status, reason)) = knobs.project_status.get(&normalize(name)) {
        page["project-status"] = json!({ "status": status, "reason": reason });
    }
    page.to_string()
}

/// PEP 691 JSON for the root listing.
pub(crate) fn root_json(catalog: &Catalog, knobs: &KnobState) -> String {
    let projects: Vec<Value> = catalog
        .projects
        .values()
        .map(|(display, _)| json!({ "name": display, "_last-serial": 1 }))
        .collect();
    json!({ "meta": { "api-version": api_version(knobs) }, "projects": projects }).to_string()
}

/// Escapes text for an HTML attribute or body.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

fn html_page(title: &str, body: &str, knobs: &KnobState) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"{}\">\n    <title>{}</title>\n  </head>\n  <body>\n    <h1>{}</h1>\n{body}  </body>\n</html>\n",
        html_escape(api_version(knobs)),
        html_escape(title),
        html_escape(title),
    )
}

/// PEP 503 HTML for a project.
pub(crate) fn project_html(
    name: &str,
    files: &[PublishedFile],
    base: &str,
    knobs: &KnobState,
) -> String {
    let mut body = String::new();
    for f in files {
        let mut href = file_url(f, base, knobs);
        if let Some((algo, digest)) = listed_hashes(f, knobs).first() {
            write!(href, "#{algo}={digest}").expect("writing to a String");
        }
        let mut attrs = format!("href=\"{}\"", html_escape(&href));
        if let Some(rp) = &f.requires_python {
            write!(attrs, " data-requires-python=\"{}\"", html_escape(rp))
                .expect("writing to a String");
        }
        if let Some(reason) = f.yanked.as_ref().or_else(|| knobs.yanks.get(&f.filename)) {
            write!(attrs, " data-yanked=\"{}\"", html_escape(reason)).expect("writing to a String");
        }
        if let Some(h) = listed_metadata_hash(f, knobs) {
            write!(
                attrs,
                " data-core-metadata=\"sha256={h}\" data-dist-info-metadata=\"sha256={h}\""
            )
            .expect("writing to a String");
        }
        writeln!(body, "    <a {attrs}>{}</a><br/>", html_escape(&f.filename))
            .expect("writing to a String");
    }
    if let Some((status, reason)) = knobs.project_status.get(&normalize(name)) {
        body.insert_str(
            0,
            &format!(
                "    <meta name=\"pypi:project-status\" content=\"{}\">\n    <meta name=\"pypi:project-status-reason\" content=\"{}\">\n",
                html_escape(status),
                html_escape(reason.as_deref().unwrap_or_default())
            ),
        );
    }
    html_page(&format!("Links for {name}"), &body, knobs)
}

/// PEP 503 HTML for the root listing.
pub(crate) fn root_html(catalog: &Catalog, knobs: &KnobState) -> String {
    let mut body = String::new();
    for (norm, (display, _)) in &catalog.projects {
        writeln!(
            body,
            "    <a href=\"{}/\">{}</a><br/>",
            html_escape(norm),
            html_escape(display)
        )
        .expect("writing to a String");
    }
    html_page("Simple index", &body, knobs)
}

/// Writes every wheel (and sdist) of the releases flat into `dir`, for `--find-links` tests.
/// Returns the paths written, sorted.
pub fn write_find_links_dir(dir: &Path, releases: impl AsRef<[Release]>) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("create find-links dir");
    let catalog = Catalog::build(releases.as_ref());
    let mut out: Vec<PathBuf> = catalog
        .files()
        .map(|f| {
            let path = dir.join(&f.filename);
            std::fs::write(&path, &f.bytes).expect("write find-links file");
            path
        })
        .collect();
    out.sort();
    out
}
