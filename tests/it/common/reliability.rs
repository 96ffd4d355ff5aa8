//! Helpers for the reliability tests (`reliability*.rs`, `private_index.rs`): a work folder
//! that runs `nbwheel build` ([`Work`]), filtering outputs for snapshots, the canary-secret
//! sweep, the "nothing partial" check, and what sits in front of a
//! [`FakeIndex`](crate::common::FakeIndex) (which is the one test HTTP server, scripted or
//! not): a TLS front ([`TlsFront`]) with a CA generated here ([`Pki`]), and a recording
//! CONNECT proxy ([`Proxy`]). All on 127.0.0.1, on std threads.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The secret planted in URLs, netrc files and environment variables; it must never appear in
/// any output.
pub const CANARY: &str = "CANARYs3cr3tTOKEN";

/// What a run printed.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Both streams.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A work directory with `requirements.txt`, an output path and a cache.
pub struct Work {
    /// Holds the directory.
    pub dir: tempfile::TempDir,
}

impl Work {
    /// A directory whose `requirements.txt` holds `reqs`.
    pub fn new(reqs: &[&str]) -> Work {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("requirements.txt"), reqs.join("\n") + "\n")
            .expect("write requirements");
        Work { dir }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default output path.
    pub fn out(&self) -> PathBuf {
        self.path().join("wheelhouse.tar.gz")
    }

    /// The cache directory.
    pub fn cache(&self) -> PathBuf {
        self.path().join("cache")
    }

    /// `nbwheel build` here with the cache, `args`, and `--timeout 1 --retries 1` unless
    /// `args` sets them.
    pub fn build_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = super::nbwheel();
        cmd.current_dir(self.path()).arg("build");
        for (flag, default) in [("--timeout", "1"), ("--retries", "1")] {
            if !args.contains(&flag) {
                cmd.args([flag, default]);
            }
        }
        cmd.arg("--cache-dir").arg(self.cache()).args(args);
        cmd
    }

    /// Runs `nbwheel build` here.
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_cmd(args).output().expect("run nbwheel").into()
    }

    /// Runs `nbwheel build` here with extra environment variables.
    pub fn build_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.build_cmd(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run nbwheel").into()
    }

    /// Asserts that a failed run left no archive, no archive temp file and no cache temp file.
    pub fn assert_nothing_partial(&self) {
        assert!(!self.out().exists(), "a failed build left an archive");
        assert_no_temp_files(self.path(), &self.cache());
    }
}

/// No archive temp file beside any output in `out_dir`, no temp file in the cache.
pub fn assert_no_temp_files(out_dir: &Path, cache: &Path) {
    for entry in std::fs::read_dir(out_dir)
        .expect("read output dir")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.contains(".nbwheel-tmp-"),
            "temp file `{name}` left beside the output"
        );
    }
    let tmp = cache.join("v1").join("tmp");
    if let Ok(read) = std::fs::read_dir(&tmp) {
        let left: Vec<String> = read
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.is_empty(), "temp files left in the cache: {left:?}");
    }
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The secret must appear in no output, no file under `dirs` (cache, output dir), and not in
/// the decompressed archives found there.
pub fn assert_no_secret(secret: &str, runs: &[&Run], dirs: &[&Path]) {
    for run in runs {
        assert!(
            !run.all().contains(secret),
            "the secret appears in the output:\n{}",
            run.all()
        );
    }
    let needle = secret.as_bytes();
    let contains = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    for dir in dirs {
        for file in files_under(dir) {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            assert!(
                !contains(&bytes),
                "the secret appears in `{}`",
                file.display()
            );
            if file.to_string_lossy().ends_with(".tar.gz") {
                let mut tar = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut tar)
                    .expect("gunzip");
                assert!(
                    !contains(&tar),
                    "the secret appears inside `{}`",
                    file.display()
                );
            }
        }
    }
}

