//! Credentials and where they may go: URL userinfo first, then netrc, each scoped to its realm
//! (scheme, host, port) so that a redirect to another origin never carries them. netrc entries
//! name only a host; how they are tied to origins is set out in [`super::netrc`].

use super::*;

/// A user name and an optional password (or token). `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: Option<String>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(username: impl Into<String>, password: Option<String>) -> Self {
        Credentials {
            username: username.into(),
            password,
        }
    }

    /// The user name (a secret too when it is a token: never print it).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password, when there is one (never print it).
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The percent-decoded userinfo of a URL, when it has any.
    pub fn from_url(url: &Url) -> Option<Self> {
        if url.username().is_empty() && url.password().is_none() {
            return None;
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Some(Credentials {
            username: decode(url.username()),
            password: url.password().map(decode),
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &"<redacted>")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The origin credentials belong to: scheme, host and port (the scheme's default when absent).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Realm {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lower case.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: Option<u16>,
}

impl Realm {
    /// The realm of a URL; `None` for URLs without a host.
    pub fn of(url: &Url) -> Option<Realm> {
        Some(Realm {
            scheme: url.scheme().to_ascii_lowercase(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default(),
        })
    }
}

impl fmt::Display for Realm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}://{}:{port}", self.scheme, self.host),
            None => write!(f, "{}://{}", self.scheme, self.host),
        }
    }
}

/// Which credentials go to which realm: URL userinfo first, then netrc. `Debug` shows only realms.
#[derive(Clone, Default)]
pub struct AuthStore {
    from_urls: BTreeMap<Realm, Credentials>,
    netrc: Option<Netrc>,
    /// Realms whose URL credentials came from `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`.
    from_env: std::collections::BTreeSet<Realm>,
    /// The origins of the configured sources (indexes and find-links URLs): where a netrc
    /// `machine` entry of their host may go (see the rules in [`super::netrc`]).
    sources: std::collections::BTreeSet<Realm>,
    /// The origins of the configured index URLs: where the netrc `default` entry may go.
    index_origins: std::collections::BTreeSet<Realm>,
}

