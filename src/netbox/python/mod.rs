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

mod lexer;
mod literal;
mod statement;

use std::collections::{BTreeMap, HashMap};

pub use literal::{Literal, python_string};

use lexer::{Tok, tokenize};
use literal::whole_literal;
use statement::{Imports, assignment, class_def, dotted, is_def, is_plugin_config, split_top};

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
mod tests;
