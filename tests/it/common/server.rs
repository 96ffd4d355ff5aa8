//! A fake package index on `127.0.0.1:0`, serving a [`Catalog`] over plain HTTP/1.1.
//!
//! Input: releases (a [`Scenario`](super::scenario::Scenario) or `&[Release]`), then knobs and
//! requests. Output: responses, and a log of every request. Routes:
//!
//! - `GET /simple/` — root listing; `/simple/<project>/` — project page. A non-normalised name
//!   or a missing trailing slash answers 301 to the normalised URL, as `PyPI` does. The format
//!   follows `Accept` (`application/vnd.pypi.simple.v1+json` → PEP 691 JSON, otherwise PEP 503
//!   HTML) unless a knob pins it.
//! - `GET /files/<filename>` — the file; `/files/<filename>.metadata` — PEP 658 metadata.
//!   Files honour `Range: bytes=a-b`, `bytes=a-`, `bytes=-N` (206, or 416) and `If-Range`.
//!
//! HTTP support, hand-written on `std::net` so faults (early close, throttling, exact status
//! sequences) are byte-exact and no async runtime is needed in tests: one thread per connection,
//! keep-alive unless `Connection: close` or HTTP/1.0, `Content-Length` bodies only (request
//! bodies are read and dropped), `HEAD`. The server stops when the [`FakeIndex`] is dropped.
//!
//! [`FakeIndex::scripted`] is the same server answering from a closure instead of a catalog
//! (redirects to another origin, cookies, a head then a stalled body, hand-made pages).
//!
//! This is the one HTTP server of the tests, rather than `wiremock`: wiremock answers whole
//! responses from an async runtime, so it cannot send a head and then stall, trickle a body at a
//! given rate, close a connection after N bytes of a promised `Content-Length`, or serve
//! `Range` requests against generated wheels; and the knobs here keep request counts and
//! concurrency per path prefix, which the reliability tests assert on.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine as _;

use super::catalog::{self, Catalog, PublishedFile};
use super::knobs::{Format, KnobState, Knobs};
use super::scenario::Release;
use super::wheel::normalize;

/// One logged request.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (path and query).
    pub path: String,
    /// Every header, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The status answered.
    pub status: u16,
}

impl Request {
    /// The first value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `Authorization`.
    pub fn authorization(&self) -> Option<&str> {
        self.header("authorization")
    }

    /// `Range`.
    pub fn range(&self) -> Option<&str> {
        self.header("range")
    }

    /// `Accept`.
    pub fn accept(&self) -> Option<&str> {
        self.header("accept")
    }

    /// `User-Agent`.
    pub fn user_agent(&self) -> Option<&str> {
        self.header("user-agent")
    }
}

