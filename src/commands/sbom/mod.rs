//! `nbwheel sbom` and `build --sbom`: a `CycloneDX` 1.5 JSON document of an archive, built with
//! the `cyclonedx-bom` crate (the one uv uses for its export).
//!
//! One component per wheel: type `library`, `bom-ref` the file name, purl
//! `pkg:pypi/NAME@VERSION?file_name=FILE`, the sha256, the license (from `License-Expression`,
//! `License` or the classifiers, see [`license`]) and the index it came from (property
//! `nbwheel:index`, never with credentials: the lock records none). The dependency graph is
//! the one [`crate::commands::advisory::closure`] computes from the wheels, rooted at the archive (the
//! metadata component) which depends on the requirements. The metadata carries the targets
//! and the `NetBox` release as properties. The document is reproducible: the serial number is
//! a UUID made from the archive's sha256, and the timestamp is `SOURCE_DATE_EPOCH` when set,
//! else the archive's modification time. The archive itself is not changed.

pub mod license;

use std::collections::BTreeMap;
use std::path::Path;

use cyclonedx_bom::external_models::date_time::DateTime;
use cyclonedx_bom::external_models::uri::Purl;
use cyclonedx_bom::models::bom::{Bom, SpecVersion, UrnUuid};
use cyclonedx_bom::models::component::{Classification, Component, Components};
use cyclonedx_bom::models::dependency::{Dependencies, Dependency};
use cyclonedx_bom::models::hash::{Hash, HashAlgorithm, HashValue, Hashes};
use cyclonedx_bom::models::license::{LicenseChoice, Licenses};
use cyclonedx_bom::models::metadata::Metadata;
use cyclonedx_bom::models::property::{Properties, Property};
use cyclonedx_bom::models::tool::Tools;
use std::str::FromStr;

use crate::commands::advisory::closure::Closure;
use crate::{commands::Error, exit::ExitCode};

/// Why an SBOM could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// The document could not be encoded.
    #[error("Failed to encode the SBOM of `{archive}`: {reason}")]
    Encode {
        /// The archive.
        archive: String,
        /// What went wrong.
        reason: String,
    },
}

impl SbomError {
    /// Always 1: the document cannot be made as asked.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::NoSolution
    }

    /// Advice for the user.
    pub fn hint(&self) -> Option<String> {
        Some("Report this as a bug with the archive's `nbwheel inspect` output.".into())
    }
}

