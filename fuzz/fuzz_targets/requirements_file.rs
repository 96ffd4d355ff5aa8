//! A requirements file (and its rendering) never panics, never hangs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nbwheel::requirements::{FileKind, parse_str};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = |name: &str| (name == "TOKEN").then(|| "s3cret".to_string());
    for kind in [FileKind::Requirements, FileKind::Constraints] {
        if let Ok(set) = parse_str(text, std::path::Path::new("/nonexistent/r.txt"), kind, &env) {
            let _ = set.render_requirements();
            let _ = set.render_constraints();
        }
    }
});
