//! The wheel (ZIP) validator, on a file holding the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write as _;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    let name: nbwheel::wheel_name::WheelName = "a-1.0-py3-none-any.whl".parse().expect("a valid name");
    let _ = nbwheel::verify::validate_wheel(file.path(), &name, &nbwheel::verify::WheelCheck::default());
});
