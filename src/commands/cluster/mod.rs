//! The target read from the cluster itself: `nbwheel cluster info` and `nbwheel constraints pull`.
//!
//! Input: a [`Kubectl`] (the user's own binary and context) and an optional namespace. Output: a
//! [`ClusterInfo`] — the `NetBox` pod found by the vendor's label, its `NetBox`, Python and glibc
//! versions, the nodes' architectures, the `NetBoxEnterprise` resource and its wheelhouse source —
//! from which [`ClusterInfo::targets`] derives the exact build targets; and the pod's
//! `/opt/netbox/constraints.txt`. Nothing here changes the cluster. The JSON `kubectl` prints is
//! read with `serde` into the few fields needed.

pub mod build;
pub mod check;
pub mod config;
mod error;
pub mod kubectl;

use std::collections::BTreeMap;

use serde::Deserialize;

pub use error::ClusterError;
pub use kubectl::{Kubectl, RunOutput, Runner, SystemRunner};

use crate::target::{Arch, Glibc, Target};

/// The label the vendor documents on the pod that takes uploads.
pub const UPLOAD_LABEL: &str = "com.netboxlabs.netbox-enterprise/custom-plugins-upload=true";
/// The label of the operator's maintenance pod.
pub const MAINTENANCE_LABEL: &str = "maintenance-mode=true";
/// The base image's constraints file.
pub const CONSTRAINTS_PATH: &str = "/opt/netbox/constraints.txt";
/// The script run in the pod to read the Python, glibc and `NetBox` versions as JSON.
pub const PROBE_SCRIPT: &str = r#"import json,os,platform,re;p='/opt/netbox/netbox/release.yaml';t=open(p).read() if os.path.exists(p) else '';m=re.search(r'^version:\s*["\']?([^"\'\s]+)',t,re.M);print(json.dumps({'python':platform.python_version(),'glibc':platform.libc_ver()[1],'netbox':m.group(1) if m else None,'machine':platform.machine()}))"#;

/// Where the operator takes the wheelhouse from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum WheelhouseSource {
    /// No wheelhouse configured in the resource: the media directory is used.
    Media,
    /// A PVC.
    Pvc {
        /// The claim.
        claim_name: String,
        /// The file inside it.
        path: String,
    },
    /// An S3 object.
    S3 {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// The region, when set.
        region: Option<String>,
        /// The endpoint, when set.
        endpoint: Option<String>,
    },
}

impl std::fmt::Display for WheelhouseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WheelhouseSource::Media => f.write_str("media directory (no wheelhouse configured)"),
            WheelhouseSource::Pvc { claim_name, path } => {
                write!(f, "pvc `{claim_name}`, file `{path}`")
            }
            WheelhouseSource::S3 {
                bucket,
                key,
                endpoint,
                ..
            } => {
                write!(f, "s3://{bucket}/{key}")?;
                if let Some(e) = endpoint {
                    write!(f, " at {e}")?;
                }
                Ok(())
            }
        }
    }
}

/// The `NetBoxEnterprise` resource.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Resource {
    /// Its name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// Whether `spec.maintenanceMode` is true.
    pub maintenance_mode: bool,
    /// The configured wheelhouse source.
    pub wheelhouse: WheelhouseSource,
    /// `spec.netbox.config.plugins.wheelhouse` as found, for restoring it.
    #[serde(skip)]
    pub raw_wheelhouse: Option<serde_json::Value>,
}

/// Everything `cluster info` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterInfo {
    /// The context used (`None`: the current one).
    pub context: Option<String>,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod with the upload label.
    pub pod: String,
    /// `NetBox`'s version, when the pod's `release.yaml` gives it.
    pub netbox_version: Option<String>,
    /// The pod's Python version, e.g. `3.12.3`.
    pub python_version: String,
    /// The pod's glibc version, e.g. `2.39`.
    pub glibc_version: String,
    /// Node architectures (`x86_64`, `aarch64`) with their node counts.
    pub architectures: BTreeMap<String, usize>,
    /// The `NetBoxEnterprise` resource, when there is exactly one.
    pub resource: Option<Resource>,
}

#[derive(Deserialize)]
struct List<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
}

#[derive(Deserialize)]
struct Pod {
    metadata: Meta,
    #[serde(default)]
    status: PodStatus,
}

#[derive(Deserialize, Default)]
struct PodStatus {
    #[serde(default)]
    phase: String,
}

