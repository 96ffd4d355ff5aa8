//! Uploading to S3 natively: SigV4-signed requests, multipart for large files, the usual AWS
//! credential sources, and a check of the stored object's size and checksum.
//!
//! Input: [`S3Options`] (endpoint, region, profile, part size), the archive and `s3://BUCKET/KEY`.
//! Output: the object written (the previous one copied to `KEY.previous` first), or an
//! [`S3Error`] naming the request (URL redacted) and S3's error code. Every payload is signed
//! with its sha256 (`x-amz-content-sha256`) and carries `x-amz-checksum-sha256` (base64), so S3
//! itself verifies and stores the content's checksum: on the single `PUT` and on every part of a
//! multipart upload (created with `x-amz-checksum-algorithm: SHA256`). Afterwards a `HEAD` with
//! `x-amz-checksum-mode: ENABLED` reads back the checksum S3 computed (for a multipart object,
//! the composite `sha256(part digests)-N`) and compares it and the size with the archive. The
//! archive's hex sha256 is also stored as `x-amz-meta-nbwheel-sha256`, for people.
//!
//! Credentials, in the AWS SDKs' order: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
//! (`AWS_SESSION_TOKEN`); web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, through STS
//! `AssumeRoleWithWebIdentity`, as CI systems provide); the shared files `~/.aws/credentials` and
//! `~/.aws/config` (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, profile from `--profile` or
//! `AWS_PROFILE`). Secrets never appear in messages or logs.

use std::collections::BTreeMap;
use std::io::Read;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use url::Url;

use super::sigv4::{self, Credentials};
use crate::commands::Error;
use crate::exit::ExitCode;
use crate::redact::Redacted;

/// Smallest part S3 accepts (except the last).
pub const MIN_PART: u64 = 5 * 1024 * 1024;

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
}

/// Why an S3 request failed.
#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    /// S3 answered with an error.
    #[error("S3 refused `{method} {url}`: HTTP {status}{}{}", code.as_ref().map_or_else(String::new, |c| format!(" {c}")), message.as_ref().map_or_else(String::new, |m| format!(": {m}")))]
    Status {
        /// The method.
        method: String,
        /// The URL (no credentials).
        url: Redacted,
        /// The HTTP status.
        status: u16,
        /// S3's error code.
        code: Option<String>,
        /// S3's message.
        message: Option<String>,
    },
    /// The request could not be sent.
    #[error("Failed to send `{method} {url}`")]
    Transport {
        /// The method.
        method: String,
        /// The URL (no credentials).
        url: Redacted,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// No credentials anywhere.
    #[error("No AWS credentials found (looked in: {looked})")]
    NoCredentials {
        /// The sources tried.
        looked: String,
    },
    /// A credential source is broken.
    #[error("Invalid AWS credentials from {source_name}: {reason}")]
    BadCredentials {
        /// Which source.
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// The endpoint URL is not usable.
    #[error("Invalid S3 endpoint `{0}`")]
    BadEndpoint(String),
    /// The stored object differs from the archive.
    #[error(
        "The object `s3://{bucket}/{key}` does not match the archive: expected {expected}, found {actual}"
    )]
    Mismatch {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// What was expected.
        expected: String,
        /// What was found.
        actual: String,
    },
    /// A local file could not be read.
    #[error("Failed to read `{}`", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl S3Error {
    /// The documented exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            S3Error::Status { status: 404, .. } => ExitCode::NoSolution,
            S3Error::Status { .. } | S3Error::Transport { .. } => ExitCode::Network,
            S3Error::NoCredentials { .. }
            | S3Error::BadCredentials { .. }
            | S3Error::BadEndpoint(_) => ExitCode::Usage,
            S3Error::Mismatch { .. } => ExitCode::Integrity,
            S3Error::Io { .. } => ExitCode::Environment,
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            S3Error::Status { status: 401 | 403, .. } => "The credentials lack permission for this bucket and key (s3:PutObject, s3:GetObject, s3:ListBucket), or are wrong or expired; check `--profile`, `AWS_PROFILE` and the bucket policy.".into(),
            S3Error::Status { status: 404, .. } => "Check the bucket and key (and `--endpoint-url`, `--region`).".into(),
            S3Error::Status { .. } | S3Error::Transport { .. } => "Check `--endpoint-url`, `--region` and the network, then retry.".into(),
            S3Error::NoCredentials { .. } => "Set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or a profile in `~/.aws/credentials` (`--profile`), or `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN`.".into(),
            S3Error::BadCredentials { .. } => "Fix the named credential source.".into(),
            S3Error::BadEndpoint(_) => "Give an absolute URL, e.g. `https://s3.example.com`.".into(),
            S3Error::Mismatch { .. } => "Upload again; the previous object is kept as `KEY.previous` (`nbwheel upload --rollback`).".into(),
            S3Error::Io { .. } => "Check that the archive exists and is readable.".into(),
        })
    }
}

