# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nbwheel_global_optspecs
    string join \n q/quiet v/verbose config= no-config h/help V/version
end

function __fish_nbwheel_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_nbwheel_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_nbwheel_using_subcommand
    set -l cmd (__fish_nbwheel_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c nbwheel -n "__fish_nbwheel_needs_command" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_needs_command" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -s V -l version -d 'Print version'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "build" -d 'Resolve, download, check and pack a wheelhouse archive'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "resolve" -d 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "verify" -d 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "inspect" -d 'List an archive\'s wheels with versions, tags, sizes and hashes'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "diff" -d 'Show what changed between two archives: versions, files, NetBox plugins'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "cache" -d 'Manage the download cache'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "cluster" -d 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "constraints" -d 'Work with the base image\'s `constraints.txt`'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "upload" -d 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor\'s steps'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "config" -d 'Print the `customPythonConfig` that enables an archive\'s plugins, and with `--patch` the patch that sets it'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "upgrade" -d 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "audit" -d 'Check an archive\'s (or the inputs\') pinned projects for known vulnerabilities, project status, yanks and licenses'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "sbom" -d 'Write a CycloneDX 1.5 SBOM (JSON) of an archive'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c nbwheel -n "__fish_nbwheel_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s r -l requirement -d 'A requirements file in pip\'s format; repeatable (default: `requirements.txt`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s c -l constraint -d 'A constraints file in pip\'s format; repeatable (default: `constraints.txt` when present)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l arch -d 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l manylinux -d 'The target\'s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor\'s documented floor)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l python -d 'The target\'s Python version, `3.12` or `3.12.N`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l platform -d 'pip\'s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l target-profile -d 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s i -l index-url -d 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l extra-index-url -d 'An extra index URL, searched before `--index-url`, in the order given; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s f -l find-links -d 'A folder of wheels or a URL of a flat HTML page of links; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l index-strategy -d 'How projects on several indexes are treated' -r -f -a "first-index\t'Take a project only from the first index that has it (safe default)'
unsafe-best-match\t'Merge the files of every index and pick the best version (pip\'s behaviour)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l private-prefix -d 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l uploaded-prior-to -d 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l cache-dir -d 'The cache directory (default: `nbwheel` in the user\'s cache directory, e.g. `~/.cache/nbwheel`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s j -l jobs -d 'Maximum number of concurrent downloads' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l timeout -d 'Seconds to wait for a connection, and for more data during a transfer' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l retries -d 'How many times to retry after a transient network failure' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l cert -d 'A PEM file of CA certificates to trust besides the system store (a private CA)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l client-cert -d 'A PEM file with a client certificate and key, for mutual TLS' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l private-index -d 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l max-wheel-size -d 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l max-request-time -d 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s o -l output -d 'The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for several architectures)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l compression-level -d 'The archive\'s gzip level, 0-9 (wheels are already compressed, so a low level loses little)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l lock -d 'Rebuild exactly the wheels of this PEP 751 lock (e.g. an archive\'s `pylock.toml`) without resolving; offline when they are cached' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l allow-invalid-record -d 'A project whose wheels are accepted even when their RECORD file is wrong; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l netbox -d 'The NetBox release the plugins will run on: plugin versions whose `min_version` or `max_version` exclude it are not chosen' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l local -d 'A local project directory to build into a wheel and include; repeatable' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l build-frontend -d 'The PEP 517 frontend for local projects (default: the first of `uv`, `build`, `pip` found)' -r -f -a "uv\t'`uv build --wheel`'
build\t'`python3 -m build --wheel`'
pip\t'`pip wheel --no-deps`'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l sbom -d 'Also write a CycloneDX SBOM of the archive to FILE (`-<arch>` added per architecture when several archives are written)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l vulnerability-service -d 'The vulnerability service' -r -f -a "osv\t'The OSV API (`/v1/querybatch`, `/v1/vulns/ID`)'
pypi\t'The `PyPI` JSON API (`/pypi/NAME/VERSION/json`)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l vulnerability-url -d 'The service\'s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l osv-db -d 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV\'s `PyPI/all.zip`' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l ignore -d 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l allow-license -d 'An allowed license (SPDX id), for `--licenses`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l allow-sdist -d 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend\'s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l allow-linux-tag -d 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l no-index -d 'Use no index, only `--find-links` sources'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l pre -d 'Allow pre-release versions'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l require-hashes -d 'Require a `--hash` for every requirement (pip\'s hash-checking mode)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l strict -d 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l no-cache -d 'Do not read or write the cache (a temporary one is used for the run)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l offline -d 'Use only the cache; fail naming what is missing'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l from-cluster -d 'Take the target and constraints from the cluster: every node architecture, the pod\'s Python and glibc, its `constraints.txt`, its NetBox version'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l merge -d 'Write one archive holding every architecture\'s wheels (pure-Python wheels only once)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l audit -d 'Audit each archive written (as `nbwheel audit`); findings make the exit code 1'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l licenses -d 'Also list projects whose license is unknown or not allowed'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s r -l requirement -d 'A requirements file in pip\'s format; repeatable (default: `requirements.txt`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s c -l constraint -d 'A constraints file in pip\'s format; repeatable (default: `constraints.txt` when present)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l arch -d 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l manylinux -d 'The target\'s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor\'s documented floor)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l python -d 'The target\'s Python version, `3.12` or `3.12.N`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l platform -d 'pip\'s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l target-profile -d 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s i -l index-url -d 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l extra-index-url -d 'An extra index URL, searched before `--index-url`, in the order given; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s f -l find-links -d 'A folder of wheels or a URL of a flat HTML page of links; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l index-strategy -d 'How projects on several indexes are treated' -r -f -a "first-index\t'Take a project only from the first index that has it (safe default)'
unsafe-best-match\t'Merge the files of every index and pick the best version (pip\'s behaviour)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l private-prefix -d 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l uploaded-prior-to -d 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l cache-dir -d 'The cache directory (default: `nbwheel` in the user\'s cache directory, e.g. `~/.cache/nbwheel`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s j -l jobs -d 'Maximum number of concurrent downloads' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l timeout -d 'Seconds to wait for a connection, and for more data during a transfer' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l retries -d 'How many times to retry after a transient network failure' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l cert -d 'A PEM file of CA certificates to trust besides the system store (a private CA)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l client-cert -d 'A PEM file with a client certificate and key, for mutual TLS' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l private-index -d 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l max-wheel-size -d 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l max-request-time -d 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l allow-sdist -d 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend\'s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l allow-linux-tag -d 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l no-index -d 'Use no index, only `--find-links` sources'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l pre -d 'Allow pre-release versions'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l require-hashes -d 'Require a `--hash` for every requirement (pip\'s hash-checking mode)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l strict -d 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l no-cache -d 'Do not read or write the cache (a temporary one is used for the run)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l offline -d 'Use only the cache; fail naming what is missing'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l arch -d 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l manylinux -d 'The target\'s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor\'s documented floor)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l python -d 'The target\'s Python version, `3.12` or `3.12.N`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l platform -d 'pip\'s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l target-profile -d 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l netbox -d 'The NetBox release: fail when a plugin\'s `min_version` or `max_version` excludes it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l allow-linux-tag -d 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l cache-dir -d 'The cache directory' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "dir" -d 'Print the cache directory'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "clean" -d 'Remove everything in the cache'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from dir" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from dir" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from dir" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from dir" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from dir" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from clean" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from clean" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from clean" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from clean" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from clean" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "dir" -d 'Print the cache directory'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clean" -d 'Remove everything in the cache'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -f -a "info" -d 'Print the cluster\'s NetBox, Python and glibc versions, node architectures and wheelhouse source'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -f -a "check" -d 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive\'s version and is in `PLUGINS`'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and not __fish_seen_subcommand_from info check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l archive -d 'The archive that was uploaded (its plugins and versions are checked in the pod); without it only pod health and the install log are checked' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l timeout -d 'Seconds each `kubectl` command may take' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "info" -d 'Print the cluster\'s NetBox, Python and glibc versions, node architectures and wheelhouse source'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "check" -d 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive\'s version and is in `PLUGINS`'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -f -a "pull" -d 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and not __fish_seen_subcommand_from pull help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -s o -l output -d 'Where to write it (`-` for stdout)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand constraints; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l to -d 'Where to upload: `media` (the pod\'s media directory), `pvc` or `s3://BUCKET/KEY`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l timeout -d 'Seconds to wait for the maintenance pod and for restarts' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l endpoint-url -d 'The S3 endpoint URL, for S3-compatible stores' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l region -d 'The S3 region (default: `AWS_REGION`, the profile\'s, or `us-east-1`)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l profile -d 'The AWS shared-config profile (default: `AWS_PROFILE` or `default`)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l part-size -d 'Part size for multipart uploads, in MiB (at least 5); files larger than one part are sent in parts' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l cert -d 'A PEM file of CA certificates to trust for S3 besides the system store (a private CA)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l client-cert -d 'A PEM file with a client certificate and key, for mutual TLS with S3' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l restart -d 'Restart the web and worker deployments afterwards and wait for them'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l dry-run -d 'Print every command and request without changing anything'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l no-verify -d 'Do not verify the archive for the cluster\'s target first'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l rollback -d 'Put the previous archive back (kept aside by the last upload)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l check -d 'After `--restart`, run `nbwheel cluster check` on the uploaded archive'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upload" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l source -d 'The wheelhouse source to configure in the patch: `media`, `pvc` or `s3://BUCKET/KEY`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l name -d 'The NetBoxEnterprise resource\'s name, for the patch' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -s n -l namespace -d 'The namespace, for the patch' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l region -d 'S3 region, for the patch' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l endpoint-url -d 'S3 endpoint, for the patch' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l patch -d 'Also print the `kubectl patch netboxenterprise … --type merge` command'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s r -l requirement -d 'A requirements file in pip\'s format; repeatable (default: `requirements.txt`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s c -l constraint -d 'A constraints file in pip\'s format; repeatable (default: `constraints.txt` when present)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l arch -d 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l manylinux -d 'The target\'s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor\'s documented floor)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l python -d 'The target\'s Python version, `3.12` or `3.12.N`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l platform -d 'pip\'s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l target-profile -d 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s i -l index-url -d 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l extra-index-url -d 'An extra index URL, searched before `--index-url`, in the order given; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s f -l find-links -d 'A folder of wheels or a URL of a flat HTML page of links; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l index-strategy -d 'How projects on several indexes are treated' -r -f -a "first-index\t'Take a project only from the first index that has it (safe default)'
unsafe-best-match\t'Merge the files of every index and pick the best version (pip\'s behaviour)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l private-prefix -d 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l uploaded-prior-to -d 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l cache-dir -d 'The cache directory (default: `nbwheel` in the user\'s cache directory, e.g. `~/.cache/nbwheel`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s j -l jobs -d 'Maximum number of concurrent downloads' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l timeout -d 'Seconds to wait for a connection, and for more data during a transfer' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l retries -d 'How many times to retry after a transient network failure' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l cert -d 'A PEM file of CA certificates to trust besides the system store (a private CA)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l client-cert -d 'A PEM file with a client certificate and key, for mutual TLS' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l private-index -d 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l max-wheel-size -d 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l max-request-time -d 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l netbox -d 'The NetBox release to plan for (default: the cluster\'s with `--from-cluster`, else a `netbox==X` constraint, else plugins are not checked against a release)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l context -d 'The kubeconfig context (default: the current one)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s n -l namespace -d 'The namespace of NetBox Enterprise (default: search all namespaces)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l allow-linux-tag -d 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l no-index -d 'Use no index, only `--find-links` sources'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l pre -d 'Allow pre-release versions'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l require-hashes -d 'Require a `--hash` for every requirement (pip\'s hash-checking mode)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l strict -d 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l no-cache -d 'Do not read or write the cache (a temporary one is used for the run)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l offline -d 'Use only the cache; fail naming what is missing'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l from-cluster -d 'Take the target, constraints and NetBox release from the cluster'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l write -d 'Rewrite the pins in the requirements file in place'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand upgrade" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s r -l requirement -d 'A requirements file in pip\'s format; repeatable (default: `requirements.txt`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s c -l constraint -d 'A constraints file in pip\'s format; repeatable (default: `constraints.txt` when present)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l arch -d 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l manylinux -d 'The target\'s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor\'s documented floor)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l python -d 'The target\'s Python version, `3.12` or `3.12.N`' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l platform -d 'pip\'s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l target-profile -d 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s i -l index-url -d 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l extra-index-url -d 'An extra index URL, searched before `--index-url`, in the order given; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s f -l find-links -d 'A folder of wheels or a URL of a flat HTML page of links; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l index-strategy -d 'How projects on several indexes are treated' -r -f -a "first-index\t'Take a project only from the first index that has it (safe default)'
unsafe-best-match\t'Merge the files of every index and pick the best version (pip\'s behaviour)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l private-prefix -d 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l uploaded-prior-to -d 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l cache-dir -d 'The cache directory (default: `nbwheel` in the user\'s cache directory, e.g. `~/.cache/nbwheel`)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s j -l jobs -d 'Maximum number of concurrent downloads' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l timeout -d 'Seconds to wait for a connection, and for more data during a transfer' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l retries -d 'How many times to retry after a transient network failure' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l cert -d 'A PEM file of CA certificates to trust besides the system store (a private CA)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l client-cert -d 'A PEM file with a client certificate and key, for mutual TLS' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l private-index -d 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l max-wheel-size -d 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l max-request-time -d 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l vulnerability-service -d 'The vulnerability service' -r -f -a "osv\t'The OSV API (`/v1/querybatch`, `/v1/vulns/ID`)'
pypi\t'The `PyPI` JSON API (`/pypi/NAME/VERSION/json`)'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l vulnerability-url -d 'The service\'s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l osv-db -d 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV\'s `PyPI/all.zip`' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l ignore -d 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l allow-license -d 'An allowed license (SPDX id), for `--licenses`; repeatable' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l format -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'One JSON document on stdout'"
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l allow-linux-tag -d 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l no-index -d 'Use no index, only `--find-links` sources'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l pre -d 'Allow pre-release versions'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l require-hashes -d 'Require a `--hash` for every requirement (pip\'s hash-checking mode)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l strict -d 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l no-cache -d 'Do not read or write the cache (a temporary one is used for the run)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l offline -d 'Use only the cache; fail naming what is missing'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l licenses -d 'Also list projects whose license is unknown or not allowed'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -s o -l output -d 'Where to write the SBOM (default: stdout)' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -l netbox -d 'The NetBox release the archive is for, recorded in the metadata' -r
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand sbom" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand completions" -l config -d 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table' -r -F
complete -c nbwheel -n "__fish_nbwheel_using_subcommand completions" -s q -l quiet -d 'Print less: no progress bars, only errors and data'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand completions" -s v -l verbose -d 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand completions" -l no-config -d 'Read no configuration file'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand completions" -s h -l help -d 'Print help'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "build" -d 'Resolve, download, check and pack a wheelhouse archive'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "resolve" -d 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "verify" -d 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "inspect" -d 'List an archive\'s wheels with versions, tags, sizes and hashes'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "diff" -d 'Show what changed between two archives: versions, files, NetBox plugins'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "cache" -d 'Manage the download cache'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "cluster" -d 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "constraints" -d 'Work with the base image\'s `constraints.txt`'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "upload" -d 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor\'s steps'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "config" -d 'Print the `customPythonConfig` that enables an archive\'s plugins, and with `--patch` the patch that sets it'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "upgrade" -d 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "audit" -d 'Check an archive\'s (or the inputs\') pinned projects for known vulnerabilities, project status, yanks and licenses'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "sbom" -d 'Write a CycloneDX 1.5 SBOM (JSON) of an archive'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and not __fish_seen_subcommand_from build resolve verify inspect diff cache cluster constraints upload config upgrade audit sbom completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "dir" -d 'Print the cache directory'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clean" -d 'Remove everything in the cache'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "info" -d 'Print the cluster\'s NetBox, Python and glibc versions, node architectures and wheelhouse source'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "check" -d 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive\'s version and is in `PLUGINS`'
complete -c nbwheel -n "__fish_nbwheel_using_subcommand help; and __fish_seen_subcommand_from constraints" -f -a "pull" -d 'Copy `/opt/netbox/constraints.txt` from the NetBox pod'
