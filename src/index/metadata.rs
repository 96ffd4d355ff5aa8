//! Core metadata: the `METADATA` file of a wheel (or a PEP 658 `.metadata` file, or an old
//! `PKG-INFO`), Metadata-Version 1.0 to 2.5.
//!
//! Input: the bytes of the file, or a wheel on disk to read them from. Output: a
//! [`CoreMetadata`] with the name, version, `Requires-Dist`, `Requires-Python` and
//! `Provides-Extra` fields; everything else is ignored. Grammar supported (RFC 822 style, as
//! Python's `email.parser` reads it):
//!
//! ```text
//! file    = header* [blank-line body]
//! header  = field-name ":" value LF (continuation LF)*   ; names case-insensitive
//! continuation = (SP | HTAB) text                        ; appended to the previous value
//! ```
//!
//! Lines may end in LF or CRLF. Parsing stops at the first blank line, or at a line that is
//! neither a header nor a continuation (the rest is the description, in any encoding), as
//! Python's `email.parser` reads it. `Name` and `Version` are required; a field given twice
//! must repeat the same value; a missing `Metadata-Version` reads as 1.0; a
//! `Metadata-Version` with a major above 2 is refused and a 2.x above 2.5 is read with a warning.
//! An invalid `Requires-Dist` is an error naming the line (pip refuses it too); the legacy
//! `name (>=1.0)` form is valid PEP 508. An invalid `Requires-Python` or `Provides-Extra` is
//! ignored with a warning: the index's `requires-python` already filtered the file.
//!
//! The header block is read by [`crate::core_metadata`], the one header reader of the crate
//! (hand-written: no maintained crate parses this format without also pulling in a full mail
//! parser, and only a handful of fields matter).

use std::fs::File;
use std::path::Path;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use pep508_rs::{ExtraName, PackageName, Requirement};

use super::IndexError;
use crate::core_metadata::HeaderProblem;
use crate::wheel_name::WheelName;
use crate::wheel_zip::{self, FileBytes, ZipError, ZipLimits};

/// The largest `METADATA` read out of a wheel.
pub const MAX_METADATA_SIZE: u64 = 16 * 1024 * 1024;

/// The highest Metadata-Version whose fields are known (2.5); later 2.x minors warn.
const SUPPORTED_METADATA: (u32, u32) = (2, 5);

/// The fields of core metadata the resolver uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Name`, normalised.
    pub name: PackageName,
    /// `Version`.
    pub version: Version,
    /// `Requires-Dist`, in file order.
    pub requires_dist: Vec<Requirement>,
    /// `Requires-Python`.
    pub requires_python: Option<VersionSpecifiers>,
    /// `Provides-Extra`, normalised, in file order.
    pub provides_extra: Vec<ExtraName>,
}

/// Parses core metadata. `file` names the wheel (or `.metadata` file) in errors.
pub fn parse_metadata(bytes: &[u8], file: &str) -> Result<CoreMetadata, IndexError> {
    let err = |reason: String| IndexError::Metadata {
        file: file.to_string(),
        reason,
    };
    let fields = crate::core_metadata::headers(bytes).map_err(|problem| {
        err(match problem {
            HeaderProblem::NotUtf8(e) => format!("the headers are not UTF-8: {e}"),
            HeaderProblem::ContinuationFirst { line } => {
                format!("line {line}: a continuation line before any header")
            }
            HeaderProblem::NoColon { line, text } => {
                format!("line {line}: expected `Field: value`, found {text:?}")
            }
        })
    })?;

    let mut metadata_version = None;
    let mut name = None;
    let mut version = None;
    let mut requires_dist = Vec::new();
    let mut requires_python = None;
    let mut provides_extra = Vec::new();
    // A field repeated with the same value is harmless; two different values are not.
    let once = |slot: &Option<(usize, String)>, field: &str, line_no: usize, value: &str| match slot
    {
        Some((first, v)) if v != value => Err(err(format!(
            "line {line_no}: `{field}` appears again with another value (first on line {first})"
        ))),
        _ => Ok(()),
    };
    for field in &fields {
        let (line_no, value) = (field.line, field.value.as_str());
        match field.name.to_ascii_lowercase().as_str() {
            "metadata-version" => {
                once(&metadata_version, "Metadata-Version", line_no, value)?;
                if metadata_version.is_none() {
                    metadata_version = Some((line_no, value.to_string()));
                }
            }
            "name" => {
                once(&name, "Name", line_no, value)?;
                if name.is_none() {
                    name = Some((line_no, value.to_string()));
                }
            }
            "version" => {
                once(&version, "Version", line_no, value)?;
                if version.is_none() {
                    version = Some((line_no, value.to_string()));
                }
            }
            "requires-dist" => {
                let req = crate::requirements::parse_pep508(value).map_err(|e| {
                    err(format!(
                        "line {line_no}: invalid `Requires-Dist: {value}`: {e}"
                    ))
                })?;
                requires_dist.push(req);
            }
            "requires-python" if value.is_empty() => {}
            "requires-python" => match VersionSpecifiers::from_str(value) {
                Ok(spec) => requires_python = Some(spec),
                Err(e) => tracing::warn!(
                    "Ignoring invalid `Requires-Python: {value}` in `{file}` (line {line_no}): {e}"
                ),
            },
            "provides-extra" => match ExtraName::from_str(value) {
                Ok(extra) => provides_extra.push(extra),
                Err(e) => tracing::warn!(
                    "Ignoring invalid `Provides-Extra: {value}` in `{file}` (line {line_no}): {e}"
                ),
            },
            _ => {}
        }
    }

    // Without `Metadata-Version` the fields are read as 1.0 (pip reads such files too).
    if let Some((_, mv)) = &metadata_version {
        check_metadata_version(mv, file)?;
    }
    let (line_no, name) = name.ok_or_else(|| err("no `Name` field".into()))?;
    let name = PackageName::from_str(&name)
        .map_err(|e| err(format!("line {line_no}: invalid `Name: {name}`: {e}")))?;
    let (line_no, version) = version.ok_or_else(|| err("no `Version` field".into()))?;
    let version = Version::from_str(&version)
        .map_err(|e| err(format!("line {line_no}: invalid `Version: {version}`: {e}")))?;
    Ok(CoreMetadata {
        name,
        version,
        requires_dist,
        requires_python,
        provides_extra,
    })
}

