//! Why an S3 upload failed: one typed error per cause, with its exit code and a hint. URLs are
//! [`Redacted`] (a presigned URL carries its signature and session token in the query).

use std::path::PathBuf;

use crate::exit::ExitCode;
use crate::redact::Redacted;

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
    /// The endpoint's TLS certificate could not be verified.
    #[error("TLS certificate verification failed for {url}: {reason}")]
    Tls {
        /// The URL (no credentials).
        url: Redacted,
        /// The verifier's reason.
        reason: String,
    },
    /// The request could not be sent.
    #[error("Failed to send `{method} {url}`")]
    Transport {
        /// The method.
        method: String,
        /// The URL (no credentials).
        url: Redacted,
        /// The cause, without its URL (a presigned URL holds the signature and session token).
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
            S3Error::Mismatch { .. } | S3Error::Tls { .. } => ExitCode::Integrity,
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
            S3Error::Tls { .. } => "If the store uses a private CA or you are behind a TLS-inspecting proxy, pass its certificate with `--cert FILE` or set `SSL_CERT_FILE`/`SSL_CERT_DIR`.".into(),
            S3Error::BadEndpoint(_) => "Give an absolute URL, e.g. `https://s3.example.com`.".into(),
            S3Error::Mismatch { .. } => "Upload again; the previous object is kept as `KEY.previous` (`nbwheel upload --rollback`).".into(),
            S3Error::Io { .. } => "Check that the archive exists and is readable.".into(),
        })
    }
}
