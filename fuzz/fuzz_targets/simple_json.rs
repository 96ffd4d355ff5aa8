//! PEP 691 JSON project pages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nbwheel::index::{Origin, simple::parse_json};

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.org/simple/a/").expect("a valid URL");
    let name = pep508_rs::PackageName::new("a".to_string()).expect("a valid name");
    let _ = parse_json(data, &url, &name, Origin::Index(0));
});
