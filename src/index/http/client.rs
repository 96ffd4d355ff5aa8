//! The client itself: building the `reqwest` client, progress counters, credentials per hop,
//! redirects followed by hand, and pages fetched into memory.

use super::*;

impl Http {
    /// A transport with these options and credentials. Fails (exit 2) when `--cert` or
    /// `--client-cert` cannot be read or parsed, when an explicitly set `SSL_CERT_FILE` or
    /// `SSL_CERT_DIR` does not exist (unless `--cert` is given), or on a bad proxy variable.
    pub fn new(options: HttpOptions, auth: AuthStore) -> Result<Http, IndexError> {
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.timeout)
            .read_timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            // An idle HTTP/1.1 connection keeps its read buffer (up to ~400 KiB once a body
            // streamed through it); after a burst of concurrent requests to an HTTP/1.1 index
            // the idle ones held 12 MB on the scale benchmark (heaptrack). HTTP/2 indexes use
            // one connection anyway.
            .pool_max_idle_per_host(IDLE_PER_HOST);

        if let Some(cert) = &options.cert {
            if let Err(err) = check_cert_env(|name| std::env::var_os(name)) {
                tracing::warn!("{err}; using `--cert` and the system store");
            }
            let pem = std::fs::read(cert).map_err(|err| {
                config_error(
                    "`--cert`",
                    format!("cannot read `{}`: {err}", cert.display()),
                )
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| {
                    config_error(
                        "`--cert`",
                        format!("`{}` holds no PEM certificate", cert.display()),
                    )
                })?;
            builder = builder.tls_certs_merge(certs);
        } else {
            check_cert_env(|name| std::env::var_os(name))?;
        }

        if let Some(client_cert) = &options.client_cert {
            let pem = std::fs::read(client_cert).map_err(|err| {
                config_error(
                    "`--client-cert`",
                    format!("cannot read `{}`: {err}", client_cert.display()),
                )
            })?;
            let identity = reqwest::Identity::from_pem(&pem).map_err(|err| {
                config_error(
                    "`--client-cert`",
                    format!(
                        "`{}` must hold a PEM certificate and its private key: {}",
                        client_cert.display(),
                        describe(&err)
                    ),
                )
            })?;
            builder = builder.identity(identity);
        }

        if options.proxy_from_env {
            check_proxy_env(|name| std::env::var(name).ok())?;
        } else {
            builder = builder.no_proxy();
        }

        let client = builder
            .build()
            .map_err(|err| config_error("TLS or proxy settings", describe(&err)))?;
        Ok(Http {
            inner: Arc::new(Inner {
                client,
                options,
                auth: RwLock::new(auth),
                progress: std::sync::Mutex::default(),
                first_contact: std::sync::Mutex::default(),
            }),
        })
    }

