//! Before any network work: requirements parsed, sources (indexes, find-links) checked, and the
//! network stack wired ([`crate::commands::wiring`]).

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::commands::Error;
use crate::commands::settings::InputSettings;
use crate::index::Redacted;
use crate::index::cache::Cache;
use crate::index::client::{Client, ClientOptions, FindLinks, IndexUrl};
use crate::index::http::{AuthStore, HttpOptions};
use crate::requirements::{self, RequirementsSet};

/// Inputs parsed and the client ready.
pub(crate) struct Prepared {
    pub(crate) reqs: RequirementsSet,
    pub(crate) cutoff: Option<jiff::Timestamp>,
    pub(crate) client: Client,
    pub(crate) runtime: Runtime,
    pub(crate) warnings: Vec<String>,
}

/// The async runtime, shut down without waiting long for speculative fetches still in flight
/// (a plain drop would wait for them to finish): their tasks are dropped, which removes the
/// cache temp files they were writing, and a blocking task still running gets a moment to end.
pub(crate) struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    pub(crate) fn handle(&self) -> &tokio::runtime::Handle {
        self.0
            .as_ref()
            .expect("the runtime lives until drop")
            .handle()
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.handle().block_on(future)
    }
}

/// How long the end of a run waits for the runtime's threads to drop what was in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_timeout(SHUTDOWN_GRACE);
        }
    }
}

pub(crate) fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

pub(crate) fn usage_url(flag: &str, value: &str, message: &str) -> Error {
    // The value may hold credentials: show it redacted.
    let shown = Url::parse(value).map_or_else(
        |_| "<invalid URL>".to_string(),
        |u| Redacted::new(&u).to_string(),
    );
    Error::usage(
        format!("Invalid `{flag}` value {shown}: {message}"),
        Some("Give an absolute http(s) URL, e.g. `https://pypi.example.com/simple/`.".into()),
    )
}

/// The cap of an index page body held in memory: `NBWHEEL_MAX_PAGE_SIZE` (bytes, or with a K,
/// M or G suffix), else 64 MiB.
fn max_page_size() -> Result<u64, Error> {
    match std::env::var("NBWHEEL_MAX_PAGE_SIZE") {
        Ok(v) if !v.trim().is_empty() => crate::cli::parse_byte_size(&v).map_err(|m| {
            Error::usage(
                format!("Invalid `NBWHEEL_MAX_PAGE_SIZE`: {m}"),
                Some("Give bytes, or a number with K, M or G (e.g. `64M`).".into()),
            )
        }),
        _ => Ok(crate::index::http::DEFAULT_MAX_PAGE),
    }
}

