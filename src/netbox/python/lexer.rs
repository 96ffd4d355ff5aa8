//! The tokenizer: source text to logical lines of tokens (comments, blank lines, `\`
//! continuations and newlines inside brackets joined away), and string literals with their
//! escapes.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Name(String),
    /// A string literal: its value, and whether it can be a `str` literal (not bytes, not an
    /// f-string).
    Str(String, bool),
    Num(String),
    Op(&'static str),
}

/// A logical line: its indentation and tokens.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) indent: usize,
    pub(super) toks: Vec<Tok>,
}

const OPS2: [&str; 20] = [
    "**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "@=", "<<", ">>", "...",
];
const OPS1: &str = "()[]{},:;.=+-*/%&|^~<>@!";

fn op1(c: char) -> &'static str {
    const NAMES: [&str; 24] = [
        "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "+", "-", "*", "/", "%", "&", "|",
        "^", "~", "<", ">", "@", "!",
    ];
    OPS1.chars().position(|o| o == c).map_or("?", |i| NAMES[i])
}

/// Splits source text into logical lines of tokens. Never fails: an unterminated string ends
/// the text.
pub(super) fn tokenize(src: &str) -> Vec<Line> {
    let chars: Vec<char> = src.chars().collect();
    let n = chars.len();
    let mut lines = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut indent = 0usize;
    let mut at_line_start = true;
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < n {
        if at_line_start {
            let mut col = 0usize;
            while i < n && matches!(chars[i], ' ' | '\t' | '\x0c') {
                col = if chars[i] == '\t' {
                    (col / 8 + 1) * 8
                } else {
                    col + 1
                };
                i += 1;
            }
            indent = col;
            at_line_start = false;
            continue;
        }
        let c = chars[i];
        match c {
            '#' => {
                while i < n && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\\' if chars.get(i + 1) == Some(&'\r') && chars.get(i + 2) == Some(&'\n') => i += 3,
            '\n' => {
                i += 1;
                if depth == 0 {
                    if !toks.is_empty() {
                        lines.push(Line {
                            indent,
                            toks: std::mem::take(&mut toks),
                        });
                    }
                    at_line_start = true;
                }
            }
            ' ' | '\t' | '\r' | '\x0c' => i += 1,
            '"' | '\'' => match read_string(&chars, i, "") {
                Some((tok, next)) => {
                    toks.push(tok);
                    i = next;
                }
                None => break,
            },
            c if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                while i < n {
                    let d = chars[i];
                    let part = d.is_ascii_alphanumeric() || d == '_' || d == '.';
                    // The sign of an exponent (`1e-3`), not in hex (`0xE-1` is a subtraction).
                    let exponent_sign = matches!(d, '+' | '-')
                        && matches!(chars[i - 1], 'e' | 'E')
                        && !chars[start..i].iter().any(|x| matches!(x, 'x' | 'X'));
                    if !(part || exponent_sign) {
                        break;
                    }
                    i += 1;
                }
                toks.push(Tok::Num(chars[start..i].iter().collect()));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < n && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if i < n
                    && matches!(chars[i], '"' | '\'')
                    && word.len() <= 2
                    && word.chars().all(|p| "rRbBuUfFtT".contains(p))
                {
                    match read_string(&chars, i, &word) {
                        Some((tok, next)) => {
                            toks.push(tok);
                            i = next;
                        }
                        None => break,
                    }
                } else {
                    toks.push(Tok::Name(word));
                }
            }
            _ => {
                let three: String = chars[i..n.min(i + 3)].iter().collect();
                let two: String = chars[i..n.min(i + 2)].iter().collect();
                if let Some(op) = OPS2.iter().find(|o| **o == three || **o == two) {
                    toks.push(Tok::Op(op));
                    i += op.len();
                } else {
                    match c {
                        '(' | '[' | '{' => depth += 1,
                        ')' | ']' | '}' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    toks.push(Tok::Op(op1(c)));
                    i += 1;
                }
            }
        }
    }
    if !toks.is_empty() {
        lines.push(Line { indent, toks });
    }
    lines
}

/// Reads a string literal starting at the quote `chars[start]` with the given prefix; returns
/// the token and the index after it, or `None` when it is not terminated.
fn read_string(chars: &[char], start: usize, prefix: &str) -> Option<(Tok, usize)> {
    let p = prefix.to_ascii_lowercase();
    let raw = p.contains('r');
    let plain = !p.contains('b') && !p.contains('f') && !p.contains('t');
    let q = chars[start];
    let triple = chars.get(start + 1) == Some(&q) && chars.get(start + 2) == Some(&q);
    let mut i = start + if triple { 3 } else { 1 };
    let mut value = String::new();
    loop {
        let c = *chars.get(i)?;
        if c == q {
            if !triple {
                return Some((Tok::Str(value, plain), i + 1));
            }
            if chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q) {
                return Some((Tok::Str(value, plain), i + 3));
            }
            value.push(c);
            i += 1;
            continue;
        }
        if c == '\n' && !triple {
            return None;
        }
        if c == '\\' {
            let next = *chars.get(i + 1)?;
            if raw {
                value.push('\\');
                value.push(next);
                i += 2;
                continue;
            }
            i += 2;
            match next {
                '\n' => {}
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                '0' if !chars.get(i).is_some_and(|d| d.is_digit(8)) => value.push('\0'),
                'a' => value.push('\x07'),
                'b' => value.push('\x08'),
                'f' => value.push('\x0c'),
                'v' => value.push('\x0b'),
                'x' | 'u' | 'U' => {
                    let len = match next {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.get(i..i + len)?.iter().collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        value.push(ch);
                        i += len;
                    } else {
                        value.push('\\');
                        value.push(next);
                    }
                }
                '\\' | '\'' | '"' => value.push(next),
                other => {
                    value.push('\\');
                    value.push(other);
                }
            }
            continue;
        }
        value.push(c);
        i += 1;
    }
}
