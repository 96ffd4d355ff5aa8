//! A static reader of a plugin package's `__init__.py`: finds the `PluginConfig` subclass that
//! `config = …` names and reads its literal attributes, without running Python.
//!
//! Input: the module's source text. Output: [`PluginClass`] (the class name and its literal
//! attributes) when the module is a `NetBox` plugin, else `None`. Reading never fails: anything
//! it does not understand is skipped, and a non-literal value reads as "unknown".
//!
//! Hand-written because no small crate reads Python *statements*: `py_literal` parses one
//! literal value only (and pulls in `pest` and `num-bigint`), `rustpython-parser` parses the whole
//! language with a large generated grammar. The subset needed here is small:
//!
//! ```text
//! module     = logical-line*                 ; comments, blank lines, `\` continuations, and
//!                                            ; newlines inside brackets are joined away
//! import     = "from" dotted "import" ( name [ "as" name ] ),+ | "import" dotted [ "as" name ]
//! class      = "class" NAME [ "(" base ( "," base )* ")" ] ":" ( simple-stmts | NEWLINE body )
//! base       = dotted | NAME "=" expr        ; keyword arguments (`metaclass=`) are ignored
//! assignment = NAME [ ":" annotation ] "=" ( NAME "=" )* expr
//! config     = "config" "=" dotted           ; at module level, the last one wins
//! literal    = string+ | number | "-" number | "True" | "False" | "None"
//!            | "[" literals "]" | "(" literals ")" | "{" [ literal ":" literal ( "," … )* ] "}"
//!            | "{" literals "}"
//! string     = [ r | u | b | f | rb | br … ] ( '…' | "…" | '''…''' | """…""" )
//! ```
//!
//! A base counts as `PluginConfig` when it is the bare name (unless imported from a
//! non-`NetBox` module such as `nautobot.extras.plugins`), `netbox.plugins.PluginConfig`,
//! `extras.plugins.PluginConfig`, `plugins.PluginConfig`, a name imported as an alias of it, an
//! alias of the `netbox.plugins` module followed by `.PluginConfig`, or a class of the same
//! module that derives from one of those (its attributes are inherited).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

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

/// One attribute of the plugin class: a literal, or set to something that is not a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// A plain literal.
    Literal(Literal),
    /// An expression nbwheel cannot evaluate (a call, an f-string, a name it cannot follow …).
    Dynamic,
    /// A name bound elsewhere: `NAME` after `from .version import NAME` is `.version.NAME`
    /// (through the module's imports), for the caller to look up in that module's constants.
    /// A name that is a constant of the module itself is already a [`Attr::Literal`].
    Name(String),
}

/// The plugin class `config` names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PluginClass {
    /// The class name.
    pub class: String,
    /// Every attribute assigned in the class body (and inherited from a plugin class of the
    /// same module), by name.
    pub attrs: BTreeMap<String, Attr>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    /// A string literal: its value, and whether it can be a `str` literal (not bytes, not an
    /// f-string).
    Str(String, bool),
    Num(String),
    Op(&'static str),
}

