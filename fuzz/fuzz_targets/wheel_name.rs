//! Wheel file names.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(w) = text.parse::<nbwheel::wheel_name::WheelName>() {
        let _ = w.filename().to_string();
    }
});
