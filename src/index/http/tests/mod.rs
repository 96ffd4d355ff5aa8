use sha2::Digest as _;
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::retry::parse_retry_after;
use super::*;
use crate::exit::ExitCode;

mod setup;
mod transfer;

const CANARY: &str = "s3cret-CANARY";

/// One request as the test server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the test server answers.
enum Reply {
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Promises `len` bytes, sends `body`, closes.
    Truncated { len: usize, body: Vec<u8> },
    /// Accepts and never answers.
    Stall,
    /// Sends `body` in `chunk`-byte pieces, `delay` apart.
    Slow {
        body: Vec<u8>,
        chunk: usize,
        delay: Duration,
    },
}

fn ok(body: &[u8]) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![],
        body: body.to_vec(),
    }
}

fn status(code: u16) -> Reply {
    Reply::Full {
        status: code,
        headers: vec![],
        body: b"no".to_vec(),
    }
}

fn redirect(code: u16, location: &str) -> Reply {
    Reply::Full {
        status: code,
        headers: vec![("Location", location.to_string())],
        body: Vec::new(),
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1: one request per connection.
struct Server {
    addr: SocketAddr,
    scheme: &'static str,
    seen: Arc<Mutex<Vec<Seen>>>,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(None, handler)
    }

    /// With `tls`, speaks HTTPS with that configuration.
    fn start_with(
        tls: Option<Arc<rustls::ServerConfig>>,
        handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&seen);
        let count = Arc::clone(&accepted);
        let scheme = if tls.is_some() { "https" } else { "http" };
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                let tls = tls.clone();
                std::thread::spawn(move || match tls {
                    Some(config) => {
                        let connection = rustls::ServerConnection::new(config).unwrap();
                        let mut stream = rustls::StreamOwned::new(connection, stream);
                        serve_one(&mut stream, &*handler, &log);
                        stream.conn.send_close_notify();
                        let _ = stream.flush();
                    }
                    None => serve_one(&mut stream, &*handler, &log),
                });
            }
        });
        Server {
            addr,
            scheme,
            seen,
            accepted,
        }
    }

    fn url(&self, path: &str) -> Url {
        Url::parse(&format!("{}://{}{path}", self.scheme, self.addr)).unwrap()
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve_one<S: Read + Write>(stream: &mut S, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(&mut *stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    drop(reader);
    let request = Seen { path, headers };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(request.clone());
        log.len() - 1
    };
    let out = stream;
    let head = |status: u16, len: usize, headers: &[(&str, String)]| {
        let mut head =
            format!("HTTP/1.1 {status} X\r\nContent-Length: {len}\r\nConnection: close\r\n");
        for (name, value) in headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    };
    // Write errors only mean the client went away.
    match handler(&request, index) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let _ = out.write_all(&head(status, body.len(), &headers));
            let _ = out.write_all(&body);
        }
        Reply::Truncated { len, body } => {
            let _ = out.write_all(&head(200, len, &[]));
            let _ = out.write_all(&body);
        }
        Reply::Stall => std::thread::sleep(Duration::from_secs(10)),
        Reply::Slow { body, chunk, delay } => {
            let _ = out.write_all(&head(200, body.len(), &[]));
            for piece in body.chunks(chunk) {
                let _ = out.flush();
                std::thread::sleep(delay);
                if out.write_all(piece).is_err() {
                    return;
                }
            }
        }
    }
    let _ = out.flush();
}

fn options() -> HttpOptions {
    HttpOptions {
        timeout: Duration::from_secs(1),
        retries: 3,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_secs(2),
        proxy_from_env: false,
        ..HttpOptions::default()
    }
}

fn http(options: HttpOptions, auth: AuthStore) -> Http {
    Http::new(options, auth).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// An error's message with the random port replaced.
fn message(err: &IndexError) -> String {
    let text = err.to_string();
    let re_port = |s: &str| {
        let mut out = String::new();
        let mut rest = s;
        while let Some(pos) = rest.find("127.0.0.1:") {
            out.push_str(&rest[..pos + "127.0.0.1:".len()]);
            rest = &rest[pos + "127.0.0.1:".len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            out.push_str("PORT");
            rest = &rest[digits..];
        }
        out.push_str(rest);
        out
    };
    assert!(!text.contains(CANARY), "secret in message: {text}");
    re_port(&text)
}