/// A logical line: its indentation and tokens.
#[derive(Debug)]
struct Line {
    indent: usize,
    toks: Vec<Tok>,
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
fn tokenize(src: &str) -> Vec<Line> {
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
fn whole_literal(toks: &[Tok]) -> Option<Literal> {
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

/// A dotted name (`a.b.c`) filling the whole slice.
fn dotted(toks: &[Tok]) -> Option<String> {
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        match (i % 2, t) {
            (0, Tok::Name(n)) => out.push_str(n),
            (1, Tok::Op(".")) => out.push('.'),
            _ => return None,
        }
    }
    (!out.is_empty() && !out.ends_with('.')).then_some(out)
}

/// Splits at top-level occurrences of `op` (outside brackets).
fn split_top<'t>(toks: &'t [Tok], op: &str) -> Vec<&'t [Tok]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Op("(" | "[" | "{") => depth += 1,
            Tok::Op(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Tok::Op(o) if depth == 0 && *o == op => {
                parts.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[start..]);
    parts
}

/// `NAME = value`, `NAME: annotation = value`, `NAME = OTHER = value`: the assigned names and
/// the value tokens.
fn assignment(stmt: &[Tok]) -> Option<(Vec<String>, &[Tok])> {
    let Some(Tok::Name(first)) = stmt.first() else {
        return None;
    };
    let parts = split_top(stmt, "=");
    if parts.len() < 2 {
        return None;
    }
    let mut names = Vec::new();
    for (i, target) in parts[..parts.len() - 1].iter().enumerate() {
        match target {
            [Tok::Name(n)] => names.push(n.clone()),
            [Tok::Name(n), Tok::Op(":"), ..] if i == 0 && n == first => names.push(n.clone()),
            _ => return None,
        }
    }
    Some((names, parts[parts.len() - 1]))
}

/// What the import statements of the module bind.
#[derive(Default)]
struct Imports {
    /// Local name → `module.attr` it was imported as (`from m import a as b` gives b → m.a).
    names: HashMap<String, String>,
}

impl Imports {
    fn record(&mut self, stmt: &[Tok]) {
        match stmt.first() {
            Some(Tok::Name(kw)) if kw == "from" => {
                let Some(import_at) = stmt
                    .iter()
                    .position(|t| matches!(t, Tok::Name(n) if n == "import"))
                else {
                    return;
                };
                // `from ..a.b import c`: leading dots (a relative import), then a dotted name
                // that may be empty (`from . import c`).
                let from = &stmt[1..import_at];
                let dots = from
                    .iter()
                    .take_while(|t| matches!(t, Tok::Op("." | "...")))
                    .count();
                let prefix: String = from[..dots]
                    .iter()
                    .map(|t| {
                        if matches!(t, Tok::Op("...")) {
                            "..."
                        } else {
                            "."
                        }
                    })
                    .collect();
                let module = match (prefix.is_empty(), dotted(&from[dots..])) {
                    (_, Some(name)) => format!("{prefix}{name}."),
                    (false, None) if dots == from.len() => prefix,
                    _ => return,
                };
                let rest: Vec<Tok> = stmt[import_at + 1..]
                    .iter()
                    .filter(|t| !matches!(t, Tok::Op("(" | ")")))
                    .cloned()
                    .collect();
                for item in split_top(&rest, ",") {
                    match item {
                        [Tok::Name(name)] => {
                            self.names.insert(name.clone(), format!("{module}{name}"));
                        }
                        [Tok::Name(name), Tok::Name(as_kw), Tok::Name(alias)] if as_kw == "as" => {
                            self.names.insert(alias.clone(), format!("{module}{name}"));
                        }
                        _ => {}
                    }
                }
            }
            Some(Tok::Name(kw)) if kw == "import" => {
                for item in split_top(&stmt[1..], ",") {
                    let as_at = item
                        .iter()
                        .position(|t| matches!(t, Tok::Name(n) if n == "as"));
                    if let Some(at) = as_at
                        && let (Some(module), [Tok::Name(alias)]) =
                            (dotted(&item[..at]), &item[at + 1..])
                    {
                        self.names.insert(alias.clone(), module);
                    }
                }
            }
            _ => {}
        }
    }

    /// The fully qualified name a dotted reference stands for.
    fn resolve(&self, reference: &str) -> String {
        let (head, tail) = reference
            .split_once('.')
            .map_or((reference, None), |(h, t)| (h, Some(t)));
        match (self.names.get(head), tail) {
            (Some(full), Some(tail)) => format!("{full}.{tail}"),
            (Some(full), None) => full.clone(),
            (None, _) => reference.to_string(),
        }
    }
}

/// The modules `PluginConfig` comes from in `NetBox` (4.x, and `extras.plugins` before 4.0).
const PLUGIN_MODULES: [&str; 3] = ["netbox.plugins", "extras.plugins", "plugins"];

fn is_plugin_config(full: &str) -> bool {
    full == "PluginConfig"
        || PLUGIN_MODULES
            .iter()
            .any(|m| full.strip_prefix(m) == Some(".PluginConfig"))
}

/// One class statement and its direct body statements.
struct ClassDef<'l> {
    name: String,
    bases: Vec<String>,
    body: Vec<&'l [Tok]>,
}

