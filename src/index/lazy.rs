//! Reading a remote wheel's `METADATA` with HTTP range requests, without downloading the wheel.
//!
//! Input: the URL of a wheel on a server that honours `Range`. Output: the bytes of the wheel's
//! `<name>-<version>.dist-info/METADATA`, or `None` when the server does not serve ranges or the
//! zip is not one the strict reader accepts (the caller then downloads the whole wheel, whose
//! validation names the problem).
//!
//! Two or three requests: the last [`wheel_zip::TAIL_LEN`] bytes (the end records and, for
//! most wheels, the whole central directory), the rest of the central directory if it did not
//! fit, then the member's local header and data when the tail does not hold them. A caller that
//! knows the file is small asks for a longer tail ([`RemoteZip::open`]'s `tail`): a tail as
//! long as the file holds everything, so one request does. [`RemoteZip`] reads other members
//! the same way (the `--netbox` gate reads a plugin's `__init__.py` and the modules it imports). The bytes
//! are read by the strict zip reader ([`crate::wheel_zip`], the same code that validates a
//! downloaded wheel): end records and ZIP64, every central directory entry (names, methods,
//! encryption, limits), the member's local header against the central directory, and its
//! data against its size and CRC-32. Only the tiling of the whole file (no hidden bytes between
//! members) needs every local header, so that check waits for the download's validation.

use url::Url;

use super::IndexError;
use super::http::{Http, RangeSpec};
use crate::wheel_name::WheelName;
use crate::wheel_zip::{self, Directory, Member, Window, ZipError, ZipLimits};

const MAX_METADATA: u64 = 16 * 1024 * 1024;
/// The most members [`RemoteZip::read`] reads at once.
pub const MAX_SELECTED: usize = 32;
/// Slack asked for past a member's data: the local header's extra field may be longer than
/// the central one, and a data descriptor may follow the data.
const LOCAL_SLACK: u64 = 1024 + 24;

/// The fetched end of a remote wheel (from the central directory on) and its checked central
/// directory.
struct Remote {
    start: u64,
    bytes: Vec<u8>,
    size: u64,
    directory: Directory,
}

impl Remote {
    fn window(&self) -> Window<'_> {
        Window {
            start: self.start,
            bytes: &self.bytes,
            size: self.size,
        }
    }
}

