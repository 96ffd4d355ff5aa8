//! `nbwheel cluster info` and `nbwheel constraints pull` against a stand-in `kubectl`.

use crate::common::cluster::{FakeCluster, fixtures, text};
use crate::common::tools::{self, require};

#[test]
fn info_reports_the_target_read_from_the_cluster() {
    require!(tools::python3());
    let c = FakeCluster::new();
    c.set_nodes(&["amd64", "arm64", "amd64"]);
    let o = c
        .nbwheel()
        .args(["cluster", "info", "--context", "prod"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
    let log = c.log();
    assert!(log[0].starts_with(
        "--context prod get pods -A -l com.netboxlabs.netbox-enterprise/custom-plugins-upload=true -o json"
    ));
    assert!(
        log[1].starts_with("--context prod exec -n netbox nbe-netbox-7d9c-abcde -- python3 -c")
    );
    assert_eq!(log[2], "--context prod get nodes -o json");
    assert_eq!(
        log[3],
        "--context prod get netboxenterprises -n netbox -o json"
    );
    assert_eq!(log.len(), 4);

    let o = c
        .nbwheel()
        .args(["cluster", "info", "-n", "netbox", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["netbox_version"], "4.2.3");
    assert_eq!(v["python_version"], "3.12.3");
    assert_eq!(v["glibc_version"], "2.39");
    assert_eq!(v["architectures"]["aarch64"], 1);
    assert_eq!(v["architectures"]["x86_64"], 2);
    assert_eq!(v["resource"]["name"], "nbe");
    assert_eq!(v["resource"]["wheelhouse"]["kind"], "media");
}

#[test]
fn info_names_the_configured_wheelhouse() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let mut r = c.read_json("netboxenterprises.json");
    r["items"][0]["spec"]["netbox"]["config"]["plugins"]["wheelhouse"] = serde_json::json!({
        "s3": {"bucket": "plugins", "key": "media/wheelhouse.tar.gz", "region": "eu-west-1"}
    });
    c.write_json("netboxenterprises.json", &r);
    let o = c.nbwheel().args(["cluster", "info"]).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Wheelhouse:   s3://plugins/media/wheelhouse.tar.gz"),
        "{}",
        text(&o)
    );
}

#[test]
fn constraints_pull_copies_the_pods_file() {
    require!(tools::python3());
    let c = FakeCluster::new();
    let out = c.dir.path().join("constraints.txt");
    let o = c
        .nbwheel()
        .args(["constraints", "pull", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(fixtures().join("constraints.txt")).unwrap()
    );
    assert_eq!(
        c.log()[1],
        "exec -n netbox nbe-netbox-7d9c-abcde -- cat /opt/netbox/constraints.txt"
    );
}

#[test]
fn errors_name_the_object_and_the_command() {
    require!(tools::python3());
    // No access: exit 3, the command named.
    let c = FakeCluster::new();
    c.no_access();
    let o = c.nbwheel().args(["cluster", "info"]).output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("No access to the cluster: `kubectl get pods -A -l"),
        "{t}"
    );
    assert!(t.contains("hint:"), "{t}");

    // No pod with the label in the namespace: exit 1.
    let c = FakeCluster::new();
    let o = c
        .nbwheel()
        .args(["cluster", "info", "-n", "other"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("No pod with the label `com.netboxlabs.netbox-enterprise/custom-plugins-upload=true` in namespace `other`"),
        "{}",
        text(&o)
    );

    // Pods in two namespaces without `-n`: exit 2, both named.
    let mut pods = c.read_json("pods.json");
    let mut second = pods["items"][0].clone();
    second["metadata"]["namespace"] = "netbox-staging".into();
    pods["items"].as_array_mut().unwrap().push(second);
    c.write_json("pods.json", &pods);
    let o = c.nbwheel().args(["cluster", "info"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("netbox, netbox-staging"), "{}", text(&o));
    assert!(text(&o).contains("-n NAMESPACE"), "{}", text(&o));

    // Two resources in the namespace: exit 2.
    let mut r = c.read_json("netboxenterprises.json");
    let mut other = r["items"][0].clone();
    other["metadata"]["name"] = "nbe-2".into();
    r["items"].as_array_mut().unwrap().push(other);
    c.write_json("netboxenterprises.json", &r);
    let o = c
        .nbwheel()
        .args(["cluster", "info", "-n", "netbox"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("Several `NetBoxEnterprise` resources in namespace `netbox`: nbe, nbe-2"),
        "{}",
        text(&o)
    );

    // kubectl missing: exit 5.
    let o = c
        .nbwheel()
        .env("NBWHEEL_KUBECTL", "/nonexistent/kubectl")
        .args(["cluster", "info"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
}
