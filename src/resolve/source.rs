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
}

/// The resolver's view of a [`Client`]: blocking calls on the solver thread, background
/// prefetches on the runtime.
pub struct BlockingSource {
    client: Client,
    handle: tokio::runtime::Handle,
}

impl BlockingSource {
    /// Wraps a client; `handle` must belong to a multi-threaded runtime that is not the
    /// current thread's.
    pub fn new(client: Client, handle: tokio::runtime::Handle) -> Self {
        BlockingSource { client, handle }
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
}
