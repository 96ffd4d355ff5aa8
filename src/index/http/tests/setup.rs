//! netrc, credential scoping, proxy and certificate settings, and TLS.

use super::*;

#[test]
fn netrc_lookup() {
    let netrc = Netrc::parse(
        "# comment line\n\
         machine index.example.com login alice password \"s3cret CANARY\"\n\
         macdef init\n  cd /pub\n  ls\n\n\
         machine other.example.com\n  login bob\n  account x\n  password hunter2 # trailing\n\
         default login anon password anon-pass\n",
    )
    .unwrap();
    let creds = netrc.lookup("INDEX.example.com").unwrap();
    assert_eq!(creds.username(), "alice");
    assert_eq!(creds.password(), Some("s3cret CANARY"));
    assert_eq!(netrc.lookup("other.example.com").unwrap().username(), "bob");
    assert_eq!(netrc.lookup("nowhere.example").unwrap().username(), "anon");

    let no_default = Netrc::parse("machine a.example login u password p").unwrap();
    assert!(no_default.lookup("b.example").is_none());

    let err = Netrc::parse("machine a\nlogin u\npassword p\nbogus s3cret-CANARY").unwrap_err();
    assert_eq!(err.line, 4);
    assert!(!err.to_string().contains(CANARY));
    assert!(Netrc::parse("login u").is_err());
    assert!(Netrc::parse("machine a login").is_err());
}

#[test]
fn auth_store_scoping() {
    let netrc = Netrc::parse(
        "machine index.example.com login alice password from-netrc\n\
         machine files.example.com login carol password carol-pass\n",
    )
    .unwrap();
    let with_user = Url::parse("https://alice@index.example.com/simple/").unwrap();
    let with_token = Url::parse("https://s3cret-CANARY@tokens.example.com/simple/").unwrap();
    let mut store = AuthStore::new([&with_user, &with_token], Some(netrc));

    // `user@` in the URL takes the password from netrc.
    let creds = store.credentials_for(&with_user).unwrap();
    assert_eq!(creds.password(), Some("from-netrc"));
    assert_eq!(store.sources_for(&with_user), "URL, netrc");
    // A token as user name, no password.
    let token = store
        .credentials_for(&Url::parse("https://tokens.example.com/x").unwrap())
        .unwrap();
    assert_eq!(token.username(), CANARY);
    assert_eq!(token.password(), None);
    // Another port or scheme is another realm for URL credentials.
    assert!(
        store
            .credentials_for(&Url::parse("https://tokens.example.com:8443/x").unwrap())
            .is_none()
    );
    assert!(
        store
            .credentials_for(&Url::parse("http://tokens.example.com/x").unwrap())
            .is_none()
    );
    // netrc for a host with no URL credentials; nothing for unknown hosts.
    assert_eq!(
        store
            .credentials_for(&Url::parse("https://files.example.com/f").unwrap())
            .unwrap()
            .username(),
        "carol"
    );
    assert!(
        store
            .credentials_for(&Url::parse("https://evil.example/").unwrap())
            .is_none()
    );
    let clean = store.add_url(&Url::parse("https://u:p%40ss@new.example/s").unwrap());
    assert_eq!(clean.as_str(), "https://new.example/s");
    assert_eq!(
        store.credentials_for(&clean).unwrap().password(),
        Some("p@ss")
    );
}

