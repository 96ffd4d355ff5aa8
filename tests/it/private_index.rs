//! End to end against a real private index: `pypiserver` (installed by `.ci/test-tools` into a
//! venv under the target directory; the test itself never reaches PyPI) on 127.0.0.1 with htpasswd authentication, used
//! as `--extra-index-url` beside a [`FakeIndex`] standing in for `PyPI`. Checks the versions, the
//! index each project came from (a private name that `PyPI` also has comes from the private
//! index, and `PyPI` is never asked for it), no leaked password, and exit 3 naming the
//! credential sources on a wrong password. Skipped, with the reason printed, when that venv is
//! missing.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::reliability::{CANARY, Work, assert_no_secret};
use crate::common::tools::{self, require};
use crate::common::{FakeIndex, Release, write_find_links_dir};

/// Kills and reaps the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn private_pypiserver_beside_a_public_index() {
    let bin = require!(tools::test_tools("pypi-server"));
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("packages");
    write_find_links_dir(
        &packages,
        vec![
            Release::new("acme-plugin", "1.1").depends(&["acme-core"]),
            Release::new("acme-plugin", "1.2").depends(&["acme-core>=0.3", "shared-lib"]),
            Release::new("acme-core", "0.3"),
            Release::new("acme-core", "0.4").requires_python(">=3.13"),
        ],
    );
    let htpasswd = dir.path().join("htpasswd");
    let made = Command::new(bin.join("python"))
        .arg("-c")
        .arg(
            "import sys\nfrom passlib.apache import HtpasswdFile\n\
             h = HtpasswdFile(sys.argv[1], new=True)\nh.set_password('alice', sys.argv[2])\nh.save()",
        )
        .arg(&htpasswd)
        .arg(CANARY)
        .status()
        .unwrap();
    assert!(made.success(), "htpasswd");
    let port = free_port();
    let server = Server(
        Command::new(bin.join("pypi-server"))
            .args(["run", "-i", "127.0.0.1", "-p", &port.to_string()])
            .arg("-P")
            .arg(&htpasswd)
            .args(["-a", "update,download,list", "--hash-algo", "sha256"])
            .arg(&packages)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "pypiserver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The stand-in for PyPI has a higher version of the private project.
    let public = FakeIndex::start(vec![
        Release::new("acme-plugin", "99.0"),
        Release::new("shared-lib", "1.0"),
        Release::new("shared-lib", "2.0"),
    ]);
    let private = format!("http://alice:{CANARY}@127.0.0.1:{port}/simple/");
    let work = Work::new(&["acme-plugin"]);
    let run = work.build(&[
        "--timeout",
        "10",
        "--index-url",
        &public.url(),
        "--extra-index-url",
        &private,
        "--private-prefix",
        "acme-",
        "--format",
        "json",
        "-vv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<(String, String, String)> = report["archives"][0]["wheels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap().to_string(),
                w["version"].as_str().unwrap().to_string(),
                w["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let private_shown = format!("http://127.0.0.1:{port}/simple/");
    assert_eq!(
        got,
        vec![
            ("acme-core".into(), "0.3".into(), private_shown.clone()),
            ("acme-plugin".into(), "1.2".into(), private_shown),
            ("shared-lib".into(), "2.0".into(), public.url()),
        ]
    );
    assert_eq!(public.count("/simple/acme-"), 0, "PyPI never asked");
    assert_eq!(public.count("/files/acme"), 0);
    assert_no_secret(CANARY, &[&run], &[work.path()]);

    // A wrong password: exit 3 naming the credential sources, and still no leak.
    let wrong = format!("http://alice:x{CANARY}x@127.0.0.1:{port}/simple/");
    let work = Work::new(&["acme-plugin"]);
    let run = work.build(&[
        "--timeout",
        "10",
        "--index-url",
        &public.url(),
        "--extra-index-url",
        &wrong,
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("credential sources tried: URL"),
        "{}",
        run.stderr
    );
    assert_no_secret(CANARY, &[&run], &[work.path()]);
    work.assert_nothing_partial();
    drop(server);
}
