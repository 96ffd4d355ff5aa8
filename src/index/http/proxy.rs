//! Proxies: `reqwest` reads `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` but silently
//! ignores a value it cannot parse, so they are checked here first and a bad one is refused.

use super::{IndexError, Url, config_error};

/// Checks the proxy variables (as given by `env`) the way `hyper-util` reads them, since it
/// drops a value it cannot parse without a word. The value is never quoted: it may hold a
/// password.
pub(super) fn check_proxy_env(env: impl Fn(&str) -> Option<String>) -> Result<(), IndexError> {
    for names in [
        ["ALL_PROXY", "all_proxy"],
        ["HTTP_PROXY", "http_proxy"],
        ["HTTPS_PROXY", "https_proxy"],
    ] {
        let Some((name, value)) = names
            .iter()
            .find_map(|name| env(name).map(|value| (*name, value)))
        else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        let setting = format!("`{name}`");
        let url = Url::parse(&with_scheme)
            .map_err(|err| config_error(&setting, format!("not a valid proxy URL ({err})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(config_error(
                &setting,
                format!(
                    "proxy scheme `{}` is not supported (use `http://` or `https://`)",
                    url.scheme()
                ),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(config_error(&setting, "the proxy URL has no host"));
        }
    }
    Ok(())
}
