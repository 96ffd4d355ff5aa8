//! `nbwheel.toml` and `[tool.nbwheel]` of `pyproject.toml`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = nbwheel::commands::config::parse(std::path::Path::new("nbwheel.toml"), text, false);
    let _ = nbwheel::commands::config::parse(std::path::Path::new("pyproject.toml"), text, true);
});
