//! Reading a remote wheel's `METADATA` with HTTP range requests, without downloading the wheel.
//!
//! Input: the URL of a wheel on a server that honours `Range`. Output: the bytes of the wheel's
//! `<name>-<version>.dist-info/METADATA`, or `None` when the server does not serve ranges or the
//! zip layout is not one this reader handles (the caller then downloads the whole wheel).
//!
//! Two or three requests: the last 64 KiB (end of central directory record and, for most wheels,
//! the whole central directory), the rest of the central directory if it did not fit, then the
//! METADATA member's local header and data. Only the zip structures needed for that are parsed
//! here, by hand, because no zip crate reads from a sparse remote source; anything unusual
//! (ZIP64, encryption, a method other than stored or deflate) gives `None` and the full download,
//! whose bytes are then checked in full by [`crate::verify`].

use std::io::Read;

use url::Url;

use super::IndexError;
use super::http::{Http, RangeBody, RangeSpec};
use crate::wheel_name::WheelName;

const TAIL: u64 = 64 * 1024;
const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;
const MAX_METADATA: u64 = 16 * 1024 * 1024;
const MAX_CENTRAL_DIRECTORY: u64 = 64 * 1024 * 1024;
/// The most members [`read_selected`] reads from one wheel.
pub const MAX_SELECTED: usize = 32;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Where the METADATA member lives.
#[derive(Debug, PartialEq, Eq)]
struct Member {
    method: u16,
    flags: u16,
    compressed: u64,
    uncompressed: u64,
    local_offset: u64,
}

/// Finds the end of central directory record in `tail`; returns (cd offset, cd size).
fn find_eocd(tail: &[u8]) -> Option<(u64, u64)> {
    if tail.len() < 22 {
        return None;
    }
    let mut i = tail.len() - 22;
    loop {
        if u32_at(tail, i)? == EOCD_SIG {
            let cd_size = u32_at(tail, i + 12)?;
            let cd_offset = u32_at(tail, i + 16)?;
            if cd_size == u32::MAX || cd_offset == u32::MAX {
                return None; // ZIP64: left to the full download.
            }
            return Some((u64::from(cd_offset), u64::from(cd_size)));
        }
        if i == 0 {
            return None;
        }
        i -= 1;
    }
}

