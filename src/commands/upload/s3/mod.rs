//! Uploading to S3 natively: requests signed by `rusty-s3` (AWS Signature Version 4, presigned
//! URLs) and sent through our one HTTP stack, multipart for large files, the usual AWS
//! credential sources, and a check of the stored object's size and checksum.
//!
//! Input: [`S3Options`] (endpoint, region, profile, part size), the archive and `s3://BUCKET/KEY`.
//! Output: the object written (the previous one copied to `KEY.previous` first), or an
//! [`S3Error`] naming the request (URL redacted) and S3's error code.
//!
//! Content: every payload carries `x-amz-checksum-sha256` (base64), signed, so S3 itself
//! verifies and stores the content's checksum: on the single `PUT` and on every part of a
//! multipart upload (created with `x-amz-checksum-algorithm: SHA256`; the completion lists each
//! part's checksum). Afterwards a `HEAD` with `x-amz-checksum-mode: ENABLED` reads back the
//! checksum S3 computed (for a multipart object, the composite `sha256(part digests)-N`) and
//! compares it and the size with the archive. The archive's hex sha256 is also stored as
//! `x-amz-meta-nbwheel-sha256`, for people.
//!
//! Transport: each request is signed just before it is sent, as a presigned URL (valid for an
//! hour) whose signed headers are sent as signed; the body is covered by the signed checksum
//! header rather than by `x-amz-content-sha256`. Requests go through the shared client of
//! `crate::index::http` (the OS trust store and `SSL_CERT_FILE`, proxy checks, timeouts,
//! retries of transient failures); it never follows redirects, which a signed request must not
//! do. A presigned URL holds the signature and any session token in its query: messages and
//! steps show it through [`Redacted`] (no query), and transport errors drop the URL.
//! Addressing: path style on an `--endpoint-url` (`MinIO`, moto, other S3-compatible servers),
//! virtual-hosted on AWS (path style for a bucket name with a `.`, which AWS's certificates do
//! not cover).
//!
//! What is ours and why: the credential chain (`credentials`, no crate does the AWS CLI's
//! order without the AWS SDK), the answers' XML beyond `rusty-s3`'s (`xml`), the retry loop
//! around the shared client, and the size/checksum check.

mod credentials;
mod error;
mod upload;
mod xml;

#[cfg(test)]
mod tests;

use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use url::Url;

use self::credentials::env;
pub use self::error::S3Error;
use crate::commands::Error;
use crate::redact::Redacted;

/// Smallest part S3 accepts (except the last).
pub const MIN_PART: u64 = 5 * 1024 * 1024;

/// How long a presigned request stays valid (each is signed right before it is sent).
const EXPIRES: Duration = Duration::from_hours(1);

/// The most of an S3 or STS answer read (they are small XML documents or empty).
const MAX_ANSWER: usize = 1024 * 1024;

/// S3 settings from the command line.
#[derive(Debug, Clone, Default)]
pub struct S3Options {
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// Part size in bytes.
    pub part_size: u64,
    /// `--cert`: CA certificates trusted besides the system store.
    pub cert: Option<std::path::PathBuf>,
    /// `--client-cert`: a client certificate and key for mutual TLS.
    pub client_cert: Option<std::path::PathBuf>,
}

/// A signed S3 client for one endpoint and region.
pub struct S3Client {
    http: crate::index::http::Http,
    runtime: tokio::runtime::Runtime,
    endpoint: Option<Url>,
    region: String,
    creds: Option<Credentials>,
    part_size: u64,
    dry_run: bool,
    steps: Mutex<Vec<String>>,
}

