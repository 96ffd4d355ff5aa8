//! PEP 503 HTML project pages and flat `--find-links` pages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nbwheel::index::{Origin, simple::parse_html};

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.org/simple/a/").expect("a valid URL");
    let name = pep508_rs::PackageName::new("a".to_string()).expect("a valid name");
    let _ = parse_html(data, &url, Some(&name), Origin::Index(0));
    let _ = parse_html(data, &url, None, Origin::FindLinks(0));
});