/// What a [`FakeIndex::scripted`] server answers.
pub enum Reply {
    /// A complete response.
    Full {
        /// Status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// Sends the head promising `len` bytes, then nothing for `stall` (slowloris).
    HeadThenStall {
        /// The promised length.
        len: usize,
        /// How long to stall.
        stall: Duration,
    },
}

impl Reply {
    /// 200 with a body and a content type.
    pub fn ok(content_type: &str, body: Vec<u8>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// A redirect.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

/// The closure of a [`FakeIndex::scripted`] server.
type Script = dyn Fn(&Request) -> Reply + Send + Sync;

struct State {
    script: Option<Box<Script>>,
    catalog: RwLock<Catalog>,
    knobs: Knobs,
    log: Mutex<Vec<Request>>,
    open: AtomicUsize,
    max_open: AtomicUsize,
    stop: AtomicBool,
    base: String,
}

/// A running fake index. Dropping it stops the server.
pub struct FakeIndex {
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl FakeIndex {
    /// Builds every file of the releases and starts serving them.
    pub fn start(releases: impl AsRef<[Release]>) -> FakeIndex {
        Self::start_catalog(Catalog::build(releases.as_ref()))
    }

    /// Serves a prepared catalog.
    pub fn start_catalog(catalog: Catalog) -> FakeIndex {
        Self::serve(catalog, None)
    }

    /// A server that answers every request from `script` instead of a catalog, one request
    /// per connection (then `Connection: close`), logging each as usual: for what no knob
    /// does (redirects to elsewhere, cookies, a body that stalls after its head, a hand-made
    /// page). Knobs do not apply to it.
    pub fn scripted(script: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> FakeIndex {
        Self::serve(Catalog::default(), Some(Box::new(script)))
    }

    fn serve(catalog: Catalog, script: Option<Box<Script>>) -> FakeIndex {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State {
            script,
            catalog: RwLock::new(catalog),
            knobs: Knobs::default(),
            log: Mutex::new(Vec::new()),
            open: AtomicUsize::new(0),
            max_open: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            base: format!("http://{addr}"),
        });
        let st = Arc::clone(&state);
        let accept = std::thread::Builder::new()
            .name("fake-index-accept".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if st.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let st = Arc::clone(&st);
                    let _ = std::thread::Builder::new()
                        .name("fake-index-conn".into())
                        .spawn(move || serve_connection(&st, conn));
                }
            })
            .expect("spawn accept thread");
        FakeIndex {
            addr,
            state,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT/simple/`.
    pub fn url(&self) -> String {
        format!("{}/simple/", self.state.base)
    }

    /// `http://user:password@127.0.0.1:PORT/simple/`.
    pub fn url_with_auth(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@{}/simple/", self.addr)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.state.base.clone()
    }

    /// The absolute URL of a file.
    pub fn file_url(&self, filename: &str) -> String {
        format!("{}/files/{filename}", self.state.base)
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The fault knobs.
    pub fn knobs(&self) -> &Knobs {
        &self.state.knobs
    }

    /// A published file by name (panics when absent).
    pub fn file(&self, filename: &str) -> PublishedFile {
        self.catalog()
            .file(filename)
            .cloned()
            .unwrap_or_else(|| panic!("`{filename}` is not published"))
    }

    /// The sha256 (hex) of a published file.
    pub fn sha256(&self, filename: &str) -> String {
        self.file(filename).sha256
    }

    /// A copy of the catalog.
    pub fn catalog(&self) -> Catalog {
        self.state
            .catalog
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Publishes arbitrary bytes under a project (e.g. a hostile or mutated wheel).
    pub fn put_file(&self, project: &str, version: &str, filename: &str, bytes: Vec<u8>) {
        let f = PublishedFile::raw(project, version, filename, bytes);
        self.state
            .catalog
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .add(project, f);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// How many requests had a path starting with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    }

    /// How many `GET`s had a path starting with `prefix`.
    pub fn count_get(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path.starts_with(prefix))
            .count()
    }

    /// The most requests ever in flight at once.
    pub fn max_concurrent(&self) -> usize {
        self.state.max_open.load(Ordering::SeqCst)
    }

    /// Forgets the request log and the concurrency gauge.
    pub fn clear_log(&self) {
        self.state
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        self.state.max_open.store(0, Ordering::SeqCst);
    }
}

impl Drop for FakeIndex {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

/// A parsed request head.
struct Head {
    method: String,
    target: String,
    version: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response before it is written.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    fn redirect(location: &str) -> Self {
        let mut r = Self::text(301, "Moved Permanently\n");
        r.headers.push(("Location".into(), location.into()));
        r
    }
}

const IDLE_LIMIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// Reads a request head; `None` when the peer closed, went idle, or the server stops.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, stop: &AtomicBool) -> Option<Head> {
    let started = Instant::now();
    let end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if stop.load(Ordering::SeqCst) || started.elapsed() > IDLE_LIMIT || buf.len() > 64 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return None,
        }
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end + 4);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let version = first.next().unwrap_or("HTTP/1.1").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Head {
        method,
        target,
        version,
        headers,
    })
}

fn serve_connection(state: &State, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    while let Some(head) = read_head(&mut stream, &mut buf, &state.stop) {
        // Drop any request body.
        let body_len: usize = head
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < body_len {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        }
        buf.drain(..body_len);

        let now = state.open.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_open.fetch_max(now, Ordering::SeqCst);
        let keep_alive = answer(state, &head, &mut stream);
        state.open.fetch_sub(1, Ordering::SeqCst);
        if !keep_alive {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// Answers one request; returns whether the connection stays open.
fn answer(state: &State, head: &Head, stream: &mut TcpStream) -> bool {
    if let Some(script) = &state.script {
        return answer_scripted(state, head, stream, script.as_ref());
    }
    let knobs_snapshot = state.knobs.snapshot();
    let path = head
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_string();
    let path = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    if let Some(d) = knobs_snapshot.delay(&path) {
        std::thread::sleep(d);
    }
    let mut truncate = None;
    let mut throttle = None;
    let mut response = if let Some(r) = check_auth(&knobs_snapshot, head) {
        r
    } else {
        let failure = state
            .knobs
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take_failure(&path);
        if let Some((status, retry_after)) = failure {
            let mut r = Response::text(status, "Injected failure\n");
            if let Some(secs) = retry_after {
                r.headers.push(("Retry-After".into(), secs.to_string()));
            }
            if status == 401 {
                r.headers.push((
                    "WWW-Authenticate".into(),
                    "Basic realm=\"fake-index\"".into(),
                ));
            }
            r
        } else {
            let r = route(state, &knobs_snapshot, head, &path);
            if r.status < 300 {
                truncate = state
                    .knobs
                    .state
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take_truncation(&path);
                throttle = knobs_snapshot.throttle(&path);
            }
            r
        }
    };
    if knobs_snapshot.gzip(&path) && response.status < 300 {
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::default());
        gz.write_all(&response.body).expect("in-memory gzip");
        response.body = gz.finish().expect("in-memory gzip");
        response
            .headers
            .push(("Content-Encoding".into(), "gzip".into()));
    }

    state
        .log
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(Request {
            method: head.method.clone(),
            path: head.target.clone(),
            headers: head.headers.clone(),
            status: response.status,
        });

    let wants_close = head
        .header("connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
        || head.version == "HTTP/1.0";
    let keep_alive = !wants_close && truncate.is_none();
    write_response(stream, head, &response, keep_alive, truncate, throttle)
}

/// Writes a response (head, then the body unless `HEAD`, cut after `truncate` bytes, at
/// `throttle` bytes per second); returns whether the connection stays open.
fn write_response(
    stream: &mut TcpStream,
    head: &Head,
    response: &Response,
    keep_alive: bool,
    truncate: Option<usize>,
    throttle: Option<u64>,
) -> bool {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (n, v) in &response.headers {
        write!(out, "{n}: {v}\r\n").expect("writing to a String");
    }
    write!(out, "Content-Length: {}\r\n", response.body.len()).expect("writing to a String");
    out.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    if stream.write_all(out.as_bytes()).is_err() {
        return false;
    }
    if head.method == "HEAD" {
        return keep_alive && stream.flush().is_ok();
    }
    let body = match truncate {
        Some(k) => &response.body[..k.min(response.body.len())],
        None => &response.body[..],
    };
    let written = match throttle {
        None => stream.write_all(body),
        Some(rate) => write_throttled(stream, body, rate),
    };
    written.is_ok() && stream.flush().is_ok() && keep_alive
}

/// Answers one request of a [`FakeIndex::scripted`] server from its closure, then closes the
/// connection.
fn answer_scripted(state: &State, head: &Head, stream: &mut TcpStream, script: &Script) -> bool {
    let mut request = Request {
        method: head.method.clone(),
        path: head.target.clone(),
        headers: head.headers.clone(),
        status: 0,
    };
    let reply = script(&request);
    request.status = match &reply {
        Reply::Full { status, .. } => *status,
        Reply::HeadThenStall { .. } => 200,
    };
    state
        .log
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(request);
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let response = Response {
                status,
                headers,
                body,
            };
            write_response(stream, head, &response, false, None, None);
        }
        Reply::HeadThenStall { len, stall } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.flush();
            std::thread::sleep(stall);
        }
    }
    false
}

fn write_throttled(stream: &mut TcpStream, body: &[u8], rate: u64) -> std::io::Result<()> {
    // Chunks of 1/50 s worth of bytes, each sent when the schedule says it is due.
    let chunk = usize::try_from((rate / 50).clamp(1, 16 * 1024)).unwrap_or(1);
    let started = Instant::now();
    let mut sent: u64 = 0;
    for piece in body.chunks(chunk) {
        let due_nanos = u128::from(sent) * 1_000_000_000 / u128::from(rate);
        let due = Duration::from_nanos(u64::try_from(due_nanos).unwrap_or(u64::MAX));
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        stream.write_all(piece)?;
        stream.flush()?;
        sent += piece.len() as u64;
    }
    Ok(())
}

fn check_auth(knobs: &KnobState, head: &Head) -> Option<Response> {
    let (user, password) = knobs.auth.as_ref()?;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    if head.header("authorization") == Some(expected.as_str()) {
        return None;
    }
    let mut r = Response::text(401, "Unauthorized\n");
    r.headers.push((
        "WWW-Authenticate".into(),
        "Basic realm=\"fake-index\"".into(),
    ));
    Some(r)
}

/// Picks JSON or HTML from `Accept` (highest q wins, JSON on ties), unless a knob pins it.
/// Returns the format and the content type to answer with.
fn negotiate(knobs: &KnobState, head: &Head) -> (Format, &'static str) {
    const JSON: &str = "application/vnd.pypi.simple.v1+json";
    const HTML_V1: &str = "application/vnd.pypi.simple.v1+html";
    const TEXT_HTML: &str = "text/html; charset=utf-8";
    let mut q_json = 0.0_f64;
    let mut q_html_v1 = 0.0_f64;
    let mut q_html = 0.0_f64;
    for item in head.header("accept").unwrap_or("text/html").split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "application/vnd.pypi.simple.v1+json" | "application/vnd.pypi.simple.latest+json" => {
                q_json = q_json.max(q);
            }
            "application/vnd.pypi.simple.v1+html" | "application/vnd.pypi.simple.latest+html" => {
                q_html_v1 = q_html_v1.max(q);
            }
            "text/html" | "text/*" | "*/*" => q_html = q_html.max(q),
            _ => {}
        }
    }
    let format = knobs
        .format
        .unwrap_or(if q_json > 0.0 && q_json >= q_html_v1.max(q_html) {
            Format::Json
        } else {
            Format::Html
        });
    match format {
        Format::Json => (Format::Json, JSON),
        Format::Html if knobs.format.is_none() && q_html_v1 > 0.0 && q_html_v1 >= q_html => {
            (Format::Html, HTML_V1)
        }
        Format::Html => (Format::Html, TEXT_HTML),
    }
}

fn route(state: &State, knobs: &KnobState, head: &Head, path: &str) -> Response {
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        let mut r = Response::text(405, "Method Not Allowed\n");
        r.headers.push(("Allow".into(), "GET, HEAD".into()));
        return r;
    }
    let catalog = state
        .catalog
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if path == "/simple" {
        return Response::redirect("/simple/");
    }
    if path == "/simple/" {
        let (format, ct) = negotiate(knobs, head);
        let body = match format {
            Format::Json => catalog::root_json(&catalog, knobs),
            Format::Html => catalog::root_html(&catalog, knobs),
        };
        return page(ct, body);
    }
    if let Some(rest) = path.strip_prefix("/simple/") {
        let name = rest.trim_end_matches('/');
        let norm = normalize(name);
        if name != norm || !rest.ends_with('/') || rest.matches('/').count() != 1 {
            if name.contains('/') || name.is_empty() {
                return Response::text(404, "Not Found\n");
            }
            return Response::redirect(&format!("/simple/{norm}/"));
        }
        let Some((display, files)) = catalog.projects.get(&norm) else {
            return Response::text(404, "Not Found\n");
        };
        let (format, ct) = negotiate(knobs, head);
        let body = match format {
            Format::Json => catalog::project_json(display, files, &state.base, knobs),
            Format::Html => catalog::project_html(display, files, &state.base, knobs),
        };
        return page(ct, body);
    }
    if let Some(name) = path.strip_prefix("/files/") {
        if let Some(wheel) = name.strip_suffix(".metadata")
            && let Some(f) = catalog.file(wheel)
        {
            return match catalog::served_metadata(f, knobs) {
                Some(meta) => ranged(head, meta, "application/octet-stream", None),
                None => Response::text(404, "Not Found\n"),
            };
        }
        if let Some(f) = catalog.file(name) {
            return ranged(
                head,
                f.bytes.to_vec(),
                "application/octet-stream",
                Some(&f.sha256),
            );
        }
    }
    Response::text(404, "Not Found\n")
}

