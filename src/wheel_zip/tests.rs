use std::io::{Cursor, Write as _};

use super::*;

fn zip_bytes(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn read_all(src: &mut dyn ZipBytes, layout: &Layout) -> Vec<(String, Vec<u8>)> {
    layout
        .members
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            stream_member(src, m, &mut out).unwrap();
            (m.name.clone(), out)
        })
        .collect()
}

#[test]
fn a_file_and_a_window_over_the_same_bytes_read_alike() {
    let bytes = zip_bytes(&[("a/x.py", b"print(1)\n"), ("a/y.txt", &[7u8; 5000])]);
    let size = bytes.len() as u64;
    let mut cursor = Cursor::new(bytes.clone());
    let mut file = FileBytes::measure(&mut cursor).unwrap();
    let from_file = read_layout(&mut file, &ZipLimits::default()).unwrap();
    let file_members = read_all(&mut file, &from_file);
    let mut window = Window {
        start: 0,
        bytes: &bytes,
        size,
    };
    let from_window = read_layout(&mut window, &ZipLimits::default()).unwrap();
    assert_eq!(file_members, read_all(&mut window, &from_window));
    assert_eq!(file_members[1].1, vec![7u8; 5000]);
    assert_eq!(from_file.uncompressed_size, 5009);
}

#[test]
fn a_window_says_which_bytes_it_lacks() {
    // 1500 entries with long names: a central directory larger than the tail.
    let names: Vec<String> = (0..1500)
        .map(|i| format!("pkg/{i:04}_{}.py", "m".repeat(60)))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let bytes = zip_bytes(&files);
    let size = bytes.len() as u64;
    let from = bytes.len() - usize::try_from(TAIL_LEN).unwrap();
    let mut tail = Window {
        start: from as u64,
        bytes: &bytes[from..],
        size,
    };
    let end = read_end(&mut tail).unwrap();
    assert_eq!(end.records_start, size - 22);
    let err = read_directory(&mut tail, &ZipLimits::default()).unwrap_err();
    assert!(
        matches!(err, ZipError::NotFetched { offset, .. } if offset == end.cd_offset),
        "{err}"
    );
}

#[test]
fn limits_apply_to_the_central_directory() {
    let bytes = zip_bytes(&[("a/x.py", b"print(1)\n"), ("a/y.py", b"print(2)\n")]);
    let size = bytes.len() as u64;
    let mut window = Window {
        start: 0,
        bytes: &bytes,
        size,
    };
    let limits = ZipLimits {
        max_members: 1,
        ..ZipLimits::default()
    };
    let err = read_directory(&mut window, &limits).unwrap_err();
    assert_eq!(err.to_string(), "the member count limit is exceeded: 2 > 1");
}

/// `NBWHEEL_TEST_WHEELS=<folder> cargo test --lib reads_real_wheels_from_env -- --ignored`:
/// every wheel of the folder reads alike from the file and, as a range read does, from its
/// fetched tail and one member's range.
#[test]
#[ignore = "needs NBWHEEL_TEST_WHEELS"]
fn reads_real_wheels_from_env() {
    let dir = std::env::var_os("NBWHEEL_TEST_WHEELS").expect("NBWHEEL_TEST_WHEELS");
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "whl") {
            continue;
        }
        count += 1;
        let bytes = std::fs::read(&path).unwrap();
        let size = bytes.len() as u64;
        let mut cursor = Cursor::new(bytes.clone());
        let mut file = FileBytes::new(&mut cursor, size);
        let layout = match read_layout(&mut file, &ZipLimits::default()) {
            Ok(layout) => layout,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        // The central directory as a range read gets it: the tail, and the central directory
        // before it when it starts earlier.
        let from = usize::try_from(
            layout
                .members
                .iter()
                .map(|m| m.local_offset)
                .max()
                .unwrap_or(0),
        )
        .unwrap();
        let end = read_end(&mut Window {
            start: 0,
            bytes: &bytes,
            size,
        })
        .unwrap();
        let tail = size.saturating_sub(TAIL_LEN);
        let start = end.cd_offset.min(tail);
        let directory = read_directory(
            &mut Window {
                start,
                bytes: &bytes[usize::try_from(start).unwrap()..],
                size,
            },
            &ZipLimits::default(),
        )
        .unwrap();
        assert_eq!(directory.members.len(), layout.members.len());
        // The last member, from a window holding only its local header, data and slack.
        let last = directory
            .members
            .iter()
            .find(|m| m.local_offset == from as u64)
            .unwrap();
        let to = (from + 30 + last.name.len() + 1048 + usize::try_from(last.compressed).unwrap())
            .min(bytes.len());
        let mut window = Window {
            start: from as u64,
            bytes: &bytes[from..to],
            size,
        };
        let mut m = last.clone();
        check_local(&mut window, &mut m).unwrap();
        stream_member(&mut window, &m, &mut std::io::sink()).unwrap();
    }
    assert!(failures.is_empty(), "{failures:#?}");
    eprintln!("{count} wheels read");
}