/// Finds `<dist-info>/METADATA` for `wheel` among the members.
fn find_metadata<'a>(members: &'a [Member], wheel: &WheelName) -> Option<&'a Member> {
    let mut found = None;
    for member in members {
        if let Some(dir) = member.name.strip_suffix(".dist-info/METADATA")
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

/// Reads the end records and central directory of `bytes` (the end of a file of `size` bytes,
/// from offset `start`) with the strict reader.
fn directory_in(start: u64, bytes: &[u8], size: u64) -> Result<Directory, ZipError> {
    let mut window = Window { start, bytes, size };
    wheel_zip::read_directory(&mut window, &ZipLimits::default())
}

/// The end of a remote zip from its central directory on, fetched with one or two range
/// requests (the first one the last `tail` bytes, at least [`wheel_zip::TAIL_LEN`]) and checked
/// by the strict reader; `None` when the server does not serve ranges or the strict reader
/// refuses what it got.
async fn central_directory(
    http: &Http,
    url: &Url,
    tail: u64,
) -> Result<Option<Remote>, IndexError> {
    let Some(tail) = http
        .get_range_with_total(url, RangeSpec::Suffix(tail.max(wheel_zip::TAIL_LEN)))
        .await?
    else {
        return Ok(None);
    };
    // A suffix range ends at the file's last byte.
    let size = tail.total.unwrap_or(tail.start + tail.bytes.len() as u64);
    let end = match wheel_zip::read_end(&mut Window {
        start: tail.start,
        bytes: &tail.bytes,
        size,
    }) {
        Ok(end) => end,
        Err(e) => return Ok(refused(url, &e)),
    };
    let (start, bytes) = if end.cd_offset >= tail.start {
        (tail.start, tail.bytes)
    } else {
        // Only the central directory is fetched: it must end inside the tail (the strict
        // reader checks that it ends where the end records start) and be within the limit.
        if end.cd_size > ZipLimits::default().max_central_directory
            || tail.start - end.cd_offset > end.cd_size
        {
            return Ok(None);
        }
        let Some(head) = http
            .get_range_with_total(
                url,
                RangeSpec::Bounded {
                    start: end.cd_offset,
                    end: tail.start - 1,
                },
            )
            .await?
        else {
            return Ok(None);
        };
        if head.start != end.cd_offset || head.start + head.bytes.len() as u64 != tail.start {
            return Ok(None);
        }
        let mut bytes = head.bytes;
        bytes.extend_from_slice(&tail.bytes);
        (end.cd_offset, bytes)
    };
    match directory_in(start, &bytes, size) {
        Ok(directory) => Ok(Some(Remote {
            start,
            bytes,
            size,
            directory,
        })),
        Err(e) => Ok(refused(url, &e)),
    }
}

/// Logs why the strict reader refused what a range read fetched (the download that follows
/// reports it properly); always `None`.
fn refused<T>(url: &Url, error: &ZipError) -> Option<T> {
    tracing::debug!(
        "Range read of `{}` refused by the zip reader: {error}",
        crate::redact::Redacted::new(url)
    );
    None
}

/// The member's local header and data checked against the central directory, and its
/// uncompressed bytes.
fn read_checked(window: &mut Window<'_>, member: &Member) -> Result<Vec<u8>, ZipError> {
    let mut m = member.clone();
    wheel_zip::check_local(window, &mut m)?;
    let mut out = Vec::with_capacity(usize::try_from(m.uncompressed).unwrap_or(0));
    wheel_zip::stream_member(window, &m, &mut out)?;
    Ok(out)
}

/// One member's uncompressed bytes: from the fetched tail when it holds them, else with one
/// more range request. `None` when the member is larger than `max` or the strict reader
/// refuses its local header or data.
async fn read_member(
    http: &Http,
    url: &Url,
    remote: &Remote,
    member: &Member,
    max: u64,
) -> Result<Option<Vec<u8>>, IndexError> {
    if member.uncompressed > max {
        return Ok(None);
    }
    // Members near the end are already inside the tail we have: then no request is needed.
    match read_checked(&mut remote.window(), member) {
        Ok(bytes) => return Ok(Some(bytes)),
        Err(ZipError::NotFetched { .. }) => {}
        Err(e) => return Ok(refused(url, &e)),
    }
    let want_end = member
        .local_offset
        .saturating_add(30 + member.name.len() as u64 + LOCAL_SLACK)
        .saturating_add(member.compressed)
        .min(remote.size.saturating_sub(1));
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
    let mut window = Window {
        start: local.start,
        bytes: &local.bytes,
        size: remote.size,
    };
    match read_checked(&mut window, member) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) => Ok(refused(url, &e)),
    }
}

/// Reads METADATA through range requests; `Ok(None)` when that is not possible.
pub async fn read_metadata(
    http: &Http,
    url: &Url,
    wheel: &WheelName,
) -> Result<Option<Vec<u8>>, IndexError> {
    let Some(remote) = central_directory(http, url, wheel_zip::TAIL_LEN).await? else {
        return Ok(None);
    };
    let Some(member) = find_metadata(&remote.directory.members, wheel) else {
        return Ok(None);
    };
    read_member(http, url, &remote, member, MAX_METADATA).await
}

/// A remote wheel whose central directory was fetched and checked: its member names, and
/// members read on demand through range requests ([`RemoteZip::read`]), without downloading it.
pub struct RemoteZip<'a> {
    http: &'a Http,
    url: &'a Url,
    remote: Remote,
}

