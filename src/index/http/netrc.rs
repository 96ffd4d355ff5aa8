//! The netrc file (`NETRC` or `~/.netrc`), parsed here by hand. Grammar: whitespace-separated
//! tokens, `#` starts a comment up to the end of the line, `"…"` quotes a token (`\` escapes the
//! next character); `machine NAME`, `default`, `login NAME`, `password PASS`, `account X`
//! (ignored) and `macdef NAME` (its body, up to the next blank line, is skipped). The first
//! `machine` that names the host wins, then `default`.
//!
//! Where netrc credentials go (decided in [`AuthStore`]): netrc names only a host, nbwheel
//! sends to an origin (scheme, host, port), so an entry is tied to origins this way:
//! - a `machine H` entry goes to every configured source origin (index URL, find-links URL)
//!   whose host is `H`, and to no other port or scheme of `H`; when no configured source has
//!   host `H` (a separate file host), it goes to `https://H:443` only — never to plain `http`;
//! - the `default` entry goes only to the origins of the configured index URLs, never to a
//!   host a page links to, nor to a find-links page;
//! - each request of a redirect chain looks its credentials up for its own origin, so a
//!   redirect to another origin never carries the first origin's credentials.
//!
//! Why not a crate (judged against `rust-netrc` 0.1.2, which uv uses): ours is needed for
//! redaction. That crate's `Authenticator` derives `Debug` with the password in clear, its
//! `Netrc` prints every password through `Display`, and its parse errors quote the offending
//! token (on a malformed line, possibly a password), so one `{:?}` or one error message in a
//! log would leak a secret. Here the password lives only in [`Credentials`], whose `Debug`
//! shows neither user nor password, and a parse error names the line, never a token. (That
//! crate also keys entries by host in a map, so a later `machine` line replaces an earlier
//! one, where curl and we take the first.) The grammar is a few dozen lines.

use super::*;

/// A netrc file that could not be parsed. The message never quotes a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct NetrcError {
    /// The 1-based line.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
}

/// A parsed netrc file (see the module docs for the grammar).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Netrc {
    machines: Vec<(String, Credentials)>,
    default: Option<Credentials>,
}

impl fmt::Debug for Netrc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Netrc")
            .field(
                "machines",
                &self.machines.iter().map(|(m, _)| m).collect::<Vec<_>>(),
            )
            .field("default", &self.default.is_some())
            .finish()
    }
}

/// One token of a netrc file and the line it starts on.
pub(super) struct NetrcTokens<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl NetrcTokens<'_> {
    pub(super) fn next_token(&mut self) -> Option<(usize, String)> {
        loop {
            match self.chars.peek().copied() {
                None => return None,
                Some('\n') => {
                    self.line += 1;
                    self.chars.next();
                }
                Some(c) if c.is_whitespace() => {
                    self.chars.next();
                }
                Some('#') => {
                    while let Some(&c) = self.chars.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.chars.next();
                    }
                }
                Some(_) => break,
            }
        }
        let line = self.line;
        let mut token = String::new();
        if self.chars.peek() == Some(&'"') {
            self.chars.next();
            while let Some(c) = self.chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = self.chars.next() {
                            token.push(escaped);
                        }
                    }
                    '\n' => {
                        self.line += 1;
                        token.push(c);
                    }
                    _ => token.push(c),
                }
            }
        } else {
            while let Some(&c) = self.chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                token.push(c);
                self.chars.next();
            }
        }
        Some((line, token))
    }

    /// Skips a `macdef` body: the rest of the current line, then lines up to a blank one.
    pub(super) fn skip_macro(&mut self) {
        let mut previous_newline = false;
        for c in self.chars.by_ref() {
            if c == '\n' {
                self.line += 1;
                if previous_newline {
                    return;
                }
                previous_newline = true;
            } else if c != '\r' {
                previous_newline = false;
            }
        }
    }
}

impl Netrc {
    /// Parses netrc text.
    pub fn parse(text: &str) -> Result<Netrc, NetrcError> {
        struct Entry {
            machine: Option<String>,
            login: Option<String>,
            password: Option<String>,
        }
        fn finish(netrc: &mut Netrc, entry: Option<Entry>) {
            let Some(entry) = entry else { return };
            if entry.login.is_none() && entry.password.is_none() {
                return;
            }
            let creds = Credentials::new(entry.login.unwrap_or_default(), entry.password);
            match entry.machine {
                Some(machine) => netrc.machines.push((machine, creds)),
                None => {
                    if netrc.default.is_none() {
                        netrc.default = Some(creds);
                    }
                }
            }
        }

        let mut tokens = NetrcTokens {
            chars: text.chars().peekable(),
            line: 1,
        };
        let mut netrc = Netrc::default();
        let mut current: Option<Entry> = None;
        while let Some((line, keyword)) = tokens.next_token() {
            let mut value = |what: &str| {
                tokens
                    .next_token()
                    .map(|(_, v)| v)
                    .ok_or_else(|| NetrcError {
                        line,
                        reason: format!("`{keyword}` is missing its {what}"),
                    })
            };
            match keyword.as_str() {
                "machine" => {
                    let name = value("host name")?;
                    finish(&mut netrc, current.take());
                    current = Some(Entry {
                        machine: Some(name.to_ascii_lowercase()),
                        login: None,
                        password: None,
                    });
                }
                "default" => {
                    finish(&mut netrc, current.take());
                    current = Some(Entry {
                        machine: None,
                        login: None,
                        password: None,
                    });
                }
                "login" | "password" | "account" => {
                    let v = value("value")?;
                    let Some(entry) = current.as_mut() else {
                        return Err(NetrcError {
                            line,
                            reason: format!("`{keyword}` before any `machine` or `default`"),
                        });
                    };
                    match keyword.as_str() {
                        "login" => entry.login = Some(v),
                        "password" => entry.password = Some(v),
                        _ => {}
                    }
                }
                "macdef" => {
                    value("name")?;
                    tokens.skip_macro();
                }
                _ => {
                    return Err(NetrcError {
                        line,
                        reason: "unknown token (expected `machine`, `default`, `login`, `password`, `account` or `macdef`)".into(),
                    });
                }
            }
        }
        finish(&mut netrc, current);
        Ok(netrc)
    }

    /// The credentials for a host: its first `machine` entry, else `default`. Where they may be
    /// sent is decided by [`AuthStore`], not here.
    pub fn lookup(&self, host: &str) -> Option<&Credentials> {
        self.machine(host).or(self.default.as_ref())
    }

    /// The first `machine` entry naming `host` (case-insensitive).
    pub fn machine(&self, host: &str) -> Option<&Credentials> {
        self.machines
            .iter()
            .find(|(machine, _)| machine.eq_ignore_ascii_case(host))
            .map(|(_, creds)| creds)
    }

    /// The `default` entry.
    pub fn default_entry(&self) -> Option<&Credentials> {
        self.default.as_ref()
    }
}
