//! The XML that S3 and STS speak, beyond what `rusty-s3` parses itself (it reads
//! `CreateMultipartUpload`'s `UploadId`): S3's `<Error>` answers, STS's credentials, and the
//! `CompleteMultipartUpload` body with each part's checksum (`rusty-s3` writes only the `ETag`s,
//! and S3 refuses to complete an upload created with a checksum algorithm without them).
//! Mapped with `instant-xml`, which escapes what it writes and checks the namespaces it reads.

use instant_xml::{FromXml, ToXml};

const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

#[derive(Debug, FromXml)]
#[xml(rename = "Error")]
struct ErrorBody {
    #[xml(rename = "Code")]
    code: Option<String>,
    #[xml(rename = "Message")]
    message: Option<String>,
}

/// S3's (or STS's) error code and message, when `body` is an `<Error>` (bare, as S3 sends it,
/// or wrapped in STS's `<ErrorResponse>`).
pub(super) fn error_code(body: &str) -> (Option<String>, Option<String>) {
    #[derive(Debug, FromXml)]
    #[xml(rename = "ErrorResponse", ns(STS_NS))]
    struct StsError {
        #[xml(rename = "Error")]
        error: StsErrorBody,
    }
    #[derive(Debug, FromXml)]
    #[xml(rename = "Error", ns(STS_NS))]
    struct StsErrorBody {
        #[xml(rename = "Code")]
        code: Option<String>,
        #[xml(rename = "Message")]
        message: Option<String>,
    }
    if let Ok(e) = instant_xml::from_str::<ErrorBody>(body.trim()) {
        return (e.code, e.message);
    }
    match instant_xml::from_str::<StsError>(body.trim()) {
        Ok(e) => (e.error.code, e.error.message),
        Err(_) => (None, None),
    }
}

/// Whether a `200 OK` answer is in fact an error (`CopyObject` and `CompleteMultipartUpload`
/// can fail after their status line was sent).
pub(super) fn is_error(body: &str) -> bool {
    instant_xml::from_str::<ErrorBody>(body.trim()).is_ok()
}

/// Temporary credentials from STS.
pub(super) struct StsCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

/// The credentials in an `AssumeRoleWithWebIdentity` answer.
pub(super) fn sts_credentials(body: &str) -> Option<StsCredentials> {
    #[derive(FromXml)]
    #[xml(rename = "AssumeRoleWithWebIdentityResponse", ns(STS_NS))]
    struct Response {
        #[xml(rename = "AssumeRoleWithWebIdentityResult")]
        result: Result_,
    }
    #[derive(FromXml)]
    #[xml(rename = "AssumeRoleWithWebIdentityResult", ns(STS_NS))]
    struct Result_ {
        #[xml(rename = "Credentials")]
        credentials: Creds,
    }
    #[derive(FromXml)]
    #[xml(rename = "Credentials", ns(STS_NS))]
    struct Creds {
        #[xml(rename = "AccessKeyId")]
        access_key_id: String,
        #[xml(rename = "SecretAccessKey")]
        secret_access_key: String,
        #[xml(rename = "SessionToken")]
        session_token: Option<String>,
    }
    let r: Response = instant_xml::from_str(body.trim()).ok()?;
    let c = r.result.credentials;
    Some(StsCredentials {
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token.filter(|t| !t.is_empty()),
    })
}

/// One uploaded part: its number, the `ETag` S3 returned and the base64 sha256 S3 verified.
pub(super) struct Part {
    pub number: u16,
    pub etag: String,
    pub checksum: String,
}

/// The `CompleteMultipartUpload` body listing every part with its checksum.
pub(super) fn complete_body(parts: &[Part]) -> String {
    #[derive(ToXml)]
    #[xml(rename = "CompleteMultipartUpload")]
    struct Body<'a> {
        parts: Vec<PartXml<'a>>,
    }
    #[derive(ToXml)]
    #[xml(rename = "Part")]
    struct PartXml<'a> {
        #[xml(rename = "PartNumber")]
        number: u16,
        #[xml(rename = "ETag")]
        etag: &'a str,
        #[xml(rename = "ChecksumSHA256")]
        checksum: &'a str,
    }
    let body = Body {
        parts: parts
            .iter()
            .map(|p| PartXml {
                number: p.number,
                etag: &p.etag,
                checksum: &p.checksum,
            })
            .collect(),
    };
    // Writing strings and numbers into a `String` cannot fail.
    instant_xml::to_string(&body).unwrap_or_default()
}
