//! Core metadata (`METADATA`, PEP 658 `.metadata`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = nbwheel::index::metadata::parse_metadata(data, "a-1.0-py3-none-any.whl");
});