/// A UUID (version 4 layout) made from the archive's sha256, as a URN.
fn serial_number(sha256: &str) -> String {
    let mut b = [0u8; 16];
    for (i, byte) in b.iter_mut().enumerate() {
        *byte = u8::from_str_radix(sha256.get(2 * i..2 * i + 2).unwrap_or("00"), 16).unwrap_or(0);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `SOURCE_DATE_EPOCH` when set, else the file's modification time, as RFC 3339 UTC.
fn timestamp(archive: &Path) -> Result<String, Error> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().map_err(|_| {
            Error::usage(
                format!("`SOURCE_DATE_EPOCH` is {v:?}, not whole seconds since 1970"),
                Some("Set it to e.g. `$(git log -1 --format=%ct)`, or unset it.".into()),
            )
        })?,
        _ => {
            let modified = std::fs::metadata(archive)
                .and_then(|m| m.modified())
                .map_err(|e| Error::io("Failed to read", archive, e))?;
            modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        }
    };
    let t = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    Ok(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Percent-encodes a purl segment or qualifier value (RFC 3986 unreserved characters kept).
fn purl_encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'.')
        .remove(b'-')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

fn sha256_hashes(sha256: &str) -> Hashes {
    Hashes(vec![Hash {
        alg: HashAlgorithm::SHA_256,
        content: HashValue(sha256.to_string()),
    }])
}

/// The wheel components, and the `bom-ref`s of each project's wheels.
fn components(closure: &Closure) -> (Vec<Component>, BTreeMap<String, Vec<String>>) {
    let mut out = Vec::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &closure.packages {
        for w in &p.files {
            let version = p.version.to_string();
            let mut c = Component::new(
                Classification::Library,
                p.name.as_ref(),
                &version,
                Some(w.file.clone()),
            );
            let purl = format!(
                "pkg:pypi/{}@{}?file_name={}",
                purl_encode(p.name.as_ref()),
                purl_encode(&version),
                purl_encode(&w.file)
            );
            c.purl = Purl::from_str(&purl).ok();
            if !w.sha256.is_empty() {
                c.hashes = Some(sha256_hashes(&w.sha256));
            }
            c.licenses = p.license.as_deref().map(|l| {
                Licenses(vec![if license::is_spdx(l) {
                    LicenseChoice::expression(l)
                } else {
                    LicenseChoice::license(l)
                }])
            });
            let mut props = Vec::new();
            if let Some(index) = &p.index {
                props.push(Property::new("nbwheel:index", index));
            }
            if let Some(url) = &w.url {
                props.push(Property::new("nbwheel:url", url));
            }
            if !props.is_empty() {
                c.properties = Some(Properties(props));
            }
            refs.entry(p.name.to_string())
                .or_default()
                .push(w.file.clone());
            out.push(c);
        }
    }
    (out, refs)
}

/// The dependency graph: the archive depends on the requirements' wheels; each wheel on the
/// wheels of its dependencies.
fn dependencies(closure: &Closure, refs: &BTreeMap<String, Vec<String>>) -> Dependencies {
    let wheels_of = |name: &str| refs.get(name).cloned().unwrap_or_default();
    let mut roots: Vec<String> = closure
        .requirements
        .keys()
        .flat_map(|n| wheels_of(n.as_ref()))
        .collect();
    roots.sort();
    let mut out = vec![Dependency {
        dependency_ref: "archive".into(),
        dependencies: roots,
    }];
    for p in &closure.packages {
        let mut deps: Vec<String> = closure
            .dependencies
            .get(&p.name)
            .into_iter()
            .flatten()
            .flat_map(|d| wheels_of(d.as_ref()))
            .collect();
        deps.sort();
        for w in wheels_of(p.name.as_ref()) {
            out.push(Dependency {
                dependency_ref: w,
                dependencies: deps.clone(),
            });
        }
    }
    Dependencies(out)
}

/// The SBOM of `archive` as `CycloneDX` 1.5 JSON.
pub fn sbom_json(archive: &Path, netbox: Option<&str>) -> Result<Vec<u8>, Error> {
    let loaded = crate::commands::advisory::load::load_archive(archive)?;
    let closure = &loaded.closure;
    let file_name = archive.file_name().map_or_else(
        || "wheelhouse.tar.gz".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut root = Component::new(Classification::File, &file_name, "", Some("archive".into()));
    root.version = None;
    root.hashes = Some(sha256_hashes(&loaded.sha256));
    let mut props: Vec<Property> = closure
        .targets
        .iter()
        .map(|t| Property::new("nbwheel:target", t))
        .collect();
    if let Some(v) = netbox {
        props.push(Property::new("nbwheel:netbox-version", v));
    }
    let tool = Component::new(
        Classification::Application,
        "nbwheel",
        env!("CARGO_PKG_VERSION"),
        None,
    );
    let metadata = Metadata {
        timestamp: DateTime::try_from(timestamp(archive)?).ok(),
        tools: Some(Tools::Object {
            services: None,
            components: Some(Components(vec![tool])),
        }),
        component: Some(root),
        properties: (!props.is_empty()).then_some(Properties(props)),
        ..Metadata::default()
    };
    let (wheels, refs) = components(closure);
    let bom = Bom {
        serial_number: UrnUuid::new(serial_number(&loaded.sha256)).ok(),
        metadata: Some(metadata),
        components: Some(Components(wheels)),
        dependencies: Some(dependencies(closure, &refs)),
        spec_version: SpecVersion::V1_5,
        ..Bom::default()
    };
    let mut out = Vec::new();
    bom.output_as_json_v1_5(&mut out)
        .map_err(|e| SbomError::Encode {
            archive: archive.display().to_string(),
            reason: e.to_string(),
        })?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `bytes` to `path` atomically (a temp file in the same folder, renamed).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".nbwheel-sbom-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("Failed to create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("Failed to write", path, e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("Failed to write", path, e.error))?;
    Ok(())
}

/// The SBOM path for one of several archives: `FILE` with `-<arch>` before its extension.
pub fn path_for_arch(path: &Path, arch: &str) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let new = match name.strip_suffix(".json") {
        Some(stem) => format!("{stem}-{arch}.json"),
        None => format!("{name}-{arch}"),
    };
    path.with_file_name(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_number_is_a_v4_urn_from_the_hash() {
        let s = serial_number(&"ab".repeat(32));
        assert_eq!(s, "urn:uuid:abababab-abab-4bab-abab-abababababab");
        assert!(UrnUuid::new(s).is_ok());
        assert_eq!(purl_encode("1.0+local"), "1.0%2Blocal");
        assert_eq!(
            path_for_arch(Path::new("out/sbom.json"), "aarch64"),
            Path::new("out/sbom-aarch64.json")
        );
    }
}
