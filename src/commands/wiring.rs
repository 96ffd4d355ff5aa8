//! The one place the network stack is built: the HTTP transport (client, TLS, proxy, retries,
//! redaction, body limits: [`crate::index::http`]), the index client on top of it, and the
//! async runtime they run on.
//!
//! `build`/`resolve` wire it from the command line, `verify` wires an offline one over the
//! archive's own folder, and `upload` takes the transport alone for its signed S3 requests, so
//! every command gets the same trust store, `--cert` handling, proxy checks and timeouts.

use crate::commands::Error;
use crate::index::cache::Cache;
use crate::index::client::{Client, ClientOptions};
use crate::index::http::{AuthStore, Http, HttpOptions};

/// An index client and the runtime its requests run on.
pub struct Wired {
    /// The index client (cheap to clone).
    pub client: Client,
    /// The multi-threaded runtime the client's fetches run on.
    pub runtime: tokio::runtime::Runtime,
}

/// The HTTP transport with these options and credentials.
pub fn http(options: HttpOptions, auth: AuthStore) -> Result<Http, Error> {
    Ok(Http::new(options, auth)?)
}

/// The transport, the index client over `cache` and a runtime with `workers` threads.
pub fn wire(
    http_options: HttpOptions,
    auth: AuthStore,
    client_options: ClientOptions,
    cache: Cache,
    workers: usize,
) -> Result<Wired, Error> {
    index_client(http(http_options, auth)?, client_options, cache, workers)
}

/// The index client over a transport already built, and a runtime with `workers` threads.
pub fn index_client(
    http: Http,
    client_options: ClientOptions,
    cache: Cache,
    workers: usize,
) -> Result<Wired, Error> {
    let client = Client::new(http, client_options, cache);
    let runtime = super::async_runtime(Some(workers.max(1)))?;
    Ok(Wired { client, runtime })
}
