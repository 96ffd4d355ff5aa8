//! The options part of a requirements-file line.
//!
//! Input: the text after the requirement (see [`super::lines::split_requirement_options`]).
//! Output: [`ParsedOption`]s and any leftover words. The text is split into words like POSIX
//! `shlex.split` (single and double quotes, backslash escapes, no comments) and read like Python's
//! `optparse`, as pip does: `--opt=value` or `--opt value`, `-ivalue` or `-i value`, long options
//! abbreviated to a unique prefix (`--extra-index` for `--extra-index-url`), `--` ending options.
//! Hand-written because these rules are a few lines and must match Python's, which no option
//! crate aims for.

/// Why [`shell_split`] failed.
pub(super) const NO_CLOSING_QUOTE: &str = "no closing quotation";
/// Why [`shell_split`] failed.
pub(super) const NO_ESCAPED_CHARACTER: &str = "no character after the final `\\`";

/// Splits words like POSIX `shlex.split` (quotes and backslash escapes, no comments).
pub(super) fn shell_split(text: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(NO_CLOSING_QUOTE),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('\\' | '"' | '$' | '`' | '\n')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(NO_CLOSING_QUOTE),
                        },
                        Some(c) => word.push(c),
                        None => return Err(NO_CLOSING_QUOTE),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(NO_ESCAPED_CHARACTER),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The options pip accepts in requirements files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Opt {
    IndexUrl,
    ExtraIndexUrl,
    NoIndex,
    Constraint,
    Requirement,
    Editable,
    FindLinks,
    NoBinary,
    OnlyBinary,
    PreferBinary,
    RequireHashes,
    Pre,
    TrustedHost,
    UseFeature,
    GlobalOption,
    Hash,
    ConfigSettings,
}

/// `(long name, option, takes a value)`.
const LONG: &[(&str, Opt, bool)] = &[
    ("--index-url", Opt::IndexUrl, true),
    ("--pypi-url", Opt::IndexUrl, true),
    ("--extra-index-url", Opt::ExtraIndexUrl, true),
    ("--no-index", Opt::NoIndex, false),
    ("--constraint", Opt::Constraint, true),
    ("--requirement", Opt::Requirement, true),
    ("--editable", Opt::Editable, true),
    ("--find-links", Opt::FindLinks, true),
    ("--no-binary", Opt::NoBinary, true),
    ("--only-binary", Opt::OnlyBinary, true),
    ("--prefer-binary", Opt::PreferBinary, false),
    ("--require-hashes", Opt::RequireHashes, false),
    ("--pre", Opt::Pre, false),
    ("--trusted-host", Opt::TrustedHost, true),
    ("--use-feature", Opt::UseFeature, true),
    ("--global-option", Opt::GlobalOption, true),
    ("--hash", Opt::Hash, true),
    ("--config-settings", Opt::ConfigSettings, true),
];

/// `(short letter, option)`; every short option takes a value.
const SHORT: &[(char, Opt, &str)] = &[
    ('i', Opt::IndexUrl, "--index-url"),
    ('c', Opt::Constraint, "--constraint"),
    ('r', Opt::Requirement, "--requirement"),
    ('e', Opt::Editable, "--editable"),
    ('f', Opt::FindLinks, "--find-links"),
    ('C', Opt::ConfigSettings, "--config-settings"),
];

/// One option read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParsedOption {
    /// Which option.
    pub opt: Opt,
    /// Its full long name, e.g. `--index-url` (also for `-i` and abbreviations).
    pub name: &'static str,
    /// Its value, for options that take one.
    pub value: Option<String>,
}

/// Why the options could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum OptionError {
    Unknown(String),
    Ambiguous(String, Vec<&'static str>),
    MissingValue(String),
    UnexpectedValue(String),
}

