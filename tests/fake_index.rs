//! Tests of the fake index harness itself.

mod common;

#[test]
fn smoke() {
    let index = common::FakeIndex::start(vec![common::Release::new("a", "1.0")]);
    assert!(index.url().starts_with("http://127.0.0.1:"));
}
