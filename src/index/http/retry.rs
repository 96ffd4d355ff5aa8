//! Retries: which failures are transient, the backoff with jitter, `Retry-After` (capped), and
//! the loop that runs an attempt until it succeeds or the retries are spent.

use super::{
    Duration, Future, Http, IndexError, RETRY_AFTER, Redacted, Stop, Url, certificate_failure,
    describe,
};

/// A `Retry-After` value: delay-seconds or an HTTP date.
pub(super) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    let seconds = when.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

impl Http {
    /// The wait before attempt `attempt + 1`.
    pub(super) fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        use std::hash::BuildHasher as _;
        let cap = self.inner.options.backoff_cap;
        if let Some(after) = retry_after {
            return after.min(cap);
        }
        let exponential = self
            .inner
            .options
            .backoff_base
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(cap);
        // Jitter: between half and all of the delay.
        let random = std::collections::hash_map::RandomState::new().hash_one(attempt);
        let per_mille = 500 + u32::try_from(random % 501).unwrap_or(500);
        exponential.saturating_mul(per_mille) / 1000
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent.
    pub(super) async fn with_retries<T, F, Fut>(
        &self,
        url: &Url,
        mut attempt: F,
    ) -> Result<T, IndexError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Stop>>,
    {
        let attempts = self.inner.options.retries.saturating_add(1);
        let mut made = 0;
        loop {
            made += 1;
            let deadline = self.inner.options.deadline;
            let outcome = match tokio::time::timeout(deadline, attempt()).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Stop::Retry {
                    reason: format!(
                        "not finished within {deadline:?} (the total deadline of one request)"
                    ),
                    after: None,
                }),
            };
            match outcome {
                Ok(value) => return Ok(value),
                Err(Stop::Fail(err)) => return Err(err),
                Err(Stop::Retry { reason, after }) => {
                    if made >= attempts {
                        return Err(IndexError::Network {
                            url: Redacted::new(url),
                            attempts: made,
                            reason,
                        });
                    }
                    let delay = self.backoff(made, after);
                    tracing::warn!(
                        "Attempt {made} of {attempts} for {} failed ({reason}); retrying in {delay:.1?}",
                        Redacted::new(url)
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// Classifies a transport error.
    pub(super) fn transport_error(&self, err: reqwest::Error, url: &Url) -> Stop {
        let err = err.without_url();
        if let Some(reason) = certificate_failure(&err) {
            return Stop::Fail(IndexError::Tls {
                url: Redacted::new(url),
                reason,
            });
        }
        let detail = describe(&err);
        // A proxy refusing the CONNECT with 407 surfaces as a connect error whose only trace
        // is hyper-util's private `TunnelError` text: match it, so it is not retried and gets
        // the 407 hint.
        if detail.contains("proxy authorization required") {
            return Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: 407,
                sources: "the proxy URL in `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`".into(),
            });
        }
        if err.is_builder() {
            return Stop::Fail(IndexError::Network {
                url: Redacted::new(url),
                attempts: 1,
                reason: detail,
            });
        }
        let timeout = self.inner.options.timeout;
        let reason = if err.is_timeout() && err.is_connect() {
            format!("connect timed out after {timeout:?}")
        } else if err.is_timeout() {
            format!("no data for {timeout:?} (read timeout)")
        } else if err.is_connect() {
            format!("cannot connect: {detail}")
        } else {
            detail
        };
        Stop::Retry {
            reason,
            after: None,
        }
    }

    /// Turns a status that is not a success into the right stop.
    pub(super) fn status_stop(&self, response: &reqwest::Response, url: &Url) -> Stop {
        let status = response.status();
        let code = status.as_u16();
        match code {
            408 | 429 | 500 | 502 | 503 | 504 => Stop::Retry {
                reason: format!("HTTP {status}"),
                after: response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after),
            },
            401 | 403 => Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: code,
                sources: self.sources_for(url),
            }),
            407 => Stop::Fail(IndexError::Auth {
                url: Redacted::new(url),
                status: code,
                sources: "the proxy URL in `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`".into(),
            }),
            _ => Stop::Fail(IndexError::Status {
                url: Redacted::new(url),
                status: code,
            }),
        }
    }
}

impl Http {
    /// The `reqwest` client this transport built (TLS roots, `--cert`, `--client-cert`, proxy
    /// checks, timeouts, **no redirects**), for requests that must not be retargeted, such as
    /// signed S3 requests: their signature covers the host, so a redirect is an error for the
    /// caller to report, never a hop to follow with the credentials.
    pub fn raw_client(&self) -> &reqwest::Client {
        &self.inner.client
    }

    /// How many times a transient failure is retried (`--retries`).
    pub fn retries(&self) -> u32 {
        self.inner.options.retries
    }

    /// The wait before retry number `attempt` (1-based): exponential backoff with jitter, or
    /// `Retry-After` when the server sent one, both capped.
    pub fn retry_delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        self.backoff(attempt, retry_after)
    }

    /// The certificate failure in a transport error, if that is what it is: such an error is
    /// never retried, and is reported as a trust failure with the `--cert` hint.
    pub fn certificate_failure(err: &reqwest::Error) -> Option<String> {
        certificate_failure(err)
    }

    /// Whether an HTTP status is worth retrying (408, 429, 500, 502, 503, 504).
    pub fn is_transient_status(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }
}
