//! The strict zip reader on fetched ranges (the range-read path): the end records and central
//! directory from the input's tail, then every member's local header and data.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nbwheel::wheel_zip::{self, Window, ZipLimits};

fuzz_target!(|data: &[u8]| {
    let tail = data.len().saturating_sub(usize::try_from(wheel_zip::TAIL_LEN).unwrap_or(0));
    let mut window = Window { start: tail as u64, bytes: &data[tail..], size: data.len() as u64 };
    let _ = wheel_zip::read_end(&mut window);
    let mut all = Window { start: 0, bytes: data, size: data.len() as u64 };
    let Ok(directory) = wheel_zip::read_directory(&mut all, &ZipLimits::default()) else {
        return;
    };
    for member in &directory.members {
        let mut m = member.clone();
        if wheel_zip::check_local(&mut all, &mut m).is_ok() {
            let _ = wheel_zip::stream_member(&mut all, &m, &mut std::io::sink());
        }
    }
});
