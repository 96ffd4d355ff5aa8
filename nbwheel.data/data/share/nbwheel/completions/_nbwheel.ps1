
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'nbwheel' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'nbwheel'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'nbwheel' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Resolve, download, check and pack a wheelhouse archive')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'List an archive''s wheels with versions, tags, sizes and hashes')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed between two archives: versions, files, NetBox plugins')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Manage the download cache')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)')
            [CompletionResult]::new('constraints', 'constraints', [CompletionResultType]::ParameterValue, 'Work with the base image''s `constraints.txt`')
            [CompletionResult]::new('upload', 'upload', [CompletionResultType]::ParameterValue, 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor''s steps')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the `customPythonConfig` that enables an archive''s plugins, and with `--patch` the patch that sets it')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Check an archive''s (or the inputs'') pinned projects for known vulnerabilities, project status, yanks and licenses')
            [CompletionResult]::new('sbom', 'sbom', [CompletionResultType]::ParameterValue, 'Write a CycloneDX 1.5 SBOM (JSON) of an archive')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;build' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('--requirement', '--requirement', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--constraint', '--constraint', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`')
            [CompletionResult]::new('--manylinux', '--manylinux', [CompletionResultType]::ParameterName, 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The target''s Python version, `3.12` or `3.12.N`')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable')
            [CompletionResult]::new('--target-profile', '--target-profile', [CompletionResultType]::ParameterName, 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--index-url', '--index-url', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--extra-index-url', '--extra-index-url', [CompletionResultType]::ParameterName, 'An extra index URL, searched before `--index-url`, in the order given; repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--find-links', '--find-links', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--index-strategy', '--index-strategy', [CompletionResultType]::ParameterName, 'How projects on several indexes are treated')
            [CompletionResult]::new('--private-prefix', '--private-prefix', [CompletionResultType]::ParameterName, 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable')
            [CompletionResult]::new('--uploaded-prior-to', '--uploaded-prior-to', [CompletionResultType]::ParameterName, 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection, and for more data during a transfer')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times to retry after a transient network failure')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates to trust besides the system store (a private CA)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A PEM file with a client certificate and key, for mutual TLS')
            [CompletionResult]::new('--private-index', '--private-index', [CompletionResultType]::ParameterName, 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable')
            [CompletionResult]::new('--max-wheel-size', '--max-wheel-size', [CompletionResultType]::ParameterName, 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)')
            [CompletionResult]::new('--max-request-time', '--max-request-time', [CompletionResultType]::ParameterName, 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for several architectures)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The archive to write (default `wheelhouse.tar.gz`, or `wheelhouse-<arch>.tar.gz` for several architectures)')
            [CompletionResult]::new('--compression-level', '--compression-level', [CompletionResultType]::ParameterName, 'The archive''s gzip level, 0-9 (wheels are already compressed, so a low level loses little)')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'Rebuild exactly the wheels of this PEP 751 lock (e.g. an archive''s `pylock.toml`) without resolving; offline when they are cached')
            [CompletionResult]::new('--allow-invalid-record', '--allow-invalid-record', [CompletionResultType]::ParameterName, 'A project whose wheels are accepted even when their RECORD file is wrong; repeatable')
            [CompletionResult]::new('--netbox', '--netbox', [CompletionResultType]::ParameterName, 'The NetBox release the plugins will run on: plugin versions whose `min_version` or `max_version` exclude it are not chosen')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'A local project directory to build into a wheel and include; repeatable')
            [CompletionResult]::new('--build-frontend', '--build-frontend', [CompletionResultType]::ParameterName, 'The PEP 517 frontend for local projects (default: the first of `uv`, `build`, `pip` found)')
            [CompletionResult]::new('--sbom', '--sbom', [CompletionResultType]::ParameterName, 'Also write a CycloneDX SBOM of the archive to FILE (`-<arch>` added per architecture when several archives are written)')
            [CompletionResult]::new('--vulnerability-service', '--vulnerability-service', [CompletionResultType]::ParameterName, 'The vulnerability service')
            [CompletionResult]::new('--vulnerability-url', '--vulnerability-url', [CompletionResultType]::ParameterName, 'The service''s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)')
            [CompletionResult]::new('--osv-db', '--osv-db', [CompletionResultType]::ParameterName, 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV''s `PyPI/all.zip`')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable')
            [CompletionResult]::new('--allow-license', '--allow-license', [CompletionResultType]::ParameterName, 'An allowed license (SPDX id), for `--licenses`; repeatable')
            [CompletionResult]::new('--allow-sdist', '--allow-sdist', [CompletionResultType]::ParameterName, 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend''s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--allow-linux-tag', '--allow-linux-tag', [CompletionResultType]::ParameterName, 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice')
            [CompletionResult]::new('--no-index', '--no-index', [CompletionResultType]::ParameterName, 'Use no index, only `--find-links` sources')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Allow pre-release versions')
            [CompletionResult]::new('--require-hashes', '--require-hashes', [CompletionResultType]::ParameterName, 'Require a `--hash` for every requirement (pip''s hash-checking mode)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the cache (a temporary one is used for the run)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache; fail naming what is missing')
            [CompletionResult]::new('--from-cluster', '--from-cluster', [CompletionResultType]::ParameterName, 'Take the target and constraints from the cluster: every node architecture, the pod''s Python and glibc, its `constraints.txt`, its NetBox version')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'Write one archive holding every architecture''s wheels (pure-Python wheels only once)')
            [CompletionResult]::new('--audit', '--audit', [CompletionResultType]::ParameterName, 'Audit each archive written (as `nbwheel audit`); findings make the exit code 1')
            [CompletionResult]::new('--licenses', '--licenses', [CompletionResultType]::ParameterName, 'Also list projects whose license is unknown or not allowed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;resolve' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('--requirement', '--requirement', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--constraint', '--constraint', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`')
            [CompletionResult]::new('--manylinux', '--manylinux', [CompletionResultType]::ParameterName, 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The target''s Python version, `3.12` or `3.12.N`')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable')
            [CompletionResult]::new('--target-profile', '--target-profile', [CompletionResultType]::ParameterName, 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--index-url', '--index-url', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--extra-index-url', '--extra-index-url', [CompletionResultType]::ParameterName, 'An extra index URL, searched before `--index-url`, in the order given; repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--find-links', '--find-links', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--index-strategy', '--index-strategy', [CompletionResultType]::ParameterName, 'How projects on several indexes are treated')
            [CompletionResult]::new('--private-prefix', '--private-prefix', [CompletionResultType]::ParameterName, 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable')
            [CompletionResult]::new('--uploaded-prior-to', '--uploaded-prior-to', [CompletionResultType]::ParameterName, 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection, and for more data during a transfer')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times to retry after a transient network failure')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates to trust besides the system store (a private CA)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A PEM file with a client certificate and key, for mutual TLS')
            [CompletionResult]::new('--private-index', '--private-index', [CompletionResultType]::ParameterName, 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable')
            [CompletionResult]::new('--max-wheel-size', '--max-wheel-size', [CompletionResultType]::ParameterName, 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)')
            [CompletionResult]::new('--max-request-time', '--max-request-time', [CompletionResultType]::ParameterName, 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--allow-sdist', '--allow-sdist', [CompletionResultType]::ParameterName, 'Build the sdist of NAME (or of every project, with `:all:`) when no wheel of it fits the target; repeatable. The build runs in the PEP 517 frontend''s isolated environment and its wheel is kept only if it is pure Python or tagged for the target exactly')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--allow-linux-tag', '--allow-linux-tag', [CompletionResultType]::ParameterName, 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice')
            [CompletionResult]::new('--no-index', '--no-index', [CompletionResultType]::ParameterName, 'Use no index, only `--find-links` sources')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Allow pre-release versions')
            [CompletionResult]::new('--require-hashes', '--require-hashes', [CompletionResultType]::ParameterName, 'Require a `--hash` for every requirement (pip''s hash-checking mode)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the cache (a temporary one is used for the run)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache; fail naming what is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;verify' {
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`')
            [CompletionResult]::new('--manylinux', '--manylinux', [CompletionResultType]::ParameterName, 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The target''s Python version, `3.12` or `3.12.N`')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable')
            [CompletionResult]::new('--target-profile', '--target-profile', [CompletionResultType]::ParameterName, 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it')
            [CompletionResult]::new('--netbox', '--netbox', [CompletionResultType]::ParameterName, 'The NetBox release: fail when a plugin''s `min_version` or `max_version` excludes it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--allow-linux-tag', '--allow-linux-tag', [CompletionResultType]::ParameterName, 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;inspect' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;cache' {
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The cache directory')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove everything in the cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;cache;dir' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;cache;clean' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;cache;help' {
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove everything in the cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;cache;help;dir' {
            break
        }
        'nbwheel;cache;help;clean' {
            break
        }
        'nbwheel;cache;help;help' {
            break
        }
        'nbwheel;cluster' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;cluster;info' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;cluster;check' {
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'The archive that was uploaded (its plugins and versions are checked in the pod); without it only pod health and the install log are checked')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each `kubectl` command may take')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;cluster;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;cluster;help;info' {
            break
        }
        'nbwheel;cluster;help;check' {
            break
        }
        'nbwheel;cluster;help;help' {
            break
        }
        'nbwheel;constraints' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Copy `/opt/netbox/constraints.txt` from the NetBox pod')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;constraints;pull' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write it (`-` for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write it (`-` for stdout)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;constraints;help' {
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Copy `/opt/netbox/constraints.txt` from the NetBox pod')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;constraints;help;pull' {
            break
        }
        'nbwheel;constraints;help;help' {
            break
        }
        'nbwheel;upload' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to upload: `media` (the pod''s media directory), `pvc` or `s3://BUCKET/KEY`')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the maintenance pod and for restarts')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'The S3 endpoint URL, for S3-compatible stores')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The S3 region (default: `AWS_REGION`, the profile''s, or `us-east-1`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS shared-config profile (default: `AWS_PROFILE` or `default`)')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size for multipart uploads, in MiB (at least 5); files larger than one part are sent in parts')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates to trust for S3 besides the system store (a private CA)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A PEM file with a client certificate and key, for mutual TLS with S3')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Restart the web and worker deployments afterwards and wait for them')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print every command and request without changing anything')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Do not verify the archive for the cluster''s target first')
            [CompletionResult]::new('--rollback', '--rollback', [CompletionResultType]::ParameterName, 'Put the previous archive back (kept aside by the last upload)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'After `--restart`, run `nbwheel cluster check` on the uploaded archive')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;config' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The wheelhouse source to configure in the patch: `media`, `pvc` or `s3://BUCKET/KEY`')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The NetBoxEnterprise resource''s name, for the patch')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace, for the patch')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace, for the patch')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'S3 region, for the patch')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'S3 endpoint, for the patch')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--patch', '--patch', [CompletionResultType]::ParameterName, 'Also print the `kubectl patch netboxenterprise … --type merge` command')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;upgrade' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('--requirement', '--requirement', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--constraint', '--constraint', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`')
            [CompletionResult]::new('--manylinux', '--manylinux', [CompletionResultType]::ParameterName, 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The target''s Python version, `3.12` or `3.12.N`')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable')
            [CompletionResult]::new('--target-profile', '--target-profile', [CompletionResultType]::ParameterName, 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--index-url', '--index-url', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--extra-index-url', '--extra-index-url', [CompletionResultType]::ParameterName, 'An extra index URL, searched before `--index-url`, in the order given; repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--find-links', '--find-links', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--index-strategy', '--index-strategy', [CompletionResultType]::ParameterName, 'How projects on several indexes are treated')
            [CompletionResult]::new('--private-prefix', '--private-prefix', [CompletionResultType]::ParameterName, 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable')
            [CompletionResult]::new('--uploaded-prior-to', '--uploaded-prior-to', [CompletionResultType]::ParameterName, 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection, and for more data during a transfer')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times to retry after a transient network failure')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates to trust besides the system store (a private CA)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A PEM file with a client certificate and key, for mutual TLS')
            [CompletionResult]::new('--private-index', '--private-index', [CompletionResultType]::ParameterName, 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable')
            [CompletionResult]::new('--max-wheel-size', '--max-wheel-size', [CompletionResultType]::ParameterName, 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)')
            [CompletionResult]::new('--max-request-time', '--max-request-time', [CompletionResultType]::ParameterName, 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this')
            [CompletionResult]::new('--netbox', '--netbox', [CompletionResultType]::ParameterName, 'The NetBox release to plan for (default: the cluster''s with `--from-cluster`, else a `netbox==X` constraint, else plugins are not checked against a release)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context (default: the current one)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of NetBox Enterprise (default: search all namespaces)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--allow-linux-tag', '--allow-linux-tag', [CompletionResultType]::ParameterName, 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice')
            [CompletionResult]::new('--no-index', '--no-index', [CompletionResultType]::ParameterName, 'Use no index, only `--find-links` sources')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Allow pre-release versions')
            [CompletionResult]::new('--require-hashes', '--require-hashes', [CompletionResultType]::ParameterName, 'Require a `--hash` for every requirement (pip''s hash-checking mode)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the cache (a temporary one is used for the run)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache; fail naming what is missing')
            [CompletionResult]::new('--from-cluster', '--from-cluster', [CompletionResultType]::ParameterName, 'Take the target, constraints and NetBox release from the cluster')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Rewrite the pins in the requirements file in place')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;audit' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('--requirement', '--requirement', [CompletionResultType]::ParameterName, 'A requirements file in pip''s format; repeatable (default: `requirements.txt`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--constraint', '--constraint', [CompletionResultType]::ParameterName, 'A constraints file in pip''s format; repeatable (default: `constraints.txt` when present)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Target architecture: `x86_64`, `aarch64`, a comma list, or `all`')
            [CompletionResult]::new('--manylinux', '--manylinux', [CompletionResultType]::ParameterName, 'The target''s glibc floor as `2_N` (default `2_28`; `2_17` is the vendor''s documented floor)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The target''s Python version, `3.12` or `3.12.N`')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'pip''s spelling of the target platform, e.g. `manylinux_2_17_x86_64`; repeatable')
            [CompletionResult]::new('--target-profile', '--target-profile', [CompletionResultType]::ParameterName, 'A target profile: `netbox-enterprise`, `netbox-docker-4` (alias `netbox-docker-3`), `netbox-docker-5`, or a TOML file; the other target flags override it')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--index-url', '--index-url', [CompletionResultType]::ParameterName, 'The base index URL (default: PyPI, `https://pypi.org/simple/`), searched after every extra index')
            [CompletionResult]::new('--extra-index-url', '--extra-index-url', [CompletionResultType]::ParameterName, 'An extra index URL, searched before `--index-url`, in the order given; repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--find-links', '--find-links', [CompletionResultType]::ParameterName, 'A folder of wheels or a URL of a flat HTML page of links; repeatable')
            [CompletionResult]::new('--index-strategy', '--index-strategy', [CompletionResultType]::ParameterName, 'How projects on several indexes are treated')
            [CompletionResult]::new('--private-prefix', '--private-prefix', [CompletionResultType]::ParameterName, 'A project-name prefix whose projects may come only from a private source (see --private-index); repeatable')
            [CompletionResult]::new('--uploaded-prior-to', '--uploaded-prior-to', [CompletionResultType]::ParameterName, 'Ignore index files uploaded at or after this time: an ISO 8601 date or date-time, or a duration such as `P7D` meaning "now minus seven days" (a supply-chain cooldown)')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The cache directory (default: `nbwheel` in the user''s cache directory, e.g. `~/.cache/nbwheel`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Maximum number of concurrent downloads')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection, and for more data during a transfer')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times to retry after a transient network failure')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates to trust besides the system store (a private CA)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A PEM file with a client certificate and key, for mutual TLS')
            [CompletionResult]::new('--private-index', '--private-index', [CompletionResultType]::ParameterName, 'A private index: searched first, before every extra index, and one of the sources a project matching --private-prefix may come from (like an --extra-index-url given here, in nbwheel.toml or in the environment; an index named only in a requirements file never is); repeatable')
            [CompletionResult]::new('--max-wheel-size', '--max-wheel-size', [CompletionResultType]::ParameterName, 'The largest wheel a download accepts when the index declares no size (a wheel is always capped at the size its index declares): bytes, or with a K, M or G suffix (powers of 1024)')
            [CompletionResult]::new('--max-request-time', '--max-request-time', [CompletionResultType]::ParameterName, 'The total time one request may take, besides the idle --timeout: a server sending one byte a second cannot hold a download longer than this')
            [CompletionResult]::new('--vulnerability-service', '--vulnerability-service', [CompletionResultType]::ParameterName, 'The vulnerability service')
            [CompletionResult]::new('--vulnerability-url', '--vulnerability-url', [CompletionResultType]::ParameterName, 'The service''s base URL (a mirror; default `https://api.osv.dev/` or `https://pypi.org/`)')
            [CompletionResult]::new('--osv-db', '--osv-db', [CompletionResultType]::ParameterName, 'An offline OSV database instead of a service: a folder of OSV JSON records or OSV''s `PyPI/all.zip`')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore this advisory (id or alias; `ID@YYYY-MM-DD` until that day); repeatable')
            [CompletionResult]::new('--allow-license', '--allow-license', [CompletionResultType]::ParameterName, 'An allowed license (SPDX id), for `--licenses`; repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('--allow-linux-tag', '--allow-linux-tag', [CompletionResultType]::ParameterName, 'Also accept `linux_<arch>` wheels (built locally, not portable), as the last choice')
            [CompletionResult]::new('--no-index', '--no-index', [CompletionResultType]::ParameterName, 'Use no index, only `--find-links` sources')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Allow pre-release versions')
            [CompletionResult]::new('--require-hashes', '--require-hashes', [CompletionResultType]::ParameterName, 'Require a `--hash` for every requirement (pip''s hash-checking mode)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse files for which the index gives no sha256 (by default: a warning, and the sha256 is computed while downloading)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the cache (a temporary one is used for the run)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache; fail naming what is missing')
            [CompletionResult]::new('--licenses', '--licenses', [CompletionResultType]::ParameterName, 'Also list projects whose license is unknown or not allowed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nbwheel;sbom' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the SBOM (default: stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the SBOM (default: stdout)')
            [CompletionResult]::new('--netbox', '--netbox', [CompletionResultType]::ParameterName, 'The NetBox release the archive is for, recorded in the metadata')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read options from this TOML file instead of the nearest `nbwheel.toml`, or `pyproject.toml` with a `[tool.nbwheel]` table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no progress bars, only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` for info logs, `-vv` for debug logs (`RUST_LOG` also works)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nbwheel;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Resolve, download, check and pack a wheelhouse archive')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve and print every pinned version, dependencies included (requirements format, with hashes), without downloading')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check, offline, that an archive will install on the target: its layout, safety, wheels, hashes, lock, and that every dependency is inside')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'List an archive''s wheels with versions, tags, sizes and hashes')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed between two archives: versions, files, NetBox plugins')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Manage the download cache')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Read the target from a NetBox Enterprise cluster (through your own `kubectl`)')
            [CompletionResult]::new('constraints', 'constraints', [CompletionResultType]::ParameterValue, 'Work with the base image''s `constraints.txt`')
            [CompletionResult]::new('upload', 'upload', [CompletionResultType]::ParameterValue, 'Upload an archive to the cluster (media directory, PVC or S3) by the vendor''s steps')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the `customPythonConfig` that enables an archive''s plugins, and with `--patch` the patch that sets it')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Plan plugin pins for a NetBox release: the newest release of each requirement that resolves against the constraints and supports it (`--write` rewrites the file)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Check an archive''s (or the inputs'') pinned projects for known vulnerabilities, project status, yanks and licenses')
            [CompletionResult]::new('sbom', 'sbom', [CompletionResultType]::ParameterValue, 'Write a CycloneDX 1.5 SBOM (JSON) of an archive')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nbwheel;help;build' {
            break
        }
        'nbwheel;help;resolve' {
            break
        }
        'nbwheel;help;verify' {
            break
        }
        'nbwheel;help;inspect' {
            break
        }
        'nbwheel;help;diff' {
            break
        }
        'nbwheel;help;cache' {
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove everything in the cache')
            break
        }
        'nbwheel;help;cache;dir' {
            break
        }
        'nbwheel;help;cache;clean' {
            break
        }
        'nbwheel;help;cluster' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Print the cluster''s NetBox, Python and glibc versions, node architectures and wheelhouse source')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'After an upload and restart, prove the installation: pods Ready and restarted since the upload, the install logged without pip errors, every plugin imports at the archive''s version and is in `PLUGINS`')
            break
        }
        'nbwheel;help;cluster;info' {
            break
        }
        'nbwheel;help;cluster;check' {
            break
        }
        'nbwheel;help;constraints' {
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Copy `/opt/netbox/constraints.txt` from the NetBox pod')
            break
        }
        'nbwheel;help;constraints;pull' {
            break
        }
        'nbwheel;help;upload' {
            break
        }
        'nbwheel;help;config' {
            break
        }
        'nbwheel;help;upgrade' {
            break
        }
        'nbwheel;help;audit' {
            break
        }
        'nbwheel;help;sbom' {
            break
        }
        'nbwheel;help;completions' {
            break
        }
        'nbwheel;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