#[test]
fn netrc_entries_go_only_to_their_origins() {
    let netrc = Netrc::parse(
        "machine index.example.com login alice password a\n\
         machine files.example.com login carol password c\n\
         default login dora password d\n",
    )
    .unwrap();
    let index = Url::parse("https://index.example.com:8443/simple/").unwrap();
    let store = AuthStore::new([&index], Some(netrc)).with_index_origins([&index]);
    let user = |u: &str| {
        store
            .credentials_for(&Url::parse(u).unwrap())
            .map(|c| c.username().to_string())
    };
    assert_eq!(
        user("https://index.example.com:8443/x").as_deref(),
        Some("alice")
    );
    // Another port or scheme of a configured host: nothing, not even `default`.
    assert_eq!(user("https://index.example.com/x"), None);
    assert_eq!(user("http://index.example.com:8443/x"), None);
    // A host no source names: its machine entry over https on 443 only.
    assert_eq!(
        user("https://files.example.com/f").as_deref(),
        Some("carol")
    );
    assert_eq!(user("http://files.example.com/f"), None);
    assert_eq!(user("https://files.example.com:444/f"), None);
    // `default` only to the index origins.
    assert_eq!(user("https://elsewhere.example/f"), None);
    let only_default = Netrc::parse("default login dora password d").unwrap();
    let store = AuthStore::new([&index], Some(only_default)).with_index_origins([&index]);
    assert_eq!(
        store
            .credentials_for(&index)
            .map(|c| c.username().to_string())
            .as_deref(),
        Some("dora")
    );
    assert!(
        store
            .credentials_for(&Url::parse("https://files.example.com/f").unwrap())
            .is_none()
    );
}

#[test]
fn debug_shows_no_secret() {
    let creds = Credentials::new("s3cret-CANARY-user", Some("s3cret-CANARY-pass".into()));
    let url = Url::parse("https://s3cret-CANARY-u:s3cret-CANARY-p@example.com/").unwrap();
    let netrc = Netrc::parse("machine h login s3cret-CANARY password s3cret-CANARY").unwrap();
    let store = AuthStore::new([&url], Some(netrc.clone()));
    for text in [
        format!("{creds:?}"),
        format!("{store:?}"),
        format!("{netrc:?}"),
        format!("{store:#?}"),
    ] {
        assert!(!text.contains(CANARY), "{text}");
    }
    insta::assert_snapshot!(format!("{creds:?} {store:?}"), @r#"Credentials { username: "<redacted>", password: Some("<redacted>") } AuthStore { from_urls: ["https://example.com:443"], netrc: Some(Netrc { machines: ["h"], default: false }), from_env: [], sources: ["https://example.com:443"], index_origins: [] }"#);
}

#[test]
fn proxy_variables_are_checked() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_string())
        }
    };
    assert!(check_proxy_env(env(&[])).is_ok());
    assert!(check_proxy_env(env(&[("HTTPS_PROXY", "http://u:p@proxy.corp:3128")])).is_ok());
    assert!(check_proxy_env(env(&[("https_proxy", "proxy.corp:3128")])).is_ok());
    let err = check_proxy_env(env(&[("HTTPS_PROXY", "http://s3cret-CANARY@[::1")])).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    insta::assert_snapshot!(message(&err), @"Invalid `HTTPS_PROXY`: not a valid proxy URL (invalid IPv6 address)");
    let err = check_proxy_env(env(&[("all_proxy", "socks5://proxy:1080")])).unwrap_err();
    insta::assert_snapshot!(message(&err), @"Invalid `all_proxy`: proxy scheme `socks5` is not supported (use `http://` or `https://`)");
}

