//! From file bytes to logical lines, and from a line's options part to typed options.
//!
//! Input: the bytes of a file. Output: [`LogicalLine`]s (first physical line number, text with
//! comments removed and `${VAR}` expanded), then per line the requirement part and the options
//! part. The steps follow pip's `req_file.py` in order, so edge cases agree with it:
//!
//! 1. decode: UTF-8 with or without a BOM, or UTF-16 with a BOM (PowerShell's `>` writes that);
//! 2. split into physical lines like Python's `str.splitlines` (LF, CRLF, CR and the rarer breaks);
//! 3. join a line ending in `\` with the next, unless it is a comment line; the joined line keeps
//!    the number of its first physical line; backslashes at both ends of a joined piece go;
//! 4. cut comments: `#` at the start of the line or after whitespace starts one (`url#sha256=` is
//!    kept), then trim and drop empty lines;
//! 5. expand `${NAME}` with `NAME` in `[A-Z0-9_]+`; an unset or empty variable stays as written.
//!    Values are not scanned again (pip may expand a `${…}` inside a value; nobody relies on it);
//! 6. split the line at the first space-separated word starting with `-`: before it is the
//!    requirement, after it the options (read by [`super::options`]).
//!
//! Hand-written because no crate reads pip's file format without also pulling in a resolver
//! (uv's parser is not published as a library).

/// One logical line of a requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LogicalLine {
    /// The 1-based number of its first physical line.
    pub number: usize,
    /// Leading whitespace characters on the first physical line, for error columns.
    pub indent: usize,
    /// The text: joined, comment-free, trimmed and expanded.
    pub text: String,
    /// The `${NAME}` expansions made, as `(NAME, value)`.
    pub expansions: Vec<(String, String)>,
}

impl LogicalLine {
    /// Puts `${NAME}` back wherever an expanded value appears, so messages never show a secret.
    pub fn unexpand(&self, text: &str) -> String {
        unexpand(text, &self.expansions)
    }
}

/// Replaces every expanded value in `text` with its `${NAME}`, longest value first.
pub(super) fn unexpand(text: &str, expansions: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = expansions.iter().collect();
    sorted.sort_by_key(|(_, value)| std::cmp::Reverse(value.len()));
    let mut out = text.to_string();
    for (name, value) in sorted {
        if !value.is_empty() {
            out = out.replace(value.as_str(), &format!("${{{name}}}"));
        }
    }
    out
}

/// Decodes file bytes. On failure returns the 1-based line of the first bad byte.
pub(super) fn decode(bytes: &[u8]) -> Result<String, usize> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    let utf16 = |rest: &[u8], little: bool| -> Result<String, usize> {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        // The line of the first unpaired surrogate, or of the odd last byte.
        let mut line = 1;
        let mut text = String::with_capacity(units.len());
        for decoded in char::decode_utf16(units.iter().copied()) {
            match decoded {
                Ok(c) => {
                    line += usize::from(c == '\n');
                    text.push(c);
                }
                Err(_) => return Err(line),
            }
        }
        if rest.len() % 2 == 1 {
            return Err(line);
        }
        Ok(text)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, usize> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(bytes[..e.valid_up_to()].split(|b| *b == b'\n').count()),
    }
}

/// Splits like Python's `str.splitlines()`.
fn physical_lines(content: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = content.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0B}'
                | '\u{0C}'
                | '\u{1C}'
                | '\u{1D}'
                | '\u{1E}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            lines.push(&content[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
                chars.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < content.len() {
        lines.push(&content[start..]);
    }
    lines
}

/// True when the line is a comment line (`#` after optional leading whitespace).
fn is_comment_line(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Removes a comment: from the first `#` at the start or after whitespace.
fn strip_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && previous_is_space {
            return &line[..i];
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

/// Expands `${NAME}` (NAME in `[A-Z0-9_]+`) when the variable is set and not empty.
fn expand(line: &str, env: &dyn Fn(&str) -> Option<String>) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(line.len());
    let mut expansions: Vec<(String, String)> = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            let name = &after[..name_len];
            match env(name).filter(|v| !v.is_empty()) {
                Some(value) => {
                    out.push_str(&value);
                    if !expansions.iter().any(|(n, _)| n == name) {
                        expansions.push((name.to_string(), value));
                    }
                }
                None => out.push_str(&rest[start..start + 3 + name_len]),
            }
            rest = &after[name_len + 1..];
        } else {
            out.push_str("${");
            rest = after;
        }
    }
    out.push_str(rest);
    (out, expansions)
}

