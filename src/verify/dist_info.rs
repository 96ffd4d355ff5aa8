//! The identity of a wheel: its one `.dist-info` directory, `WHEEL` and `METADATA` against the
//! file name, and the top-level import names of its members.

use std::collections::BTreeSet;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;

use super::{WheelError, list};
use crate::core_metadata::{self, Header, HeaderProblem};
use crate::wheel_name::WheelName;
use crate::wheel_zip::Member;

/// Finds the one top-level `.dist-info` directory and checks it against the file name.
pub(super) fn find_dist_info(
    wheel: &str,
    name: &WheelName,
    members: &[Member],
) -> Result<String, WheelError> {
    let found: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m.name.split_once('/').map(|(first, _)| first))
        .filter(|first| first.ends_with(".dist-info"))
        .collect();
    let [dir] = found.iter().copied().collect::<Vec<_>>()[..] else {
        return Err(WheelError::DistInfoCount {
            wheel: wheel.to_string(),
            found: found.iter().map(|s| (*s).to_string()).collect(),
        });
    };
    let expected = format!(
        "{}-{}.dist-info",
        name.name.as_dist_info_name(),
        name.version
    );
    let mismatch = || WheelError::Mismatch {
        wheel: wheel.to_string(),
        field: "the `.dist-info` directory",
        expected: expected.clone(),
        actual: dir.to_string(),
    };
    let stem = dir.strip_suffix(".dist-info").unwrap_or(dir);
    let (dist, version) = stem.rsplit_once('-').ok_or_else(mismatch)?;
    let same_name = PackageName::new(dist.to_string()).is_ok_and(|n| n == name.name);
    let same_version = Version::from_str(version).is_ok_and(|v| v == name.version);
    if same_name && same_version {
        Ok(dir.to_string())
    } else {
        Err(mismatch())
    }
}

/// Reads the header block of `WHEEL` or `METADATA` ([`core_metadata::headers`]).
fn headers<'a>(wheel: &str, member: &str, bytes: &'a [u8]) -> Result<Vec<Header<'a>>, WheelError> {
    core_metadata::headers(bytes).map_err(|problem| WheelError::BadMetadataFile {
        wheel: wheel.to_string(),
        member: member.to_string(),
        detail: match problem {
            HeaderProblem::NotUtf8(_) => "has headers that are not valid UTF-8",
            HeaderProblem::ContinuationFirst { .. } => "starts with a continuation line",
            HeaderProblem::NoColon { .. } => "has a header line without `:`",
        },
    })
}

/// Checks `WHEEL`: `Wheel-Version` 1.x. Returns its `Tag` lines, and a note when their set
/// differs from the file name's tags.
pub(super) fn check_wheel_file(
    wheel: &str,
    name: &WheelName,
    member: &str,
    bytes: &[u8],
) -> Result<(Vec<String>, Option<String>), WheelError> {
    let headers = headers(wheel, member, bytes)?;
    let version = core_metadata::first(&headers, "Wheel-Version").ok_or_else(|| {
        WheelError::BadMetadataFile {
            wheel: wheel.to_string(),
            member: member.to_string(),
            detail: "has no `Wheel-Version`",
        }
    })?;
    let is_1x = version == "1"
        || version
            .strip_prefix("1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !is_1x {
        return Err(WheelError::WheelVersion {
            wheel: wheel.to_string(),
            actual: version.to_string(),
        });
    }
    let tags: Vec<String> = headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("Tag"))
        .map(|h| h.value.clone())
        .collect();
    // Tag *sets* are compared after expanding compressed tags on both sides: `rpds-py` 0.27.0
    // writes `Tag: cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64` on one line, and
    // duplicate lines or a different order mean the same set. A set that still differs is a
    // wheel retagged after its build (playwright 1.65.2: `py3-none-manylinux1_x86_64` in the
    // name, `py3-none-any` in `WHEEL`; ray 2.60.0: `manylinux2014_x86_64` against
    // `linux_x86_64`). pip and uv take compatibility from the file name and install it; RECORD
    // still covers every byte, so this is a note, never a refusal.
    let in_wheel: BTreeSet<String> = tags.iter().flat_map(|t| expand_tag(t)).collect();
    let in_name: BTreeSet<String> = name
        .tags()
        .map(|(py, abi, plat)| format!("{py}-{abi}-{plat}"))
        .collect();
    let only_in_wheel: Vec<String> = in_wheel.difference(&in_name).cloned().collect();
    let only_in_name: Vec<String> = in_name.difference(&in_wheel).cloned().collect();
    let note = (!only_in_wheel.is_empty() || !only_in_name.is_empty()).then(|| {
        format!(
            "the `Tag` lines of `{member}` differ from the file name (only in `WHEEL`: {}; only in the file name: {}); its compatibility is taken from the file name, as pip and uv do",
            list(&only_in_wheel),
            list(&only_in_name)
        )
    });
    Ok((tags, note))
}

