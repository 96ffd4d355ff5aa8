//! The local headers and the data of the members: that they agree with the central directory,
//! that they tile the file, and that each member's data decompresses to what the headers say.

use std::io::{self, Read, Write};

use flate2::read::DeflateDecoder;

use super::central::{apply_zip64, read_directory};
use super::{
    DESCRIPTOR_SIG, FLAG_DESCRIPTOR, LOCAL_SIG, Layout, Member, ZipBytes, ZipError, ZipLimits,
    ZipProblem, read_at, u16_at, u32_at, u64_at,
};

fn malformed(problem: ZipProblem) -> ZipError {
    ZipError::Malformed(problem)
}

/// Reads the end records and the central directory, then checks every local header and that
/// the members tile the file.
pub fn read_layout(src: &mut dyn ZipBytes, limits: &ZipLimits) -> Result<Layout, ZipError> {
    let mut directory = read_directory(src, limits)?;
    check_local_headers(src, &mut directory.members, directory.end.cd_offset)?;
    Ok(Layout {
        members: directory.members,
        uncompressed_size: directory.uncompressed_size,
    })
}

/// Reads each local header, compares it with the central directory, and checks that the
/// members tile the file from offset 0 up to the central directory with no gap or overlap.
fn check_local_headers(
    src: &mut dyn ZipBytes,
    members: &mut [Member],
    cd_offset: u64,
) -> Result<(), ZipError> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| members[i].local_offset);
    let mut expected = 0u64;
    let mut previous: Option<(String, u64)> = None;
    for i in order {
        let m = &members[i];
        if m.local_offset != expected {
            return Err(malformed(match &previous {
                Some((name, end)) if m.local_offset < expected => ZipProblem::Overlap {
                    member: m.name.clone(),
                    offset: m.local_offset,
                    previous: name.clone(),
                    previous_end: *end,
                },
                _ => ZipProblem::Gap {
                    offset: expected,
                    len: m.local_offset - expected,
                },
            }));
        }
        let m = &mut members[i];
        expected = check_local(src, m)?;
        previous = Some((m.name.clone(), expected));
    }
    if expected != cd_offset {
        return Err(malformed(if expected < cd_offset {
            ZipProblem::Gap {
                offset: expected,
                len: cd_offset - expected,
            }
        } else {
            let (name, end) = previous.unwrap_or_default();
            ZipProblem::Overlap {
                member: "central directory".to_string(),
                offset: cd_offset,
                previous: name,
                previous_end: end,
            }
        }));
    }
    Ok(())
}

/// Reads one member's local header (and data descriptor) and compares them with the central
/// directory; sets [`Member::data_offset`] and returns where the member ends.
pub fn check_local(src: &mut dyn ZipBytes, m: &mut Member) -> Result<u64, ZipError> {
    let mut fixed = [0u8; 30];
    read_at(src, m.local_offset, &mut fixed)?;
    if u32_at(&fixed, 0) != LOCAL_SIG {
        return Err(malformed(ZipProblem::BadMember {
            member: m.name.clone(),
            detail: "no local header signature at the offset the central directory gives",
        }));
    }
    let flags = u16_at(&fixed, 6);
    let name_len = usize::from(u16_at(&fixed, 26));
    let extra_len = usize::from(u16_at(&fixed, 28));
    let mut var = vec![0u8; name_len + extra_len];
    read_at(src, m.local_offset + 30, &mut var)?;
    let has_zip64 = compare_local(m, &fixed, &var[..name_len], &var[name_len..])?;
    let data_offset = m.local_offset + 30 + var.len() as u64;
    let data_end = data_offset
        .checked_add(m.compressed)
        .filter(|&e| e <= src.size())
        .ok_or_else(|| malformed(ZipProblem::Truncated(data_offset)))?;
    m.data_offset = data_offset;
    if flags & FLAG_DESCRIPTOR == 0 {
        return Ok(data_end);
    }
    check_descriptor(src, m, data_end, has_zip64)
}

fn mismatch(m: &Member, field: &'static str, local: String, central: String) -> ZipError {
    malformed(ZipProblem::LocalMismatch {
        member: m.name.clone(),
        field,
        local,
        central,
    })
}

/// Compares the local header's fields with the central directory's; returns whether the
/// local header has a ZIP64 extra field.
fn compare_local(
    m: &Member,
    fixed: &[u8; 30],
    raw_name: &[u8],
    extra: &[u8],
) -> Result<bool, ZipError> {
    let flags = u16_at(fixed, 6);
    let method = u16_at(fixed, 8);
    let crc32 = u32_at(fixed, 14);
    let mut compressed = u64::from(u32_at(fixed, 18));
    let mut uncompressed = u64::from(u32_at(fixed, 22));
    if raw_name != m.raw_name.as_slice() {
        return Err(mismatch(
            m,
            "name",
            format!("\"{}\"", String::from_utf8_lossy(raw_name).escape_debug()),
            format!("\"{}\"", m.name.escape_debug()),
        ));
    }
    if flags != m.flags {
        return Err(mismatch(
            m,
            "flags",
            format!("{flags:#06x}"),
            format!("{:#06x}", m.flags),
        ));
    }
    if method != m.method {
        return Err(mismatch(
            m,
            "compression method",
            method.to_string(),
            m.method.to_string(),
        ));
    }
    let has_zip64 =
        apply_zip64(extra, &mut uncompressed, &mut compressed, None).map_err(|detail| {
            malformed(ZipProblem::BadMember {
                member: m.name.clone(),
                detail,
            })
        })?;
    if flags & FLAG_DESCRIPTOR == 0 {
        if crc32 != m.crc32 {
            return Err(mismatch(
                m,
                "CRC-32",
                format!("{crc32:#010x}"),
                format!("{:#010x}", m.crc32),
            ));
        }
        if compressed != m.compressed {
            return Err(mismatch(
                m,
                "compressed size",
                compressed.to_string(),
                m.compressed.to_string(),
            ));
        }
        if uncompressed != m.uncompressed {
            return Err(mismatch(
                m,
                "uncompressed size",
                uncompressed.to_string(),
                m.uncompressed.to_string(),
            ));
        }
    }
    Ok(has_zip64)
}