pub(crate) fn prepare(input: &InputSettings) -> Result<Prepared, Error> {
    let reqs = requirements::parse(&input.requirements, &input.constraints, &env_lookup)?;
    reqs.check_hashes(input.args.require_hashes)?;
    let args = &input.args;
    let mut warnings = Vec::new();

    let (indexes, mut with_credentials, private_indexes) = index_urls(args, &reqs)?;
    let mut find_links = Vec::new();
    // A find-links source is private when the user gave it (command line, nbwheel.toml,
    // environment), never when only a requirements file names it.
    let mut private_links = Vec::new();
    let raw_links = args
        .find_links
        .iter()
        .map(|l| (l.clone(), std::env::current_dir().unwrap_or_default(), true))
        .chain(
            reqs.find_links
                .iter()
                .map(|(l, _)| (l.clone(), PathBuf::new(), false)),
        );
    for (link, base_dir, is_private) in raw_links {
        private_links.push(is_private);
        if link.starts_with("http://") || link.starts_with("https://") {
            let (index, full) =
                IndexUrl::parse(&link).map_err(|m| usage_url("--find-links", &link, &m))?;
            let mut url = index.url;
            // A flat page is fetched as given, without the added `/`.
            if !link.ends_with('/') {
                let path = url.path().trim_end_matches('/').to_string();
                url.set_path(&path);
            }
            with_credentials.push(full);
            find_links.push(FindLinks::Page(url));
        } else {
            let path = link
                .strip_prefix("file://")
                .map_or_else(|| PathBuf::from(&link), PathBuf::from);
            let path = if path.is_absolute() {
                path
            } else {
                base_dir.join(path)
            };
            if !path.is_dir() {
                return Err(Error::usage(
                    format!(
                        "The `--find-links` folder `{}` does not exist",
                        path.display()
                    ),
                    None,
                ));
            }
            find_links.push(FindLinks::Dir(path));
        }
    }
    if indexes.is_empty() && find_links.is_empty() {
        return Err(Error::usage(
            "`--no-index` leaves no source of wheels",
            Some("Add a folder of wheels with `--find-links DIR`.".into()),
        ));
    }
    if !reqs.trusted_hosts.is_empty() {
        warnings.push("`--trusted-host` is ignored: nbwheel always verifies TLS (use `--cert` for a private CA)".to_string());
    }

    let http = crate::commands::wiring::http(
        HttpOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            retries: args.retries,
            cert: args.cert.clone(),
            client_cert: args.client_cert.clone(),
            offline: args.offline,
            max_file: args.max_wheel_size,
            max_body: max_page_size()?,
            deadline: Duration::from_secs(args.max_request_time.max(1)),
            ..HttpOptions::default()
        },
        AuthStore::from_env(with_credentials.iter())
            .with_index_origins(indexes.iter().map(|i| &i.url)),
    )?;
    let lock_timeout = crate::index::cache::lock_timeout()?;
    let cache = if args.no_cache {
        Cache::temporary()?
    } else {
        Cache::at(args.cache_dir.clone().unwrap_or_else(Cache::default_dir))
    };
    let crate::commands::wiring::Wired { client, runtime } = crate::commands::wiring::index_client(
        http,
        ClientOptions {
            indexes,
            find_links,
            strategy: args.index_strategy,
            private_prefixes: args.private_prefix.clone(),
            offline: args.offline,
            concurrency: args.jobs.max(1),
        },
        cache,
        4,
    )?;
    client.set_lock_timeout(lock_timeout);
    client.set_strict(args.strict);
    client.set_private_sources(private_indexes, private_links);
    client.set_page_filter(&input.targets);
    Ok(Prepared {
        cutoff: input.uploaded_prior_to,
        reqs,
        client,
        runtime: Runtime(Some(runtime)),
        warnings,
    })
}

/// The indexes in search order, their full URLs, and which are private (see [`index_urls`]).
type IndexList = (Vec<IndexUrl>, Vec<Url>, Vec<bool>);

/// The indexes in search order, each with its full URL (credentials included, for the auth
/// store) and whether the user declared it private: every `--private-index`, then every extra
/// index of the command line (also `nbwheel.toml` and the environment), then the command line's
/// `--index-url`; only then the extra indexes of requirement files, and last the base index of a
/// file (or `PyPI`) when the command line gave none. A file can therefore never outrank an index
/// the user named. Private: `--private-index` and the command line's extra indexes. None with
/// `--no-index`.
fn index_urls(args: &crate::cli::InputArgs, reqs: &RequirementsSet) -> Result<IndexList, Error> {
    let given = |v: &[String]| -> Vec<String> {
        v.iter().filter(|s| !s.trim().is_empty()).cloned().collect()
    };
    let mut raw: Vec<(&str, String, bool)> = Vec::new();
    raw.extend(
        given(&args.private_index)
            .into_iter()
            .map(|u| ("--private-index", u, true)),
    );
    raw.extend(
        given(&args.extra_index_url)
            .into_iter()
            .map(|u| ("--extra-index-url", u, true)),
    );
    if let Some(base) = &args.index_url {
        raw.push(("--index-url", base.clone(), false));
    }
    raw.extend(
        reqs.extra_index_urls
            .iter()
            .map(|(u, _)| ("--extra-index-url", u.clone(), false)),
    );
    if args.index_url.is_none() {
        let base = reqs
            .index_url
            .as_ref()
            .map_or_else(|| super::PYPI.to_string(), |(u, _)| u.clone());
        raw.push(("--index-url", base, false));
    }
    let no_index = args.no_index || reqs.no_index;
    let mut indexes: Vec<IndexUrl> = Vec::new();
    let mut with_credentials: Vec<Url> = Vec::new();
    let mut private: Vec<bool> = Vec::new();
    if !no_index {
        for (flag, raw, is_private) in &raw {
            let (index, full) = IndexUrl::parse(raw).map_err(|m| usage_url(flag, raw, &m))?;
            if !indexes.contains(&index) {
                indexes.push(index);
                with_credentials.push(full);
                private.push(*is_private);
            }
        }
    }
    Ok((indexes, with_credentials, private))
}
