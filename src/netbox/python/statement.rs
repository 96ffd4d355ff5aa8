//! Statements: dotted names, assignments, imports and class headers with their bodies.

use std::collections::HashMap;

use super::lexer::{Line, Tok};

/// A dotted name (`a.b.c`) filling the whole slice.
pub(super) fn dotted(toks: &[Tok]) -> Option<String> {
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
pub(super) fn split_top<'t>(toks: &'t [Tok], op: &str) -> Vec<&'t [Tok]> {
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
pub(super) fn assignment(stmt: &[Tok]) -> Option<(Vec<String>, &[Tok])> {
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
pub(super) struct Imports {
    /// Local name → `module.attr` it was imported as (`from m import a as b` gives b → m.a).
    pub(super) names: HashMap<String, String>,
}

impl Imports {
    pub(super) fn record(&mut self, stmt: &[Tok]) {
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
    pub(super) fn resolve(&self, reference: &str) -> String {
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

pub(super) fn is_plugin_config(full: &str) -> bool {
    full == "PluginConfig"
        || PLUGIN_MODULES
            .iter()
            .any(|m| full.strip_prefix(m) == Some(".PluginConfig"))
}

/// One class statement and its direct body statements.
pub(super) struct ClassDef<'l> {
    pub(super) name: String,
    pub(super) bases: Vec<String>,
    pub(super) body: Vec<&'l [Tok]>,
}

pub(super) fn class_def(lines: &[Line], at: usize) -> Option<(ClassDef<'_>, usize)> {
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

pub(super) fn is_def(toks: &[Tok]) -> bool {
    match toks {
        [Tok::Name(d), ..] if d == "def" => true,
        [Tok::Name(a), Tok::Name(d), ..] => a == "async" && d == "def",
        _ => false,
    }
}