/// Every entry of the central directory: member name and where its data is. `None` when the
/// bytes are not a central directory this reader handles.
fn entries(cd: &[u8]) -> Option<Vec<(String, Member)>> {
    let mut at = 0usize;
    let mut out = Vec::new();
    while at + 46 <= cd.len() {
        if u32_at(cd, at)? != CDH_SIG {
            return None;
        }
        let flags = u16_at(cd, at + 8)?;
        let method = u16_at(cd, at + 10)?;
        let compressed = u32_at(cd, at + 20)?;
        let uncompressed = u32_at(cd, at + 24)?;
        let name_len = usize::from(u16_at(cd, at + 28)?);
        let extra_len = usize::from(u16_at(cd, at + 30)?);
        let comment_len = usize::from(u16_at(cd, at + 32)?);
        let local = u32_at(cd, at + 42)?;
        let name = std::str::from_utf8(cd.get(at + 46..at + 46 + name_len)?).ok()?;
        if compressed != u32::MAX && uncompressed != u32::MAX && local != u32::MAX {
            out.push((
                name.to_string(),
                Member {
                    method,
                    flags,
                    compressed: u64::from(compressed),
                    uncompressed: u64::from(uncompressed),
                    local_offset: u64::from(local),
                },
            ));
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(out)
}

/// Finds `<dist-info>/METADATA` for `wheel` in the central directory bytes.
fn find_metadata(cd: &[u8], wheel: &WheelName) -> Option<Member> {
    let mut found = None;
    for (name, member) in entries(cd)? {
        if let Some(dir) = name.strip_suffix(".dist-info/METADATA")
            && !dir.contains('/')
            && dist_info_matches(dir, wheel)
        {
            if found.is_some() {
                return None; // Two candidates: let the full check decide.
            }
            found = Some(member);
        }
    }
    found
}

fn dist_info_matches(dir: &str, wheel: &WheelName) -> bool {
    let Some((name, version)) = dir.rsplit_once('-') else {
        return false;
    };
    let name_ok = pep508_rs::PackageName::new(name.to_string()).is_ok_and(|n| n == wheel.name);
    let version_ok = version
        .parse::<pep440_rs::Version>()
        .is_ok_and(|v| v == wheel.version);
    name_ok && version_ok
}

/// The tail of a remote zip and its central directory bytes, fetched with one or two range
/// requests; `None` when the server does not serve ranges or the layout is not handled.
async fn central_directory(
    http: &Http,
    url: &Url,
) -> Result<Option<(RangeBody, Vec<u8>)>, IndexError> {
    let Some(tail) = http
        .get_range_with_total(url, RangeSpec::Suffix(TAIL))
        .await?
    else {
        return Ok(None);
    };
    let Some((cd_offset, cd_size)) = find_eocd(&tail.bytes) else {
        return Ok(None);
    };
    if cd_size > MAX_CENTRAL_DIRECTORY {
        return Ok(None);
    }
    let cd: Vec<u8> = if cd_offset >= tail.start {
        let from = usize::try_from(cd_offset - tail.start).unwrap_or(usize::MAX);
        let to = from.saturating_add(usize::try_from(cd_size).unwrap_or(usize::MAX));
        match tail.bytes.get(from..to) {
            Some(slice) => slice.to_vec(),
            None => return Ok(None),
        }
    } else {
        let Some(body) = http
            .get_range_with_total(
                url,
                RangeSpec::Bounded {
                    start: cd_offset,
                    end: cd_offset + cd_size.saturating_sub(1),
                },
            )
            .await?
        else {
            return Ok(None);
        };
        body.bytes
    };
    Ok(Some((tail, cd)))
}

/// One member's uncompressed bytes: from `tail` when it holds them, else with one more range
/// request. `None` when the member is encrypted, uses another method, is larger than `max`,
/// or its bytes do not check out.
async fn read_member(
    http: &Http,
    url: &Url,
    tail: &RangeBody,
    member: &Member,
    max: u64,
) -> Result<Option<Vec<u8>>, IndexError> {
    if member.flags & 1 != 0 || !matches!(member.method, 0 | 8) || member.uncompressed > max {
        return Ok(None);
    }
    // Members near the end are already inside the tail we have: then no request is needed.
    if let Some(data) = member_data(&tail.bytes, tail.start, member) {
        return Ok(inflate(data, member));
    }
    // The local header's extra field may differ from the central one: ask for some slack.
    let want_end = member.local_offset + 30 + 1024 + member.compressed;
    let Some(local) = http
        .get_range_with_total(
            url,
            RangeSpec::Bounded {
                start: member.local_offset,
                end: want_end,
            },
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(member_data(&local.bytes, local.start, member).and_then(|data| inflate(data, member)))
}

/// Reads METADATA through range requests; `Ok(None)` when that is not possible.
pub async fn read_metadata(
    http: &Http,
    url: &Url,
    wheel: &WheelName,
) -> Result<Option<Vec<u8>>, IndexError> {
    let Some((tail, cd)) = central_directory(http, url).await? else {
        return Ok(None);
    };
    let Some(member) = find_metadata(&cd, wheel) else {
        return Ok(None);
    };
    read_member(http, url, &tail, &member, MAX_METADATA).await
}

/// Reads chosen members of a remote wheel through range requests, without downloading it:
/// `select` gets every member name of the central directory and returns the ones wanted (at
/// most [`MAX_SELECTED`] are read, each at most `max` bytes). Output: `(name, bytes)` for each
/// member read; a member larger than `max` is left out. `Ok(None)` when the server
/// does not serve ranges or the zip layout is not handled (the caller downloads the wheel).
pub async fn read_selected(
    http: &Http,
    url: &Url,
    select: impl FnOnce(&[String]) -> Vec<String>,
    max: u64,
) -> Result<Option<Vec<(String, Vec<u8>)>>, IndexError> {
    let Some((tail, cd)) = central_directory(http, url).await? else {
        return Ok(None);
    };
    let Some(all) = entries(&cd) else {
        return Ok(None);
    };
    let names: Vec<String> = all.iter().map(|(n, _)| n.clone()).collect();
    let wanted = select(&names);
    if wanted.len() > MAX_SELECTED {
        return Ok(None);
    }
    let mut out = Vec::new();
    for name in wanted {
        let Some((_, member)) = all.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        // Larger than asked for: left out (not a failure of the method).
        if member.uncompressed > max {
            continue;
        }
        match read_member(http, url, &tail, member, max).await? {
            Some(bytes) => out.push((name, bytes)),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// The member's compressed bytes, when `bytes` (starting at offset `start` of the file) holds
/// its whole local header and data.
fn member_data<'a>(bytes: &'a [u8], start: u64, member: &Member) -> Option<&'a [u8]> {
    let at = usize::try_from(member.local_offset.checked_sub(start)?).ok()?;
    let b = bytes.get(at..)?;
    if u32_at(b, 0) != Some(LFH_SIG) {
        return None;
    }
    let data_start = 30 + usize::from(u16_at(b, 26)?) + usize::from(u16_at(b, 28)?);
    let data_end = data_start.checked_add(usize::try_from(member.compressed).ok()?)?;
    b.get(data_start..data_end)
}

/// Decompresses a stored or deflated member, checking its size.
fn inflate(data: &[u8], member: &Member) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let read = if member.method == 8 {
        flate2::read::DeflateDecoder::new(data)
            .take(member.uncompressed + 1)
            .read_to_end(&mut out)
    } else {
        out.extend_from_slice(data);
        Ok(out.len())
    };
    if read.is_err() || out.len() as u64 != member.uncompressed {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn wheel_bytes() -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("foo/__init__.py", opts).unwrap();
        zip.write_all(b"x = 1\n").unwrap();
        zip.start_file("foo-1.0.dist-info/METADATA", opts).unwrap();
        zip.write_all(b"Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n")
            .unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn finds_metadata_in_the_central_directory() {
        let bytes = wheel_bytes();
        let (off, size) = find_eocd(&bytes).unwrap();
        let cd = &bytes[usize::try_from(off).unwrap()..usize::try_from(off + size).unwrap()];
        let wheel: WheelName = "foo-1.0-py3-none-any.whl".parse().unwrap();
        let m = find_metadata(cd, &wheel).unwrap();
        assert_eq!(m.uncompressed, 45);
        let data = member_data(&bytes, 0, &m).unwrap();
        assert_eq!(
            inflate(data, &m).unwrap(),
            b"Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n"
        );
        // A window that starts after the member does not hold it.
        let after = usize::try_from(m.local_offset).unwrap() + 1;
        assert!(member_data(&bytes[after..], m.local_offset + 1, &m).is_none());
        let names: Vec<String> = entries(cd).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["foo/__init__.py", "foo-1.0.dist-info/METADATA"]);
        let init = &entries(cd).unwrap()[0].1;
        assert_eq!(
            inflate(member_data(&bytes, 0, init).unwrap(), init).unwrap(),
            b"x = 1\n"
        );
        assert_eq!(
            entries(b"PK\x01\x02 too short for a header, but long enough to try it"),
            None
        );
        let other: WheelName = "bar-1.0-py3-none-any.whl".parse().unwrap();
        assert_eq!(find_metadata(cd, &other), None);
        assert_eq!(find_eocd(b"not a zip at all, no record here"), None);
    }
}
