use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};

use super::credentials::parse_ini;
use super::xml;

/// The presigned `GET` example of AWS's documentation ("Authenticating Requests: Using Query
/// Parameters (AWS Signature Version 4)"), signature as published there: an independent check
/// that the crate signs as S3 verifies.
#[test]
fn signing_matches_the_documented_presigned_get() {
    let endpoint = "https://s3.amazonaws.com".parse().unwrap();
    let bucket = Bucket::new(
        endpoint,
        UrlStyle::VirtualHost,
        "examplebucket",
        "us-east-1",
    )
    .unwrap();
    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    let date = jiff::Timestamp::from_second(1_369_353_600).unwrap(); // 2013-05-24T00:00:00Z
    let url = bucket
        .get_object(Some(&creds), "test.txt")
        .sign_with_time(Duration::from_hours(24), &date);
    assert!(
        url.as_str().ends_with(
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        ),
        "{url}"
    );
    assert!(
        url.as_str()
            .starts_with("https://examplebucket.s3.amazonaws.com/test.txt?")
    );
}

/// The checksum header is signed, a session token travels in the query, and the URL shown in
/// messages carries neither the signature nor the token.
#[test]
fn checksum_headers_are_signed_and_secrets_stay_out_of_messages() {
    let endpoint = "http://127.0.0.1:9000/".parse().unwrap();
    let bucket = Bucket::new(endpoint, UrlStyle::Path, "plugins", "eu-west-1").unwrap();
    let creds = Credentials::new_with_token("AKID", "secret", "the-session-token");
    let req = super::sign(
        bucket.put_object(Some(&creds), "media/w.tar.gz"),
        vec![
            ("x-amz-checksum-sha256", "abc=".into()),
            ("x-amz-sdk-checksum-algorithm", "SHA256".into()),
        ],
    );
    let q: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(
        get("X-Amz-SignedHeaders"),
        Some("host;x-amz-checksum-sha256;x-amz-sdk-checksum-algorithm")
    );
    assert_eq!(get("X-Amz-Security-Token"), Some("the-session-token"));
    assert!(
        get("X-Amz-Credential")
            .unwrap()
            .contains("/eu-west-1/s3/aws4_request")
    );
    assert_eq!(req.url.path(), "/plugins/media/w.tar.gz");
    let shown = crate::redact::Redacted::new(&req.url).to_string();
    assert_eq!(shown, "http://127.0.0.1:9000/plugins/media/w.tar.gz");
}

#[test]
fn reads_shared_files() {
    let ini = parse_ini(
        "stray = before any section\n[default]\naws_access_key_id = AK\n# c\n; c\n[profile CI]\nregion=eu-west-1\ns3 =\n  region = nested\nAWS_Secret_Access_Key = a\\b\"c#d;e\naws_session_token: tok\n",
        "test",
    );
    assert_eq!(ini["default"]["aws_access_key_id"], "AK");
    assert!(!ini["default"].contains_key("stray"));
    // Profile names keep their case; a nested block does not overwrite a top-level key.
    assert_eq!(ini["profile CI"]["region"], "eu-west-1");
    // Values are taken as written (no escapes, no quotes, no inline comments); keys are
    // case-insensitive; `:` separates as `=` does.
    assert_eq!(ini["profile CI"]["aws_secret_access_key"], "a\\b\"c#d;e");
    assert_eq!(ini["profile CI"]["aws_session_token"], "tok");
    // A file that does not parse is empty.
    assert!(parse_ini("[default\naws_access_key_id = AK\n", "test").is_empty());
}

#[test]
fn reads_errors_and_sts_answers_and_writes_the_completion() {
    let (code, message) = xml::error_code(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access &amp; denied</Message><RequestId>1</RequestId><HostId>h</HostId></Error>",
    );
    assert_eq!(code.as_deref(), Some("AccessDenied"));
    assert_eq!(message.as_deref(), Some("Access & denied"));
    assert!(xml::is_error("<Error><Code>InternalError</Code></Error>"));
    assert!(!xml::is_error(
        "<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ETag>\"x\"</ETag></CompleteMultipartUploadResult>"
    ));
    assert!(!xml::is_error(""));
    let (code, _) = xml::error_code(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    );
    assert_eq!(code.as_deref(), Some("InvalidIdentityToken"));

    let sts = xml::sts_credentials(
        "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>s</SubjectFromWebIdentityToken><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>sk</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>",
    )
    .unwrap();
    assert_eq!(sts.access_key_id, "ASIA");
    assert_eq!(sts.secret_access_key, "sk");
    assert_eq!(sts.session_token.as_deref(), Some("tok"));
    assert!(xml::sts_credentials("<Nope/>").is_none());

    let body = xml::complete_body(&[xml::Part {
        number: 1,
        etag: "\"a<b\"".into(),
        checksum: "c2hh".into(),
    }]);
    assert_eq!(
        body,
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;a&lt;b&quot;</ETag><ChecksumSHA256>c2hh</ChecksumSHA256></Part></CompleteMultipartUpload>"
    );
}