fn class_def(lines: &[Line], at: usize) -> Option<(ClassDef<'_>, usize)> {
    let line = &lines[at];
    let [Tok::Name(kw), Tok::Name(name), rest @ ..] = line.toks.as_slice() else {
        return None;
    };
    if kw != "class" {
        return None;
    }
    // The header ends at the first top-level `:`.
    let mut depth = 0usize;
    let colon = rest.iter().position(|t| {
        match t {
            Tok::Op("(" | "[" | "{") => depth += 1,
            Tok::Op(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Tok::Op(":") if depth == 0 => return true,
            _ => {}
        }
        false
    })?;
    let header = &rest[..colon];
    let mut bases = Vec::new();
    if let [Tok::Op("("), inner @ .., Tok::Op(")")] = header {
        for base in split_top(inner, ",") {
            if let Some(d) = dotted(base) {
                bases.push(d);
            }
        }
    }
    let mut body: Vec<&[Tok]> = Vec::new();
    let inline = &rest[colon + 1..];
    if !inline.is_empty() {
        body.extend(split_top(inline, ";"));
    }
    let mut next = at + 1;
    let mut body_indent = None;
    while let Some(l) = lines.get(next) {
        if l.indent <= line.indent {
            break;
        }
        let indent = *body_indent.get_or_insert(l.indent);
        if l.indent == indent && inline.is_empty() {
            body.extend(split_top(&l.toks, ";"));
        }
        next += 1;
    }
    Some((
        ClassDef {
            name: name.clone(),
            bases,
            body,
        },
        next,
    ))
}

fn is_def(toks: &[Tok]) -> bool {
    match toks {
        [Tok::Name(d), ..] if d == "def" => true,
        [Tok::Name(a), Tok::Name(d), ..] => a == "async" && d == "def",
        _ => false,
    }
}

/// What a module tells about plugins: its plugin class, where its `config` comes from when it
/// is imported, and its constants.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    /// The plugin class `config` names, when it is defined in this module.
    pub plugin: Option<PluginClass>,
    /// `config` imported from another module (`from .plugin import config` gives
    /// `.plugin.config`), when this module does not define it.
    pub config_from: Option<String>,
    /// Module-level `NAME = literal` assignments (the last one wins).
    pub constants: HashMap<String, Literal>,
    /// Every plugin class of the module, by class name (`from .config import XConfig as
    /// config` names one of another module).
    pub classes: HashMap<String, PluginClass>,
}

/// Reads a module's source and returns the plugin class `config` names, if any.
pub fn parse_plugin_module(src: &str) -> Option<PluginClass> {
    parse_module(src).plugin
}

