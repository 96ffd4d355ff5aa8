//! Bodies: content decoding (identity or gzip, others refused), the digests computed while a
//! file streams, the partial file removed on failure, and the length checks of a finished body.

use super::*;

/// Streaming decoder for the content codings accepted: none and gzip.
pub(super) enum Decoder {
    Identity,
    Gzip(Box<flate2::write::GzDecoder<Vec<u8>>>),
}

impl Decoder {
    pub(super) fn for_headers(headers: &HeaderMap) -> Result<Self, String> {
        let Some(value) = headers.get(CONTENT_ENCODING) else {
            return Ok(Decoder::Identity);
        };
        let value = value.to_str().unwrap_or("").trim().to_ascii_lowercase();
        match value.as_str() {
            "" | "identity" => Ok(Decoder::Identity),
            "gzip" | "x-gzip" => Ok(Decoder::Gzip(Box::new(flate2::write::GzDecoder::new(
                Vec::new(),
            )))),
            other => Err(format!("unsupported `Content-Encoding: {other}`")),
        }
    }

    /// Feeds raw bytes; returns the decoded bytes available so far.
    pub(super) fn push<'a>(
        &'a mut self,
        raw: &'a [u8],
    ) -> std::io::Result<std::borrow::Cow<'a, [u8]>> {
        match self {
            Decoder::Identity => Ok(std::borrow::Cow::Borrowed(raw)),
            Decoder::Gzip(decoder) => {
                decoder.write_all(raw)?;
                Ok(std::borrow::Cow::Owned(std::mem::take(decoder.get_mut())))
            }
        }
    }

    /// Ends the stream; returns the last decoded bytes.
    pub(super) fn finish(self) -> std::io::Result<Vec<u8>> {
        match self {
            Decoder::Identity => Ok(Vec::new()),
            Decoder::Gzip(decoder) => decoder.finish(),
        }
    }
}

/// The digests computed while a file streams: sha256 always, plus the extra algorithm the
/// index published (sha384 or sha512), through the one [`MultiHasher`].
pub(super) struct Hashers {
    inner: MultiHasher,
    extra: Option<HashAlgorithm>,
}

impl Hashers {
    pub(super) fn new(extra: Option<&str>) -> Self {
        let extra = extra
            .and_then(|e| e.parse().ok())
            .filter(|a| *a != HashAlgorithm::Sha256);
        Hashers {
            inner: MultiHasher::new(std::iter::once(HashAlgorithm::Sha256).chain(extra)),
            extra,
        }
    }

    pub(super) fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// sha256 hex, and the extra algorithm's hex when one was asked for.
    pub(super) fn finish(self) -> (String, Option<String>) {
        let digests = self.inner.finish();
        let hex_of = |a: HashAlgorithm| digests.iter().find(|d| d.algorithm == a).map(Digest::hex);
        (
            hex_of(HashAlgorithm::Sha256).unwrap_or_default(),
            self.extra.and_then(hex_of),
        )
    }
}

/// Removes a partly written file when dropped, unless kept.
pub(super) struct PartialFile<'a> {
    pub(super) path: &'a Path,
    pub(super) keep: bool,
}

impl Drop for PartialFile<'_> {
    fn drop(&mut self) {
        if !self.keep {
            match std::fs::remove_file(self.path) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => tracing::warn!(
                    "Cannot remove the partial download `{}`: {err}",
                    self.path.display()
                ),
            }
        }
    }
}

impl Http {
    /// A failure while reading a body.
    pub(super) fn body_error(
        &self,
        err: reqwest::Error,
        url: &Url,
        received: u64,
        declared: Option<u64>,
    ) -> Stop {
        let timeout = err.is_timeout();
        match self.transport_error(err, url) {
            Stop::Retry { reason, after } => Stop::Retry {
                // An early end of the stream is all there is to say; a timeout says more.
                reason: match declared {
                    Some(len) if !timeout => {
                        format!(
                            "incomplete body ({received} of {len} bytes): the connection closed early"
                        )
                    }
                    Some(len) => format!("incomplete body ({received} of {len} bytes): {reason}"),
                    None => format!("incomplete body ({received} bytes received): {reason}"),
                },
                after,
            },
            fail @ Stop::Fail(_) => fail,
        }
    }
}

/// A retry when fewer bytes arrived than `Content-Length` promised.
pub(super) fn incomplete(received: u64, declared: Option<u64>) -> Result<(), Stop> {
    match declared {
        Some(len) if received < len => Err(Stop::Retry {
            reason: format!("incomplete body ({received} of {len} bytes)"),
            after: None,
        }),
        _ => Ok(()),
    }
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`).
pub(super) fn parse_content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    (start <= end).then_some((start, end, total))
}
