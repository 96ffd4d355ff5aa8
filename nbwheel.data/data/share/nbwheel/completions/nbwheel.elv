
use builtin;
use str;

set edit:completion:arg-completer[nbwheel] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'nbwheel'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'nbwheel'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Resolve, download, check and pack a wheelhouse archive'
            cand resolve 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading'
            cand verify 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside'
            cand inspect 'List an archive''s wheels with versions, tags, sizes and hashes'
            cand diff 'Show what changed between two archives: versions, files, NetBox plugins'
            cand cache 'Manage the download cache'
            cand cluster 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)'
            cand constraints 'Work with the base image''s `constraints.txt`'
            cand upload 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor''s steps'
            cand config 'Print the `customPythonConfig` that enables an archive''s plugins, and with `--patch` the patch that sets it'
            cand upgrade 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)'
            cand audit 'Check an archive''s (or the inputs'') pinned projects for known vulnerabilities, project status, yanks and licenses'
            cand sbom 'Write a CycloneDX 1.5 SBOM (JSON) of an archive'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;build'= {
            cand -r 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand --requirement 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand -c 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --constraint 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --arch 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`'
            cand --manylinux 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)'
            cand --python 'The target''s Python version, `3.12` or `3.12.N`'
            cand --platform 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable'
            cand --target-profile 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it'
            cand -i 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --index-url 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --extra-index-url 'An extra index URL, searched before `--index-url`, in the order given; repeatable'
            cand -f 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --find-links 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --index-strategy 'How projects on several indexes are treated'
            cand --private-prefix 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable'
            cand --uploaded-prior-to 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)'
            cand --cache-dir 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)'
            cand -j 'Maximum number of concurrent downloads'
            cand --jobs 'Maximum number of concurrent downloads'
            cand --timeout 'Seconds to wait for a connection, and for more data during a transfer'
            cand --retries 'How many times to retry after a transient network failure'
            cand --cert 'A PEM file of CA certificates to trust besides the system store (a private CA)'
            cand --client-cert 'A PEM file with a client certificate and key, for mutual TLS'
            cand --private-index 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable'
            cand --max-wheel-size 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)'
            cand --max-request-time 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this'
            cand -o 'The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for several architectures)'
            cand --output 'The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for several architectures)'
            cand --compression-level 'The archive''s gzip level, 0-9 (wheels are already compressed, so a low level loses little)'
            cand --lock 'Rebuild exactly the wheels of this PEP 751 lock (e.g. an archive''s `pylock.toml`) without resolving; offline when they are cached'
            cand --allow-invalid-record 'A project whose wheels are accepted even when their RECORD file is wrong; repeatable'
            cand --netbox 'The NetBox release the plugins will run on: plugin versions whose `min_version` or `max_version` exclude it are not chosen'
            cand --format 'Output format'
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --local 'A local project directory to build into a wheel and include; repeatable'
            cand --build-frontend 'The PEP 517 frontend for local projects (default: the first of `uv`, `build`, `pip` found)'
            cand --sbom 'Also write a CycloneDX SBOM of the archive to FILE (`-<arch>` added per architecture when several archives are written)'
            cand --vulnerability-service 'The vulnerability service'
            cand --vulnerability-url 'The service''s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)'
            cand --osv-db 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV''s `PyPI/all.zip`'
            cand --ignore 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable'
            cand --allow-license 'An allowed license (SPDX id), for `--licenses`; repeatable'
            cand --allow-sdist 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend''s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --allow-linux-tag 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
            cand --no-index 'Use no index, only `--find-links` sources'
            cand --pre 'Allow pre-release versions'
            cand --require-hashes 'Require a `--hash` for every requirement (pip''s hash-checking mode)'
            cand --strict 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
            cand --no-cache 'Do not read or write the cache (a temporary one is used for the run)'
            cand --offline 'Use only the cache; fail naming what is missing'
            cand --from-cluster 'Take the target and constraints from the cluster: every node architecture, the pod''s Python and glibc, its `constraints.txt`, its NetBox version'
            cand --merge 'Write one archive holding every architecture''s wheels (pure-Python wheels only once)'
            cand --audit 'Audit each archive written (as `nbwheel audit`); findings make the exit code 1'
            cand --licenses 'Also list projects whose license is unknown or not allowed'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;resolve'= {
            cand -r 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand --requirement 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand -c 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --constraint 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --arch 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`'
            cand --manylinux 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)'
            cand --python 'The target''s Python version, `3.12` or `3.12.N`'
            cand --platform 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable'
            cand --target-profile 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it'
            cand -i 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --index-url 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --extra-index-url 'An extra index URL, searched before `--index-url`, in the order given; repeatable'
            cand -f 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --find-links 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --index-strategy 'How projects on several indexes are treated'
            cand --private-prefix 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable'
            cand --uploaded-prior-to 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)'
            cand --cache-dir 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)'
            cand -j 'Maximum number of concurrent downloads'
            cand --jobs 'Maximum number of concurrent downloads'
            cand --timeout 'Seconds to wait for a connection, and for more data during a transfer'
            cand --retries 'How many times to retry after a transient network failure'
            cand --cert 'A PEM file of CA certificates to trust besides the system store (a private CA)'
            cand --client-cert 'A PEM file with a client certificate and key, for mutual TLS'
            cand --private-index 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable'
            cand --max-wheel-size 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)'
            cand --max-request-time 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this'
            cand --format 'Output format'
            cand --allow-sdist 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend''s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --allow-linux-tag 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
            cand --no-index 'Use no index, only `--find-links` sources'
            cand --pre 'Allow pre-release versions'
            cand --require-hashes 'Require a `--hash` for every requirement (pip''s hash-checking mode)'
            cand --strict 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
            cand --no-cache 'Do not read or write the cache (a temporary one is used for the run)'
            cand --offline 'Use only the cache; fail naming what is missing'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;verify'= {
            cand --arch 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`'
            cand --manylinux 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)'
            cand --python 'The target''s Python version, `3.12` or `3.12.N`'
            cand --platform 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable'
            cand --target-profile 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it'
            cand --netbox 'The NetBox release: fail when a plugin''s `min_version` or `max_version` excludes it'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --allow-linux-tag 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;inspect'= {
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;diff'= {
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;cache'= {
            cand --cache-dir 'The cache directory'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
            cand dir 'Print the cache directory'
            cand clean 'Remove everything in the cache'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;cache;dir'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;cache;clean'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;cache;help'= {
            cand dir 'Print the cache directory'
            cand clean 'Remove everything in the cache'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;cache;help;dir'= {
        }
        &'nbwheel;cache;help;clean'= {
        }
        &'nbwheel;cache;help;help'= {
        }
        &'nbwheel;cluster'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
            cand info 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source'
            cand check 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;cluster;info'= {
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;cluster;check'= {
            cand --archive 'The archive that was uploaded (its plugins and versions are checked in the pod); without it only pod health and the install log are checked'
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --timeout 'Seconds each `kubectl` command may take'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;cluster;help'= {
            cand info 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source'
            cand check 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;cluster;help;info'= {
        }
        &'nbwheel;cluster;help;check'= {
        }
        &'nbwheel;cluster;help;help'= {
        }
        &'nbwheel;constraints'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
            cand pull 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;constraints;pull'= {
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand -o 'Where to write it (`-` for stdout)'
            cand --output 'Where to write it (`-` for stdout)'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;constraints;help'= {
            cand pull 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;constraints;help;pull'= {
        }
        &'nbwheel;constraints;help;help'= {
        }
        &'nbwheel;upload'= {
            cand --to 'Where to upload: `media` (the pod''s media directory), `pvc` or `s3://BUCKET/KEY`'
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --timeout 'Seconds to wait for the maintenance pod and for restarts'
            cand --endpoint-url 'The S3 endpoint URL, for S3-compatible stores'
            cand --region 'The S3 region (default: `AWS_REGION`, the profile''s, or `us-east-1`)'
            cand --profile 'The AWS shared-config profile (default: `AWS_PROFILE` or `default`)'
            cand --part-size 'Part size for multipart uploads, in MiB (at least 5); files larger than one part are sent in parts'
            cand --cert 'A PEM file of CA certificates to trust for S3 besides the system store (a private CA)'
            cand --client-cert 'A PEM file with a client certificate and key, for mutual TLS with S3'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --restart 'Restart the web and worker deployments afterwards and wait for them'
            cand --dry-run 'Print every command and request without changing anything'
            cand --no-verify 'Do not verify the archive for the cluster''s target first'
            cand --rollback 'Put the previous archive back (kept aside by the last upload)'
            cand --check 'After `--restart`, run `nbwheel cluster check` on the uploaded archive'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;config'= {
            cand --source 'The wheelhouse source to configure in the patch: `media`, `pvc` or `s3://BUCKET/KEY`'
            cand --name 'The NetBoxEnterprise resource''s name, for the patch'
            cand -n 'The namespace, for the patch'
            cand --namespace 'The namespace, for the patch'
            cand --region 'S3 region, for the patch'
            cand --endpoint-url 'S3 endpoint, for the patch'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --patch 'Also print the `kubectl patch netboxenterprise … --type merge` command'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;upgrade'= {
            cand -r 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand --requirement 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand -c 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --constraint 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --arch 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`'
            cand --manylinux 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)'
            cand --python 'The target''s Python version, `3.12` or `3.12.N`'
            cand --platform 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable'
            cand --target-profile 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it'
            cand -i 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --index-url 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --extra-index-url 'An extra index URL, searched before `--index-url`, in the order given; repeatable'
            cand -f 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --find-links 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --index-strategy 'How projects on several indexes are treated'
            cand --private-prefix 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable'
            cand --uploaded-prior-to 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)'
            cand --cache-dir 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)'
            cand -j 'Maximum number of concurrent downloads'
            cand --jobs 'Maximum number of concurrent downloads'
            cand --timeout 'Seconds to wait for a connection, and for more data during a transfer'
            cand --retries 'How many times to retry after a transient network failure'
            cand --cert 'A PEM file of CA certificates to trust besides the system store (a private CA)'
            cand --client-cert 'A PEM file with a client certificate and key, for mutual TLS'
            cand --private-index 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable'
            cand --max-wheel-size 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)'
            cand --max-request-time 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this'
            cand --netbox 'The NetBox release to plan for (default: the cluster''s with `--from-cluster`, else a `netbox==X` constraint, else plugins are not checked against a release)'
            cand --context 'The kubeconfig context (default: the current one)'
            cand -n 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --namespace 'The namespace of NetBox Enterprise (default: search all namespaces)'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --allow-linux-tag 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
            cand --no-index 'Use no index, only `--find-links` sources'
            cand --pre 'Allow pre-release versions'
            cand --require-hashes 'Require a `--hash` for every requirement (pip''s hash-checking mode)'
            cand --strict 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
            cand --no-cache 'Do not read or write the cache (a temporary one is used for the run)'
            cand --offline 'Use only the cache; fail naming what is missing'
            cand --from-cluster 'Take the target, constraints and NetBox release from the cluster'
            cand --write 'Rewrite the pins in the requirements file in place'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;audit'= {
            cand -r 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand --requirement 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)'
            cand -c 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --constraint 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)'
            cand --arch 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`'
            cand --manylinux 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)'
            cand --python 'The target''s Python version, `3.12` or `3.12.N`'
            cand --platform 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable'
            cand --target-profile 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it'
            cand -i 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --index-url 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index'
            cand --extra-index-url 'An extra index URL, searched before `--index-url`, in the order given; repeatable'
            cand -f 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --find-links 'A folder of wheels or a URL of a flat HTML page of links; repeatable'
            cand --index-strategy 'How projects on several indexes are treated'
            cand --private-prefix 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable'
            cand --uploaded-prior-to 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)'
            cand --cache-dir 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)'
            cand -j 'Maximum number of concurrent downloads'
            cand --jobs 'Maximum number of concurrent downloads'
            cand --timeout 'Seconds to wait for a connection, and for more data during a transfer'
            cand --retries 'How many times to retry after a transient network failure'
            cand --cert 'A PEM file of CA certificates to trust besides the system store (a private CA)'
            cand --client-cert 'A PEM file with a client certificate and key, for mutual TLS'
            cand --private-index 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable'
            cand --max-wheel-size 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)'
            cand --max-request-time 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this'
            cand --vulnerability-service 'The vulnerability service'
            cand --vulnerability-url 'The service''s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)'
            cand --osv-db 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV''s `PyPI/all.zip`'
            cand --ignore 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable'
            cand --allow-license 'An allowed license (SPDX id), for `--licenses`; repeatable'
            cand --format 'Output format'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand --allow-linux-tag 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
            cand --no-index 'Use no index, only `--find-links` sources'
            cand --pre 'Allow pre-release versions'
            cand --require-hashes 'Require a `--hash` for every requirement (pip''s hash-checking mode)'
            cand --strict 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
            cand --no-cache 'Do not read or write the cache (a temporary one is used for the run)'
            cand --offline 'Use only the cache; fail naming what is missing'
            cand --licenses 'Also list projects whose license is unknown or not allowed'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nbwheel;sbom'= {
            cand -o 'Where to write the SBOM (default: stdout)'
            cand --output 'Where to write the SBOM (default: stdout)'
            cand --netbox 'The NetBox release the archive is for, recorded in the metadata'
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;completions'= {
            cand --config 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table'
            cand -q 'Print less: no progress bars, only errors and data'
            cand --quiet 'Print less: no progress bars, only errors and data'
            cand -v 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --verbose 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
            cand --no-config 'Read no configuration file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nbwheel;help'= {
            cand build 'Resolve, download, check and pack a wheelhouse archive'
            cand resolve 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading'
            cand verify 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside'
            cand inspect 'List an archive''s wheels with versions, tags, sizes and hashes'
            cand diff 'Show what changed between two archives: versions, files, NetBox plugins'
            cand cache 'Manage the download cache'
            cand cluster 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)'
            cand constraints 'Work with the base image''s `constraints.txt`'
            cand upload 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor''s steps'
            cand config 'Print the `customPythonConfig` that enables an archive''s plugins, and with `--patch` the patch that sets it'
            cand upgrade 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)'
            cand audit 'Check an archive''s (or the inputs'') pinned projects for known vulnerabilities, project status, yanks and licenses'
            cand sbom 'Write a CycloneDX 1.5 SBOM (JSON) of an archive'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nbwheel;help;build'= {
        }
        &'nbwheel;help;resolve'= {
        }
        &'nbwheel;help;verify'= {
        }
        &'nbwheel;help;inspect'= {
        }
        &'nbwheel;help;diff'= {
        }
        &'nbwheel;help;cache'= {
            cand dir 'Print the cache directory'
            cand clean 'Remove everything in the cache'
        }
        &'nbwheel;help;cache;dir'= {
        }
        &'nbwheel;help;cache;clean'= {
        }
        &'nbwheel;help;cluster'= {
            cand info 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source'
            cand check 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`'
        }
        &'nbwheel;help;cluster;info'= {
        }
        &'nbwheel;help;cluster;check'= {
        }
        &'nbwheel;help;constraints'= {
            cand pull 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
        }
        &'nbwheel;help;constraints;pull'= {
        }
        &'nbwheel;help;upload'= {
        }
        &'nbwheel;help;config'= {
        }
        &'nbwheel;help;upgrade'= {
        }
        &'nbwheel;help;audit'= {
        }
        &'nbwheel;help;sbom'= {
        }
        &'nbwheel;help;completions'= {
        }
        &'nbwheel;help;help'= {
        }
    ]
    $completions[$command]
}
