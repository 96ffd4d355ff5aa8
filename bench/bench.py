#!/usr/bin/env python3
"""Time the vendor's `pip download` + `tar czf` against `nbwheel build`, and `nbwheel resolve`
against `uv pip compile`, in one run, alternating.

Usage: python3 bench/bench.py [--set example|large] [--rounds N] [--pip PYTHON] [--uv UV]
                              [--nbwheel PATH] [--arch x86_64]

Sets: `example` is fixtures/example/ (ten NetBox 4.6 plugins, pinned); `large` is
bench/sets/large/requirements.txt (ten plugins whose closures reach heavy index pages). Both are
resolved against fixtures/example/constraints.txt (the NetBox 4.6.6 base image's constraints),
for CPython 3.12 on manylinux_2_28_<arch>.

pip gets every platform tag of the target as repeated `--platform` flags (with only the
vendor's single `manylinux_2_17_x86_64` pip cannot build these sets at all: Pillow 12.3.0 has only
manylinux_2_28 wheels). uv gets `--python-version 3.12 --python-platform <arch>-manylinux_2_28`.

Phases: cold (empty caches), warm (the cache of the cold run), offline (nbwheel `--offline`,
uv `--offline`; pip has no offline mode that still resolves against the index).
Reports median wall time, ratios, and peak RSS (ru_maxrss of the child, via wait4).
Needs the network (PyPI); not part of the test suite. Wall times are only meaningful on an idle
machine: the script prints the load average it started and ended with.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "example": ROOT / "fixtures/example/requirements.txt",
    "large": ROOT / "bench/sets/large/requirements.txt",
}
CON = ROOT / "fixtures/example/constraints.txt"


def platforms(arch, glibc_minor=28):
    floor = 5 if arch == "x86_64" else 17
    out = []
    for m in range(glibc_minor, floor - 1, -1):
        out.append(f"manylinux_2_{m}_{arch}")
        alias = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}.get(m)
        if alias:
            out.append(f"{alias}_{arch}")
    return out


def measured(cmd, env=None, cwd=None, shell=False):
    """Wall time and peak RSS (MB) of one command (RSS via a fresh wait4 on the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, shell=shell)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {cmd}\n{err.decode()[-3000:]}")
    return wall, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=sorted(SETS), default="large")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pip", default=str(ROOT / "target/pip-venv-3.12/bin/python"),
                    help="python whose pip to time")
    ap.add_argument("--uv", default=str(ROOT / "target/pip-venv-3.12/bin/uv"),
                    help="uv to time (`pip install uv` into the venv); empty to skip")
    ap.add_argument("--nbwheel", default=str(ROOT / "target/release/nbwheel"))
    ap.add_argument("--arch", default="x86_64")
    ap.add_argument("--no-pip", action="store_true", help="skip pip (memory/resolve only)")
    args = ap.parse_args()
    req = SETS[args.set]

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_")) and k != "RUST_BACKTRACE"}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    load_start = os.getloadavg()
    pip_version = py_version = uv_version = "-"
    if not args.no_pip:
        pip_version = subprocess.run([args.pip, "-m", "pip", "--version"], capture_output=True,
                                     text=True, env=env).stdout.split()[1]
        py_version = subprocess.run([args.pip, "--version"], capture_output=True,
                                    text=True).stdout.strip()
    if args.uv:
        uv_version = subprocess.run([args.uv, "--version"], capture_output=True,
                                    text=True).stdout.strip()
    plat_flags = [f for p in platforms(args.arch) for f in ("--platform", p)]

    phases = ("cold", "warm", "offline")
    keys = []
    for phase in phases:
        if phase != "offline" and not args.no_pip:
            keys.append(f"pip build {phase}")
        keys.append(f"nbwheel build {phase}")
        if args.uv:
            keys.append(f"uv compile {phase}")
        keys.append(f"nbwheel resolve {phase}")
    results = {k: [] for k in keys}
    rss = {k: [] for k in keys}
    sizes = {}
    for _ in range(args.rounds):
        work = Path(tempfile.mkdtemp(prefix="nbwheel-bench-"))
        try:
            caches = {k: work / k for k in ("pip", "nb", "uv", "nbr")}
            for phase in phases:
                offline = ["--offline"] if phase == "offline" else []
                if phase != "offline" and not args.no_pip:
                    wh = work / f"pip-{phase}" / "wheelhouse"
                    wh.mkdir(parents=True)
                    shutil.copy(req, wh / "requirements.txt")
                    shutil.copy(CON, wh / "constraints.txt")
                    pip_cmd = (
                        f"{args.pip} -m pip download --only-binary=:all: {' '.join(plat_flags)} "
                        f"--python-version 3.12 --implementation cp -d {wh} -c {CON} -r {req} "
                        f"--cache-dir {caches['pip']} && tar czf {wh.parent}/wheelhouse.tar.gz "
                        f"-C {wh.parent} wheelhouse"
                    )
                    t, m = measured(pip_cmd, env=env, shell=True)
                    results[f"pip build {phase}"].append(t)
                    rss[f"pip build {phase}"].append(m)
                    sizes["pip"] = (wh.parent / "wheelhouse.tar.gz").stat().st_size
                out = work / f"nb-{phase}.tar.gz"
                nb_cmd = [args.nbwheel, "build", "-q", "-r", str(req), "-c", str(CON),
                          "--arch", args.arch, "--cache-dir", str(caches["nb"]), "-o", str(out)]
                t, m = measured(nb_cmd + offline, env=env)
                results[f"nbwheel build {phase}"].append(t)
                rss[f"nbwheel build {phase}"].append(m)
                sizes["nbwheel"] = out.stat().st_size
                if args.uv:
                    uv_cmd = [args.uv, "pip", "compile", "-q", str(req), "-c", str(CON),
                              "--python-version", "3.12",
                              "--python-platform", f"{args.arch}-manylinux_2_28",
                              "--only-binary", ":all:", "--cache-dir", str(caches["uv"]),
                              "-o", str(work / "uv.txt")]
                    t, m = measured(uv_cmd + offline, env=env)
                    results[f"uv compile {phase}"].append(t)
                    rss[f"uv compile {phase}"].append(m)
                nbr_cmd = [args.nbwheel, "resolve", "-q", "-r", str(req), "-c", str(CON),
                           "--arch", args.arch, "--cache-dir", str(caches["nbr"])]
                t, m = measured(nbr_cmd + offline, env=env)
                results[f"nbwheel resolve {phase}"].append(t)
                rss[f"nbwheel resolve {phase}"].append(m)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    load_end = os.getloadavg()
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()} ({os.cpu_count()} cores,"
          f" {platform.machine()}), set `{args.set}`, {args.rounds} rounds, alternating;"
          f" pip {pip_version} ({py_version}); {uv_version}; target {args.arch};"
          f" load average {load_start[0]:.1f} at start, {load_end[0]:.1f} at end")
    print("| run | median wall (s) | all runs (s) | peak RSS (MB, max) |")
    print("| --- | --- | --- | --- |")
    for k in keys:
        print(f"| {k} | {med[k]:.2f} | {', '.join(f'{x:.2f}' for x in results[k])} |"
              f" {max(rss[k]):.0f} |")
    print()

    def ratio(a, b):
        return f"{med[a] / med[b]:.3f}" if a in med and b in med and med[b] > 0 else "-"

    print("ratios (median wall):")
    if not args.no_pip:
        print(f"- nbwheel build / pip download+tar: cold {ratio('nbwheel build cold', 'pip build cold')},"
              f" warm {ratio('nbwheel build warm', 'pip build warm')}")
    if args.uv:
        for phase in phases:
            a, b = f"nbwheel resolve {phase}", f"uv compile {phase}"
            print(f"- nbwheel resolve / uv pip compile, {phase}: time {ratio(a, b)},"
                  f" peak RSS {max(rss[a]) / max(rss[b]):.2f}")
    print(f"- nbwheel build --offline: {med['nbwheel build offline']:.3f} s")
    if "pip" in sizes:
        print(f"archive size: pip+tar {sizes['pip'] / 1e6:.2f} MB, nbwheel {sizes['nbwheel'] / 1e6:.2f} MB")
    else:
        print(f"archive size: nbwheel {sizes['nbwheel'] / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
