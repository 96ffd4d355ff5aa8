//! Literal values (`'a'`, `1_000`, `[…]`, `{…: …}`, `True`, `None` …) read from tokens, and
//! their JSON and Python renderings.

use serde_json::Value;

use super::lexer::Tok;

/// A literal value read from the source.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A `str` literal (adjacent literals concatenated).
    Str(String),
    /// An `int`, kept as written when it does not fit in `i64`.
    Int(i64),
    /// An `int` too large for `i64`, or written in a form kept as text.
    BigInt(String),
    /// A `float`.
    Float(f64),
    /// `True` / `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A list, tuple or set.
    List(Vec<Literal>),
    /// A dict, keys in source order.
    Dict(Vec<(Literal, Literal)>),
}

impl Literal {
    /// The value as JSON (dict keys that are not strings are rendered as their Python text).
    pub fn to_json(&self) -> Value {
        match self {
            Literal::Str(s) | Literal::BigInt(s) => Value::String(s.clone()),
            Literal::Int(i) => Value::from(*i),
            Literal::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            Literal::Bool(b) => Value::Bool(*b),
            Literal::None => Value::Null,
            Literal::List(items) => Value::Array(items.iter().map(Literal::to_json).collect()),
            Literal::Dict(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Literal::Str(s) => s.clone(),
                            other => other.to_python(),
                        };
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }

    /// The value as Python source.
    pub fn to_python(&self) -> String {
        match self {
            Literal::Str(s) => python_string(s),
            Literal::Int(i) => i.to_string(),
            Literal::BigInt(s) => s.clone(),
            Literal::Float(f) => {
                let s = f.to_string();
                if s.contains(['.', 'e', 'E', 'i', 'n']) {
                    s
                } else {
                    format!("{s}.0")
                }
            }
            Literal::Bool(true) => "True".into(),
            Literal::Bool(false) => "False".into(),
            Literal::None => "None".into(),
            Literal::List(items) => {
                let parts: Vec<String> = items.iter().map(Literal::to_python).collect();
                format!("[{}]", parts.join(", "))
            }
            Literal::Dict(pairs) => {
                let parts: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.to_python(), v.to_python()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }

    /// A version-like attribute as text: a string, or a number as written (`version = 1.0`).
    pub fn as_version_text(&self) -> Option<String> {
        match self {
            Literal::Str(s) | Literal::BigInt(s) => Some(s.clone()),
            Literal::Int(i) => Some(i.to_string()),
            Literal::Float(_) => Some(self.to_python()),
            _ => None,
        }
    }
}

/// A Python string literal with double quotes, escaped.
pub fn python_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses one literal from `toks[*pos..]`.
fn literal(toks: &[Tok], pos: &mut usize, level: usize) -> Option<Literal> {
    if level > crate::requirements::MAX_NESTING {
        return None;
    }
    let tok = toks.get(*pos)?;
    *pos += 1;
    match tok {
        Tok::Str(s, plain) => {
            let mut value = s.clone();
            let mut ok = *plain;
            while let Some(Tok::Str(more, plain)) = toks.get(*pos) {
                value.push_str(more);
                ok &= *plain;
                *pos += 1;
            }
            ok.then_some(Literal::Str(value))
        }
        Tok::Num(text) => number(text, false),
        Tok::Op("-") => match toks.get(*pos) {
            Some(Tok::Num(text)) => {
                *pos += 1;
                number(text, true)
            }
            _ => None,
        },
        Tok::Op("+") => match toks.get(*pos) {
            Some(Tok::Num(text)) => {
                *pos += 1;
                number(text, false)
            }
            _ => None,
        },
        Tok::Name(n) => match n.as_str() {
            "True" => Some(Literal::Bool(true)),
            "False" => Some(Literal::Bool(false)),
            "None" => Some(Literal::None),
            _ => None,
        },
        Tok::Op("[") => sequence(toks, pos, "]", level).map(Literal::List),
        Tok::Op("(") => {
            let start = *pos;
            let items = sequence(toks, pos, ")", level)?;
            // `(x)` is x; `(x,)` and `()` are tuples.
            let trailing_comma = *pos >= 2 && toks.get(*pos - 2) == Some(&Tok::Op(","));
            if items.len() == 1 && !trailing_comma && *pos - start > 1 {
                items.into_iter().next()
            } else {
                Some(Literal::List(items))
            }
        }
        Tok::Op("{") => {
            if toks.get(*pos) == Some(&Tok::Op("}")) {
                *pos += 1;
                return Some(Literal::Dict(Vec::new()));
            }
            let first = literal(toks, pos, level + 1)?;
            if toks.get(*pos) != Some(&Tok::Op(":")) {
                // A set.
                let mut items = vec![first];
                if toks.get(*pos) == Some(&Tok::Op(",")) {
                    *pos += 1;
                    items.extend(sequence(toks, pos, "}", level)?);
                } else if toks.get(*pos) == Some(&Tok::Op("}")) {
                    *pos += 1;
                } else {
                    return None;
                }
                return Some(Literal::List(items));
            }
            let mut pairs = Vec::new();
            let mut key = first;
            loop {
                if toks.get(*pos) != Some(&Tok::Op(":")) {
                    return None;
                }
                *pos += 1;
                let value = literal(toks, pos, level + 1)?;
                pairs.push((key, value));
                match toks.get(*pos) {
                    Some(Tok::Op("}")) => {
                        *pos += 1;
                        return Some(Literal::Dict(pairs));
                    }
                    Some(Tok::Op(",")) => {
                        *pos += 1;
                        if toks.get(*pos) == Some(&Tok::Op("}")) {
                            *pos += 1;
                            return Some(Literal::Dict(pairs));
                        }
                        key = literal(toks, pos, level + 1)?;
                    }
                    _ => return None,
                }
            }
        }
        Tok::Op(_) => None,
    }
}

/// Items up to the closing bracket (consumed), with an optional trailing comma.
fn sequence(toks: &[Tok], pos: &mut usize, close: &str, level: usize) -> Option<Vec<Literal>> {
    let mut items = Vec::new();
    loop {
        if let Some(Tok::Op(o)) = toks.get(*pos)
            && *o == close
        {
            *pos += 1;
            return Some(items);
        }
        items.push(literal(toks, pos, level + 1)?);
        match toks.get(*pos) {
            Some(Tok::Op(",")) => *pos += 1,
            Some(Tok::Op(o)) if *o == close => {}
            _ => return None,
        }
    }
}

fn number(text: &str, negative: bool) -> Option<Literal> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let sign = if negative { "-" } else { "" };
    if lower.ends_with('j') || lower.ends_with('l') {
        return None;
    }
    let radix = match lower.get(..2) {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        return i64::from_str_radix(&lower[2..], radix)
            .ok()
            .map(|v| Literal::Int(if negative { -v } else { v }));
    }
    if lower.contains(['.', 'e']) {
        return format!("{sign}{lower}")
            .parse::<f64>()
            .ok()
            .map(Literal::Float);
    }
    if !lower.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(
        format!("{sign}{lower}")
            .parse::<i64>()
            .map_or_else(|_| Literal::BigInt(format!("{sign}{lower}")), Literal::Int),
    )
}

/// A whole expression as a literal, or `None` when it is anything else.
pub(super) fn whole_literal(toks: &[Tok]) -> Option<Literal> {
    let mut pos = 0;
    // A bare tuple: `a = "x", "y"`.
    let first = literal(toks, &mut pos, 0)?;
    if pos == toks.len() {
        return Some(first);
    }
    if toks.get(pos) != Some(&Tok::Op(",")) {
        return None;
    }
    let mut items = vec![first];
    while pos < toks.len() {
        if toks.get(pos) != Some(&Tok::Op(",")) {
            return None;
        }
        pos += 1;
        if pos == toks.len() {
            break;
        }
        items.push(literal(toks, &mut pos, 0)?);
    }
    Some(Literal::List(items))
}
