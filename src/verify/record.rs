//! The wheel `RECORD` file: a CSV list of every member with its hash and size.
//!
//! Input: the bytes of `{name}-{version}.dist-info/RECORD`. Output: [`RecordRow`]s and, per row,
//! the expected digest. Grammar (RFC 4180 subset, as Python's `csv` module writes it):
//!
//! ```text
//! record = row*            ; rows end in LF or CRLF; blank lines are skipped
//! row    = field "," field "," field
//! field  = plain | '"' ( [^"] | '""' )* '"'
//! hash   = "" | algorithm "=" urlsafe-base64-without-padding
//! ```
//!
//! A three-column CSV needs about forty lines, so it is parsed here rather than pulling in a
//! CSV crate. Accepted algorithms are those of [`crate::hash::HashAlgorithm`] (`sha256`,
//! `sha384` and `sha512`); `md5` and `sha1` are rejected as too weak.

use base64::Engine as _;

use crate::hash::HashAlgorithm;

/// What is wrong with a wheel's `RECORD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordProblem {
    /// There is no RECORD.
    #[error("`{0}` is missing")]
    Missing(String),
    /// RECORD is not valid UTF-8.
    #[error("RECORD is not valid UTF-8")]
    NotUtf8,
    /// A row cannot be parsed.
    #[error("line {line}: {detail}")]
    Syntax {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// A member's hash differs from RECORD.
    #[error(
        "hash mismatch for `{member}`: RECORD says {algorithm}={expected}, computed {algorithm}={actual}"
    )]
    HashMismatch {
        /// The member.
        member: String,
        /// The algorithm.
        algorithm: HashAlgorithm,
        /// The digest from RECORD (URL-safe base64).
        expected: String,
        /// The computed digest (URL-safe base64).
        actual: String,
    },
    /// A member's size differs from RECORD.
    #[error("size mismatch for `{member}`: RECORD says {expected} bytes, the member has {actual}")]
    SizeMismatch {
        /// The member.
        member: String,
        /// The size from RECORD.
        expected: u64,
        /// The real size.
        actual: u64,
    },
    /// A member is not listed.
    #[error("`{0}` is in the wheel but not in RECORD")]
    Unlisted(String),
    /// A row names no member.
    #[error("line {line}: `{path}` is listed but not in the wheel")]
    NoFile {
        /// The 1-based line.
        line: usize,
        /// The listed path.
        path: String,
    },
    /// A row uses md5 or sha1.
    #[error(
        "line {line}: `{path}` is hashed with {algorithm}, which is too weak (use sha256 or stronger)"
    )]
    WeakHash {
        /// The 1-based line.
        line: usize,
        /// The listed path.
        path: String,
        /// The algorithm.
        algorithm: String,
    },
    /// A row uses an unknown algorithm or a malformed digest.
    #[error("line {line}: `{path}` has an invalid hash `{hash}`")]
    BadHash {
        /// The 1-based line.
        line: usize,
        /// The listed path.
        path: String,
        /// The hash field.
        hash: String,
    },
    /// A row has no hash.
    #[error("line {line}: `{path}` has no hash")]
    NoHash {
        /// The 1-based line.
        line: usize,
        /// The listed path.
        path: String,
    },
    /// A row has a size that is not a number.
    #[error("line {line}: `{path}` has an invalid size `{size}`")]
    BadSize {
        /// The 1-based line.
        line: usize,
        /// The listed path.
        path: String,
        /// The size field.
        size: String,
    },
    /// A path is listed twice.
    #[error("line {line}: `{path}` is listed twice")]
    DuplicateRow {
        /// The 1-based line of the second row.
        line: usize,
        /// The listed path.
        path: String,
    },
}

/// One RECORD row, fields as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordRow {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The member path.
    pub path: String,
    /// The hash field, possibly empty.
    pub hash: String,
    /// The size field, possibly empty.
    pub size: String,
}

/// A checked row: what the member must hash to.
#[derive(Debug, Clone)]
pub(crate) struct Expected {
    /// The algorithm and digest, unless the row has no (usable) hash.
    pub digest: Option<(HashAlgorithm, Vec<u8>)>,
    /// The size, when given.
    pub size: Option<u64>,
}