    /// Bytes received by file downloads since the last call, by file name (the URL's last path
    /// segment), for progress bars. Draining resets the counts.
    pub fn drain_progress(&self) -> Vec<(String, u64)> {
        let mut map = self
            .inner
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *map).into_iter().collect()
    }

    pub(super) fn note_progress(&self, url: &Url, bytes: u64) {
        let name = url
            .path_segments()
            .and_then(Iterator::last)
            .unwrap_or_default()
            .to_string();
        *self
            .inner
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(name)
            .or_default() += bytes;
    }

    /// The options in use.
    pub fn options(&self) -> &HttpOptions {
        &self.inner.options
    }

    /// Moves `url`'s userinfo into the auth store; returns the clean URL.
    pub(super) fn adopt(&self, url: &Url) -> Result<Url, IndexError> {
        if self.inner.options.offline {
            return Err(IndexError::Offline {
                what: Redacted::new(url).to_string(),
            });
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(IndexError::Network {
                url: Redacted::new(url),
                attempts: 0,
                reason: format!("the `{}:` scheme is not fetched over HTTP", url.scheme()),
            });
        }
        if url.username().is_empty() && url.password().is_none() {
            return Ok(url.clone());
        }
        Ok(self
            .inner
            .auth
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .add_url(url))
    }

    pub(super) fn credentials_for(&self, url: &Url) -> Option<Credentials> {
        self.inner
            .auth
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .credentials_for(url)
    }

    pub(super) fn sources_for(&self, url: &Url) -> String {
        self.inner
            .auth
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .sources_for(url)
    }

    /// Sends a GET, following redirects by hand with per-realm credentials.
    pub(super) async fn open(
        &self,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<(reqwest::Response, Url), Stop> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let request = || {
                let request = self
                    .inner
                    .client
                    .get(current.clone())
                    .headers(headers.clone());
                // `headers` never holds `Authorization` (see `request_headers`): it is added
                // here for this hop's realm only.
                match self.credentials_for(&current) {
                    Some(creds) => request.basic_auth(creds.username(), creds.password()),
                    None => request,
                }
            };
            let response = match self.send_first_alone(&current, request).await {
                Ok(response) => response,
                Err(err) => return Err(self.transport_error(err, &current)),
            };
            let status = response.status();
            if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                return Ok((response, current));
            }
            let Some(location) = response.headers().get(LOCATION) else {
                return Ok((response, current));
            };
            let refuse = |target: Redacted, reason: String| {
                Stop::Fail(IndexError::UnsafeRedirect {
                    url: Redacted::new(url),
                    target,
                    reason,
                })
            };
            let Some(target) = location
                .to_str()
                .ok()
                .and_then(|location| current.join(location).ok())
            else {
                return Err(refuse(
                    Redacted::text("<unparsable Location>"),
                    "the `Location` header is not a valid URL".into(),
                ));
            };
            let target = strip_userinfo(&target);
            if !matches!(target.scheme(), "http" | "https") {
                return Err(refuse(
                    Redacted::new(&target),
                    format!("the `{}:` scheme is not allowed", target.scheme()),
                ));
            }
            if current.scheme() == "https" && target.scheme() == "http" {
                return Err(refuse(
                    Redacted::new(&target),
                    "a downgrade from `https` to `http` is not allowed".into(),
                ));
            }
            tracing::debug!(
                "{} redirects ({status}) to {}",
                Redacted::new(&current),
                Redacted::new(&target)
            );
            current = target;
        }
        Err(Stop::Fail(IndexError::Network {
            url: Redacted::new(url),
            attempts: 1,
            reason: format!("too many redirects (more than {MAX_REDIRECTS})"),
        }))
    }

    /// Sends a request; the first one to an origin goes alone, and the others to that origin
    /// wait for its answer (its headers), so that over HTTP/2 they share its connection instead
    /// of each opening and handshaking one of their own (a build starts with a burst of
    /// concurrent page requests: measured in bench/README.md). Whatever the first answer, even
    /// a failure, the gate opens for good.
    async fn send_first_alone(
        &self,
        url: &Url,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> reqwest::Result<reqwest::Response> {
        let origin = url.origin().ascii_serialization();
        let gate = {
            let mut gates = self
                .inner
                .first_contact
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            gates.entry(origin).or_default().clone()
        };
        if !gate.initialized() {
            let mut first = None;
            gate.get_or_init(|| async {
                first = Some(request().send().await);
            })
            .await;
            if let Some(answer) = first {
                return answer;
            }
        }
        request().send().await
    }

    pub(super) fn request_headers(
        kind: BodyKind,
        extra: &[(HeaderName, String)],
    ) -> Result<HeaderMap, IndexError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_static(match kind {
                BodyKind::Page => "gzip",
                BodyKind::File => "identity",
            }),
        );
        for (name, value) in extra {
            if *name == AUTHORIZATION {
                // Credentials come from the auth store only, scoped to their realm.
                continue;
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                config_error(
                    format!("`{name}` header"),
                    "the value is not a valid header",
                )
            })?;
            headers.insert(name.clone(), value);
        }
        Ok(headers)
    }

    /// GETs a page fully into memory, bounded by [`HttpOptions::max_body`] (after decoding).
    /// `headers` may add `Accept`, `If-None-Match`, `If-Modified-Since`…; a 304 is returned as
    /// such, with an empty body.
    pub async fn get_bytes(
        &self,
        url: &Url,
        headers: &[(HeaderName, String)],
    ) -> Result<Response, IndexError> {
        let clean = self.adopt(url)?;
        let headers = Self::request_headers(BodyKind::Page, headers)?;
        self.with_retries(&clean, || self.attempt_bytes(&clean, &headers))
            .await
    }

    pub(super) async fn attempt_bytes(
        &self,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<Response, Stop> {
        let (mut response, final_url) = self.open(url, headers).await?;
        let status = response.status();
        if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
            return Err(self.status_stop(&response, &final_url));
        }
        let limit = self.inner.options.max_body;
        let too_large = || {
            Stop::Fail(IndexError::TooLarge {
                url: Redacted::new(&final_url),
                limit,
            })
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut decoder = Decoder::for_headers(response.headers()).map_err(|reason| {
            IndexError::MalformedPage {
                url: Redacted::new(&final_url),
                reason,
            }
        })?;
        // Sized once from `Content-Length` (already checked against the limit) instead of
        // doubling: a 1.7 MB page would otherwise be copied through ever larger buffers.
        let mut body =
            Vec::with_capacity(declared.map_or(0, |len| usize::try_from(len).unwrap_or(0)));
        let mut received = 0u64;
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => return Err(self.body_error(err, &final_url, received, declared)),
            };
            received += chunk.len() as u64;
            self.note_progress(url, chunk.len() as u64);
            let plain = decoder.push(&chunk).map_err(|err| Stop::Retry {
                reason: format!("invalid gzip body: {err}"),
                after: None,
            })?;
            if body.len() as u64 + plain.len() as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&plain);
        }
        incomplete(received, declared)?;
        let rest = decoder.finish().map_err(|err| Stop::Retry {
            reason: format!("invalid gzip body: {err}"),
            after: None,
        })?;
        if body.len() as u64 + rest.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&rest);
        Ok(Response {
            status,
            headers: response.headers().clone(),
            url: final_url,
            body,
        })
    }
}

/// Makes *ring* the process's TLS crypto provider, unless a program embedding the library
/// installed one first. *ring* seeds from the kernel (`getrandom`); aws-lc, reqwest's default,
/// first ran a CPU-jitter entropy collector for about 30 ms before the first handshake of every
/// run (`bench/README.md`), and doubled the binary.
/// Idle connections kept per host (see [`Http::new`]).
const IDLE_PER_HOST: usize = 8;

fn install_crypto_provider() {
    // An `Err` means a provider is installed already: that one is used.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