/// Refuses a major Metadata-Version above 2 and warns about a 2.x above 2.5.
fn check_metadata_version(value: &str, file: &str) -> Result<(), IndexError> {
    let mut parts = value.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().map_or(Some(0), |p| p.parse::<u32>().ok());
    let (Some(major), Some(minor)) = (major, minor) else {
        return Err(IndexError::Metadata {
            file: file.to_string(),
            reason: format!("invalid `Metadata-Version: {value}`"),
        });
    };
    if major > SUPPORTED_METADATA.0 {
        return Err(IndexError::Metadata {
            file: file.to_string(),
            reason: format!(
                "unsupported `Metadata-Version: {value}` (this tool reads up to {}.{})",
                SUPPORTED_METADATA.0, SUPPORTED_METADATA.1
            ),
        });
    }
    if major == SUPPORTED_METADATA.0 && minor > SUPPORTED_METADATA.1 {
        tracing::warn!(
            "`{file}` has `Metadata-Version: {value}`, newer than {}.{}; reading the known fields",
            SUPPORTED_METADATA.0,
            SUPPORTED_METADATA.1
        );
    }
    Ok(())
}

/// Reads `<name>-<version>.dist-info/METADATA` out of a wheel on disk, streaming from the file.
/// The wheel's zip layout is checked first by the strict reader ([`crate::wheel_zip`]: end
/// records, central directory, every local header, no hidden bytes), so a wheel two zip readers
/// would see differently is refused before its METADATA is trusted. The `.dist-info` folder is
/// matched by normalised project name; exactly one must match.
pub fn read_metadata_from_wheel(path: &Path, wheel: &WheelName) -> Result<Vec<u8>, IndexError> {
    let file = wheel.filename();
    let err = |reason: String| IndexError::Metadata {
        file: file.to_string(),
        reason,
    };
    let io = |source| IndexError::Io {
        action: "Cannot read the wheel",
        path: path.to_path_buf(),
        source,
    };
    let zip_err = |e: ZipError| match e {
        ZipError::Io(source) => io(source),
        e => err(format!("not a sound zip archive: {e}")),
    };
    let mut handle = File::open(path).map_err(|source| IndexError::Io {
        action: "Cannot open the wheel",
        path: path.to_path_buf(),
        source,
    })?;
    let len = handle.metadata().map_err(io)?.len();
    let mut src = FileBytes::new(&mut handle, len);
    let layout = wheel_zip::read_layout(&mut src, &ZipLimits::default()).map_err(zip_err)?;

    let found: Vec<&wheel_zip::Member> = layout
        .members
        .iter()
        .filter(|m| {
            m.name
                .strip_suffix(".dist-info/METADATA")
                .filter(|dir| !dir.contains('/'))
                .and_then(|dir| dir.rsplit_once('-'))
                .and_then(|(name, _)| PackageName::from_str(name).ok())
                .is_some_and(|name| name == wheel.name)
        })
        .collect();
    let member = match found.as_slice() {
        [member] => *member,
        [] => {
            return Err(err(format!(
                "no `{}-{}.dist-info/METADATA` in the wheel",
                wheel.name.as_dist_info_name(),
                wheel.version
            )));
        }
        several => {
            let names: Vec<&str> = several.iter().map(|m| m.name.as_str()).collect();
            return Err(err(format!(
                "several METADATA files in the wheel: {}",
                names.join(", ")
            )));
        }
    };
    if member.uncompressed > MAX_METADATA_SIZE {
        return Err(err(format!(
            "METADATA is {} bytes, above the limit of {MAX_METADATA_SIZE}",
            member.uncompressed
        )));
    }
    // The strict reader checks the real size against the declared one as it reads.
    let mut bytes = Vec::with_capacity(usize::try_from(member.uncompressed).unwrap_or(0));
    wheel_zip::stream_member(&mut src, member, &mut bytes).map_err(zip_err)?;
    Ok(bytes)
}