impl fmt::Debug for AuthStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthStore")
            .field(
                "from_urls",
                &self
                    .from_urls
                    .keys()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .field("netrc", &self.netrc)
            .field(
                "from_env",
                &self
                    .from_env
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .field(
                "sources",
                &self
                    .sources
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .field(
                "index_origins",
                &self
                    .index_origins
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl AuthStore {
    /// A store from the userinfo of these URLs (the first URL of a realm wins) and a netrc.
    /// The URLs are the configured sources: a netrc `machine` entry may go to their origins;
    /// the `default` entry goes nowhere until [`AuthStore::with_index_origins`] names the
    /// index URLs.
    pub fn new<'a>(urls: impl IntoIterator<Item = &'a Url>, netrc: Option<Netrc>) -> Self {
        let mut store = AuthStore {
            from_urls: BTreeMap::new(),
            netrc,
            from_env: std::collections::BTreeSet::new(),
            sources: std::collections::BTreeSet::new(),
            index_origins: std::collections::BTreeSet::new(),
        };
        for url in urls {
            if let Some(realm) = Realm::of(url) {
                store.sources.insert(realm);
            }
            store.add_url(url);
        }
        store
    }

    /// Marks the origins of the configured index URLs: the only ones the netrc `default`
    /// entry goes to. They are sources too.
    #[must_use]
    pub fn with_index_origins<'a>(mut self, urls: impl IntoIterator<Item = &'a Url>) -> Self {
        for realm in urls.into_iter().filter_map(Realm::of) {
            self.sources.insert(realm.clone());
            self.index_origins.insert(realm);
        }
        self
    }

    /// The netrc entry that may go to `realm` (see the rules in [`super::netrc`]).
    fn netrc_for(&self, realm: &Realm) -> Option<&Credentials> {
        let netrc = self.netrc.as_ref()?;
        if let Some(creds) = netrc.machine(&realm.host) {
            let host_is_a_source = self.sources.iter().any(|s| s.host == realm.host);
            let allowed = self.sources.contains(realm)
                || (!host_is_a_source && realm.scheme == "https" && realm.port == Some(443));
            return allowed.then_some(creds);
        }
        if self.index_origins.contains(realm) {
            return netrc.default_entry();
        }
        None
    }

    /// Like [`AuthStore::new`], with the netrc file named by `NETRC`, else `~/.netrc`. A missing
    /// file is no netrc; an unreadable or malformed one is logged and ignored.
    pub fn from_env<'a>(urls: impl IntoIterator<Item = &'a Url>) -> Self {
        let path = std::env::var_os("NETRC")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::home_dir().map(|home| home.join(".netrc")));
        let netrc = path.and_then(|path| match std::fs::read_to_string(&path) {
            Ok(text) => match Netrc::parse(&text) {
                Ok(netrc) => Some(netrc),
                Err(err) => {
                    tracing::warn!("Ignoring netrc file `{}`: {err}", path.display());
                    None
                }
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                tracing::warn!("Cannot read netrc file `{}`: {err}", path.display());
                None
            }
        });
        let mut store = AuthStore::new(urls, netrc);
        for var in ["NBWHEEL_INDEX_URL", "NBWHEEL_EXTRA_INDEX_URL"] {
            let value = std::env::var(var).unwrap_or_default();
            for url in value.split_whitespace().filter_map(|u| Url::parse(u).ok()) {
                if Credentials::from_url(&url).is_some()
                    && let Some(realm) = Realm::of(&url)
                {
                    store.from_env.insert(realm);
                }
            }
        }
        store
    }

    /// Records the userinfo of `url` for its realm (unless that realm already has URL
    /// credentials) and returns the URL without userinfo.
    pub fn add_url(&mut self, url: &Url) -> Url {
        if let (Some(creds), Some(realm)) = (Credentials::from_url(url), Realm::of(url)) {
            self.from_urls.entry(realm).or_insert(creds);
        }
        strip_userinfo(url)
    }

    /// The credentials to send to `url`'s realm, if any.
    pub fn credentials_for(&self, url: &Url) -> Option<Credentials> {
        let realm = Realm::of(url)?;
        let netrc = self.netrc_for(&realm);
        match self.from_urls.get(&realm) {
            Some(creds) if creds.password.is_none() => {
                // `user@host` in the URL: take the password from netrc when the login matches.
                let password = netrc
                    .filter(|n| n.username == creds.username)
                    .and_then(|n| n.password.clone());
                Some(Credentials::new(creds.username.clone(), password))
            }
            Some(creds) => Some(creds.clone()),
            None => netrc.cloned(),
        }
    }

    /// The credential sources that had an entry for `url`'s realm, for messages.
    pub fn sources_for(&self, url: &Url) -> String {
        let mut sources = Vec::new();
        if let Some(realm) = Realm::of(url) {
            if self.from_urls.contains_key(&realm) {
                sources.push(if self.from_env.contains(&realm) {
                    "the URL in `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL`"
                } else {
                    "URL"
                });
            }
            if self.netrc_for(&realm).is_some() {
                sources.push("netrc");
            }
        }
        if sources.is_empty() {
            "none (no credentials for this host in the index URL, `NBWHEEL_INDEX_URL`/`NBWHEEL_EXTRA_INDEX_URL` or netrc)".to_string()
        } else {
            sources.join(", ")
        }
    }
}

/// A URL without `user:password@`.
pub(super) fn strip_userinfo(url: &Url) -> Url {
    let mut clean = url.clone();
    if !clean.username().is_empty() || clean.password().is_some() {
        // Only fails for URLs that cannot have userinfo, which then have none.
        let _ = clean.set_username("");
        let _ = clean.set_password(None);
    }
    clean
}