struct Response {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

/// A request ready to send: the method, the presigned URL and the headers it signed.
struct Signed {
    method: rusty_s3::Method,
    url: Url,
    headers: Vec<(&'static str, String)>,
}

/// Signs `action` with `headers` (lower-case names, sent as signed).
fn sign<'a, A: S3Action<'a>>(mut action: A, headers: Vec<(&'static str, String)>) -> Signed {
    for (k, v) in &headers {
        action.headers_mut().insert(*k, v.clone());
    }
    Signed {
        method: A::METHOD,
        url: action.sign(EXPIRES),
        headers,
    }
}

/// Base64 (standard, padded) of a digest, as S3's checksum headers carry it.
fn b64(digest: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// Reads at most [`MAX_ANSWER`] bytes of an answer as text (the rest is dropped).
async fn read_capped(mut r: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = r.chunk().await? {
        let room = MAX_ANSWER.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ANSWER {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// A `200 OK` whose body is an `<Error>` is an error (`CopyObject`, completion).
fn check_body(req: &Signed, r: &Response) -> Result<(), S3Error> {
    if !xml::is_error(&r.body) {
        return Ok(());
    }
    let (code, message) = xml::error_code(&r.body);
    Err(S3Error::Status {
        method: req.method.to_str().into(),
        url: Redacted::new(&req.url),
        status: r.status,
        code,
        message,
    })
}

impl S3Client {
    /// A client; credentials are looked up now (not under `--dry-run` when none are found).
    pub fn new(options: &S3Options, dry_run: bool) -> Result<Self, Error> {
        let profile = options
            .profile
            .clone()
            .or_else(|| env("AWS_PROFILE"))
            .unwrap_or_else(|| "default".into());
        let settings = credentials::profile_settings(&profile);
        let region = options
            .region
            .clone()
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| settings.get("region").cloned())
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = options
            .endpoint_url
            .clone()
            .or_else(|| settings.get("endpoint_url").cloned())
            .map(|e| {
                Url::parse(&e)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .ok_or_else(|| S3Error::BadEndpoint(e.clone()))
            })
            .transpose()?;
        // The one HTTP stack (trust store, `SSL_CERT_FILE`, proxy checks, timeouts); its client
        // never follows redirects, which a signed request must not do.
        let http = crate::commands::wiring::http(
            crate::index::http::HttpOptions {
                cert: options.cert.clone(),
                client_cert: options.client_cert.clone(),
                ..crate::index::http::HttpOptions::default()
            },
            crate::index::http::AuthStore::new(std::iter::empty(), None),
        )?;
        let runtime = crate::commands::async_runtime(None)?;
        let lookup = credentials::Lookup {
            profile: &profile,
            settings: &settings,
            region: &region,
            http: &http,
            runtime: &runtime,
        };
        let creds = match lookup.credentials() {
            Ok((c, source)) => {
                tracing::debug!("AWS credentials from {source}");
                Some(c)
            }
            Err(e) if dry_run => {
                tracing::warn!("{e}");
                None
            }
            Err(e) => return Err(e.into()),
        };
        Ok(S3Client {
            http,
            runtime,
            endpoint,
            region,
            creds,
            part_size: options.part_size.max(MIN_PART),
            dry_run,
            steps: Mutex::new(Vec::new()),
        })
    }

    /// Every request made (or planned under `--dry-run`), in order.
    pub fn steps(&self) -> Vec<String> {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn record(&self, line: String) {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }

    /// The bucket: path style under an endpoint, virtual-hosted on AWS (path style for a name
    /// with a `.`, which the wildcard certificate of `s3.REGION.amazonaws.com` does not match).
    fn bucket(&self, name: &str) -> Result<Bucket, S3Error> {
        let (endpoint, style) = if let Some(e) = &self.endpoint {
            (e.clone(), UrlStyle::Path)
        } else {
            let text = format!("https://s3.{}.amazonaws.com/", self.region);
            let url = Url::parse(&text).map_err(|_| S3Error::BadEndpoint(text))?;
            let style = if name.contains('.') {
                UrlStyle::Path
            } else {
                UrlStyle::VirtualHost
            };
            (url, style)
        };
        let shown = Redacted::new(&endpoint).to_string();
        Bucket::new(endpoint, style, name.to_string(), self.region.clone())
            .map_err(|e| S3Error::BadEndpoint(format!("{shown} (bucket `{name}`: {e:?})")))
    }

    /// The object's URL, for messages and `--dry-run` steps.
    fn shown(&self, bucket: &str, key: &str) -> Redacted {
        match self.bucket(bucket) {
            Ok(b) => Redacted::new(&b.object_url(key)),
            Err(_) => Redacted::text(&format!("s3://{bucket}/{key}")),
        }
    }

    /// Sends one signed request, retrying transient failures; an answer outside 2xx is an
    /// [`S3Error::Status`] with S3's error code.
    fn send(&self, req: &Signed, mut body: Vec<u8>) -> Result<Response, S3Error> {
        let method = req.method.to_str();
        let shown = Redacted::new(&req.url);
        self.record(format!("{method} {shown} ({} bytes)", body.len()));
        if self.creds.is_none() {
            return Err(S3Error::NoCredentials {
                looked: "(see the warning above)".into(),
            });
        }
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        // `reqwest` leaves `Content-Length` out of an empty body, which S3 answers with 411.
        let empty_write = body.is_empty() && matches!(method, "PUT" | "POST");
        let retries = self.http.retries();
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let mut r = self.http.raw_client().request(m.clone(), req.url.clone());
            for (k, v) in &req.headers {
                r = r.header(*k, v.as_str());
            }
            if empty_write {
                r = r.header(reqwest::header::CONTENT_LENGTH, "0");
            }
            let body = if attempt > retries {
                std::mem::take(&mut body)
            } else {
                body.clone()
            };
            let result = self.runtime.block_on(async {
                let r = r.body(body).send().await?;
                let status = r.status().as_u16();
                let headers = r.headers().clone();
                let body = read_capped(r).await?;
                Ok::<_, reqwest::Error>(Response {
                    status,
                    headers,
                    body,
                })
            });
            if let Err(e) = &result
                && let Some(reason) = crate::index::http::Http::certificate_failure(e)
            {
                return Err(S3Error::Tls { url: shown, reason });
            }
            let transient = match &result {
                Ok(r) => crate::index::http::Http::is_transient_status(r.status),
                Err(e) => e.is_connect() || e.is_timeout() || e.is_request() || e.is_body(),
            };
            if !transient || attempt > retries {
                break result;
            }
            let delay = self.http.retry_delay(attempt, None);
            tracing::warn!(
                "`{method} {shown}` failed, retrying in {delay:?} (attempt {attempt} of {})",
                retries + 1
            );
            std::thread::sleep(delay);
        };
        let resp = result.map_err(|source| S3Error::Transport {
            method: method.into(),
            url: shown.clone(),
            source: source.without_url(),
        })?;
        if !(200..300).contains(&resp.status) {
            tracing::debug!(status = resp.status, "S3 error body: {}", resp.body);
            let (code, message) = xml::error_code(&resp.body);
            return Err(S3Error::Status {
                method: method.into(),
                url: shown,
                status: resp.status,
                code,
                message,
            });
        }
        Ok(resp)
    }

    /// `HEAD` with checksum mode: `Some((size, S3's sha256 checksum))` when the object exists.
    fn head(&self, bucket: &str, key: &str) -> Result<Option<(u64, Option<String>)>, S3Error> {
        let b = self.bucket(bucket)?;
        let req = sign(
            b.head_object(self.creds.as_ref(), key),
            vec![("x-amz-checksum-mode", "ENABLED".into())],
        );
        match self.send(&req, Vec::new()) {
            Ok(r) => {
                let h = |n: &str| {
                    r.headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                let size = h("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                Ok(Some((size, h("x-amz-checksum-sha256"))))
            }
            Err(S3Error::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `CopyObject` within a bucket: a `PUT` with `x-amz-copy-source` (which `rusty-s3` has no
    /// action for; its `PutObject` signs the extra headers).
    fn copy(&self, bucket: &str, from: &str, to: &str) -> Result<(), S3Error> {
        const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~')
            .remove(b'/');
        let b = self.bucket(bucket)?;
        // Bucket names are checked to be lower-case letters, digits, `.` and `-`.
        let source = format!(
            "/{bucket}/{}",
            percent_encoding::utf8_percent_encode(from, KEEP)
        );
        let req = sign(
            b.put_object(self.creds.as_ref(), to),
            vec![
                ("x-amz-copy-source", source),
                ("x-amz-metadata-directive", "COPY".into()),
            ],
        );
        let r = self.send(&req, Vec::new())?;
        check_body(&req, &r)
    }

    /// Copies `key.previous` back to `key`.
    pub fn rollback(&self, bucket: &str, key: &str) -> Result<(), Error> {
        let previous = format!("{key}.previous");
        if self.dry_run {
            self.record(format!(
                "PUT {} (copy from {previous})",
                self.shown(bucket, key)
            ));
            return Ok(());
        }
        if self.head(bucket, &previous)?.is_none() {
            return Err(super::UploadError::NoPrevious {
                location: format!("s3://{bucket}/{previous}"),
            }
            .into());
        }
        self.copy(bucket, &previous, key)?;
        Ok(())
    }
}
