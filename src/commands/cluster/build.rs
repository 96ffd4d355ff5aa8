//! `nbwheel build --from-cluster`: build settings whose target and constraints come from the
//! cluster.
//!
//! Input: the `build` flags. Output: [`BuildSettings`] with one target per node architecture
//! (the pod's exact Python and glibc), the pod's `constraints.txt` (in a temp file kept alive by
//! the returned [`FromCluster`]), `merge` set when the nodes have several architectures, and the
//! pod's `NetBox` version for the plugin gate.

use std::path::Path;

use super::{ClusterInfo, Kubectl};
use crate::cli::BuildArgs;
use crate::commands::Error;
use crate::commands::settings::{BuildSettings, output_paths};

/// What the cluster gave the build; keep it alive until the build is done.
#[derive(Debug)]
pub struct FromCluster {
    /// What was read.
    pub info: ClusterInfo,
    /// The folder holding the pulled `constraints.txt`.
    pub dir: tempfile::TempDir,
}

/// The build settings for `--from-cluster`.
pub fn settings(
    args: &BuildArgs,
    cwd: &Path,
    kubectl: &Kubectl,
) -> Result<(BuildSettings, FromCluster), Error> {
    let t = &args.input.target;
    if t.arch.is_some() || t.python.is_some() || t.manylinux.is_some() || !t.platform.is_empty() {
        return Err(Error::usage(
            "`--from-cluster` takes the target from the cluster: it cannot be combined with `--arch`, `--python`, `--manylinux` or `--platform`",
            Some("Drop the target flags, or drop `--from-cluster` and give the whole target by hand.".into()),
        ));
    }
    let mut info = super::info(kubectl, args.cluster.namespace.as_deref())?;
    info.context.clone_from(&args.cluster.context);
    let (_, _, text) = super::pull_constraints(kubectl, Some(&info.namespace))?;
    let dir = tempfile::Builder::new()
        .prefix("nbwheel-cluster-")
        .tempdir()
        .map_err(|e| Error::io("Failed to create a temp folder in", std::env::temp_dir(), e))?;
    let constraints = dir.path().join("constraints.txt");
    std::fs::write(&constraints, text.as_bytes())
        .map_err(|e| Error::io("Failed to write", &constraints, e))?;

    let mut input = args.input.clone();
    // The pod's constraints replace a default `constraints.txt`; explicit `-c` files are kept.
    input.constraints.push(constraints);
    let patched = BuildArgs {
        input,
        output: args.output.clone(),
        compression_level: args.compression_level,
        allow_invalid_record: args.allow_invalid_record.clone(),
        allow_sdist: args.allow_sdist.clone(),
        lock: args.lock.clone(),
        netbox: args.netbox.clone(),
        format: args.format,
        from_cluster: true,
        cluster: args.cluster.clone(),
        merge: args.merge,
        local: args.local.clone(),
        build_frontend: args.build_frontend,
        audit: args.audit,
        sbom: args.sbom.clone(),
        advisory: args.advisory.clone(),
    };
    let mut settings = BuildSettings::from_args(&patched, cwd)?;
    settings.input.targets = info.targets()?;
    settings.merge = args.merge || settings.input.targets.len() > 1;
    let targets = if settings.merge {
        &settings.input.targets[..1]
    } else {
        &settings.input.targets[..]
    };
    settings.outputs = output_paths(args.output.as_deref(), targets);
    settings.netbox_version.clone_from(&info.netbox_version);
    Ok((settings, FromCluster { info, dir }))
}
