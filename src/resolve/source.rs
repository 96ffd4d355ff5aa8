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

/// Where the resolver gets its data. Implementations block the calling (solver) thread until
/// the data is there, and fetch concurrently in the background.
pub trait Source: Sync {
    /// The merged page of a project, or `None` when no configured source has it.
    fn project(&self, name: &PackageName) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>>;
    /// The core metadata of one wheel file.
    fn metadata(&self, file: &DistFile) -> Result<Arc<CoreMetadata>, Arc<IndexError>>;
    /// Starts fetching a project's page in the background and, once it is there, the metadata
    /// of the file `pick` chooses. Never blocks.
    fn prefetch(&self, name: &PackageName, pick: Pick);
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

    fn prefetch(&self, name: &PackageName, pick: Pick) {
        let client = self.client.clone();
        let name = name.clone();
        self.handle.spawn(async move {
            if let Ok(Some(page)) = client.project(&name).await
                && let Some(file) = pick(&page)
            {
                let _ = client.metadata(&file).await;
            }
        });
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
