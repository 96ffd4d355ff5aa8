//! Trust: the certificate environment checks made before the client is built, and the
//! recognition of certificate failures (never retried, exit 4) in an error chain.

use super::{IndexError, OsString, PathBuf, StdError, config_error};

/// Checks `SSL_CERT_FILE` and `SSL_CERT_DIR` (as given by `env`): a path that is set must exist.
pub(super) fn check_cert_env(env: impl Fn(&str) -> Option<OsString>) -> Result<(), IndexError> {
    if let Some(file) = env("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(file);
        if !path.is_file() {
            return Err(config_error(
                "`SSL_CERT_FILE`",
                format!("`{}` is not a readable file", path.display()),
            ));
        }
    }
    if let Some(dirs) = env("SSL_CERT_DIR").filter(|v| !v.is_empty()) {
        for dir in std::env::split_paths(&dirs).filter(|p| !p.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(config_error(
                    "`SSL_CERT_DIR`",
                    format!("`{}` is not a directory", dir.display()),
                ));
            }
        }
    }
    Ok(())
}

/// The text of an error and its sources, without repeats.
pub(super) fn describe(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Whether a rustls error is about a certificate.
pub(super) fn is_certificate_error(err: &rustls::Error) -> bool {
    use rustls::AlertDescription as A;
    match err {
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::InvalidCertRevocationList(_) => true,
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            A::BadCertificate
                | A::UnsupportedCertificate
                | A::CertificateRevoked
                | A::CertificateExpired
                | A::CertificateUnknown
                | A::UnknownCA
                | A::CertificateRequired
        ),
        _ => false,
    }
}

/// The rustls error inside `err`, looking through nested `io::Error`s (whose `source` skips the
/// wrapped error itself, so the chain alone does not reach it).
pub(super) fn rustls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = err;
    loop {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        current = current.downcast_ref::<std::io::Error>()?.get_ref()?;
    }
}

/// The certificate failure in an error chain, if there is one.
pub(super) fn certificate_failure(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(tls) = rustls_error(e)
            && is_certificate_error(tls)
        {
            return Some(tls.to_string());
        }
        current = e.source();
    }
    let text = describe(err);
    let lower = text.to_ascii_lowercase();
    (lower.contains("certificate") || lower.contains("unknownissuer")).then_some(text)
}