/// Checks that the metadata's `Name` and `Version` agree with the wheel file name.
pub fn check_matches(meta: &CoreMetadata, wheel: &WheelName) -> Result<(), IndexError> {
    if meta.name != wheel.name {
        return Err(IndexError::Metadata {
            file: wheel.filename().to_string(),
            reason: format!(
                "`Name: {}` does not match the file name's `{}`",
                meta.name, wheel.name
            ),
        });
    }
    if meta.version != wheel.version {
        return Err(IndexError::Metadata {
            file: wheel.filename().to_string(),
            reason: format!(
                "`Version: {}` does not match the file name's `{}`",
                meta.version, wheel.version
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::io::Write as _;

    use super::*;

    fn render(meta: &CoreMetadata) -> String {
        let mut out = format!("name: {}\nversion: {}\n", meta.name, meta.version);
        if let Some(rp) = &meta.requires_python {
            writeln!(out, "requires-python: {rp}").unwrap();
        }
        for req in &meta.requires_dist {
            writeln!(out, "requires-dist: {req}").unwrap();
        }
        for extra in &meta.provides_extra {
            writeln!(out, "provides-extra: {extra}").unwrap();
        }
        out
    }

    fn parse(bytes: &[u8]) -> String {
        match parse_metadata(bytes, "x-1.0-py3-none-any.whl") {
            Ok(m) => render(&m),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn django() {
        insta::assert_snapshot!(parse(include_bytes!(
            "../../fixtures/metadata/django-4.2.11.METADATA"
        )));
    }

    #[test]
    fn requests_with_extras_and_crlf() {
        insta::assert_snapshot!(parse(include_bytes!(
            "../../fixtures/metadata/requests-2.32.3.METADATA"
        )));
    }

    #[test]
    fn folded_headers_and_legacy_parentheses() {
        insta::assert_snapshot!(parse(include_bytes!(
            "../../fixtures/metadata/folded-2.4.METADATA"
        )));
    }

    #[test]
    fn metadata_1_0_pkg_info() {
        insta::assert_snapshot!(parse(include_bytes!(
            "../../fixtures/metadata/pkg-info-1.0"
        )));
    }

    #[test]
    fn invalid_metadata() {
        let cases: [(&str, &[u8]); 13] = [
            ("empty", b""),
            ("no name", b"Metadata-Version: 2.1\nVersion: 1.0\n"),
            ("no version", b"Metadata-Version: 2.1\nName: x\n"),
            ("no metadata version", b"Name: x\nVersion: 1.0\n"),
            ("metadata version 3", b"Metadata-Version: 3.0\nName: x\nVersion: 1.0\n"),
            ("metadata version garbage", b"Metadata-Version: two\nName: x\nVersion: 1.0\n"),
            ("bad name", b"Metadata-Version: 2.1\nName: -x-\nVersion: 1.0\n"),
            ("bad version", b"Metadata-Version: 2.1\nName: x\nVersion: one\n"),
            ("name twice", b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\nName: y\n"),
            ("invalid requires-dist", b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\nRequires-Dist: foo >= \nRequires-Dist: bar ; extra = 'x'\n"),
            ("line without colon", b"Metadata-Version: 2.1\nName x\nVersion: 1.0\n"),
            ("continuation first", b" Metadata-Version: 2.1\nName: x\nVersion: 1.0\n"),
            ("headers not utf-8", b"Metadata-Version: 2.1\nName: x\xff\nVersion: 1.0\n"),
        ];
        let mut out = String::new();
        for (case, bytes) in cases {
            writeln!(out, "{case}: {}", parse(bytes)).unwrap();
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn newer_metadata_version_and_odd_body() {
        // A 2.9 file is read; the description after the blank line may be any bytes.
        let meta = parse(b"Metadata-Version: 2.9\nName: x\nVersion: 1.0\n\n\xff\xfe\nName: y\n");
        assert_eq!(meta, "name: x\nversion: 1.0\n");
    }

    /// Zip entries: name and content.
    type Entries<'a> = Vec<(&'a str, &'a [u8])>;

    fn wheel(s: &str) -> WheelName {
        s.parse().unwrap()
    }

    /// Writes a zip with the given entries into a temporary folder.
    fn zip_file(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        file
    }

    const META: &[u8] = b"Metadata-Version: 2.1\nName: Foo.Bar\nVersion: 1.0\nRequires-Dist: six\n";

    #[test]
    fn reads_metadata_from_a_wheel() {
        let w = wheel("foo_bar-1.0-py3-none-any.whl");
        let file = zip_file(&[
            ("foo_bar/__init__.py", b""),
            ("sub/other-1.0.dist-info/METADATA", b"not this one"),
            ("Foo.Bar-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
            ("Foo.Bar-1.0.dist-info/METADATA", META),
            ("Foo.Bar-1.0.dist-info/RECORD", b""),
        ]);
        let bytes = read_metadata_from_wheel(file.path(), &w).unwrap();
        assert_eq!(bytes, META);
        let meta = parse_metadata(&bytes, w.filename()).unwrap();
        check_matches(&meta, &w).unwrap();
    }

    #[test]
    fn wheel_errors() {
        let w = wheel("foo_bar-1.0-py3-none-any.whl");
        let mut out = String::new();
        let cases: [(&str, Entries<'_>); 3] = [
            ("no METADATA", vec![("foo_bar-1.0.dist-info/RECORD", b"")]),
            (
                "another project's METADATA",
                vec![("other-1.0.dist-info/METADATA", META)],
            ),
            (
                "two METADATA",
                vec![
                    ("foo_bar-1.0.dist-info/METADATA", META),
                    ("foo.bar-2.0.dist-info/METADATA", META),
                ],
            ),
        ];
        for (case, entries) in cases {
            let file = zip_file(&entries);
            let err = read_metadata_from_wheel(file.path(), &w).unwrap_err();
            writeln!(out, "{case}: {err}").unwrap();
        }
        let not_zip = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(not_zip.path(), b"PK\x03\x04 this is not a zip").unwrap();
        let err = read_metadata_from_wheel(not_zip.path(), &w).unwrap_err();
        writeln!(out, "not a zip: {err}").unwrap();
        let err = read_metadata_from_wheel(Path::new("/nonexistent/foo.whl"), &w).unwrap_err();
        writeln!(out, "missing file: {err}").unwrap();
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_wheel_the_strict_reader_refuses_gives_no_metadata() {
        // Bytes before the first member: the lenient `zip` crate reads such a file (it
        // shifts every offset), the strict reader refuses it before METADATA is read.
        let w = wheel("foo-1.0-py3-none-any.whl");
        let good = zip_file(&[("foo-1.0.dist-info/METADATA", META)]);
        let mut bytes = vec![0u8; 16];
        bytes.extend_from_slice(&std::fs::read(good.path()).unwrap());
        assert!(zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).is_ok());
        let hidden = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(hidden.path(), &bytes).unwrap();
        let err = read_metadata_from_wheel(hidden.path(), &w).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::ExitCode::Integrity);
        insta::assert_snapshot!(err.to_string(), @"Invalid metadata for foo-1.0-py3-none-any.whl: not a sound zip archive: central directory ends at offset 191 but the end record starts at 207 (prepended or hidden data)");
    }

    #[test]
    fn oversized_metadata_is_refused() {
        let w = wheel("foo-1.0-py3-none-any.whl");
        // Bytes that do not compress, so the zip reader's ratio limit does not answer first.
        let mut state = 1u32;
        let big: Vec<u8> = (0..=MAX_METADATA_SIZE)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                state.to_be_bytes()[0]
            })
            .collect();
        let file = zip_file(&[("foo-1.0.dist-info/METADATA", &big)]);
        let err = read_metadata_from_wheel(file.path(), &w).unwrap_err();
        insta::assert_snapshot!(err.to_string(), @"Invalid metadata for foo-1.0-py3-none-any.whl: METADATA is 16777217 bytes, above the limit of 16777216");
    }

    #[test]
    fn name_and_version_must_match_the_file_name() {
        let meta = parse_metadata(META, "foo_bar-1.0-py3-none-any.whl").unwrap();
        let mut out = String::new();
        for name in [
            "foo_bar-1.0-py3-none-any.whl",
            "Foo.Bar-1.0.0-py3-none-any.whl",
            "foo_baz-1.0-py3-none-any.whl",
            "foo_bar-1.0.post1-py3-none-any.whl",
        ] {
            let result = check_matches(&meta, &wheel(name));
            writeln!(
                out,
                "{name}: {}",
                result.map_or_else(|e| e.to_string(), |()| "ok".into())
            )
            .unwrap();
        }
        insta::assert_snapshot!(out);
    }
}