/// Step 6, second half: reads options like `optparse`. Returns the options and any words that
/// are not options.
pub(super) fn parse_options(
    words: &[String],
) -> Result<(Vec<ParsedOption>, Vec<String>), OptionError> {
    let mut options = Vec::new();
    let mut positional = Vec::new();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            positional.extend(words.by_ref().cloned());
            break;
        }
        if let Some(body) = word.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((name, value)) => (format!("--{name}"), Some(value.to_string())),
                None => (word.clone(), None),
            };
            let (long, opt, takes_value) = match_long(&name)?;
            let value = match (takes_value, inline) {
                (true, Some(value)) => Some(value),
                (true, None) => Some(
                    words
                        .next()
                        .cloned()
                        .ok_or_else(|| OptionError::MissingValue(long.to_string()))?,
                ),
                (false, Some(_)) => return Err(OptionError::UnexpectedValue(long.to_string())),
                (false, None) => None,
            };
            options.push(ParsedOption {
                opt,
                name: long,
                value,
            });
        } else if word.len() > 1 && word.starts_with('-') {
            let mut chars = word.chars();
            chars.next();
            let letter = chars.next().unwrap_or('-');
            let attached = chars.as_str();
            let &(_, opt, long) = SHORT
                .iter()
                .find(|(c, _, _)| *c == letter)
                .ok_or_else(|| OptionError::Unknown(format!("-{letter}")))?;
            let value = if attached.is_empty() {
                words
                    .next()
                    .cloned()
                    .ok_or_else(|| OptionError::MissingValue(format!("-{letter}")))?
            } else {
                attached.to_string()
            };
            options.push(ParsedOption {
                opt,
                name: long,
                value: Some(value),
            });
        } else {
            positional.push(word.clone());
        }
    }
    Ok((options, positional))
}

/// Exact match, else a unique prefix, as `optparse` does.
fn match_long(name: &str) -> Result<(&'static str, Opt, bool), OptionError> {
    if let Some(&found) = LONG.iter().find(|(long, _, _)| *long == name) {
        return Ok(found);
    }
    let matches: Vec<&(&str, Opt, bool)> = LONG
        .iter()
        .filter(|(long, _, _)| long.starts_with(name))
        .collect();
    match matches.as_slice() {
        [] => Err(OptionError::Unknown(name.to_string())),
        [one] => Ok(**one),
        many => {
            // `--index-url` and `--pypi-url` are one option; a prefix of both is not ambiguous.
            if many.iter().all(|(_, opt, _)| *opt == many[0].1) {
                Ok(*many[0])
            } else {
                Err(OptionError::Ambiguous(
                    name.to_string(),
                    many.iter().map(|(long, _, _)| *long).collect(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_split_like_shlex() {
        assert_eq!(
            shell_split(r#"a 'b c' "d \" e" f\ g"#),
            Ok(vec![
                "a".to_string(),
                "b c".to_string(),
                "d \" e".to_string(),
                "f g".to_string()
            ])
        );
        assert_eq!(shell_split("'open"), Err(NO_CLOSING_QUOTE));
        assert_eq!(shell_split("a\\"), Err(NO_ESCAPED_CHARACTER));
    }

    #[test]
    fn options_like_optparse() {
        let words: Vec<String> = [
            "-ihttps://a",
            "--extra-index",
            "https://b",
            "--pre",
            "-r",
            "x",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let (options, positional) = parse_options(&words).unwrap();
        let got: Vec<_> = options
            .iter()
            .map(|o| (o.name, o.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("--index-url", Some("https://a")),
                ("--extra-index-url", Some("https://b")),
                ("--pre", None),
                ("--requirement", Some("x")),
            ]
        );
        assert!(positional.is_empty());
        let one = |w: &str| parse_options(&[w.to_string()]).map(|(o, _)| o.len());
        assert_eq!(
            one("--no"),
            Err(OptionError::Ambiguous(
                "--no".into(),
                vec!["--no-index", "--no-binary"]
            ))
        );
        assert_eq!(
            one("--pre=1"),
            Err(OptionError::UnexpectedValue("--pre".into()))
        );
        assert_eq!(
            one("--hash"),
            Err(OptionError::MissingValue("--hash".into()))
        );
        assert_eq!(one("-x"), Err(OptionError::Unknown("-x".into())));
        assert_eq!(one("--index=x"), Ok(1));
    }
}
