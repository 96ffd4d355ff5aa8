#!/usr/bin/env python3
"""Time the vendor's `pip download` + `tar czf` against `nbwheel build`, in one run, alternating.

Usage: python3 bench/bench.py [--rounds N] [--pip PYTHON] [--nbwheel PATH] [--arch x86_64]

Both tools get the same inputs (fixtures/example/: ten NetBox 4.6 plugins against the NetBox
4.6.6 base image's constraints) and the same target. pip gets every platform tag of the target as
repeated `--platform` flags (with only the vendor's single `manylinux_2_17_x86_64` pip cannot build
this set at all, because Pillow 12.3.0 has only manylinux_2_28 wheels).

cold: both start with an empty cache; warm: both reuse the cache of the previous cold run.
Reports median wall time, the nbwheel/pip ratio, and peak RSS (ru_maxrss of the child).
Needs the network (PyPI); not part of the test suite.
"""

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQ = ROOT / "fixtures/example/requirements.txt"
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
    """Wall time and peak RSS of one command (RSS via a fresh wait4 on the child)."""
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
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pip", default=sys.executable, help="python whose pip to time")
    ap.add_argument("--nbwheel", default=str(ROOT / "target/release/nbwheel"))
    ap.add_argument("--arch", default="x86_64")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    pip_version = subprocess.run([args.pip, "-m", "pip", "--version"], capture_output=True, text=True, env=env).stdout.split()[1]
    py_version = subprocess.run([args.pip, "--version"], capture_output=True, text=True).stdout.strip()
    plat_flags = [f for p in platforms(args.arch) for f in ("--platform", p)]

    results = {k: [] for k in ("pip cold", "nbwheel cold", "pip warm", "nbwheel warm")}
    rss = {k: [] for k in results}
    sizes = {}
    for r in range(args.rounds):
        work = Path(tempfile.mkdtemp(prefix="nbwheel-bench-"))
        try:
            pip_cache = work / "pip-cache"
            nb_cache = work / "nb-cache"
            for phase in ("cold", "warm"):
                # pip: the vendor's command with every platform of the target, then tar czf.
                wh = work / f"pip-{phase}" / "wheelhouse"
                wh.mkdir(parents=True)
                shutil.copy(REQ, wh / "requirements.txt")
                shutil.copy(CON, wh / "constraints.txt")
                pip_cmd = (
                    f"{args.pip} -m pip download --only-binary=:all: {' '.join(plat_flags)} "
                    f"--python-version 3.12 --implementation cp -d {wh} -c {CON} -r {REQ} "
                    f"--cache-dir {pip_cache} && tar czf {wh.parent}/wheelhouse.tar.gz -C {wh.parent} wheelhouse"
                )
                t, m = measured(pip_cmd, env=env, shell=True)
                results[f"pip {phase}"].append(t)
                rss[f"pip {phase}"].append(m)
                sizes["pip"] = (wh.parent / "wheelhouse.tar.gz").stat().st_size
                out = work / f"nb-{phase}.tar.gz"
                nb_cmd = [args.nbwheel, "build", "-q", "-r", str(REQ), "-c", str(CON), "--arch", args.arch,
                          "--cache-dir", str(nb_cache), "-o", str(out)]
                t, m = measured(nb_cmd, env=env)
                results[f"nbwheel {phase}"].append(t)
                rss[f"nbwheel {phase}"].append(m)
                sizes["nbwheel"] = out.stat().st_size
        finally:
            shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"# {time.strftime('%Y-%m-%d')} on {platform.node()} ({os.cpu_count()} cores, {platform.machine()}),"
          f" {args.rounds} rounds, alternating; pip {pip_version} ({py_version}); target {args.arch}")
    print(f"| run | median wall (s) | all runs (s) | peak RSS (MB) |")
    print(f"| --- | --- | --- | --- |")
    for k in results:
        print(f"| {k} | {med[k]:.2f} | {', '.join(f'{x:.2f}' for x in results[k])} | {max(rss[k]):.0f} |")
    print()
    print(f"ratio nbwheel/pip: cold {med['nbwheel cold'] / med['pip cold']:.3f}, warm {med['nbwheel warm'] / med['pip warm']:.3f}")
    print(f"archive size: pip+tar {sizes['pip'] / 1e6:.2f} MB, nbwheel {sizes['nbwheel'] / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
