//! (stub until the transport lands; mirrors its API)
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use super::IndexError;
#[derive(Debug, Clone)]
pub struct HttpOptions { pub timeout: Duration, pub retries: u32, pub cert: Option<PathBuf>, pub client_cert: Option<PathBuf>, pub offline: bool, pub user_agent: String, pub max_body: u64, pub backoff_base: Duration, pub backoff_cap: Duration, pub proxy_from_env: bool }
impl Default for HttpOptions { fn default() -> Self { unimplemented!() } }
pub struct AuthStore;
impl AuthStore { pub fn from_env<'a>(_urls: impl IntoIterator<Item = &'a Url>) -> Self { AuthStore } }
#[derive(Clone, Debug)]
pub struct Http;
#[derive(Debug)]
pub struct Response { pub status: StatusCode, pub headers: HeaderMap, pub url: Url, pub body: Vec<u8> }
#[derive(Debug)]
pub struct Downloaded { pub sha256: String, pub size: u64 }
impl Http {
    pub fn new(_o: HttpOptions, _a: AuthStore) -> Result<Http, IndexError> { unimplemented!() }
    pub async fn get_bytes(&self, _url: &Url, _h: &[(HeaderName, String)]) -> Result<Response, IndexError> { unimplemented!() }
    pub async fn download(&self, _url: &Url, _d: &Path, _e: Option<(&str, &str)>, _w: &str) -> Result<Downloaded, IndexError> { unimplemented!() }
}