#[test]
fn missing_ca_paths_fail_fast() {
    let missing =
        |name: &str| (name == "SSL_CERT_FILE").then(|| OsString::from("/nonexistent/ca.pem"));
    let err = check_cert_env(missing).unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    insta::assert_snapshot!(message(&err), @"Invalid `SSL_CERT_FILE`: `/nonexistent/ca.pem` is not a readable file");
    assert!(check_cert_env(|_| None).is_ok());

    let err = Http::new(
        HttpOptions {
            cert: Some("/nonexistent/corp-ca.pem".into()),
            ..options()
        },
        AuthStore::default(),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
    insta::assert_snapshot!(message(&err), @"Invalid `--cert`: cannot read `/nonexistent/corp-ca.pem`: No such file or directory (os error 2)");
}

#[test]
fn retry_after_forms() {
    assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon"), None);
    assert_eq!(
        parse_content_range("bytes 90-99/100"),
        Some((90, 99, Some(100)))
    );
    assert_eq!(parse_content_range("bytes 0-9/*"), Some((0, 9, None)));
    assert_eq!(parse_content_range("bytes 9-0/10"), None);
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, all generated here.
struct Pki {
    ca_pem: String,
    ca_der: rustls::pki_types::CertificateDer<'static>,
    server_chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    server_key: Vec<u8>,
    /// The client certificate followed by its key, as `--client-cert` wants.
    client_pem: String,
}

fn pki() -> Pki {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "nbwheel test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();

    let client_key = rcgen::KeyPair::generate().unwrap();
    let mut client_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "nbwheel test client");
    client_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server_chain: vec![server_cert.der().clone()],
        server_key: server_key.serialize_der(),
        client_pem: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
    }
}

fn tls_config(pki: &Pki, require_client_cert: bool) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pki.ca_der.clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pki.server_key.clone().into());
    Arc::new(
        builder
            .with_single_cert(pki.server_chain.clone(), key)
            .unwrap(),
    )
}

#[tokio::test]
async fn tls_trust_and_client_certificates() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let client_file = dir.path().join("client.pem");
    std::fs::write(&client_file, &pki.client_pem).unwrap();
    let with_ca = HttpOptions {
        cert: Some(ca_file.clone()),
        ..options()
    };

    let server = Server::start_with(Some(tls_config(&pki, false)), |_, _| ok(b"secure"));
    // Unknown CA: exit 4, with the hint, and not retried.
    let err = http(options(), AuthStore::default())
        .get_bytes(&server.url("/simple/"), &[])
        .await
        .unwrap_err();
    assert!(matches!(err, IndexError::Tls { .. }), "{err:?}");
    assert_eq!(err.exit_code(), ExitCode::Integrity);
    assert!(err.hint().unwrap().contains("--cert"));
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    insta::assert_snapshot!(message(&err), @"TLS certificate verification failed for https://127.0.0.1:PORT/simple/: invalid peer certificate: UnknownIssuer");

    // `--cert` with the CA.
    let response = http(with_ca.clone(), AuthStore::default())
        .get_bytes(&server.url("/simple/"), &[])
        .await
        .unwrap();
    assert_eq!(response.body, b"secure");

    // An https page may not redirect to http.
    let plain = Server::start(|_, _| ok(b"plain"));
    let target = plain.url("/x").to_string();
    let downgrading = Server::start_with(Some(tls_config(&pki, false)), move |_, _| {
        redirect(301, &target)
    });
    let err = http(with_ca.clone(), AuthStore::default())
        .get_bytes(&downgrading.url("/simple/"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Integrity);
    assert!(plain.requests().is_empty());
    insta::assert_snapshot!(message(&err), @"Refused redirect from https://127.0.0.1:PORT/simple/ to http://127.0.0.1:PORT/x: a downgrade from `https` to `http` is not allowed");

    // mTLS: refused without a client certificate, accepted with one.
    let mtls = Server::start_with(Some(tls_config(&pki, true)), |_, _| ok(b"mutual"));
    let err = http(with_ca.clone(), AuthStore::default())
        .get_bytes(&mtls.url("/"), &[])
        .await
        .unwrap_err();
    assert!(matches!(err, IndexError::Tls { .. }), "{err:?}");
    let response = http(
        HttpOptions {
            client_cert: Some(client_file),
            ..with_ca
        },
        AuthStore::default(),
    )
    .get_bytes(&mtls.url("/"), &[])
    .await
    .unwrap();
    assert_eq!(response.body, b"mutual");
}

#[test]
fn bad_client_certificate_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("client.pem");
    std::fs::write(&file, "not a certificate").unwrap();
    let err = Http::new(
        HttpOptions {
            client_cert: Some(file),
            ..options()
        },
        AuthStore::default(),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::Usage);
}
