//! Downloads streamed to disk with their digests, and byte-range reads.

use super::*;

impl Http {
    /// GETs a file, streaming it to `dest` (created or truncated; removed again on any
    /// failure), computing its sha256 and, when `expected` names sha384 or sha512, that digest
    /// too. `expected` is `(algorithm, hex digest)`; a mismatch is
    /// [`IndexError::HashMismatch`] and is not retried. An algorithm other than sha256, sha384
    /// and sha512 is not checked here (the caller decides what a weak hash means). `what` names
    /// the file in messages. A truncated or reset transfer restarts from scratch.
    pub async fn download(
        &self,
        url: &Url,
        dest: &Path,
        expected: Option<(&str, &str)>,
        what: &str,
    ) -> Result<Downloaded, IndexError> {
        self.download_capped(url, dest, expected, what, None).await
    }

    /// [`Http::download`] refusing a body larger than `limit` bytes (the size the index
    /// declared), or than [`HttpOptions::max_file`] when `limit` is `None` or larger.
    pub async fn download_capped(
        &self,
        url: &Url,
        dest: &Path,
        expected: Option<(&str, &str)>,
        what: &str,
        limit: Option<u64>,
    ) -> Result<Downloaded, IndexError> {
        let limit = limit.map_or(self.inner.options.max_file, |l| {
            l.min(self.inner.options.max_file)
        });
        let clean = self.adopt(url)?;
        let expected = expected.map(|(a, d)| (a.to_ascii_lowercase(), d.to_ascii_lowercase()));
        let extra = match &expected {
            Some((algorithm, _)) if matches!(algorithm.as_str(), "sha384" | "sha512") => {
                Some(algorithm.as_str())
            }
            Some((algorithm, _)) if algorithm != "sha256" => {
                tracing::debug!("Not checking the `{algorithm}` hash of {what}");
                None
            }
            _ => None,
        };
        let headers = Self::request_headers(BodyKind::File, &[])?;
        if !dest.exists() {
            std::fs::File::create(dest).map_err(|source| IndexError::Io {
                action: "Failed to create",
                path: dest.to_path_buf(),
                source,
            })?;
        }
        let mut partial = PartialFile {
            path: dest,
            keep: false,
        };
        let (sha256, extra_digest, size) = self
            .with_retries(&clean, || {
                self.attempt_download(&clean, &headers, dest, extra, limit)
            })
            .await?;
        if let Some((algorithm, digest)) = &expected {
            let actual = match algorithm.as_str() {
                "sha256" => Some(&sha256),
                "sha384" | "sha512" => extra_digest.as_ref(),
                _ => None,
            };
            if let Some(actual) = actual
                && actual != digest
            {
                return Err(IndexError::HashMismatch {
                    what: what.to_string(),
                    url: Redacted::new(&clean),
                    algorithm: algorithm.clone(),
                    expected: digest.clone(),
                    actual: actual.clone(),
                });
            }
        }
        partial.keep = true;
        Ok(Downloaded { sha256, size })
    }

    pub(super) async fn attempt_download(
        &self,
        url: &Url,
        headers: &HeaderMap,
        dest: &Path,
        extra: Option<&str>,
        limit: u64,
    ) -> Result<(String, Option<String>, u64), Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if !status.is_success() || status == StatusCode::PARTIAL_CONTENT {
            return Err(self.status_stop(&response, &final_url));
        }
        let too_large = || {
            Stop::Fail(IndexError::TooLarge {
                url: Redacted::new(&final_url),
                limit,
            })
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        if let Some(coding) = response.headers().get(CONTENT_ENCODING) {
            // Never decoded: the raw bytes are what is hashed and checked.
            tracing::debug!(
                "{} sent a file with `Content-Encoding: {}`; keeping the raw bytes",
                Redacted::new(&final_url),
                coding.to_str().unwrap_or("?")
            );
        }
        let io_error = |action: &'static str, source: std::io::Error| {
            Stop::Fail(IndexError::Io {
                action,
                path: dest.to_path_buf(),
                source,
            })
        };
        // Never `create` here: the caller made `dest` and removes it when it gives up; an
        // attempt that outlived it must not resurrect it as a stray file.
        //
        // Written with plain blocking writes: each is a copy of one chunk into the page cache,
        // shorter than a hand-off to the blocking pool, and `tokio::fs` would also copy every
        // chunk into a buffer of its own (with 16 concurrent downloads of large wheels, up to
        // 16 more chunks of several hundred kilobytes held at once: bench/README.md).
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(dest)
            .map_err(|err| io_error("Failed to open", err))?;
        let mut hashers = Hashers::new(extra);
        let mut received = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            if received > limit {
                return Err(too_large());
            }
            hashers.update(&chunk);
            file.write_all(&chunk)
                .map_err(|err| io_error("Failed to write", err))?;
        }
        incomplete(received, declared)?;
        let (sha256, extra_digest) = hashers.finish();
        Ok((sha256, extra_digest, received))
    }

    /// Reads a byte range; `None` when the server does not honour ranges (answers 200 or 416,
    /// encodes the body, or returns another range than asked).
    pub async fn get_range(
        &self,
        url: &Url,
        range: RangeSpec,
    ) -> Result<Option<Vec<u8>>, IndexError> {
        Ok(self
            .get_range_with_total(url, range)
            .await?
            .map(|r| r.bytes))
    }

    /// Like [`Http::get_range`], with the offset of the bytes and the resource's full size.
    pub async fn get_range_with_total(
        &self,
        url: &Url,
        range: RangeSpec,
    ) -> Result<Option<RangeBody>, IndexError> {
        let clean = self.adopt(url)?;
        let headers = Self::request_headers(BodyKind::File, &[(RANGE, range.header())])?;
        self.with_retries(&clean, || self.attempt_range(&clean, &headers, range))
            .await
    }

    pub(super) async fn attempt_range(
        &self,
        url: &Url,
        headers: &HeaderMap,
        range: RangeSpec,
    ) -> Result<Option<RangeBody>, Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if status == StatusCode::OK || status == StatusCode::RANGE_NOT_SATISFIABLE {
            return Ok(None);
        }
        if status != StatusCode::PARTIAL_CONTENT {
            return Err(self.status_stop(&response, &final_url));
        }
        if response.headers().contains_key(CONTENT_ENCODING) {
            return Ok(None);
        }
        let Some((start, end, total)) = response
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_content_range)
        else {
            return Ok(None);
        };
        let matches = match range {
            RangeSpec::Bounded {
                start: want,
                end: want_end,
            } => start == want && end <= want_end,
            RangeSpec::Suffix(n) => end.saturating_sub(start).saturating_add(1) <= n,
        };
        if !matches {
            tracing::warn!(
                "{} answered another range than asked ({start}-{end}); not using ranges",
                Redacted::new(&final_url)
            );
            return Ok(None);
        }
        let limit = self.inner.options.max_body.min(range.len());
        let declared = response.content_length();
        let mut bytes = Vec::new();
        let mut received = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            if received > limit {
                return Err(Stop::Fail(IndexError::TooLarge {
                    url: Redacted::new(&final_url),
                    limit,
                }));
            }
            bytes.extend_from_slice(&chunk);
        }
        incomplete(received, declared)?;
        if received != end - start + 1 {
            return Err(Stop::Retry {
                reason: format!("incomplete range ({received} of {} bytes)", end - start + 1),
                after: None,
            });
        }
        Ok(Some(RangeBody {
            start,
            total,
            bytes,
        }))
    }
}
