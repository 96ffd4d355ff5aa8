//! Bounds checked before text is handed to a recursive or super-linear parser.
//!
//! `pep508_rs` parses markers recursively (one stack frame chain per parenthesis: 50,000 nested
//! parentheses overflow the stack and abort the process) and copies the whole input once per
//! extra while reading `name[extras]` (quadratic). Every PEP 508 string nbwheel parses, from a
//! requirements file or from a wheel's `Requires-Dist`, goes through [`check_pep508`] first, so
//! the work is bounded by [`MAX_PEP508_BYTES`] and the stack by [`MAX_NESTING`].

use std::str::FromStr as _;

use pep508_rs::{Pep508Url, Requirement};

/// The longest PEP 508 string parsed (16 KiB; real requirements are well under 1 KiB).
pub const MAX_PEP508_BYTES: usize = 16 * 1024;

/// The deepest nesting of brackets accepted in recursive syntax (markers, Python literals).
pub const MAX_NESTING: usize = 32;

/// The deepest nesting of `(`/`[`/`{` in `text` (quotes are not special: a bracket inside a
/// string counts too, which only matters for absurd inputs).
pub fn nesting_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Checks that `text` is short enough and shallow enough to hand to `pep508_rs`: the reason
/// when it is not.
pub fn check_pep508(text: &str) -> Result<(), String> {
    if text.len() > MAX_PEP508_BYTES {
        return Err(format!(
            "the requirement is {} bytes long (at most {MAX_PEP508_BYTES} are read)",
            text.len()
        ));
    }
    // `pep508_rs` 0.9 mixes character counts and byte offsets on some paths and panics on a
    // non-ASCII character outside a quoted string; PEP 508 names, versions, operators and
    // marker variables are ASCII, and URLs are written percent-encoded.
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if !c.is_ascii() => return Err(non_ascii(c, i)),
            _ => {}
        }
    }
    if let Some((c, i)) = unsafe_marker_token(text) {
        return Err(non_ascii(c, i));
    }
    // `pep508_rs` 0.9 panics (instead of failing) on a name or extra ending in `.`, `-`, `_`.
    if let Some((_, reason)) = super::spec::trailing_punctuation(text) {
        return Err(reason);
    }
    let depth = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(format!(
            "brackets are nested {depth} deep (at most {MAX_NESTING})"
        ));
    }
    Ok(())
}

fn non_ascii(c: char, at: usize) -> String {
    format!(
        "non-ASCII character `{}` at byte {} where it cannot be read safely (names, versions and markers are ASCII; percent-encode URLs)",
        c.escape_debug(),
        at + 1
    )
}

/// After each marker expression, `pep508_rs` 0.9 peeks the run of non-whitespace characters
/// that follows and slices it by its *character* count as if it were a byte length: when the
/// run holds multi-byte characters and the cut falls inside one, it panics (found by fuzzing:
/// `a ; python_version >= "4" a$$"x"?h"\u{249}"`). The expression can end anywhere, so every
/// character position is checked: the first non-ASCII character of a run whose cut would land
/// inside a character, with its byte offset. Linear in the length of `text`.
fn unsafe_marker_token(text: &str) -> Option<(char, usize)> {
    // Walk backwards keeping, for the run that starts at each position, its end (in bytes) and
    // its character count.
    let mut run_end = text.len();
    let mut run_chars = 0usize;
    for (start, c) in text.char_indices().rev() {
        if c.is_whitespace() {
            run_end = start;
            run_chars = 0;
            continue;
        }
        run_chars += 1;
        let cut = start + run_chars;
        if cut < run_end && !text.is_char_boundary(cut) {
            let bad = text[start..run_end]
                .char_indices()
                .find(|(_, c)| !c.is_ascii());
            return bad.map(|(i, c)| (c, start + i));
        }
    }
    None
}

/// Parses a PEP 508 requirement after [`check_pep508`]; the error is the message.
pub fn parse_pep508<T: Pep508Url>(text: &str) -> Result<Requirement<T>, String> {
    check_pep508(text)?;
    Requirement::<T>::from_str(text).map_err(|e| describe(&e))
}