/// Replaces each `(from, to)` pair, then temp paths, for snapshots.
pub fn filter(text: &str, pairs: &[(String, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        out = out.replace(from.as_str(), to);
    }
    let tmp = std::env::temp_dir().display().to_string();
    let out = out.replace(&tmp, "[TMP]");
    // Temp dir names and remaining ports.
    let mut filtered = String::new();
    for line in out.lines() {
        let mut l = line.to_string();
        while let Some(pos) = l.find("[TMP]/.tmp") {
            let end = l[pos + 10..]
                .find(['/', '`', ' ', '\''])
                .map_or(l.len(), |e| pos + 10 + e);
            l.replace_range(pos..end, "[DIR]");
        }
        while let Some(pos) = l.find("127.0.0.1:") {
            let digits = l[pos + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            l.replace_range(pos..pos + 10 + digits, "[HOST]");
        }
        filtered.push_str(&l);
        filtered.push('\n');
    }
    filtered
}

/// The lines of stderr that are errors, causes and hints, without log lines, filtered.
pub fn error_text(run: &Run, pairs: &[(String, &str)]) -> String {
    let kept: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("error:") || l.starts_with("  Caused by:") || l.starts_with("hint:")
        })
        .collect();
    format!("exit {}\n{}", run.code, filter(&kept.join("\n"), pairs))
}

// --- Request heads, for the TLS front and the proxy ---------------------------------------

/// A request head as the TLS front or the proxy saw it.
#[derive(Debug, Clone)]
struct Seen {
    /// The request line's target.
    pub path: String,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    /// A header's value.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a request head byte by byte (so nothing after it is consumed); `None` when the peer
/// closed first.
fn read_head(stream: &mut impl Read) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn parse_seen(head: &str) -> Seen {
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("")
        .to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Seen { path, headers }
}

// --- TLS ------------------------------------------------------------------------------

/// A CA and certificates, generated per test.
pub struct Pki {
    /// The CA certificate, PEM.
    pub ca_pem: String,
    ca_der: rustls::pki_types::CertificateDer<'static>,
    ca: rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
    /// A client certificate followed by its key (for `--client-cert`).
    pub client_pem: String,
}

/// A server certificate and key.
pub struct ServerCert {
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: Vec<u8>,
}

impl Pki {
    /// A new CA and client certificate.
    pub fn new() -> Pki {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "nbwheel reliability CA");
        let ca_key = rcgen::KeyPair::generate().expect("key");
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA");
        let client_key = rcgen::KeyPair::generate().expect("key");
        let mut client_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        client_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "nbwheel client");
        client_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let client = client_params.signed_by(&client_key, &ca).expect("client");
        Pki {
            ca_pem: ca.pem(),
            ca_der: ca.der().clone(),
            client_pem: format!("{}{}", client.pem(), client_key.serialize_pem()),
            ca,
        }
    }

    /// A server certificate for `names`, valid now unless `expired`.
    pub fn server(&self, names: &[&str], expired: bool) -> ServerCert {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params = rcgen::CertificateParams::new(
            names.iter().map(ToString::to_string).collect::<Vec<_>>(),
        )
        .expect("params");
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let cert = params.signed_by(&key, &self.ca).expect("server cert");
        ServerCert {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }

    /// A rustls server configuration, requiring a client certificate from this CA when asked.
    pub fn config(&self, cert: &ServerCert, mtls: bool) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .expect("versions");
        let builder = if mtls {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(self.ca_der.clone()).expect("root");
            builder.with_client_cert_verifier(
                rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                )
                .build()
                .expect("verifier"),
            )
        } else {
            builder.with_no_client_auth()
        };
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key.clone().into());
        Arc::new(
            builder
                .with_single_cert(cert.chain.clone(), key)
                .expect("config"),
        )
    }
}

/// An HTTPS front for a plain HTTP server: terminates TLS, forwards each request (one per
/// connection) to `backend` with `Connection: close`, relays the answer.
pub struct TlsFront {
    /// Its address.
    pub addr: SocketAddr,
    /// TCP connections accepted (handshakes attempted).
    pub accepted: Arc<AtomicUsize>,
}

