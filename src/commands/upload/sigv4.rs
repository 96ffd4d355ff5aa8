//! AWS Signature Version 4 for S3 requests, and HMAC-SHA256 under it.
//!
//! Input: method, URL, headers, the payload's sha256, credentials, region and time. Output: the
//! `Authorization` header (and the `x-amz-*` headers it signs). Written by hand on `sha2`:
//! `aws-sigv4` pulls the AWS SDK's runtime stack (smithy types, its own HTTP abstractions) into a
//! CLI that needs one function of ~60 lines, and HMAC is RFC 2104 in a dozen lines.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Credentials for signing.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret key (never printed).
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
    /// Where they came from, for messages (`environment`, `profile default`, …).
    pub source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(data);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// Hex sha256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// URI-encodes per `SigV4`: everything but `A-Za-z0-9-._~` (and `/` when `keep_slash`).
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Signs a request: returns the headers to send (`host`, `x-amz-date`, `x-amz-content-sha256`,
/// `x-amz-security-token` when needed, `authorization`, plus `extra`).
///
/// `path` is the already-encoded URI path; `query` the decoded query pairs.
#[expect(clippy::too_many_arguments, reason = "the SigV4 inputs, each needed")]
pub fn sign(
    method: &str,
    host: &str,
    path: &str,
    query: &[(String, String)],
    extra: &BTreeMap<String, String>,
    payload_sha256: &str,
    creds: &Credentials,
    region: &str,
    service: &str,
    amz_date: &str,
) -> BTreeMap<String, String> {
    let date = &amz_date[..8];
    let mut headers: BTreeMap<String, String> = extra
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.insert("host".into(), host.to_string());
    headers.insert("x-amz-date".into(), amz_date.to_string());
    headers.insert("x-amz-content-sha256".into(), payload_sha256.to_string());
    if let Some(t) = &creds.session_token {
        headers.insert("x-amz-security-token".into(), t.clone());
    }
    let mut q: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
        .collect();
    q.sort();
    let canonical_query = q
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for (k, v) in &headers {
        canonical_headers.push_str(k);
        canonical_headers.push(':');
        canonical_headers.push_str(v);
        canonical_headers.push('\n');
    }
    let signed_headers = headers.keys().cloned().collect::<Vec<_>>().join(";");
    let canonical_request = format!(
        "{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_sha256}"
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac_sha256(
        format!("AWS4{}", creds.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    let signature = hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()));
    headers.insert(
        "authorization".into(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            creds.access_key_id
        ),
    );
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// The GET Object example of the S3 `SigV4` documentation ("Example: GET Object").
    #[test]
    fn matches_the_documented_s3_get_example() {
        let creds = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            source: "test".into(),
        };
        let extra = BTreeMap::from([("range".to_string(), "bytes=0-9".to_string())]);
        let h = sign(
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/test.txt",
            &[],
            &extra,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            &creds,
            "us-east-1",
            "s3",
            "20130524T000000Z",
        );
        assert_eq!(
            h["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }
}