/// `pep508_rs`'s message with the input underlined where it points, as its `Display` writes it
/// for ASCII text. Its own `Display` slices the input by a span that may count characters, and
/// asserts on the span's length: both panic on some inputs (found by fuzzing `pep508`), so the
/// span is used only where it falls on character boundaries.
fn describe<T: Pep508Url>(e: &pep508_rs::Pep508Error<T>) -> String {
    let message = e.message.to_string();
    let input = e.input.as_str();
    match span_columns(input, e.start, e.len) {
        Some((before, width)) => format!(
            "{message}\n{input}\n{}{}",
            " ".repeat(before),
            "^".repeat(width)
        ),
        None => message,
    }
}

/// The columns of a `pep508_rs` error span in `input`: characters before it and its width (at
/// least 1), or `None` when its start is not on a character boundary (the span then cannot be
/// trusted: `pep508_rs` mixes character and byte offsets).
pub(super) fn span_columns(input: &str, start: usize, len: usize) -> Option<(usize, usize)> {
    let start = start.min(input.len());
    if !input.is_char_boundary(start) {
        return None;
    }
    let before = input[..start].chars().count();
    let width = input
        .get(start..start.saturating_add(len))
        .map_or(1, |s| s.chars().count().max(1));
    Some((before, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_and_long_inputs_are_refused_without_recursion() {
        let deep = format!(
            "a ; {}python_version > '3'{}",
            "(".repeat(5_000),
            ")".repeat(5_000)
        );
        assert!(
            parse_pep508::<url::Url>(&deep)
                .unwrap_err()
                .contains("nested")
        );
        let ok = format!("a ; {}python_version > '3'{}", "(".repeat(8), ")".repeat(8));
        assert!(parse_pep508::<url::Url>(&ok).is_ok());
        let wide = format!("a[{}", "x,".repeat(1_000_000));
        let t = std::time::Instant::now();
        assert!(
            parse_pep508::<url::Url>(&wide)
                .unwrap_err()
                .contains("bytes long")
        );
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
        // Found by proptest: `pep508_rs` panicked slicing inside a multi-byte character.
        let glued = "foo\t ; python_version >= '3.12'.tar.gz..\u{e9}\u{feff}\u{feff}'";
        assert!(
            parse_pep508::<url::Url>(glued)
                .unwrap_err()
                .contains("non-ASCII")
        );
        assert!(parse_pep508::<url::Url>("a ; platform_release == '\u{e9}'").is_ok());
        // Found by fuzzing `pep508`: the token after a marker expression was sliced by its
        // character count.
        let crash = "ahdjango>=4.2,<5 ; python_version >= \"4.python_vera[b,c] @ ht:pn--/rGsion >= \"a$$\"linux\"?h\"\u{0}\u{249} oS{";
        assert!(
            parse_pep508::<url::Url>(crash)
                .unwrap_err()
                .contains("non-ASCII")
        );
        assert!(parse_pep508::<url::Url>("a ; os_name == 'x' '\u{e9}\u{e9}'").is_err());
        // Conservative: any position may follow an expression in hostile input, so a quoted run
        // where the cut would split a character is refused even where it would parse.
        assert!(
            parse_pep508::<url::Url>("a ; os_name == 'x' and platform_release == '\u{e9}\u{e9}'")
                .is_err()
        );
        assert!(
            parse_pep508::<url::Url>("a ; os_name == 'x' and platform_release == '\u{e9}'").is_ok()
        );
        // Found by fuzzing `pep508`: the error's own `Display` sliced the input inside `\u{249}`.
        let crash = "a[b,c] @ ht:pn--o>=4.2,<5 ; python_version >= \"6.1010\" a]e (sys_pmn >=a[\u{0}\u{0}/Ns/exa'ple.o/rh:tpn--o\u{0}\u{0}/Ns/example.o/rG?h\"\u{0}\u{244}S{G?h\"\u{0}\u{244}S{";
        let shown = parse_pep508::<url::Url>(crash).unwrap_err();
        assert!(!shown.is_empty());
        // Found by fuzzing the metadata reader: a `Requires-Dist` name ending in `.` panicked.
        assert!(parse_pep508::<url::Url>("django.=4.2,<5").is_err());
        assert!(parse_pep508::<url::Url>("a[b-] ; x").is_err());
    }
}
