//! PEP 691 JSON pages, read as a stream.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::str::FromStr;

use pep508_rs::PackageName;
use serde::Deserialize;
use url::Url;

use super::{
    Hashes, IndexError, Origin, PageFilter, ProjectPage, RawFile, Redacted, Sink,
    check_api_version, hashes_from_map,
};

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
/// and with a `filter` summarised as a [`ForeignWheel`](crate::index::ForeignWheel) when no requested target can use it,
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
        crate::index::ProjectStatus::new(
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
