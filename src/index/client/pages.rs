//! Project pages: every configured index in order (with the strategy), find-links sources,
//! the conditional GET of a page and its compact cached form.

use std::sync::Arc;

use pep508_rs::PackageName;
use reqwest::header::{ACCEPT, HeaderName, IF_MODIFIED_SINCE, IF_NONE_MATCH};
use url::Url;

use super::{Client, FindLinks, FindLinksFiles, IndexStrategy, IndexUrl, LocalFiles, shared};
use crate::index::cache::CachedPage;
use crate::index::http::Response;
use crate::index::page_cache::{self, PageFilter};
use crate::index::{
    DistFile, IndexError, Origin, ProjectPage, Redacted, SkippedFile, find_links, simple,
};

impl Client {
    /// Warnings about the pages read so far (archived or deprecated projects, PEP 792), sorted.
    pub fn notices(&self) -> Vec<String> {
        self.inner
            .notices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// The project's files from the configured sources, or `None` when none has it.
    pub async fn project(
        &self,
        name: &PackageName,
    ) -> Result<Option<Arc<ProjectPage>>, Arc<IndexError>> {
        let cell = shared(&self.inner.pages, name);
        cell.get_or_init(|| async { self.fetch_project(name).await.map_err(Arc::new) })
            .await
            .clone()
    }

    async fn fetch_project(
        &self,
        name: &PackageName,
    ) -> Result<Option<Arc<ProjectPage>>, IndexError> {
        let prefix = self.private_prefix(name);
        if let Some(prefix) = &prefix
            && self.private_source_names().is_empty()
        {
            // Nothing may serve it: refuse before any source is even asked about the name.
            return Err(IndexError::PrivatePrefix {
                project: name.clone(),
                prefix: prefix.clone(),
                detail: "no source is declared private (give the private index with `--private-index`, or an `--extra-index-url`/`--find-links` on the command line, in `nbwheel.toml` or in the environment)".to_string(),
            });
        }
        let mut files: Vec<DistFile> = Vec::new();
        let mut skipped: Vec<SkippedFile> = Vec::new();
        let mut foreign = Vec::new();
        let mut found_on: Option<usize> = None;
        let mut seen: Vec<Origin> = Vec::new();
        let mut status = None;
        for (i, index) in self.inner.options.indexes.iter().enumerate() {
            let page = self.fetch_index_page(i, index, name).await?;
            if let Some(page) = page {
                found_on.get_or_insert(i);
                seen.push(Origin::Index(i));
                if let Some(notice) = check_status(name, index, page.status.as_ref())? {
                    self.inner
                        .notices
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .insert(notice);
                }
                status = status.or(page.status);
                files.extend(page.files);
                skipped.extend(page.skipped);
                foreign.extend(page.foreign);
                if self.inner.options.strategy == IndexStrategy::FirstIndex {
                    break;
                }
            }
        }
        if let Some(i) = found_on {
            tracing::info!(
                "`{name}` served by {}",
                self.inner.options.indexes[i].redacted()
            );
        }
        let local = self
            .find_links()
            .await
            .map_err(|e| IndexError::MalformedPage {
                url: Redacted::text("find-links"),
                reason: e.to_string(),
            })?;
        if let Some(extra) = local.files.get(name) {
            seen.extend(extra.iter().map(|f| f.origin));
            files.extend(extra.iter().cloned());
        }
        if let Some(extra) = local.skipped.get(name) {
            skipped.extend(extra.iter().cloned());
        }
        if let Some(prefix) = &prefix {
            self.check_private(name, prefix, &seen)?;
        }
        if found_on.is_none() && files.is_empty() && skipped.is_empty() {
            return Ok(None);
        }
        Ok(Some(Arc::new(ProjectPage {
            name: name.clone(),
            files,
            api_version: None,
            skipped,
            foreign,
            status,
        })))
    }

    async fn find_links(&self) -> Result<FindLinksFiles, Arc<IndexError>> {
        self.inner
            .find_links
            .get_or_init(|| async {
                let mut all: Vec<DistFile> = Vec::new();
                let mut skipped: Vec<SkippedFile> = Vec::new();
                for (i, source) in self.inner.options.find_links.iter().enumerate() {
                    match source {
                        FindLinks::Dir(dir) => {
                            let (found, bad) = find_links::scan_dir(dir, Origin::FindLinks(i))
                                .map_err(Arc::new)?;
                            all.extend(found);
                            skipped.extend(bad);
                        }
                        FindLinks::Page(url) => {
                            let (body, ct, final_url) = self
                                .get_page_cached(url)
                                .await
                                .map_err(Arc::new)?
                                .ok_or_else(|| {
                                    Arc::new(IndexError::Status {
                                        url: Redacted::new(url),
                                        status: 404,
                                    })
                                })?;
                            let _ = ct;
                            let page = simple::parse_html(
                                body.as_bytes(),
                                &final_url,
                                None,
                                Origin::FindLinks(i),
                            )
                            .map_err(Arc::new)?;
                            all.extend(page.files);
                            skipped.extend(page.skipped);
                        }
                    }
                }
                Ok(Arc::new(LocalFiles {
                    files: simple::group_by_project(all),
                    skipped: simple::group_skipped_by_project(skipped),
                }))
            })
            .await
            .clone()
    }

    /// One index's page for a project; `None` when the index does not have it.
    async fn fetch_index_page(
        &self,
        position: usize,
        index: &IndexUrl,
        name: &PackageName,
    ) -> Result<Option<ProjectPage>, IndexError> {
        let url = index
            .url
            .join(&format!("{name}/"))
            .map_err(|e| IndexError::MalformedPage {
                url: index.redacted(),
                reason: e.to_string(),
            })?;
        if url.scheme() == "file" {
            return Self::file_index_page(position, &url, name);
        }
        if let Some(filter) = self.inner.filter.get() {
            return self.filtered_index_page(position, &url, name, filter).await;
        }
        let Some((body, content_type, final_url)) = self.get_page_cached(&url).await? else {
            return Ok(None);
        };
        let origin = Origin::Index(position);
        let page = match simple::format_from_content_type(content_type.as_deref()) {
            simple::PageFormat::Json => {
                simple::parse_json(body.as_bytes(), &final_url, name, origin)?
            }
            simple::PageFormat::Html => {
                simple::parse_html(body.as_bytes(), &final_url, Some(name), origin)?
            }
        };
        Ok(Some(page))
    }

    /// One index's page read through `filter`: the compact entry in the cache is revalidated
    /// with its validators and used as it is on `304 Not Modified` (and alone with `--offline`),
    /// or on a `200` whose body has the digest it was made from (an index that sends no
    /// validators); a new body is parsed as a stream and only its compact form is stored. The
    /// entry is decoded on the blocking pool while the request is in flight.
    async fn filtered_index_page(
        &self,
        position: usize,
        url: &Url,
        name: &PackageName,
        filter: &PageFilter,
    ) -> Result<Option<ProjectPage>, IndexError> {
        let origin = Origin::Index(position);
        let path = self.inner.cache.filtered_page_path(url, filter.key());
        let entry = page_cache::read(&path, filter);
        if self.inner.options.offline {
            if let Some(c) = entry.and_then(|e| page_cache::decode(e, name, origin, filter)) {
                return Ok(Some(c.page));
            }
            // A whole page cached by an earlier version still serves.
            return match self.inner.cache.read_page(url) {
                Some(c) => {
                    let final_url = Url::parse(&c.url).unwrap_or_else(|_| url.clone());
                    let format = simple::format_from_content_type(c.content_type.as_deref());
                    parse_filtered(c.body.as_bytes(), format, &final_url, name, origin, filter)
                        .map(Some)
                }
                None => Err(IndexError::Offline {
                    what: format!("The index page {}", Redacted::new(url)),
                }),
            };
        }
        let validators = entry.as_ref().map(|e| {
            (
                e.header.etag.clone(),
                e.header.last_modified.clone(),
                e.header.digest.clone(),
            )
        });
        let decoding = entry.map(|entry| {
            let (client, name) = (self.clone(), name.clone());
            tokio::task::spawn_blocking(move || {
                let filter = client.inner.filter.get()?;
                page_cache::decode(entry, &name, origin, filter)
            })
        });
        let (etag, last_modified) = validators
            .as_ref()
            .map_or((None, None), |(e, l, _)| (e.as_deref(), l.as_deref()));
        let Some(mut response) = self.get_page(url, (etag, last_modified)).await? else {
            return Ok(None);
        };
        let cached = match decoding {
            Some(task) => task.await.ok().flatten(),
            None => None,
        };
        if response.status.as_u16() == 304 {
            if let Some(c) = cached {
                return Ok(Some(c.page));
            }
            // The entry the validators came from did not decode: ask again, unconditionally.
            let Some(again) = self.get_page(url, (None, None)).await? else {
                return Ok(None);
            };
            response = again;
        }
        let header = |name: HeaderName| response_header(&response, name);
        let stamp = page_cache::Stamp {
            url: response.url.clone(),
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
            digest: page_cache::body_digest(&response.body),
        };
        if let Some(c) = cached
            && c.header.matches(&stamp)
        {
            // The body this entry was made from: nothing to parse or store.
            tracing::debug!(
                "The page of `{name}` is unchanged (same sha256): its cached form serves"
            );
            return Ok(Some(c.page));
        }
        let format =
            simple::format_from_content_type(header(reqwest::header::CONTENT_TYPE).as_deref());
        let page = parse_filtered(&response.body, format, &response.url, name, origin, filter)?;
        // The whole body is not needed any more: free it before the compact form is made.
        drop(response);
        let bytes = page_cache::encode(&page, filter, stamp)
            .map_err(|e| page_cache::encode_error(&path, e))?;
        // Kept even without validators, for `--offline` and the digest.
        self.inner.cache.write(&path, &bytes)?;
        Ok(Some(page))
    }

    /// A conditional GET of a project page with the cached validators (`If-None-Match`,
    /// `If-Modified-Since`), counted in `page_requests`; `None` for 404/410 (not on this index).
    async fn get_page(
        &self,
        url: &Url,
        (etag, last_modified): (Option<&str>, Option<&str>),
    ) -> Result<Option<Response>, IndexError> {
        let mut headers: Vec<(HeaderName, String)> = vec![(ACCEPT, simple::ACCEPT.to_string())];
        if let Some(etag) = etag {
            headers.push((IF_NONE_MATCH, etag.to_string()));
        }
        if let Some(lm) = last_modified {
            headers.push((IF_MODIFIED_SINCE, lm.to_string()));
        }
        self.inner
            .page_requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.inner.http.get_bytes(url, &headers).await {
            Ok(r) if matches!(r.status.as_u16(), 404 | 410) => Ok(None),
            Ok(r) => Ok(Some(r)),
            Err(IndexError::Status {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A `file://` index: a folder per project holding an `index.html` (PEP 503 on disk).
    fn file_index_page(
        position: usize,
        url: &Url,
        name: &PackageName,
    ) -> Result<Option<ProjectPage>, IndexError> {
        let Ok(dir) = url.to_file_path() else {
            return Ok(None);
        };
        let html = dir.join("index.html");
        match std::fs::read(&html) {
            Ok(body) => Ok(Some(simple::parse_html(
                &body,
                url,
                Some(name),
                Origin::Index(position),
            )?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(IndexError::Io {
                action: "Failed to read",
                path: html,
                source: e,
            }),
        }
    }

    /// GETs a page with revalidation against the cache. `None` for 404/410.
    async fn get_page_cached(
        &self,
        url: &Url,
    ) -> Result<Option<(String, Option<String>, Url)>, IndexError> {
        let cached = self.inner.cache.read_page(url);
        if self.inner.options.offline {
            return match cached {
                Some(c) => Ok(Some((
                    c.body,
                    c.content_type,
                    Url::parse(&c.url).unwrap_or_else(|_| url.clone()),
                ))),
                None => Err(IndexError::Offline {
                    what: format!("The index page {}", Redacted::new(url)),
                }),
            };
        }
        let validators = cached.as_ref().map_or((None, None), |c| {
            (c.etag.as_deref(), c.last_modified.as_deref())
        });
        let Some(response) = self.get_page(url, validators).await? else {
            return Ok(None);
        };
        if response.status.as_u16() == 304
            && let Some(c) = cached
        {
            let final_url = Url::parse(&c.url).unwrap_or_else(|_| url.clone());
            return Ok(Some((c.body, c.content_type, final_url)));
        }
        let header = |name: HeaderName| response_header(&response, name);
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let body =
            String::from_utf8(response.body.clone()).map_err(|_| IndexError::MalformedPage {
                url: Redacted::new(url),
                reason: "the body is not UTF-8".into(),
            })?;
        let page = CachedPage {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
            content_type: content_type.clone(),
            url: response.url.to_string(),
            body: body.clone(),
        };
        // Kept even without validators, for `--offline`.
        self.inner.cache.write_page(url, &page)?;
        Ok(Some((body, content_type, response.url.clone())))
    }
}

/// Parses a page body in `format` through `filter`.
fn parse_filtered(
    body: &[u8],
    format: simple::PageFormat,
    final_url: &Url,
    name: &PackageName,
    origin: Origin,
    filter: &PageFilter,
) -> Result<ProjectPage, IndexError> {
    match format {
        simple::PageFormat::Json => {
            simple::parse_json_filtered(body, final_url, name, origin, Some(filter))
        }
        simple::PageFormat::Html => {
            simple::parse_html_filtered(body, final_url, Some(name), origin, Some(filter))
        }
    }
}

/// PEP 792: a quarantined project is refused; an archived or deprecated one gives a warning
/// for the report ([`Client::notices`]).
fn check_status(
    name: &PackageName,
    index: &IndexUrl,
    status: Option<&crate::index::ProjectStatus>,
) -> Result<Option<String>, IndexError> {
    let Some(status) = status else {
        return Ok(None);
    };
    if status.is_quarantined() {
        return Err(IndexError::Quarantined {
            project: name.clone(),
            url: index.redacted(),
            reason: status.reason.clone(),
        });
    }
    let notice = format!(
        "`{name}` is {} on {}{}",
        status.status,
        index.redacted(),
        status
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default()
    );
    tracing::info!("{notice}");
    Ok(Some(notice))
}

/// A response header as text, when it is valid text.
fn response_header(response: &Response, name: HeaderName) -> Option<String> {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