impl<'a> RemoteZip<'a> {
    /// Fetches the end of the wheel at `url`: the first request asks for the last `tail` bytes
    /// (at least [`wheel_zip::TAIL_LEN`]; the file's size, for a small file, makes it the only
    /// request). `Ok(None)` when the server does not serve ranges or the strict zip reader
    /// refuses the wheel (the caller downloads it).
    pub async fn open(http: &'a Http, url: &'a Url, tail: u64) -> Result<Option<Self>, IndexError> {
        Ok(central_directory(http, url, tail)
            .await?
            .map(|remote| RemoteZip { http, url, remote }))
    }

    /// Every member name, in central directory order.
    pub fn names(&self) -> Vec<String> {
        self.remote
            .directory
            .members
            .iter()
            .map(|m| m.name.clone())
            .collect()
    }

    /// The uncompressed bytes of each member of `names` (at most [`MAX_SELECTED`]), in the
    /// same order, read concurrently: from the fetched tail when it holds them, else with one
    /// range request each. `Ok(None)` when one is missing, larger than `max`, or refused by the
    /// strict reader.
    pub async fn read(
        &self,
        names: &[String],
        max: u64,
    ) -> Result<Option<Vec<Vec<u8>>>, IndexError> {
        if names.len() > MAX_SELECTED {
            return Ok(None);
        }
        let all = &self.remote.directory.members;
        let mut members = Vec::with_capacity(names.len());
        for name in names {
            match all.iter().find(|m| &m.name == name) {
                Some(member) => members.push(member),
                None => return Ok(None),
            }
        }
        let reads = members
            .into_iter()
            .map(|member| read_member(self.http, self.url, &self.remote, member, max));
        futures_util::future::join_all(reads)
            .await
            .into_iter()
            .collect::<Result<Option<Vec<_>>, _>>()
    }
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
    fn finds_and_reads_members_from_fetched_ranges() {
        let bytes = wheel_bytes();
        let size = bytes.len() as u64;
        let directory = directory_in(0, &bytes, size).unwrap();
        let wheel: WheelName = "foo-1.0-py3-none-any.whl".parse().unwrap();
        let m = find_metadata(&directory.members, &wheel).unwrap();
        assert_eq!(m.uncompressed, 45);
        let mut all = Window {
            start: 0,
            bytes: &bytes,
            size,
        };
        assert_eq!(
            read_checked(&mut all, m).unwrap(),
            b"Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n"
        );
        // A window that starts after the member does not hold it.
        let after = usize::try_from(m.local_offset).unwrap() + 1;
        let mut later = Window {
            start: m.local_offset + 1,
            bytes: &bytes[after..],
            size,
        };
        assert!(matches!(
            read_checked(&mut later, m),
            Err(ZipError::NotFetched { .. })
        ));
        let names: Vec<&str> = directory.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["foo/__init__.py", "foo-1.0.dist-info/METADATA"]);
        assert_eq!(
            read_checked(&mut all, &directory.members[0]).unwrap(),
            b"x = 1\n"
        );
        let other: WheelName = "bar-1.0-py3-none-any.whl".parse().unwrap();
        assert!(find_metadata(&directory.members, &other).is_none());
        let junk = b"not a zip at all, no record here";
        assert!(directory_in(0, junk, junk.len() as u64).is_err());
    }

    #[test]
    fn the_strict_reader_refuses_what_the_old_parser_let_through() {
        // A local header that names another member than the central directory does.
        let mut bytes = wheel_bytes();
        let at = bytes
            .windows(15)
            .position(|w| w == b"foo/__init__.py")
            .unwrap();
        bytes[at] = b'g';
        let size = bytes.len() as u64;
        let directory = directory_in(0, &bytes, size).unwrap();
        let mut all = Window {
            start: 0,
            bytes: &bytes,
            size,
        };
        let err = read_checked(&mut all, &directory.members[0]).unwrap_err();
        assert!(
            err.to_string().contains("name in the local header"),
            "{err}"
        );
        // The central directory does not end where the end record starts.
        let mut bytes = wheel_bytes();
        let eocd = bytes.len() - 22;
        bytes[eocd + 12] += 1;
        assert!(matches!(
            directory_in(0, &bytes, size),
            Err(ZipError::Malformed(_))
        ));
    }
}