#[derive(Deserialize)]
struct Node {
    metadata: Meta,
    status: NodeStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeStatus {
    node_info: NodeInfo,
}

#[derive(Deserialize)]
struct NodeInfo {
    architecture: String,
}

#[derive(Deserialize)]
struct Nbe {
    metadata: Meta,
    #[serde(default)]
    spec: serde_json::Value,
}

#[derive(Deserialize)]
struct Probe {
    python: String,
    glibc: String,
    netbox: Option<String>,
}

fn args(v: &[&str]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

fn parse_json<T: serde::de::DeserializeOwned>(
    kubectl: &Kubectl,
    a: &[String],
    text: &str,
) -> Result<T, ClusterError> {
    serde_json::from_str(text).map_err(|e| ClusterError::BadOutput {
        command: kubectl.render(a),
        reason: format!("not the JSON expected ({e})"),
    })
}

/// The pod with the upload label: `(namespace, name)`. Running pods are preferred.
pub fn find_pod(
    kubectl: &Kubectl,
    namespace: Option<&str>,
    label: &str,
) -> Result<(String, String), ClusterError> {
    let mut a = args(&["get", "pods"]);
    match namespace {
        Some(ns) => a.extend(args(&["-n", ns])),
        None => a.push("-A".into()),
    }
    a.extend(args(&["-l", label, "-o", "json"]));
    let out = kubectl.read(&a)?;
    let list: List<Pod> = parse_json(kubectl, &a, &out)?;
    let mut namespaces: Vec<String> = list
        .items
        .iter()
        .map(|p| p.metadata.namespace.clone())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    if namespaces.len() > 1 {
        return Err(ClusterError::SeveralNamespaces { namespaces });
    }
    let mut pods = list.items;
    pods.sort_by_key(|p| (p.status.phase != "Running", p.metadata.name.clone()));
    let Some(pod) = pods.into_iter().next() else {
        return Err(ClusterError::NoPod {
            label: label.to_string(),
            scope: namespace.map_or_else(
                || "any namespace".to_string(),
                |n| format!("namespace `{n}`"),
            ),
            command: kubectl.render(&a),
        });
    };
    let ns = if pod.metadata.namespace.is_empty() {
        namespace.unwrap_or("default").to_string()
    } else {
        pod.metadata.namespace
    };
    Ok((ns, pod.metadata.name))
}

/// Node architectures, nbwheel's spelling, with node counts.
pub fn node_architectures(kubectl: &Kubectl) -> Result<BTreeMap<String, usize>, ClusterError> {
    let a = args(&["get", "nodes", "-o", "json"]);
    let out = kubectl.read(&a)?;
    let list: List<Node> = parse_json(kubectl, &a, &out)?;
    let mut map = BTreeMap::new();
    for n in list.items {
        let arch: Arch =
            n.status
                .node_info
                .architecture
                .parse()
                .map_err(|_| ClusterError::UnsupportedArch {
                    node: n.metadata.name.clone(),
                    arch: n.status.node_info.architecture.clone(),
                })?;
        *map.entry(arch.to_string()).or_insert(0) += 1;
    }
    if map.is_empty() {
        return Err(ClusterError::BadOutput {
            command: kubectl.render(&a),
            reason: "no nodes listed".into(),
        });
    }
    Ok(map)
}

/// The single `NetBoxEnterprise` resource of `namespace`, `None` when there is none.
pub fn find_resource(kubectl: &Kubectl, namespace: &str) -> Result<Option<Resource>, ClusterError> {
    let a = args(&["get", "netboxenterprises", "-n", namespace, "-o", "json"]);
    let out = kubectl.read(&a)?;
    let list: List<Nbe> = parse_json(kubectl, &a, &out)?;
    if list.items.len() > 1 {
        return Err(ClusterError::SeveralResources {
            namespace: namespace.to_string(),
            names: list.items.into_iter().map(|r| r.metadata.name).collect(),
        });
    }
    let Some(r) = list.items.into_iter().next() else {
        return Ok(None);
    };
    let raw = r
        .spec
        .pointer("/netbox/config/plugins/wheelhouse")
        .cloned()
        .filter(|v| !v.is_null());
    let s =
        |v: &serde_json::Value, p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
    let wheelhouse = match &raw {
        Some(w) if w.get("s3").is_some_and(|x| !x.is_null()) => WheelhouseSource::S3 {
            bucket: s(w, "/s3/bucket").unwrap_or_default(),
            key: s(w, "/s3/key").unwrap_or_default(),
            region: s(w, "/s3/region"),
            endpoint: s(w, "/s3/endpoint"),
        },
        Some(w) if w.get("pvc").is_some_and(|x| !x.is_null()) => WheelhouseSource::Pvc {
            claim_name: s(w, "/pvc/claimName").unwrap_or_default(),
            path: s(w, "/pvc/path").unwrap_or_else(|| "wheelhouse.tar.gz".into()),
        },
        _ => WheelhouseSource::Media,
    };
    Ok(Some(Resource {
        name: r.metadata.name,
        namespace: namespace.to_string(),
        maintenance_mode: r
            .spec
            .get("maintenanceMode")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        wheelhouse,
        raw_wheelhouse: raw,
    }))
}

/// The resource, required.
pub fn require_resource(kubectl: &Kubectl, namespace: &str) -> Result<Resource, ClusterError> {
    find_resource(kubectl, namespace)?.ok_or_else(|| ClusterError::NoResource {
        namespace: namespace.to_string(),
        command: kubectl.render(&args(&[
            "get",
            "netboxenterprises",
            "-n",
            namespace,
            "-o",
            "json",
        ])),
    })
}

impl ClusterInfo {
    /// The resource, required.
    pub fn require_resource(&self, kubectl: &Kubectl) -> Result<Resource, ClusterError> {
        self.resource
            .clone()
            .ok_or_else(|| ClusterError::NoResource {
                namespace: self.namespace.clone(),
                command: kubectl.render(&args(&[
                    "get",
                    "netboxenterprises",
                    "-n",
                    &self.namespace,
                    "-o",
                    "json",
                ])),
            })
    }
}

/// `nbwheel cluster info`.
pub fn info(kubectl: &Kubectl, namespace: Option<&str>) -> Result<ClusterInfo, ClusterError> {
    let (ns, pod) = find_pod(kubectl, namespace, UPLOAD_LABEL)?;
    let a = args(&["exec", "-n", &ns, &pod, "--", "python3", "-c", PROBE_SCRIPT]);
    let out = kubectl.read(&a)?;
    let probe: Probe = parse_json(kubectl, &a, out.trim())?;
    let architectures = node_architectures(kubectl)?;
    let resource = find_resource(kubectl, &ns)?;
    Ok(ClusterInfo {
        context: None,
        namespace: ns,
        pod,
        netbox_version: probe.netbox,
        python_version: probe.python,
        glibc_version: probe.glibc,
        architectures,
        resource,
    })
}

impl ClusterInfo {
    /// One target per node architecture, with the pod's exact Python and glibc.
    pub fn targets(&self) -> Result<Vec<Target>, ClusterError> {
        let bad = |reason: String| ClusterError::BadOutput {
            command: format!("python3 in pod `{}/{}`", self.namespace, self.pod),
            reason,
        };
        let glibc: Glibc = self
            .glibc_version
            .parse()
            .map_err(|e: String| bad(format!("glibc version: {e}")))?;
        let mut out = Vec::new();
        for arch in self.architectures.keys() {
            let arch: Arch = arch.parse().map_err(bad)?;
            let mut t = Target::new(arch);
            t.glibc = glibc;
            t.set_python(&self.python_version)
                .map_err(|e| bad(format!("Python version: {e}")))?;
            out.push(t);
        }
        out.sort_by_key(|t| t.arch);
        Ok(out)
    }

    /// The text `cluster info` prints.
    pub fn render(&self) -> String {
        let arches: Vec<String> = self
            .architectures
            .iter()
            .map(|(a, n)| format!("{a} ({n} node{})", if *n == 1 { "" } else { "s" }))
            .collect();
        let mut out = String::new();
        out.push_str(&format!(
            "Context:      {}\n",
            self.context.as_deref().unwrap_or("(current)")
        ));
        out.push_str(&format!("Pod:          {}/{}\n", self.namespace, self.pod));
        out.push_str(&format!(
            "NetBox:       {}\n",
            self.netbox_version.as_deref().unwrap_or("unknown")
        ));
        out.push_str(&format!("Python:       {}\n", self.python_version));
        out.push_str(&format!("glibc:        {}\n", self.glibc_version));
        out.push_str(&format!("Nodes:        {}\n", arches.join(", ")));
        match &self.resource {
            Some(r) => {
                out.push_str(&format!(
                    "Resource:     netboxenterprise/{} in `{}`{}\n",
                    r.name,
                    r.namespace,
                    if r.maintenance_mode {
                        " (maintenance mode)"
                    } else {
                        ""
                    }
                ));
                out.push_str(&format!("Wheelhouse:   {}\n", r.wheelhouse));
            }
            None => out.push_str("Resource:     none found\n"),
        }
        if let Ok(targets) = self.targets() {
            let t: Vec<String> = targets.iter().map(Target::short_description).collect();
            out.push_str(&format!("Targets:      {}\n", t.join(", ")));
        }
        out
    }
}

/// `nbwheel constraints pull`: the pod's `/opt/netbox/constraints.txt`.
pub fn pull_constraints(
    kubectl: &Kubectl,
    namespace: Option<&str>,
) -> Result<(String, String, String), ClusterError> {
    let (ns, pod) = find_pod(kubectl, namespace, UPLOAD_LABEL)?;
    let a = args(&["exec", "-n", &ns, &pod, "--", "cat", CONSTRAINTS_PATH]);
    let text = kubectl.read(&a)?;
    Ok((ns, pod, text))
}
