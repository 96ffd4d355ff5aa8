//! The one strict zip reader through the binary: the METADATA read by range requests goes
//! through it, and a downloaded wheel whose layout it refuses stops the build (exit 4) before
//! anything else reads it.

use crate::common::reliability::Work;
use crate::common::{FakeIndex, Release};

const WHEEL: &str = "/files/plugin-1.0-py3-none-any.whl";

#[test]
fn metadata_read_by_range_requests_goes_through_the_strict_reader() {
    let index = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    index.knobs().no_metadata("plugin");
    let work = Work::new(&["plugin"]);
    let run = work.build(&["--index-url", &index.url(), "-vv"]);
    assert_eq!(run.code, 0, "{}", run.all());
    // The range read gave the METADATA: the client did not fall back to whole wheels.
    assert!(
        !run.stderr.contains("does not serve byte ranges"),
        "{}",
        run.stderr
    );
    let requests = index.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == WHEEL && r.range().is_some()),
        "no range request: {:?}",
        requests.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    assert!(work.out().is_file());
}

#[test]
fn a_downloaded_wheel_with_hidden_bytes_stops_the_build_before_it_is_read() {
    // Bytes before the first member: the `zip` crate reads such a file (it shifts every
    // offset), so a lenient read of its METADATA would have succeeded.
    let source = FakeIndex::start(vec![Release::new("plugin", "1.0")]);
    let mut bytes = vec![0u8; 16];
    bytes.extend_from_slice(&source.file("plugin-1.0-py3-none-any.whl").bytes);
    let index = FakeIndex::start(vec![Release::new("app", "1.0").depends(&["plugin"])]);
    index.put_file("plugin", "1.0", "plugin-1.0-py3-none-any.whl", bytes);
    index.knobs().no_metadata("plugin");
    let work = Work::new(&["app"]);
    let run = work.build(&["--index-url", &index.url(), "-vv"]);
    assert_eq!(run.code, 4, "{}", run.all());
    // The range read was refused by the same reader, then the download.
    assert!(
        run.stderr.contains("refused by the zip reader"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("plugin-1.0-py3-none-any.whl")
            && run.stderr.contains("prepended or hidden data"),
        "{}",
        run.stderr
    );
    work.assert_nothing_partial();
}
