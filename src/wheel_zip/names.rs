//! Member names: which are safe to extract, and how a central directory entry's name bytes
//! decode.

use super::{FLAG_UTF8, ZipProblem};

/// Checks a member name; returns the reason it is unsafe.
pub fn unsafe_name_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    if name.contains('\\') {
        return Some("backslash");
    }
    if name.chars().any(is_other_char) {
        return Some("control, format or private-use character");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("drive prefix");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    for component in body.split('/') {
        match component {
            ".." => return Some("`..` component"),
            "." => return Some("`.` component"),
            "" => return Some("empty component"),
            _ => {}
        }
    }
    None
}

/// True for characters of Unicode category `C` that can hide or reorder text.
///
/// No Unicode general-category crate is in the dependency tree, so this covers Cc (control),
/// the Cf (format) code points that exist, Co (private use), and, of Cn (unassigned), the
/// noncharacters; surrogates cannot occur in a Rust `char`.
pub fn is_other_char(c: char) -> bool {
    let u = u32::from(c);
    c.is_control()
        || matches!(
            u,
            0xAD | 0x600..=0x605
                | 0x61C
                | 0x6DD
                | 0x70F
                | 0x890..=0x891
                | 0x8E2
                | 0x180E
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE0FFF
                | 0xE000..=0xF8FF
                | 0x000F_0000..=0x0010_FFFF
                | 0xFDD0..=0xFDEF
        )
        || (u & 0xFFFE) == 0xFFFE
}

pub(super) fn decode_name(raw: &[u8], flags: u16, index: usize) -> Result<String, ZipProblem> {
    let escaped = || match std::str::from_utf8(raw) {
        Ok(name) => name.escape_debug().to_string(),
        Err(_) => raw.escape_ascii().to_string(),
    };
    let unsafe_name = |reason| ZipProblem::UnsafeName {
        name: format!("\"{}\"", escaped()),
        reason,
    };
    if raw.is_empty() {
        return Err(ZipProblem::BadCentralEntry {
            index,
            detail: "empty member name",
        });
    }
    if flags & FLAG_UTF8 == 0 && !raw.is_ascii() {
        return Err(unsafe_name(
            "non-ASCII name without the UTF-8 flag (ambiguous encoding)",
        ));
    }
    let name = std::str::from_utf8(raw).map_err(|_| unsafe_name("not valid UTF-8"))?;
    if let Some(reason) = unsafe_name_reason(name) {
        return Err(unsafe_name(reason));
    }
    Ok(name.to_string())
}
