//! The static reader of a plugin's `__init__.py` (Python literals, class bodies).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = nbwheel::netbox::python::parse_plugin_module(text);
});