/// Splits RECORD into rows of exactly three fields.
pub(crate) fn parse_rows(bytes: &[u8]) -> Result<Vec<RecordRow>, RecordProblem> {
    let text = std::str::from_utf8(bytes).map_err(|_| RecordProblem::NotUtf8)?;
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start_line = line;
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut at_field_start = true;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err(RecordProblem::Syntax {
                        line: start_line,
                        detail: "unterminated quoted field",
                    });
                }
                break;
            };
            let field = fields.last_mut().expect("a row has at least one field");
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if at_field_start => {
                    quoted = true;
                    at_field_start = false;
                }
                ',' => {
                    fields.push(String::new());
                    at_field_start = true;
                }
                '\n' => {
                    line += 1;
                    break;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                // A quote inside an unquoted field is a literal character, as Python's `csv`
                // reads it.
                _ => {
                    field.push(c);
                    at_field_start = false;
                }
            }
        }
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        // Trailing empty fields (`path,hash,size,`) carry nothing and are dropped.
        while fields.len() > 3 && fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        let [path, hash, size]: [String; 3] =
            fields.try_into().map_err(|_| RecordProblem::Syntax {
                line: start_line,
                detail: "expected 3 fields: path, hash, size",
            })?;
        // `./pkg/x.py` and `pkg\x.py` name the member `pkg/x.py`: pip and uv read them so.
        let mut path = path.replace('\\', "/");
        while let Some(rest) = path.strip_prefix("./") {
            path = rest.to_string();
        }
        let (hash, size) = (hash.trim().to_string(), size.trim().to_string());
        rows.push(RecordRow {
            line: start_line,
            path,
            hash,
            size,
        });
    }
    Ok(rows)
}

/// Checks one row's hash and size fields.
pub(crate) fn expected(row: &RecordRow) -> Result<Expected, RecordProblem> {
    let size = if row.size.is_empty() {
        None
    } else {
        Some(
            row.size
                .parse::<u64>()
                .map_err(|_| RecordProblem::BadSize {
                    line: row.line,
                    path: row.path.clone(),
                    size: row.size.clone(),
                })?,
        )
    };
    if row.hash.is_empty() {
        return Ok(Expected { digest: None, size });
    }
    let bad = || RecordProblem::BadHash {
        line: row.line,
        path: row.path.clone(),
        hash: row.hash.clone(),
    };
    let (name, value) = row.hash.split_once('=').ok_or_else(bad)?;
    let name = name.to_ascii_lowercase();
    if matches!(name.as_str(), "md5" | "sha1" | "sha224") {
        return Err(RecordProblem::WeakHash {
            line: row.line,
            path: row.path.clone(),
            algorithm: name.clone(),
        });
    }
    let algorithm: HashAlgorithm = name.parse().map_err(|()| bad())?;
    let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| bad())?;
    if digest.len() != algorithm.digest_len() {
        return Err(bad());
    }
    Ok(Expected {
        digest: Some((algorithm, digest)),
        size,
    })
}

/// URL-safe base64 without padding, as RECORD writes digests.
pub(crate) fn encode(digest: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_fields_and_crlf() {
        let rows =
            parse_rows(b"a/b.py,sha256=AAAA,3\r\n\"c,\"\"d\"\".py\",,\r\n\nx.dist-info/RECORD,,\n")
                .unwrap();
        let got: Vec<(usize, &str, &str, &str)> = rows
            .iter()
            .map(|r| (r.line, r.path.as_str(), r.hash.as_str(), r.size.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (1, "a/b.py", "sha256=AAAA", "3"),
                (2, "c,\"d\".py", "", ""),
                (4, "x.dist-info/RECORD", "", "")
            ]
        );
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(matches!(
            parse_rows(b"a,b\n"),
            Err(RecordProblem::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            parse_rows(b"a,b,c\n\"x,,\n"),
            Err(RecordProblem::Syntax { line: 2, .. })
        ));
    }

    #[test]
    fn reads_unusual_rows_as_pip_does() {
        // A quote inside an unquoted field is literal; `./` and `\\` paths name the member;
        // trailing empty fields and padded sizes are tolerated.
        let rows = parse_rows(b"a\"b,,\n./pkg/x.py,sha256=AAAA, 3 ,\npkg\\y.py,,\n").unwrap();
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.hash.as_str(), r.size.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a\"b", "", ""),
                ("pkg/x.py", "sha256=AAAA", "3"),
                ("pkg/y.py", "", "")
            ]
        );
    }

    #[test]
    fn checks_hash_fields() {
        let row = |hash: &str, size: &str| RecordRow {
            line: 7,
            path: "p".into(),
            hash: hash.into(),
            size: size.into(),
        };
        let digest = encode(&[1u8; 32]);
        let ok = expected(&row(&format!("sha256={digest}"), "12")).unwrap();
        assert_eq!(ok.digest, Some((HashAlgorithm::Sha256, vec![1u8; 32])));
        assert_eq!(ok.size, Some(12));
        assert!(matches!(
            expected(&row("md5=abc", "1")),
            Err(RecordProblem::WeakHash { .. })
        ));
        assert!(matches!(
            expected(&row("sha256=AAAA", "1")),
            Err(RecordProblem::BadHash { .. })
        ));
        assert!(matches!(
            expected(&row("blake9=AAAA", "1")),
            Err(RecordProblem::BadHash { .. })
        ));
        assert!(matches!(
            expected(&row("", "x")),
            Err(RecordProblem::BadSize { .. })
        ));
    }
}
