//! Why talking to the cluster failed, with the exit code and hint of each failure.

use crate::exit::ExitCode;

/// Why talking to the cluster failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// `kubectl` is not installed.
    #[error("`{program}` was not found on `PATH`")]
    KubectlNotFound {
        /// The program looked for.
        program: String,
    },
    /// `kubectl` could not be started.
    #[error("Failed to run `{command}`")]
    Spawn {
        /// The command line.
        command: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The cluster cannot be reached or refuses the credentials.
    #[error("No access to the cluster: `{command}` failed: {stderr}")]
    NoAccess {
        /// The command line.
        command: String,
        /// What kubectl said.
        stderr: String,
    },
    /// A kubectl command failed.
    #[error("`{command}` failed{}: {stderr}", status.map_or_else(String::new, |s| format!(" with exit code {s}")))]
    CommandFailed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: Option<i32>,
        /// What kubectl said.
        stderr: String,
    },
    /// A wait ran out of time.
    #[error("Timed out: `{command}`: {stderr}")]
    Timeout {
        /// The command line.
        command: String,
        /// What kubectl said.
        stderr: String,
    },
    /// kubectl printed something nbwheel cannot read.
    #[error("Unexpected output from `{command}`: {reason}")]
    BadOutput {
        /// The command line.
        command: String,
        /// What is wrong.
        reason: String,
    },
    /// No pod carries the upload label.
    #[error("No pod with the label `{label}` in {scope} (`{command}`)")]
    NoPod {
        /// The label selector.
        label: String,
        /// `any namespace` or the namespace named.
        scope: String,
        /// The command line.
        command: String,
    },
    /// Pods with the label in several namespaces: which `NetBox` is meant is unclear.
    #[error("`NetBox` pods with the upload label in several namespaces: {}", namespaces.join(", "))]
    SeveralNamespaces {
        /// The namespaces.
        namespaces: Vec<String>,
    },
    /// Several `NetBoxEnterprise` resources in the namespace.
    #[error("Several `NetBoxEnterprise` resources in namespace `{namespace}`: {}", names.join(", "))]
    SeveralResources {
        /// The namespace.
        namespace: String,
        /// Their names.
        names: Vec<String>,
    },
    /// No `NetBoxEnterprise` resource in the namespace.
    #[error("No `NetBoxEnterprise` resource in namespace `{namespace}` (`{command}`)")]
    NoResource {
        /// The namespace.
        namespace: String,
        /// The command line.
        command: String,
    },
    /// A node runs an architecture nbwheel cannot build for.
    #[error(
        "Node `{node}` has the architecture `{arch}`, which has no manylinux wheels nbwheel can build"
    )]
    UnsupportedArch {
        /// The node.
        node: String,
        /// Its architecture as Kubernetes reports it.
        arch: String,
    },
    /// The archive lacks wheels for a node architecture.
    #[error("The archive `{archive}` is built for {has}, but the cluster has `{arch}` nodes")]
    ArchMissing {
        /// The archive.
        archive: String,
        /// The missing architecture.
        arch: String,
        /// What the archive holds.
        has: String,
    },
    /// The user pressed Ctrl-C.
    #[error("Interrupted; the cluster was restored as far as possible")]
    Interrupted,
}

impl ClusterError {
    /// The documented exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ClusterError::KubectlNotFound { .. } | ClusterError::Spawn { .. } => {
                ExitCode::Environment
            }
            ClusterError::NoAccess { .. }
            | ClusterError::CommandFailed { .. }
            | ClusterError::Timeout { .. }
            | ClusterError::BadOutput { .. } => ExitCode::Network,
            ClusterError::NoPod { .. }
            | ClusterError::NoResource { .. }
            | ClusterError::UnsupportedArch { .. }
            | ClusterError::ArchMissing { .. } => ExitCode::NoSolution,
            ClusterError::SeveralNamespaces { .. } | ClusterError::SeveralResources { .. } => {
                ExitCode::Usage
            }
            ClusterError::Interrupted => ExitCode::Interrupted,
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ClusterError::KubectlNotFound { .. } => "Install `kubectl` (https://kubernetes.io/docs/tasks/tools/) or point `NBWHEEL_KUBECTL` at it.".into(),
            ClusterError::Spawn { .. } => "Check that `kubectl` is executable.".into(),
            ClusterError::NoAccess { .. } => "Check `kubectl config current-context` and your credentials, or pass `--context`; the command above must work on its own.".into(),
            ClusterError::CommandFailed { .. } => "Run the command above by hand to see why it fails.".into(),
            ClusterError::Timeout { .. } => "The cluster was left as it was found. Check the operator's logs and the pod's events (`kubectl describe pod`), then retry, or raise `--timeout`.".into(),
            ClusterError::BadOutput { .. } => "Check that `kubectl` is a real kubectl and the cluster runs NetBox Enterprise.".into(),
            ClusterError::NoPod { .. } => "Check the namespace (`-n`) and context (`--context`), and that NetBox Enterprise is running: `kubectl get pods -A -l com.netboxlabs.netbox-enterprise/custom-plugins-upload=true`.".into(),
            ClusterError::SeveralNamespaces { .. } | ClusterError::SeveralResources { .. } => "Choose one with `-n NAMESPACE`.".into(),
            ClusterError::NoResource { .. } => "Check that the NetBox Enterprise operator manages this namespace: `kubectl get netboxenterprises -A`.".into(),
            ClusterError::UnsupportedArch { .. } => "Only `amd64` (x86_64) and `arm64` (aarch64) nodes are supported.".into(),
            ClusterError::ArchMissing { .. } => "Rebuild for every node architecture: `nbwheel build --from-cluster` (or `--arch x86_64,aarch64 --merge`).".into(),
            ClusterError::Interrupted => return None,
        })
    }
}
