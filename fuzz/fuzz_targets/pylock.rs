//! `pylock.toml`, parsed and checked as `build --lock` and `verify` do.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(lock) = nbwheel::lock::Lock::parse(text, std::path::Path::new("pylock.toml")) {
        let _ = lock.to_toml();
        let _ = lock.claimed_targets();
    }
});
