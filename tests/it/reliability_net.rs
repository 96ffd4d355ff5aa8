//! docs/GUARANTEES.md rows 18 (TLS) and 19 (proxies), through the binary: a fake index behind a
//! TLS front whose certificates come from a CA generated here, and a recording CONNECT proxy.

use std::sync::atomic::Ordering;

use crate::common::reliability::{
    CANARY, Pki, Proxy, TlsFront, Work, assert_no_secret, error_text,
};
use crate::common::{FakeIndex, Release, Reply};
use base64::Engine as _;

fn index() -> FakeIndex {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    // File URLs relative to the page, so files come through the TLS front too.
    index.knobs().relative_urls(true);
    index
}

#[test]
fn row18_tls_private_ca_env_hostname_expiry_and_mtls() {
    let pki = Pki::new();
    let index = index();
    let good = TlsFront::start(
        pki.config(&pki.server(&["127.0.0.1"], false), false),
        index.addr(),
    );
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let ca = ca.to_str().unwrap().to_string();
    let client = dir.path().join("client.pem");
    std::fs::write(&client, &pki.client_pem).unwrap();
    let client = client.to_str().unwrap().to_string();
    let pairs = [(good.url(), "https://[INDEX]/simple/")];

    // Unknown CA: exit 4 with a hint naming the options, one connection (not retried).
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &good.url()]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 4
    error: Failed to get data for `plugin`
      Caused by: TLS certificate verification failed for https://[INDEX]/simple/plugin/: invalid peer certificate: UnknownIssuer
    hint: If you are behind a TLS-inspecting proxy or use a private CA, pass its certificate with `--cert FILE` or set `SSL_CERT_FILE`/`SSL_CERT_DIR`.
    ");
    assert_eq!(good.accepted.load(Ordering::SeqCst), 1);
    work.assert_nothing_partial();

    // `--cert`, and `SSL_CERT_FILE`, each make it work.
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &good.url(), "--cert", &ca]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let work = Work::new(&["plugin"]);
    let run = work.build_env(&["--index-url", &good.url()], &[("SSL_CERT_FILE", &ca)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(index.count_get("/files/plugin-1.0-py3-none-any.whl") >= 2);

    // A missing `SSL_CERT_FILE` fails fast (exit 2, no connection); `--cert` beats it.
    let before = good.accepted.load(Ordering::SeqCst);
    let work = Work::new(&["plugin"]);
    let run = work.build_env(
        &["--index-url", &good.url()],
        &[("SSL_CERT_FILE", "/nonexistent/ca.pem")],
    );
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 2
    error: Invalid `SSL_CERT_FILE`: `/nonexistent/ca.pem` is not a readable file
    ");
    assert_eq!(good.accepted.load(Ordering::SeqCst), before);
    let work = Work::new(&["plugin"]);
    let run = work.build_env(
        &["--index-url", &good.url(), "--cert", &ca],
        &[("SSL_CERT_FILE", "/nonexistent/ca.pem")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Wrong host name and expired certificate: exit 4, even with the CA trusted.
    for (names, expired, what) in [
        (&["localhost"][..], false, "not valid for name"),
        (&["127.0.0.1"][..], true, "certificate expired"),
    ] {
        let front = TlsFront::start(pki.config(&pki.server(names, expired), false), index.addr());
        let work = Work::new(&["plugin"]);
        let run = work.build(&["--index-url", &front.url(), "--cert", &ca]);
        assert_eq!(run.code, 4, "{}", run.stderr);
        assert!(run.stderr.contains(what), "{what}: {}", run.stderr);
        assert_eq!(front.accepted.load(Ordering::SeqCst), 1, "not retried");
        work.assert_nothing_partial();
    }

    // An https index may not redirect to http (exit 4); the plain server sees nothing.
    let plain = index.base_url();
    let redirector =
        FakeIndex::scripted(move |seen| Reply::redirect(302, &format!("{plain}{}", seen.path)));
    let downgrading = TlsFront::start(
        pki.config(&pki.server(&["127.0.0.1"], false), false),
        redirector.addr(),
    );
    index.clear_log();
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &downgrading.url(), "--cert", &ca]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a downgrade from `https` to `http` is not allowed"),
        "{}",
        run.stderr
    );
    assert!(index.requests().is_empty());
    work.assert_nothing_partial();

    // mTLS: refused without a client certificate (exit 4), accepted with `--client-cert`.
    let mtls = TlsFront::start(
        pki.config(&pki.server(&["127.0.0.1"], false), true),
        index.addr(),
    );
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &mtls.url(), "--cert", &ca]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    let work = Work::new(&["plugin"]);
    let run = work.build(&[
        "--index-url",
        &mtls.url(),
        "--cert",
        &ca,
        "--client-cert",
        &client,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn row19_proxies_from_the_environment() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let ca = ca.to_str().unwrap().to_string();
    let index = index();
    let front = TlsFront::start(
        pki.config(&pki.server(&["127.0.0.1"], false), false),
        index.addr(),
    );
    let args = ["--index-url", &front.url(), "--cert", &ca];

    // Upper and lower case: every request (page, metadata, file) goes through a tunnel.
    for var in ["HTTPS_PROXY", "https_proxy"] {
        let proxy = Proxy::start(None);
        let work = Work::new(&["plugin"]);
        let before = front.accepted.load(Ordering::SeqCst);
        let run = work.build_env(&args, &[(var, &proxy.url(None))]);
        assert_eq!(run.code, 0, "{var}: {}", run.stderr);
        let through = front.accepted.load(Ordering::SeqCst) - before;
        assert!(through >= 3, "{var}: {through}");
        assert_eq!(proxy.tunnels.load(Ordering::SeqCst), through, "{var}");
    }

    // `NO_PROXY` matching the host: the proxy sees nothing.
    let proxy = Proxy::start(None);
    let work = Work::new(&["plugin"]);
    let run = work.build_env(
        &args,
        &[("HTTPS_PROXY", &proxy.url(None)), ("NO_PROXY", "127.0.0.1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(proxy.tunnels.load(Ordering::SeqCst), 0);
    assert!(proxy.auth_seen.lock().unwrap().is_empty());

    // Proxy credentials go to the proxy only; the index never sees them, no output shows them.
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("puser:{CANARY}"))
    );
    let proxy = Proxy::start(Some(expected.clone()));
    index.clear_log();
    let work = Work::new(&["plugin"]);
    let run = work.build_env(
        &[&args[..], &["-vv"]].concat(),
        &[("HTTPS_PROXY", &proxy.url(Some(&format!("puser:{CANARY}"))))],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(proxy.tunnels.load(Ordering::SeqCst) >= 3);
    assert!(
        proxy
            .auth_seen
            .lock()
            .unwrap()
            .iter()
            .all(|a| a.as_deref() == Some(expected.as_str()))
    );
    assert!(!index.requests().is_empty());
    for r in index.requests() {
        assert_eq!(r.header("proxy-authorization"), None, "{}", r.path);
        assert_eq!(r.authorization(), None, "{}", r.path);
    }
    assert_no_secret(CANARY, &[&run], &[work.path()]);

    // A proxy that wants credentials we do not have: exit 3 with a hint, not retried.
    let proxy = Proxy::start(Some("Basic other".into()));
    let pairs = [
        (front.url(), "https://[INDEX]/simple/"),
        (proxy.url(None), "http://[PROXY]"),
    ];
    let work = Work::new(&["plugin"]);
    let run = work.build_env(&args, &[("HTTPS_PROXY", &proxy.url(None))]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("407"), "{}", run.stderr);
    assert!(run.stderr.contains("hint: The proxy"), "{}", run.stderr);
    assert_eq!(proxy.auth_seen.lock().unwrap().len(), 1, "not retried");
    work.assert_nothing_partial();

    // An invalid proxy URL: exit 2 before any request.
    let work = Work::new(&["plugin"]);
    let run = work.build_env(&args, &[("HTTPS_PROXY", "http://[::1")]);
    insta::assert_snapshot!(error_text(&run, &pairs), @r"
    exit 2
    error: Invalid `HTTPS_PROXY`: not a valid proxy URL (invalid IPv6 address)
    ");
    work.assert_nothing_partial();
}