/// Steps 2 to 5: physical lines to logical lines.
pub(super) fn logical_lines(
    content: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<LogicalLine> {
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
    // Step 3: join continuations, keeping the first line's number and indent.
    let mut joined: Vec<(usize, usize, String)> = Vec::new();
    let mut pending: Option<(usize, usize, String)> = None;
    for (index, line) in physical_lines(content).into_iter().enumerate() {
        let number = index + 1;
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if line.ends_with('\\') && !is_comment_line(line) {
            let piece = line.trim_matches('\\');
            match &mut pending {
                Some((_, _, text)) => text.push_str(piece),
                None => pending = Some((number, indent, piece.to_string())),
            }
            continue;
        }
        let line = if is_comment_line(line) {
            format!(" {line}")
        } else {
            line.to_string()
        };
        match pending.take() {
            Some((first, first_indent, mut text)) => {
                text.push_str(&line);
                joined.push((first, first_indent, text));
            }
            None => joined.push((number, indent, line)),
        }
    }
    if let Some(last) = pending {
        joined.push(last);
    }
    // Steps 4 and 5.
    joined
        .into_iter()
        .filter_map(|(number, indent, text)| {
            let text = strip_comment(&text).trim();
            if text.is_empty() {
                return None;
            }
            let (text, expansions) = expand(text, env);
            Some(LogicalLine {
                number,
                indent,
                text,
                expansions,
            })
        })
        .collect()
}

/// Step 6, first half: the requirement part and the options part, split as pip does (on single
/// spaces, at the first word starting with `-`).
pub(super) fn split_requirement_options(line: &str) -> (&str, &str) {
    let mut offset = 0;
    for word in line.split(' ') {
        if word.starts_with('-') {
            return (&line[..offset], &line[offset..]);
        }
        offset += word.len() + 1;
    }
    (line, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn texts(content: &str) -> Vec<(usize, String)> {
        logical_lines(content, &no_env)
            .into_iter()
            .map(|l| (l.number, l.text))
            .collect()
    }

    #[test]
    fn comments_follow_pip() {
        assert_eq!(
            texts("# full\nfoo  # trailing\nhttps://h/x.whl#sha256=ab\n   # indented\n\n"),
            vec![(2, "foo".into()), (3, "https://h/x.whl#sha256=ab".into())]
        );
    }

    #[test]
    fn continuations_join_and_keep_the_first_line_number() {
        assert_eq!(
            texts("a \\\n  b \\\n  c\nd\n# c \\\ne\nf \\"),
            vec![
                (1, "a   b   c".into()),
                (4, "d".into()),
                (6, "e".into()),
                (7, "f".into())
            ]
        );
        // A comment line ends a continuation.
        assert_eq!(
            texts("a \\\n# note\nb"),
            vec![(1, "a".into()), (3, "b".into())]
        );
    }

    #[test]
    fn line_breaks_like_splitlines() {
        assert_eq!(
            texts("a\r\nb\rc\u{2028}d"),
            vec![
                (1, "a".into()),
                (2, "b".into()),
                (3, "c".into()),
                (4, "d".into())
            ]
        );
    }

    #[test]
    fn env_expansion_follows_pip() {
        let env = |name: &str| match name {
            "TOKEN" => Some("s3cret".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let lines = logical_lines(
            "${TOKEN}/${TOKEN} ${EMPTY} ${UNSET} ${lower} $TOKEN ${TOKEN #x",
            &env,
        );
        assert_eq!(
            lines[0].text,
            "s3cret/s3cret ${EMPTY} ${UNSET} ${lower} $TOKEN ${TOKEN"
        );
        assert_eq!(lines[0].unexpand("at s3cret"), "at ${TOKEN}");
    }

    #[test]
    fn decode_handles_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFfoo").as_deref(), Ok("foo"));
        assert_eq!(decode(b"\xFF\xFEf\0o\0").as_deref(), Ok("fo"));
        assert_eq!(decode(b"\xFE\xFF\0f\0o").as_deref(), Ok("fo"));
        assert_eq!(decode(b"a\nb\n\xFF"), Err(3));
    }

    #[test]
    fn split_requirement_and_options() {
        assert_eq!(
            split_requirement_options("foo==1  --hash=sha256:x"),
            ("foo==1  ", "--hash=sha256:x")
        );
        assert_eq!(split_requirement_options("-r x.txt"), ("", "-r x.txt"));
        assert_eq!(split_requirement_options("foo\t--pre"), ("foo\t--pre", ""));
    }
}
