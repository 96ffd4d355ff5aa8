//! What the resolver needs from a package source ([`Source`]), and its implementation over the
//! index [`Client`] ([`BlockingSource`]).
//!
//! The trait lives with the resolver so that the index knows nothing of resolution: the index
//! client offers async pages and metadata, and this module adapts it to the solver thread.

use std::sync::Arc;

use pep508_rs::PackageName;

use crate::index::client::Client;
use crate::index::metadata::CoreMetadata;
use crate::index::{DistFile, IndexError, ProjectPage};

/// Picks a file from a page once it arrives, for speculative metadata fetches.
pub type Pick = Box<dyn FnOnce(&ProjectPage) -> Option<DistFile> + Send>;

/// Once a prefetched file's metadata is there: the projects it depends on that are worth
/// prefetching as well (those the target needs, not yet asked for), each with its pick.
pub type Follow = Arc<dyn Fn(&CoreMetadata) -> Vec<(PackageName, Pick)> + Send + Sync>;

/// How many levels of dependencies a prefetch follows beyond the project it was asked for.
/// Each level turns a chain of round trips (page, then metadata, then the next page) into
/// concurrent ones; the resolver asks for the rest as it goes.
const FOLLOW_DEPTH: u8 = 2;

/// Where the resolver gets its data. Implementations block the calling (solver) thread until
/// the data is there, and fetch concurrently in the background.
pub trait Source: Sync {
    /// The merged page of a project, or `None` when no configured source has it.
    fn project(&self, name: &PackageName) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>>;
    /// The core metadata of one wheel file.
    fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>>;
    /// Starts fetching a project's page in the background and, once it is there, the metadata
    /// of the file `pick` chooses; with `follow`, then the dependencies it names, a few levels
    /// deep. Never blocks.
    fn prefetch(&self, name: &PackageName, pick: Pick, follow: Option<Follow>);
    /// The resolver has just decided on `file` (its dependencies are being added). A source
    /// that will be asked for the chosen files afterwards may start fetching it now; most
    /// decisions are final, and a file fetched for nothing only fills the cache. Never blocks.
    fn decided(&self, file: &DistFile) {
        let _ = file;
    }
}

/// The resolver's view of a [`Client`]: blocking calls on the solver thread, background
/// prefetches on the runtime.
pub struct BlockingSource {
    client: Client,
    handle: tokio::runtime::Handle,
    fetch_decided: bool,
}

impl BlockingSource {
    /// Wraps a client; `handle` must belong to a multi-threaded runtime that is not the
    /// current thread's.
    pub fn new(client: Client, handle: tokio::runtime::Handle) -> Self {
        BlockingSource {
            client,
            handle,
            fetch_decided: false,
        }
    }

    /// Makes [`Source::decided`] start the wheel's download (or its cache check) in the
    /// background, for a caller that downloads the resolution's files next: the download
    /// overlaps the rest of the resolution, and the caller's [`Client::download`] of the same
    /// file gets the shared result.
    #[must_use]
    pub fn fetching_decided(mut self) -> Self {
        self.fetch_decided = true;
        self
    }
}

impl Source for BlockingSource {
    fn project(&self, name: &PackageName) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>> {
        self.handle.block_on(self.client.project(name))
    }

    fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>> {
        self.handle.block_on(self.client.metadata(file))
    }

    fn prefetch(&self, name: &PackageName, pick: Pick, follow: Option<Follow>) {
        self.handle.spawn(prefetch_chain(
            self.client.clone(),
            name.clone(),
            pick,
            follow,
            FOLLOW_DEPTH,
        ));
    }

    fn decided(&self, file: &DistFile) {
        if !self.fetch_decided || file.wheel.is_none() {
            return;
        }
        let client = self.client.clone();
        let file = file.clone();
        // The result (or error) is kept by the client for the caller's own `download`.
        self.handle.spawn(async move {
            let _ = client.download(&file).await;
        });
    }
}

/// A project's page, then the metadata of the file `pick` chooses, then (`depth` levels) the
/// same for the dependencies `follow` names, each on a task of its own.
fn prefetch_chain(
    client: Client,
    name: PackageName,
    pick: Pick,
    follow: Option<Follow>,
    depth: u8,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        let Ok(Some(page)) = client.project(&name).await else {
            return;
        };
        let Some(file) = pick(&page) else {
            return;
        };
        drop(page);
        let Ok(meta) = client.metadata(&file).await else {
            return;
        };
        let Some(follow) = follow.filter(|_| depth > 0) else {
            return;
        };
        for (dep, pick) in follow(&meta) {
            tokio::spawn(prefetch_chain(
                client.clone(),
                dep,
                pick,
                Some(Arc::clone(&follow)),
                depth - 1,
            ));
        }
    })
}