fn page(content_type: &str, body: String) -> Response {
    let mut r = Response::new(200, content_type, body.into_bytes());
    r.headers.push(("Vary".into(), "Accept".into()));
    r
}

/// A file response honouring `Range` (single range) and `If-Range` (against the `ETag`).
fn ranged(head: &Head, data: Vec<u8>, content_type: &str, etag: Option<&str>) -> Response {
    let len = data.len();
    let etag = etag.map(|e| format!("\"{e}\""));
    let mut base_headers = vec![
        ("Content-Type".to_string(), content_type.to_string()),
        ("Accept-Ranges".to_string(), "bytes".to_string()),
    ];
    if let Some(e) = &etag {
        base_headers.push(("ETag".into(), e.clone()));
    }
    let if_range_ok = match head.header("if-range") {
        None => true,
        Some(v) => etag.as_deref() == Some(v),
    };
    let range = head
        .header("range")
        .filter(|_| if_range_ok)
        .and_then(|r| r.trim().strip_prefix("bytes="))
        .filter(|r| !r.contains(','));
    let Some(spec) = range else {
        return Response {
            status: 200,
            headers: base_headers,
            body: data,
        };
    };
    let parsed = spec.split_once('-').and_then(|(a, b)| {
        let (a, b) = (a.trim(), b.trim());
        if a.is_empty() {
            let n: usize = b.parse().ok()?;
            if n == 0 || len == 0 {
                return None;
            }
            Some((len.saturating_sub(n), len - 1))
        } else {
            let start: usize = a.parse().ok()?;
            let end = if b.is_empty() {
                len.checked_sub(1)?
            } else {
                b.parse::<usize>().ok()?.min(len.checked_sub(1)?)
            };
            (start <= end).then_some((start, end))
        }
    });
    if let Some((start, end)) = parsed {
        base_headers.push(("Content-Range".into(), format!("bytes {start}-{end}/{len}")));
        Response {
            status: 206,
            headers: base_headers,
            body: data[start..=end].to_vec(),
        }
    } else {
        base_headers.push(("Content-Range".into(), format!("bytes */{len}")));
        Response {
            status: 416,
            headers: base_headers,
            body: Vec::new(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