/// Every tag triple of a possibly compressed `Tag:` value (`py2.py3-none-any` gives two). A
/// value that is not three `-`-separated parts is kept as written, so it shows in a mismatch.
fn expand_tag(tag: &str) -> Vec<String> {
    let parts: Vec<&str> = tag.trim().split('-').collect();
    let [py, abi, plat] = parts[..] else {
        return vec![tag.trim().to_string()];
    };
    let mut out = Vec::new();
    for p in py.split('.') {
        for a in abi.split('.') {
            for pl in plat.split('.') {
                out.push(format!("{p}-{a}-{pl}"));
            }
        }
    }
    out
}

/// Checks METADATA `Name` and `Version` against the file name.
pub(super) fn check_metadata(
    wheel: &str,
    name: &WheelName,
    member: &str,
    bytes: &[u8],
) -> Result<(), WheelError> {
    let headers = headers(wheel, member, bytes)?;
    let missing = |detail| WheelError::BadMetadataFile {
        wheel: wheel.to_string(),
        member: member.to_string(),
        detail,
    };
    let meta_name =
        core_metadata::first(&headers, "Name").ok_or_else(|| missing("has no `Name`"))?;
    if PackageName::new(meta_name.to_string()).ok().as_ref() != Some(&name.name) {
        return Err(WheelError::Mismatch {
            wheel: wheel.to_string(),
            field: "METADATA `Name`",
            expected: name.name.to_string(),
            actual: meta_name.to_string(),
        });
    }
    let meta_version =
        core_metadata::first(&headers, "Version").ok_or_else(|| missing("has no `Version`"))?;
    if Version::from_str(meta_version).ok().as_ref() != Some(&name.version) {
        return Err(WheelError::Mismatch {
            wheel: wheel.to_string(),
            field: "METADATA `Version`",
            expected: name.version.to_string(),
            actual: meta_version.to_string(),
        });
    }
    Ok(())
}

/// Top-level import names from member paths: package directories and module files.
pub(super) fn top_level<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for path in paths {
        let mut parts = path.split('/');
        let Some(mut first) = parts.next() else {
            continue;
        };
        if first.ends_with(".dist-info") {
            continue;
        }
        if first.len() > 5 && first.as_bytes().ends_with(b".data") {
            match (parts.next(), parts.next()) {
                (Some("purelib" | "platlib"), Some(next)) => first = next,
                _ => continue,
            }
        }
        let is_package = parts.next().is_some();
        let candidate = if is_package {
            first
        } else {
            match first.split_once('.') {
                Some((stem, ext))
                    if ext
                        .rsplit('.')
                        .next()
                        .is_some_and(|last| matches!(last, "py" | "pyc" | "so" | "pyd")) =>
                {
                    stem
                }
                _ => continue,
            }
        };
        let identifier = candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && candidate.chars().all(|c| c.is_alphanumeric() || c == '_');
        if identifier {
            out.insert(candidate.to_string());
        }
    }
    out.into_iter().collect()
}