/// Reads a module's source: its plugin class, where an imported `config` comes from, its
/// constants. A class attribute set to a plain name is resolved from the module's constants, or
/// left as [`Attr::Name`] (through the imports) for the caller.
pub fn parse_module(src: &str) -> Module {
    let lines = tokenize(src);
    let mut imports = Imports::default();
    let mut plugin_classes: HashMap<String, BTreeMap<String, Attr>> = HashMap::new();
    let mut constants: HashMap<String, Literal> = HashMap::new();
    let mut config: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if is_def(&line.toks) {
            // A function body binds nothing at module level.
            i += 1;
            while lines.get(i).is_some_and(|l| l.indent > line.indent) {
                i += 1;
            }
            continue;
        }
        if let Some((class, next)) = class_def(&lines, i) {
            let mut attrs: Option<BTreeMap<String, Attr>> = None;
            for base in &class.bases {
                if let Some(parent) = plugin_classes.get(base) {
                    attrs = Some(parent.clone());
                    break;
                }
                let full = imports.resolve(base);
                if is_plugin_config(&full) {
                    attrs = Some(BTreeMap::new());
                    break;
                }
            }
            if let Some(mut attrs) = attrs {
                for stmt in &class.body {
                    if let Some((names, value)) = assignment(stmt) {
                        let attr = match (whole_literal(value), dotted(value)) {
                            (Some(l), _) => Attr::Literal(l),
                            (None, Some(name)) => Attr::Name(name),
                            (None, None) => Attr::Dynamic,
                        };
                        for n in names {
                            attrs.insert(n, attr.clone());
                        }
                    }
                }
                plugin_classes.insert(class.name.clone(), attrs);
            } else {
                plugin_classes.remove(&class.name);
            }
            i = next;
            continue;
        }
        for stmt in split_top(&line.toks, ";") {
            if matches!(stmt.first(), Some(Tok::Name(k)) if k == "from" || k == "import") {
                imports.record(stmt);
            } else if let Some((names, value)) = assignment(stmt) {
                if names.iter().any(|n| n == "config") {
                    config = dotted(value);
                }
                match whole_literal(value) {
                    Some(l) if line.indent == 0 => {
                        for n in names {
                            constants.insert(n, l.clone());
                        }
                    }
                    _ => {
                        for n in names {
                            constants.remove(&n);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    // `config` imported (`from .plugin import config`), or bound to an imported class
    // (`from .config import XConfig` then `config = XConfig`).
    let config_from = match &config {
        None => imports.names.get("config").cloned(),
        Some(name) if !plugin_classes.contains_key(name) => imports
            .names
            .contains_key(name.split('.').next().unwrap_or(""))
            .then(|| imports.resolve(name)),
        Some(_) => None,
    };
    let mut classes = HashMap::new();
    for (class, mut attrs) in plugin_classes {
        for attr in attrs.values_mut() {
            if let Attr::Name(name) = attr {
                *attr = match constants.get(name.as_str()) {
                    Some(l) => Attr::Literal(l.clone()),
                    None if imports
                        .names
                        .contains_key(name.split('.').next().unwrap_or("")) =>
                    {
                        Attr::Name(imports.resolve(name))
                    }
                    None => Attr::Dynamic,
                };
            }
        }
        classes.insert(class.clone(), PluginClass { class, attrs });
    }
    let plugin = config.and_then(|class| classes.get(&class).cloned());
    Module {
        plugin,
        config_from,
        constants,
        classes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(src: &str) -> Option<Literal> {
        let lines = tokenize(src);
        whole_literal(&lines.first()?.toks)
    }

    #[test]
    fn literals() {
        assert_eq!(lit("'a' \"b\""), Some(Literal::Str("ab".into())));
        assert_eq!(lit("-1_000"), Some(Literal::Int(-1000)));
        assert_eq!(lit("0x1F"), Some(Literal::Int(31)));
        assert_eq!(lit("1.5e3"), Some(Literal::Float(1500.0)));
        assert_eq!(lit("(1,)"), Some(Literal::List(vec![Literal::Int(1)])));
        assert_eq!(lit("(1)"), Some(Literal::Int(1)));
        assert_eq!(lit("()"), Some(Literal::List(vec![])));
        assert_eq!(lit("{}"), Some(Literal::Dict(vec![])));
        assert_eq!(
            lit("{'a', 'b',}"),
            Some(Literal::List(vec![
                Literal::Str("a".into()),
                Literal::Str("b".into())
            ]))
        );
        assert_eq!(lit("f'x{y}'"), None);
        assert_eq!(lit("b'x'"), None);
        assert_eq!(lit("foo()"), None);
        assert_eq!(lit("'a' + 'b'"), None);
        assert_eq!(
            lit("r'\\d+' 'x\\ty'"),
            Some(Literal::Str("\\d+x\ty".into()))
        );
        assert_eq!(lit("'\\u00e9\\x41'"), Some(Literal::Str("éA".into())));
        assert_eq!(
            lit("99999999999999999999999"),
            Some(Literal::BigInt("99999999999999999999999".into()))
        );
        assert_eq!(
            lit("'a', 'b'").map(|l| l.to_python()),
            Some("[\"a\", \"b\"]".into())
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        for src in [
            "",
            "'",
            "\"\"\"",
            "class",
            "class X(",
            "config =",
            "(((((",
            ")))",
            "\\",
            "x = '\\",
            "class X(PluginConfig):\n",
            "é = 'ü'\nclass Ä(PluginConfig): name = 'é'\nconfig = Ä",
            "0x",
            "1e",
            "'\\x4'",
            "'\\U0011ffff'",
            "{1:",
            "[1,,]",
            "\t\tclass\t",
        ] {
            let _ = parse_plugin_module(src);
            let _ = lit(src);
        }
        let deep = "[".repeat(10_000);
        assert_eq!(lit(&deep), None);
    }
}
