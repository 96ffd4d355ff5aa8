//! A stand-in `kubectl` for the cluster and upload tests: a Python script
//! (`fixtures/cluster/fake_kubectl.py`) put on `PATH` as `kubectl`, answering from fixture JSON
//! copied into a temp state folder, recording every invocation, able to fail on command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cluster")
}

/// A fake cluster: the state folder and the `bin/` with `kubectl`.
pub struct FakeCluster {
    pub dir: tempfile::TempDir,
}

impl FakeCluster {
    /// The default cluster: one `NetBox` pod in `netbox`, two amd64 nodes, one resource.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        for f in [
            "pods.json",
            "nodes.json",
            "netboxenterprises.json",
            "probe.json",
        ] {
            std::fs::copy(fixtures().join(f), state.join(f)).unwrap();
        }
        let pod_fs = state.join("fs/netbox/nbe-netbox-7d9c-abcde/opt/netbox");
        std::fs::create_dir_all(pod_fs.join("netbox/media")).unwrap();
        std::fs::copy(
            fixtures().join("constraints.txt"),
            pod_fs.join("constraints.txt"),
        )
        .unwrap();
        std::fs::create_dir_all(state.join("fs/netbox/nbe-maintenance-0/wheelhouse-source"))
            .unwrap();
        let script = std::fs::read_to_string(fixtures().join("fake_kubectl.py")).unwrap();
        let kubectl = bin.join("kubectl");
        std::fs::write(&kubectl, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::write(state.join("log"), "").unwrap();
        FakeCluster { dir }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// `nbwheel` with the stand-in first on `PATH`.
    pub fn nbwheel(&self) -> Command {
        let mut cmd = super::nbwheel();
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env(
            "PATH",
            format!("{}:{path}", self.dir.path().join("bin").display()),
        );
        cmd.env("FAKE_KUBECTL_STATE", self.state());
        cmd
    }

    /// Every kubectl invocation so far, one per line, with the state path replaced.
    pub fn log(&self) -> Vec<String> {
        std::fs::read_to_string(self.state().join("log"))
            .unwrap()
            .lines()
            .map(|l| l.replace(&self.dir.path().display().to_string(), "[TMP]"))
            .collect()
    }

    pub fn clear_log(&self) {
        std::fs::write(self.state().join("log"), "").unwrap();
    }

    /// Makes every command whose arguments contain `needle` fail with `stderr`.
    pub fn fail_on(&self, needle: &str, stderr: &str) {
        let path = self.state().join("fail.json");
        let mut rules: Vec<serde_json::Value> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        rules.push(serde_json::json!({"match": needle, "stderr": stderr, "code": 1}));
        std::fs::write(path, serde_json::to_string(&rules).unwrap()).unwrap();
    }

    /// Every command fails as for an unreachable API server.
    pub fn no_access(&self) {
        std::fs::write(self.state().join("no-access"), "").unwrap();
    }

    pub fn read_json(&self, name: &str) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.state().join(name)).unwrap()).unwrap()
    }

    pub fn write_json(&self, name: &str, value: &serde_json::Value) {
        std::fs::write(self.state().join(name), value.to_string()).unwrap();
    }

    /// Replaces the nodes with one per architecture given (Kubernetes spelling).
    pub fn set_nodes(&self, arches: &[&str]) {
        let items: Vec<serde_json::Value> = arches
            .iter()
            .enumerate()
            .map(|(i, a)| {
                serde_json::json!({"metadata": {"name": format!("node-{i}")},
                    "status": {"nodeInfo": {"architecture": a}}})
            })
            .collect();
        self.write_json("nodes.json", &serde_json::json!({ "items": items }));
    }

    /// A file inside a pod's fake file system.
    pub fn pod_file(&self, ns: &str, pod: &str, path: &str) -> PathBuf {
        self.state()
            .join("fs")
            .join(ns)
            .join(pod)
            .join(path.trim_start_matches('/'))
    }
}

/// stdout + stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