/// A minimal INI reader for the AWS shared files: `[section]` → key → value.
/// Base64 (standard, padded) of a digest, as S3's checksum headers carry it.
fn b64(digest: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(digest)
}

fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut section = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        if let Some((k, v)) = t.split_once('=') {
            out.entry(section.clone())
                .or_default()
                .insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn home_file(var: &str, rel: &str) -> Option<PathBuf> {
    env(var)
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(rel)))
}

/// The profile's settings from `~/.aws/config` and `~/.aws/credentials` (credentials win).
fn profile_settings(profile: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(p) = home_file("AWS_CONFIG_FILE", ".aws/config")
        && let Ok(text) = std::fs::read_to_string(&p)
    {
        let ini = parse_ini(&text);
        let name = if profile == "default" {
            "default".to_string()
        } else {
            format!("profile {profile}")
        };
        if let Some(s) = ini.get(&name).or_else(|| ini.get(profile)) {
            out.extend(s.clone());
        }
    }
    if let Some(p) = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        && let Ok(text) = std::fs::read_to_string(&p)
        && let Some(s) = parse_ini(&text).get(profile)
    {
        out.extend(s.clone());
    }
    out
}

fn xml_tag(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&close)? + start;
    Some(
        text[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
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

impl S3Client {
    /// A client; credentials are looked up now (not under `--dry-run` when none are found).
    pub fn new(options: &S3Options, dry_run: bool) -> Result<Self, Error> {
        let profile = options
            .profile
            .clone()
            .or_else(|| env("AWS_PROFILE"))
            .unwrap_or_else(|| "default".into());
        let settings = profile_settings(&profile);
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
            crate::index::http::HttpOptions::default(),
            crate::index::http::AuthStore::new(std::iter::empty(), None),
        )?;
        let runtime = crate::commands::async_runtime(None)?;
        let mut client = S3Client {
            http,
            runtime,
            endpoint,
            region,
            creds: None,
            part_size: options.part_size.max(MIN_PART),
            dry_run,
            steps: Mutex::new(Vec::new()),
        };
        match client.credentials(&profile, &settings) {
            Ok(c) => client.creds = Some(c),
            Err(e) if dry_run => tracing::warn!("{e}"),
            Err(e) => return Err(e.into()),
        }
        Ok(client)
    }

    /// Every request made (or planned under `--dry-run`), in order.
    pub fn steps(&self) -> Vec<String> {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn credentials(
        &self,
        profile: &str,
        settings: &BTreeMap<String, String>,
    ) -> Result<Credentials, S3Error> {
        if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            return Ok(Credentials {
                access_key_id: id,
                secret_access_key: secret,
                session_token: env("AWS_SESSION_TOKEN"),
                source: "the environment".into(),
            });
        }
        if let (Some(file), Some(role)) = (env("AWS_WEB_IDENTITY_TOKEN_FILE"), env("AWS_ROLE_ARN"))
        {
            return self.web_identity(&file, &role, "the environment (web identity)");
        }
        if let (Some(id), Some(secret)) = (
            settings.get("aws_access_key_id"),
            settings.get("aws_secret_access_key"),
        ) {
            return Ok(Credentials {
                access_key_id: id.clone(),
                secret_access_key: secret.clone(),
                session_token: settings.get("aws_session_token").cloned(),
                source: format!("profile `{profile}`"),
            });
        }
        if let (Some(file), Some(role)) = (
            settings.get("web_identity_token_file"),
            settings.get("role_arn"),
        ) {
            return self.web_identity(file, role, &format!("profile `{profile}` (web identity)"));
        }
        Err(S3Error::NoCredentials {
            looked: format!(
                "`AWS_ACCESS_KEY_ID`, `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, profile `{profile}` in `~/.aws/credentials` and `~/.aws/config`"
            ),
        })
    }

    /// STS `AssumeRoleWithWebIdentity` (unsigned; the token is the proof).
    fn web_identity(&self, file: &str, role: &str, source: &str) -> Result<Credentials, S3Error> {
        let bad = |reason: String| S3Error::BadCredentials {
            source_name: source.to_string(),
            reason,
        };
        let token = std::fs::read_to_string(file)
            .map_err(|e| bad(format!("cannot read the token file `{file}`: {e}")))?;
        let base = env("AWS_ENDPOINT_URL_STS")
            .unwrap_or_else(|| format!("https://sts.{}.amazonaws.com/", self.region));
        let url = Url::parse(&base).map_err(|_| S3Error::BadEndpoint(base.clone()))?;
        let form: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("Action", "AssumeRoleWithWebIdentity")
            .append_pair("Version", "2011-06-15")
            .append_pair("RoleArn", role)
            .append_pair(
                "RoleSessionName",
                &env("AWS_ROLE_SESSION_NAME").unwrap_or_else(|| "nbwheel".into()),
            )
            .append_pair("WebIdentityToken", token.trim())
            .finish();
        let shown = Redacted::new(&url);
        let resp = self
            .runtime
            .block_on(async {
                let r = self
                    .http
                    .raw_client()
                    .post(url.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await?;
                let status = r.status().as_u16();
                let body = r.text().await?;
                Ok::<_, reqwest::Error>((status, body))
            })
            .map_err(|source| S3Error::Transport {
                method: "POST".into(),
                url: shown.clone(),
                source,
            })?;
        if resp.0 != 200 {
            return Err(S3Error::Status {
                method: "POST".into(),
                url: shown,
                status: resp.0,
                code: xml_tag(&resp.1, "Code"),
                message: xml_tag(&resp.1, "Message"),
            });
        }
        match (
            xml_tag(&resp.1, "AccessKeyId"),
            xml_tag(&resp.1, "SecretAccessKey"),
        ) {
            (Some(id), Some(secret)) => Ok(Credentials {
                access_key_id: id,
                secret_access_key: secret,
                session_token: xml_tag(&resp.1, "SessionToken"),
                source: source.to_string(),
            }),
            _ => Err(bad("STS answered without credentials".into())),
        }
    }

    /// The URL of `bucket/key`: path style with an endpoint, virtual-hosted on AWS.
    fn url(&self, bucket: &str, key: &str, query: &[(String, String)]) -> Url {
        let encoded_key = sigv4::uri_encode(key, true);
        let text = match &self.endpoint {
            Some(e) => format!(
                "{}/{}/{encoded_key}",
                e.as_str().trim_end_matches('/'),
                sigv4::uri_encode(bucket, false)
            ),
            None => format!(
                "https://{bucket}.s3.{}.amazonaws.com/{encoded_key}",
                self.region
            ),
        };
        let mut url = Url::parse(&text)
            .unwrap_or_else(|_| Url::parse("https://invalid.invalid/").expect("a valid URL"));
        if !query.is_empty() {
            let q = query
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() && k == "uploads" {
                        k.clone()
                    } else {
                        format!(
                            "{}={}",
                            sigv4::uri_encode(k, false),
                            sigv4::uri_encode(v, false)
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join("&");
            url.set_query(Some(&q));
        }
        url
    }

    fn record(&self, line: String) {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }

    /// Sends one signed request.
    fn send(
        &self,
        method: &str,
        bucket: &str,
        key: &str,
        query: &[(String, String)],
        headers: &BTreeMap<String, String>,
        mut body: Vec<u8>,
    ) -> Result<Response, S3Error> {
        let url = self.url(bucket, key, query);
        let shown = Redacted::new(&url);
        self.record(format!("{method} {shown} ({} bytes)", body.len()));
        let Some(creds) = &self.creds else {
            return Err(S3Error::NoCredentials {
                looked: "(see the warning above)".into(),
            });
        };
        let host = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let amz_date = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let signed = sigv4::sign(
            method,
            &host,
            url.path(),
            query,
            headers,
            &sigv4::sha256_hex(&body),
            creds,
            &self.region,
            "s3",
            &amz_date,
        );
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let retries = self.http.retries();
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let mut req = self.http.raw_client().request(m.clone(), url.clone());
            for (k, v) in &signed {
                if k != "host" {
                    req = req.header(k.as_str(), v.as_str());
                }
            }
            let body = if attempt > retries {
                std::mem::take(&mut body)
            } else {
                body.clone()
            };
            let result = self.runtime.block_on(async {
                let r = req.body(body).send().await?;
                let status = r.status().as_u16();
                let headers = r.headers().clone();
                let body = r.text().await?;
                Ok::<_, reqwest::Error>(Response {
                    status,
                    headers,
                    body,
                })
            });
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
            source,
        })?;
        if !(200..300).contains(&resp.status) {
            tracing::debug!(status = resp.status, "S3 error body: {}", resp.body);
            return Err(S3Error::Status {
                method: method.into(),
                url: shown,
                status: resp.status,
                code: xml_tag(&resp.body, "Code"),
                message: xml_tag(&resp.body, "Message"),
            });
        }
        Ok(resp)
    }

    /// `HEAD` with checksum mode: `Some((size, S3's sha256 checksum))` when the object exists.
    fn head(&self, bucket: &str, key: &str) -> Result<Option<(u64, Option<String>)>, S3Error> {
        let headers = BTreeMap::from([("x-amz-checksum-mode".to_string(), "ENABLED".to_string())]);
        match self.send("HEAD", bucket, key, &[], &headers, Vec::new()) {
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

    fn copy(&self, bucket: &str, from: &str, to: &str) -> Result<(), S3Error> {
        let headers = BTreeMap::from([
            (
                "x-amz-copy-source".to_string(),
                format!(
                    "/{}/{}",
                    sigv4::uri_encode(bucket, false),
                    sigv4::uri_encode(from, true)
                ),
            ),
            ("x-amz-metadata-directive".to_string(), "COPY".to_string()),
        ]);
        let r = self.send("PUT", bucket, to, &[], &headers, Vec::new())?;
        // CopyObject can fail with 200 and an error body.
        if r.body.contains("<Error>") {
            return Err(S3Error::Status {
                method: "PUT".into(),
                url: Redacted::new(&self.url(bucket, to, &[])),
                status: r.status,
                code: xml_tag(&r.body, "Code"),
                message: xml_tag(&r.body, "Message"),
            });
        }
        Ok(())
    }

    /// Uploads `archive` to `bucket/key`, keeping the previous object as `key.previous`; returns
    /// whether there was one.
    pub fn upload(
        &self,
        archive: &Path,
        bucket: &str,
        key: &str,
        sha256: &str,
    ) -> Result<bool, Error> {
        let size = std::fs::metadata(archive)
            .map_err(|source| S3Error::Io {
                path: archive.to_path_buf(),
                source,
            })?
            .len();
        if self.dry_run {
            self.record(format!(
                "HEAD {}",
                Redacted::new(&self.url(bucket, key, &[]))
            ));
            self.record(format!(
                "PUT {} (copy to keep the previous archive, when there is one)",
                Redacted::new(&self.url(bucket, &format!("{key}.previous"), &[]))
            ));
            let how = if size > self.part_size {
                format!("multipart, {} parts", size.div_ceil(self.part_size))
            } else {
                "one request".into()
            };
            self.record(format!(
                "PUT {} ({size} bytes, {how})",
                Redacted::new(&self.url(bucket, key, &[]))
            ));
            self.record(format!(
                "HEAD {}",
                Redacted::new(&self.url(bucket, key, &[]))
            ));
            return Ok(false);
        }
        let kept = if self.head(bucket, key)?.is_some() {
            self.copy(bucket, key, &format!("{key}.previous"))?;
            true
        } else {
            false
        };
        let meta = BTreeMap::from([
            ("x-amz-meta-nbwheel-sha256".to_string(), sha256.to_string()),
            ("content-type".to_string(), "application/gzip".to_string()),
        ]);
        let mut file = std::fs::File::open(archive).map_err(|source| S3Error::Io {
            path: archive.to_path_buf(),
            source,
        })?;
        let expected = if size <= self.part_size {
            let mut body = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            file.read_to_end(&mut body).map_err(|source| S3Error::Io {
                path: archive.to_path_buf(),
                source,
            })?;
            let digest = Sha256::digest(&body);
            let mut meta = meta;
            meta.insert("x-amz-checksum-sha256".into(), b64(&digest));
            meta.insert("x-amz-sdk-checksum-algorithm".into(), "SHA256".into());
            self.send("PUT", bucket, key, &[], &meta, body)?;
            b64(&digest)
        } else {
            self.multipart(&mut file, archive, bucket, key, &meta)?
        };
        // A composite checksum ends in `-N` (the part count); some servers leave it out.
        let base = |c: &str| {
            c.split_once('-')
                .map_or(c, |(digest, _)| digest)
                .to_string()
        };
        let matches = |h: &str| base(h) == base(&expected);
        match self.head(bucket, key)? {
            Some((s, Some(h))) if s == size && matches(&h) => Ok(kept),
            found => Err(S3Error::Mismatch {
                bucket: bucket.into(),
                key: key.into(),
                expected: format!(
                    "{size} bytes, sha256 checksum {expected} (archive sha256:{sha256})"
                ),
                actual: found.map_or_else(
                    || "no object".into(),
                    |(s, h)| {
                        format!(
                            "{s} bytes, sha256 checksum {}",
                            h.unwrap_or_else(|| "(none: S3 computed no checksum)".into())
                        )
                    },
                ),
            }
            .into()),
        }
    }

    fn multipart(
        &self,
        file: &mut std::fs::File,
        archive: &Path,
        bucket: &str,
        key: &str,
        meta: &BTreeMap<String, String>,
    ) -> Result<String, S3Error> {
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect()
        };
        let mut create = meta.clone();
        create.insert("x-amz-checksum-algorithm".into(), "SHA256".into());
        let r = self.send(
            "POST",
            bucket,
            key,
            &q(&[("uploads", "")]),
            &create,
            Vec::new(),
        )?;
        let upload_id = xml_tag(&r.body, "UploadId").ok_or_else(|| S3Error::Status {
            method: "POST".into(),
            url: Redacted::new(&self.url(bucket, key, &[])),
            status: r.status,
            code: None,
            message: Some("no UploadId in the answer".into()),
        })?;
        let parts = (|| -> Result<Vec<(u32, String, Vec<u8>)>, S3Error> {
            let mut parts = Vec::new();
            let mut number = 1u32;
            loop {
                let mut buf = Vec::with_capacity(usize::try_from(self.part_size).unwrap_or(0));
                file.by_ref()
                    .take(self.part_size)
                    .read_to_end(&mut buf)
                    .map_err(|source| S3Error::Io {
                        path: archive.to_path_buf(),
                        source,
                    })?;
                if buf.is_empty() {
                    break;
                }
                let n = number.to_string();
                let digest = Sha256::digest(&buf).to_vec();
                let r = self.send(
                    "PUT",
                    bucket,
                    key,
                    &q(&[("partNumber", &n), ("uploadId", &upload_id)]),
                    &BTreeMap::from([
                        ("x-amz-checksum-sha256".to_string(), b64(&digest)),
                        (
                            "x-amz-sdk-checksum-algorithm".to_string(),
                            "SHA256".to_string(),
                        ),
                    ]),
                    buf,
                )?;
                let etag = r
                    .headers
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                parts.push((number, etag, digest));
                number += 1;
            }
            Ok(parts)
        })();
        let parts = match parts {
            Ok(p) => p,
            Err(e) => {
                let _ = self.send(
                    "DELETE",
                    bucket,
                    key,
                    &q(&[("uploadId", &upload_id)]),
                    &BTreeMap::new(),
                    Vec::new(),
                );
                return Err(e);
            }
        };
        let mut xml = String::from("<CompleteMultipartUpload>");
        let mut composite = Sha256::new();
        for (n, etag, digest) in &parts {
            composite.update(digest);
            xml.push_str(&format!(
                "<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag><ChecksumSHA256>{}</ChecksumSHA256></Part>",
                b64(digest)
            ));
        }
        let expected = format!("{}-{}", b64(&composite.finalize()), parts.len());
        xml.push_str("</CompleteMultipartUpload>");
        let done = self.send(
            "POST",
            bucket,
            key,
            &q(&[("uploadId", &upload_id)]),
            &BTreeMap::new(),
            xml.into_bytes(),
        );
        match done {
            Ok(r) if !r.body.contains("<Error>") => Ok(expected),
            Ok(r) => Err(S3Error::Status {
                method: "POST".into(),
                url: Redacted::new(&self.url(bucket, key, &[])),
                status: r.status,
                code: xml_tag(&r.body, "Code"),
                message: xml_tag(&r.body, "Message"),
            }),
            Err(e) => {
                let _ = self.send(
                    "DELETE",
                    bucket,
                    key,
                    &q(&[("uploadId", &upload_id)]),
                    &BTreeMap::new(),
                    Vec::new(),
                );
                Err(e)
            }
        }
    }

    /// Copies `key.previous` back to `key`.
    pub fn rollback(&self, bucket: &str, key: &str) -> Result<(), Error> {
        let previous = format!("{key}.previous");
        if self.dry_run {
            self.record(format!(
                "PUT {} (copy from {previous})",
                Redacted::new(&self.url(bucket, key, &[]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_shared_files() {
        let ini =
            parse_ini("[default]\naws_access_key_id = AK\n# c\n[profile ci]\nregion=eu-west-1\n");
        assert_eq!(ini["default"]["aws_access_key_id"], "AK");
        assert_eq!(ini["profile ci"]["region"], "eu-west-1");
        assert_eq!(
            xml_tag("<Error><Code>AccessDenied</Code></Error>", "Code").as_deref(),
            Some("AccessDenied")
        );
    }
}