impl TlsFront {
    /// Starts the front.
    pub fn start(config: Arc<rustls::ServerConfig>, backend: SocketAddr) -> TlsFront {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&accepted);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let config = Arc::clone(&config);
                std::thread::spawn(move || {
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    let Some(head) = read_head(&mut tls) else {
                        return;
                    };
                    let Ok(mut up) = TcpStream::connect(backend) else {
                        return;
                    };
                    let head = head
                        .split("\r\n")
                        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                        .collect::<Vec<_>>()
                        .join("\r\n");
                    let head =
                        head.trim_end_matches("\r\n").to_string() + "\r\nConnection: close\r\n\r\n";
                    if up.write_all(head.as_bytes()).is_err() {
                        return;
                    }
                    let mut answer = Vec::new();
                    let _ = up.read_to_end(&mut answer);
                    let _ = tls.write_all(&answer);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsFront { addr, accepted }
    }

    /// `https://127.0.0.1:PORT/simple/`.
    pub fn url(&self) -> String {
        format!("https://{}/simple/", self.addr)
    }
}

// --- A CONNECT proxy --------------------------------------------------------------------

/// A recording forward proxy: `CONNECT` tunnels and absolute-form `GET`s, optionally
/// demanding `Proxy-Authorization` (else 407).
pub struct Proxy {
    /// Its address.
    pub addr: SocketAddr,
    /// Tunnels opened.
    pub tunnels: Arc<AtomicUsize>,
    /// Every request head's `Proxy-Authorization` (or `None`).
    pub auth_seen: Arc<Mutex<Vec<Option<String>>>>,
}

impl Proxy {
    /// Starts a proxy; with `required`, only that exact `Proxy-Authorization` value is let
    /// through.
    pub fn start(required: Option<String>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let tunnels = Arc::new(AtomicUsize::new(0));
        let auth_seen = Arc::new(Mutex::new(Vec::new()));
        let (t, a) = (Arc::clone(&tunnels), Arc::clone(&auth_seen));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (t, a, required) = (Arc::clone(&t), Arc::clone(&a), required.clone());
                std::thread::spawn(move || proxy_one(stream, &t, &a, required.as_deref()));
            }
        });
        Proxy {
            addr,
            tunnels,
            auth_seen,
        }
    }

    /// `http://127.0.0.1:PORT` (optionally with userinfo).
    pub fn url(&self, userinfo: Option<&str>) -> String {
        match userinfo {
            Some(u) => format!("http://{u}@{}", self.addr),
            None => format!("http://{}", self.addr),
        }
    }
}

fn proxy_one(
    mut client: TcpStream,
    tunnels: &AtomicUsize,
    auth_seen: &Mutex<Vec<Option<String>>>,
    required: Option<&str>,
) {
    let Some(head) = read_head(&mut client) else {
        return;
    };
    let seen = parse_seen(&head);
    let auth = seen.header("proxy-authorization").map(ToString::to_string);
    auth_seen.lock().expect("log").push(auth.clone());
    if let Some(required) = required
        && auth.as_deref() != Some(required)
    {
        let _ = client.write_all(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let method = head.split(' ').next().unwrap_or("");
    if method == "CONNECT" {
        let Ok(mut up) = TcpStream::connect(seen.path.as_str()) else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            return;
        };
        tunnels.fetch_add(1, Ordering::SeqCst);
        let _ = client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n");
        let (Ok(mut c2), Ok(mut u2)) = (client.try_clone(), up.try_clone()) else {
            return;
        };
        let a = std::thread::spawn(move || {
            let _ = std::io::copy(&mut c2, &mut u2);
            let _ = u2.shutdown(std::net::Shutdown::Write);
        });
        let _ = std::io::copy(&mut up, &mut client);
        let _ = client.shutdown(std::net::Shutdown::Write);
        let _ = a.join();
        return;
    }
    // Absolute-form request: forward to the origin without the proxy's header.
    let Ok(url) = url::Url::parse(&seen.path) else {
        return;
    };
    let Ok(mut up) = TcpStream::connect(format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(80)
    )) else {
        return;
    };
    let mut out = format!(
        "{method} {} HTTP/1.1\r\n",
        &url[url::Position::BeforePath..]
    );
    for (n, v) in &seen.headers {
        if n != "proxy-authorization" && n != "connection" && n != "proxy-connection" {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = up.write_all(out.as_bytes());
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    let _ = client.write_all(&answer);
}
