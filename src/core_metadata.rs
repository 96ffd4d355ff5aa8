//! The header block of core metadata (`METADATA`, `PKG-INFO`, a PEP 658 `.metadata` file) and
//! of a wheel's `WHEEL` file: `Field: value` lines, read as Python's `email.parser` (which pip
//! uses) reads them. The one header reader of the crate: `index::metadata` reads the fields
//! the resolver needs with it, `verify` the identity fields and `Wheel-Version`.
//!
//! Input: the bytes of the file. Output: the [`Header`]s in file order, or a [`HeaderProblem`]
//! the caller words in its own error. Grammar:
//!
//! ```text
//! file         = header* [blank-line body]
//! header       = field-name ":" value LF continuation*
//! continuation = (SP | HTAB) text LF        ; unfolded: the line break is removed
//! blank-line   = LF | CR LF
//! ```
//!
//! Lines end in LF or CRLF. The headers end at the first blank line, or at a line that is
//! neither a header nor a continuation (the description, as `email.parser` reads it). Only the
//! header block must be UTF-8: the body may hold any bytes. A continuation is unfolded as
//! RFC 5322 says (the line break is removed, the leading white space kept), so a folded
//! `Requires-Dist` reads as one line. Field names are kept as written (compare them without
//! case); values are trimmed.
//!
//! A foundation module: it imports nothing from the crate.

/// One header field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// The 1-based line the field starts on.
    pub line: usize,
    /// The field name as written (trimmed).
    pub name: &'a str,
    /// The value, continuation lines unfolded, trimmed.
    pub value: String,
}

/// Why a header block cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// The header block is not UTF-8.
    NotUtf8(std::str::Utf8Error),
    /// The first line is a continuation line.
    ContinuationFirst {
        /// The 1-based line.
        line: usize,
    },
    /// The first line has no `:`.
    NoColon {
        /// The 1-based line.
        line: usize,
        /// The line as written.
        text: String,
    },
}

/// Reads the header block of `bytes`.
pub fn headers(bytes: &[u8]) -> Result<Vec<Header<'_>>, HeaderProblem> {
    let text = std::str::from_utf8(header_block(bytes)).map_err(HeaderProblem::NotUtf8)?;
    let mut fields: Vec<Header<'_>> = Vec::new();
    // `lines` strips the LF or CRLF; the header block holds no blank line.
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some(field) => field.value.push_str(line),
                None => return Err(HeaderProblem::ContinuationFirst { line: line_no }),
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            if fields.is_empty() {
                return Err(HeaderProblem::NoColon {
                    line: line_no,
                    text: line.to_string(),
                });
            }
            // Neither a header nor a continuation: the body starts here.
            tracing::debug!("line {line_no}: the headers end at a line without `:`");
            break;
        };
        fields.push(Header {
            line: line_no,
            name: name.trim(),
            value: value.to_string(),
        });
    }
    for field in &mut fields {
        let trimmed = field.value.trim();
        if trimmed.len() != field.value.len() {
            field.value = trimmed.to_string();
        }
    }
    Ok(fields)
}

/// The value of the first field named `name` (compared without case).
pub fn first<'h>(headers: &'h [Header<'_>], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The bytes before the first blank line (LF LF, or a line holding only CR).
fn header_block(bytes: &[u8]) -> &[u8] {
    let mut start = 0;
    while let Some(nl) = bytes[start..].iter().position(|&b| b == b'\n') {
        let line = &bytes[start..start + nl];
        if line.is_empty() || line == b"\r" {
            return &bytes[..start.saturating_sub(1)];
        }
        start += nl + 1;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<(usize, String, String)> {
        headers(bytes)
            .unwrap()
            .into_iter()
            .map(|h| (h.line, h.name.to_string(), h.value))
            .collect()
    }

    fn owned(v: &[(usize, &str, &str)]) -> Vec<(usize, String, String)> {
        v.iter()
            .map(|(l, n, v)| (*l, (*n).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn continuation_lines_are_unfolded() {
        let got = read(
            b"Name: x\r\nLicense: one\r\n  two\r\n\tthree\r\nRequires-Dist: a;\n\tpython_version >= \"3\"\nVersion : 1.0  \n",
        );
        assert_eq!(
            got,
            owned(&[
                (1, "Name", "x"),
                (2, "License", "one  two\tthree"),
                (5, "Requires-Dist", "a;\tpython_version >= \"3\""),
                (7, "Version", "1.0"),
            ])
        );
        // A line of white space only is a continuation, not the end of the headers.
        assert_eq!(
            read(b"Name: x\n   \nVersion: 1\n"),
            owned(&[(1, "Name", "x"), (3, "Version", "1")])
        );
    }

    #[test]
    fn the_header_block_ends_at_a_blank_line_or_a_line_without_a_colon() {
        // The body may hold any bytes and more `Field:` lines, which are not headers.
        assert_eq!(
            read(b"Name: x\n\n\xff\xfe\nName: y\n"),
            owned(&[(1, "Name", "x")])
        );
        assert_eq!(
            read(b"Name: x\r\n\r\nVersion: 2\r\n"),
            owned(&[(1, "Name", "x")])
        );
        assert_eq!(
            read(b"Name: x\nLicense: MIT\nCopyright (c) someone\nVersion: 2\n"),
            owned(&[(1, "Name", "x"), (2, "License", "MIT")])
        );
        assert_eq!(read(b""), owned(&[]));
        assert_eq!(first(&headers(b"NAME: x\n").unwrap(), "name"), Some("x"));
    }

    #[test]
    fn problems() {
        assert_eq!(
            headers(b" Name: x\n"),
            Err(HeaderProblem::ContinuationFirst { line: 1 })
        );
        assert_eq!(
            headers(b"Name x\nVersion: 1\n"),
            Err(HeaderProblem::NoColon {
                line: 1,
                text: "Name x".into()
            })
        );
        assert!(matches!(
            headers(b"Name: x\xff\n"),
            Err(HeaderProblem::NotUtf8(_))
        ));
    }
}
