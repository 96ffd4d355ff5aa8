#!/usr/bin/env python3
"""Scale benchmark: a synthetic index with a 300-project closure and gigabytes of wheels.

Usage: python3 bench/scale.py [--nbwheel PATH] [--projects 300] [--sizes-mb 256,512,1024,2048]
                              [--two-arch] [--serve-only]

A stdlib HTTP server (threaded, HTTP/1.1, on 127.0.0.1) serves a PEP 691 JSON index of
`--projects` projects `scale-000` … : `scale-000` requires `scale-001..003`, project i requires
3i+1..3i+3, so the closure is every project, five levels deep. Each project has one
`cp312-cp312-manylinux_2_17_x86_64` and one `…_aarch64` wheel of equal size, so a
single-architecture run downloads `--sizes-mb` in total and a two-architecture run twice that.

The wheels are never stored: each is a deterministic stored-method (uncompressed) zip generated on
the fly from a seeded pseudo-random stream (incompressible), with a correct RECORD (sha256 of
every member), CRC-32s and a PEP 658 `.metadata` file. Their sha256 (for the index page) and the
payload's sha256 (for RECORD) are computed once at start-up by generating every stream once.

For each size, `nbwheel build` runs cold (empty cache), and its wall time and peak RSS (ru_maxrss,
through /usr/bin/time when present) are reported with MB/s, so linear growth shows as a constant rate. With `--two-arch`, at the
largest size it also runs `--arch x86_64`, `--arch aarch64` and both at once, each cold, and
reports the ratio of the two-architecture run to the sum of the single ones.

Needs disk for the cache and the archive (about 2x the size per run; each run's cache and
archive are removed after it). Not part of the test suite.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1 << 20
ARCHES = ("x86_64", "aarch64")
DOS_TIME, DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1


def b64(digest):
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def stream(seed, size):
    """The payload of one wheel: `size` pseudo-random bytes, in chunks."""
    rng = random.Random(seed)
    left = size
    while left > 0:
        n = min(CHUNK, left)
        yield rng.randbytes(n)
        left -= n


class Wheel:
    """One synthetic wheel: small members in memory, the payload regenerated on demand."""

    def __init__(self, name, version, arch, deps, payload_size, seed):
        self.name, self.version, self.arch = name, version, arch
        dist = name.replace("-", "_")
        self.filename = f"{dist}-{version}-cp312-cp312-manylinux_2_17_{arch}.whl"
        info = f"{dist}-{version}.dist-info"
        self.metadata = (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nRequires-Python: >=3.8\n"
            + "".join(f"Requires-Dist: {d}\n" for d in deps)
        ).encode()
        wheel = (f"Wheel-Version: 1.0\nGenerator: nbwheel-scale\nRoot-Is-Purelib: false\n"
                 f"Tag: cp312-cp312-manylinux_2_17_{arch}\n").encode()
        self.seed, self.payload_size = seed, payload_size
        crc, sha = 0, hashlib.sha256()
        for chunk in stream(seed, payload_size):
            crc = zlib.crc32(chunk, crc)
            sha.update(chunk)
        small = [
            (f"{dist}/__init__.py", b"DATA = 'data.bin'\n"),
            (f"{info}/METADATA", self.metadata),
            (f"{info}/WHEEL", wheel),
        ]
        record = "".join(
            f"{p},sha256={b64(hashlib.sha256(b).digest())},{len(b)}\n" for p, b in small
        )
        record += f"{dist}/data.bin,sha256={b64(sha.digest())},{payload_size}\n"
        record += f"{info}/RECORD,,\n"
        # Members in file order: the payload first, then the small ones.
        self.members = [(f"{dist}/data.bin", None, crc, payload_size)]
        for p, b in small + [(f"{info}/RECORD", record.encode())]:
            self.members.append((p, b, zlib.crc32(b), len(b)))
        self.layout()
        whole = hashlib.sha256()
        for part in self.parts():
            whole.update(part)
        self.sha256 = whole.hexdigest()

    def layout(self):
        offset, central = 0, b""
        self.headers = []
        for name, _, crc, size in self.members:
            n = name.encode()
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, DOS_TIME, DOS_DATE, crc,
                                size, size, len(n), 0) + n
            self.headers.append(local)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0, DOS_TIME,
                                   DOS_DATE, crc, size, size, len(n), 0, 0, 0, 0,
                                   0o100644 << 16, offset) + n
            offset += len(local) + size
        self.central = central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.members),
                                             len(self.members), len(central), offset, 0)
        self.size = offset + len(self.central)

    def parts(self):
        for (name, data, _, size), header in zip(self.members, self.headers):
            yield header
            if data is None:
                yield from stream(self.seed, size)
            else:
                yield data
        yield self.central


class Index:
    def __init__(self, projects, total_mb):
        per_wheel = max(1, total_mb * (1 << 20) // projects)
        self.projects = {}
        self.files = {}
        for i in range(projects):
            name = f"scale-{i:03d}"
            deps = [f"scale-{j:03d}" for j in range(3 * i + 1, 3 * i + 4) if j < projects]
            wheels = [Wheel(name, "1.0", arch, deps, per_wheel, seed=i * 2 + k)
                      for k, arch in enumerate(ARCHES)]
            self.projects[name] = wheels
            for w in wheels:
                self.files[w.filename] = w
        self.total = sum(w.size for w in self.files.values())

    def page(self, name):
        return json.dumps({
            "meta": {"api-version": "1.1"},
            "name": name,
            "files": [{
                "filename": w.filename,
                "url": f"/files/{w.filename}",
                "hashes": {"sha256": w.sha256},
                "requires-python": ">=3.8",
                "core-metadata": {"sha256": hashlib.sha256(w.metadata).hexdigest()},
                "size": w.size,
            } for w in self.projects[name]],
        }).encode()


def handler(index):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path.startswith("/simple/"):
                name = path[len("/simple/"):].strip("/")
                if name in index.projects:
                    return self.send(200, index.page(name), "application/vnd.pypi.simple.v1+json")
            elif path.startswith("/files/"):
                fname = path[len("/files/"):]
                if fname.endswith(".metadata") and fname[:-9] in index.files:
                    return self.send(200, index.files[fname[:-9]].metadata, "text/plain")
                w = index.files.get(fname)
                if w is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(w.size))
                    self.end_headers()
                    for part in w.parts():
                        self.wfile.write(part)
                    return None
            return self.send(404, b"not found", "text/plain")

    return Handler


def serve(index):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(index))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(nbwheel, url, arches, work):
    req = work / "requirements.txt"
    req.write_text("scale-000\n")
    cache, out = work / "cache", work / "out.tar.gz"
    cmd = [nbwheel, "build", "-q", "-r", str(req), "--index-url", url, "--cache-dir", str(cache),
           "-o", str(out)]
    cmd += ["--arch", ",".join(arches)]
    env = {k: v for k, v in os.environ.items() if k != "RUST_BACKTRACE"}
    # Peak RSS through /usr/bin/time: the kernel records the RSS of the process image an exec
    # replaces, so a child forked from this script (which holds the index, tens of MB) and
    # measured with wait4 reports at least this script's size, not nbwheel's.
    rss_file = work / "maxrss"
    timed = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.Popen(timed + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"nbwheel failed: {cmd}\n{err.decode()[-3000:]}")
    shutil.rmtree(cache, ignore_errors=True)
    out.unlink(missing_ok=True)
    if timed:
        return wall, int(rss_file.read_text().split()[-1]) / 1024.0
    return wall, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nbwheel", default=str(ROOT / "target/release/nbwheel"))
    ap.add_argument("--projects", type=int, default=300)
    ap.add_argument("--sizes-mb", default="256,512,1024,2048",
                    help="total wheel bytes of one architecture, per run")
    ap.add_argument("--two-arch", action="store_true")
    ap.add_argument("--serve-only", action="store_true", help="serve the largest size and wait")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes_mb.split(",")]
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {args.projects} projects,"
          f" load average {os.getloadavg()[0]:.1f}")
    print("| wheels (one arch) | index start-up (s) | nbwheel cold (s) | MB/s | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- |")
    for i, mb in enumerate(sizes):
        t0 = time.perf_counter()
        index = Index(args.projects, mb)
        startup = time.perf_counter() - t0
        server = serve(index)
        url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        if args.serve_only:
            print(f"serving {url}; Ctrl-C to stop", flush=True)
            threading.Event().wait()
        work = Path(tempfile.mkdtemp(prefix="nbwheel-scale-", dir=ROOT / "target"))
        try:
            one_arch = index.total / 2
            wall, rss = run(args.nbwheel, url, ["x86_64"], work)
            print(f"| {one_arch / 1e6:.0f} MB | {startup:.1f} | {wall:.2f} |"
                  f" {one_arch / 1e6 / wall:.0f} | {rss:.0f} |", flush=True)
            if args.two_arch and i == len(sizes) - 1:
                x, rx = run(args.nbwheel, url, ["x86_64"], work)
                a, ra = run(args.nbwheel, url, ["aarch64"], work)
                both, rb = run(args.nbwheel, url, list(ARCHES), work)
                print(f"\ntwo architectures: x86_64 {x:.2f} s ({rx:.0f} MB), aarch64 {a:.2f} s"
                      f" ({ra:.0f} MB), both {both:.2f} s ({rb:.0f} MB):"
                      f" ratio {both / (x + a):.2f} of two single runs")
        finally:
            shutil.rmtree(work, ignore_errors=True)
            server.shutdown()


if __name__ == "__main__":
    main()
