//! A PEP 508 line or marker, through the same bounded entry point nbwheel uses.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = nbwheel::requirements::parse_pep508::<url::Url>(text) {
        let _ = r.to_string();
    }
    let marker = format!("a ; {text}");
    if let Ok(r) = nbwheel::requirements::parse_pep508::<url::Url>(&marker) {
        let _ = r.marker.contents().map(|m| m.to_string());
    }
});