/// Reads the data descriptor at `data_end` (optional signature, CRC-32, then 4- or 8-byte
/// sizes) and compares it with the central directory; returns where it ends.
fn check_descriptor(
    src: &mut dyn ZipBytes,
    m: &Member,
    data_end: u64,
    has_zip64: bool,
) -> Result<u64, ZipError> {
    let wide = has_zip64 || m.compressed >= 0xFFFF_FFFF || m.uncompressed >= 0xFFFF_FFFF;
    let size_len = if wide { 16 } else { 8 };
    let mut first = [0u8; 4];
    read_at(src, data_end, &mut first)?;
    let body_at = if u32_at(&first, 0) == DESCRIPTOR_SIG {
        data_end + 4
    } else {
        data_end
    };
    let mut body = [0u8; 20];
    let body = &mut body[..4 + size_len];
    read_at(src, body_at, body)?;
    let (d_crc, d_comp, d_uncomp) = if wide {
        (u32_at(body, 0), u64_at(body, 4), u64_at(body, 12))
    } else {
        (
            u32_at(body, 0),
            u64::from(u32_at(body, 4)),
            u64::from(u32_at(body, 8)),
        )
    };
    for (field, local, central) in [
        (
            "data descriptor CRC-32",
            u64::from(d_crc),
            u64::from(m.crc32),
        ),
        ("data descriptor compressed size", d_comp, m.compressed),
        (
            "data descriptor uncompressed size",
            d_uncomp,
            m.uncompressed,
        ),
    ] {
        if local != central {
            return Err(mismatch(m, field, local.to_string(), central.to_string()));
        }
    }
    Ok(body_at + body.len() as u64)
}

/// Copies `reader` into `sink` and the CRC-32 hasher; returns the number of bytes. Errors of
/// the reader go through `read_error`.
fn copy(
    reader: &mut dyn Read,
    hasher: &mut crc32fast::Hasher,
    sink: &mut dyn Write,
    read_error: &dyn Fn(io::Error) -> ZipError,
) -> Result<u64, ZipError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(read_error)?;
        if n == 0 {
            return Ok(count);
        }
        hasher.update(&buf[..n]);
        sink.write_all(&buf[..n]).map_err(ZipError::Io)?;
        count += n as u64;
    }
}

/// Decompresses one member into `sink`, checking its real size and CRC-32 against the
/// headers. Reads at most the declared size plus one byte of output, so a lying header cannot
/// make it do unbounded work. The member's local header must have been read
/// ([`read_layout`] or [`check_local`]).
pub fn stream_member(
    src: &mut dyn ZipBytes,
    m: &Member,
    sink: &mut dyn Write,
) -> Result<(), ZipError> {
    let raw = src.reader_at(m.data_offset, m.compressed)?;
    let mut hasher = crc32fast::Hasher::new();
    let (count, consumed) = if m.method == 8 {
        let deflate_error = |e: io::Error| {
            malformed(ZipProblem::Deflate {
                member: m.name.clone(),
                error: e.to_string(),
            })
        };
        let mut decoder = DeflateDecoder::new(raw);
        let count = copy(
            &mut (&mut decoder).take(m.uncompressed + 1),
            &mut hasher,
            sink,
            &deflate_error,
        )?;
        (count, decoder.total_in())
    } else {
        let count = copy(
            &mut raw.take(m.uncompressed + 1),
            &mut hasher,
            sink,
            &ZipError::Io,
        )?;
        (count, count)
    };
    let data_mismatch = |field, expected: String, actual: String| {
        malformed(ZipProblem::DataMismatch {
            member: m.name.clone(),
            field,
            expected,
            actual,
        })
    };
    if count != m.uncompressed {
        let actual = if count > m.uncompressed {
            format!("more than {}", m.uncompressed)
        } else {
            count.to_string()
        };
        return Err(data_mismatch("size", m.uncompressed.to_string(), actual));
    }
    let crc = hasher.finalize();
    if crc != m.crc32 {
        return Err(data_mismatch(
            "CRC-32",
            format!("{:#010x}", m.crc32),
            format!("{crc:#010x}"),
        ));
    }
    if consumed != m.compressed {
        return Err(data_mismatch(
            "compressed size",
            m.compressed.to_string(),
            consumed.to_string(),
        ));
    }
    Ok(())
}
