#!/usr/bin/env python3
"""What the `--netbox` gate costs: `nbwheel build` with and without `--netbox`, on a local index
where several plugins need an older release.

Usage: python3 bench/netbox_gate.py [--nbwheel PATH] [--old PATH] [--rounds N] [--latency MS]
                                    [--plugins N] [--versions N]

Hermetic: the index is served from 127.0.0.1 by this script (PEP 503 pages, wheels honouring
`Range`, a fixed delay per request to stand in for a network round trip). It publishes
`--plugins` plugins with `--versions` releases each; only the oldest quarter of every plugin's
releases declares support for NetBox 4.2 (`max_version = "4.2.99"`), the newer ones need 4.3 or
later, and every release depends on a shared helper and a 2 MB payload wheel, so a resolution
that picks a newer release downloads something. Each round times, from an empty cache (cold)
and again with the cache of that run (warm):

  plain   nbwheel build                      (newest releases, no gate)
  gated   nbwheel build --netbox 4.2.3       (every plugin moves down to an older release)

and, with `--old PATH`, the gated build of another nbwheel binary (e.g. the previous release,
whose gate re-resolved once per excluded version). Reports the median wall time of each and the
gated/plain ratio. Not part of the test suite.
"""

import argparse
import hashlib
import http.server
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wheel(name, version, files, requires=()):
    """A valid pure wheel as bytes: files, METADATA, WHEEL, RECORD."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = dict(files)
    files[f"{info}/METADATA"] = meta
    files[f"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = []
    for path, data in files.items():
        raw = data.encode() if isinstance(data, str) else data
        digest = hashlib.sha256(raw).digest()
        import base64
        b64 = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{path},sha256={b64},{len(raw)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            zi = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_STORED if isinstance(data, bytes) else zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return f"{dist}-{version}-py3-none-any.whl", buf.getvalue()


def plugin_init(module, version, lo, hi):
    return (f'"""{module}."""\nfrom netbox.plugins import PluginConfig\n\n\n'
            f'class Config(PluginConfig):\n    name = "{module}"\n    version = "{version}"\n'
            f'    min_version = "{lo}"\n    max_version = "{hi}"\n\n\nconfig = Config\n')


def publish(root, plugins, versions):
    """Writes the index under root/simple and root/files; returns the requirement names."""
    projects = {}
    def add(name, fname, data):
        (root / "files").mkdir(parents=True, exist_ok=True)
        (root / "files" / fname).write_bytes(data)
        projects.setdefault(name, []).append((fname, hashlib.sha256(data).hexdigest()))
    payload = os.urandom(2_000_000)
    for v in range(1, 4):
        add("bench-helper", *wheel("bench-helper", f"1.{v}", {"bench_helper/__init__.py": "X = 1\n"}))
    names = []
    for p in range(plugins):
        name = f"netbox-bench-{p}"
        module = f"netbox_bench_{p}"
        names.append(name)
        payload_name = f"bench-payload-{p}"
        for v in range(versions):
            version = f"{v // 10}.{v % 10}.0"
            old = v < max(1, versions // 4)
            lo, hi = ("4.1.0", "4.2.99") if old else ("4.3.0", "4.9.99")
            add(name, *wheel(name, version, {f"{module}/__init__.py": plugin_init(module, version, lo, hi),
                                             f"{module}/models.py": "# models\n" * 200},
                             requires=["bench-helper>=1.1", f"{payload_name}=={version}"]))
            add(payload_name, *wheel(payload_name, version,
                                     {f"bench_payload_{p}/data.bin": payload + version.encode()}))
    for name, files in projects.items():
        d = root / "simple" / name
        d.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<a href="../../files/{f}#sha256={h}">{f}</a>\n' for f, h in files)
        (d / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")
    return names


def serve(root, latency):
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(root), **k)

        def log_message(self, *a):
            pass

        def do_GET(self):
            time.sleep(latency)
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            ctype = "text/html" if path.suffix == ".html" else "application/octet-stream"
            rng = self.headers.get("Range")
            status, body, extra = 200, data, {}
            if rng and rng.startswith("bytes="):
                a, _, b = rng[6:].partition("-")
                n = len(data)
                start, end = (n - int(b), n - 1) if a == "" else (int(a), min(int(b) if b else n - 1, n - 1))
                start = max(start, 0)
                status, body = 206, data[start:end + 1]
                extra["Content-Range"] = f"bytes {start}-{end}/{n}"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(cmd, cwd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed: {' '.join(map(str, cmd))}\n{proc.stderr.decode()[-3000:]}")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nbwheel", default=str(ROOT / "target/release/nbwheel"))
    ap.add_argument("--old", help="another nbwheel binary whose gated build is timed too")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--latency", type=float, default=20, help="milliseconds per request")
    ap.add_argument("--plugins", type=int, default=6)
    ap.add_argument("--versions", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nbwheel-gate-bench-"))
    try:
        names = publish(work / "index", args.plugins, args.versions)
        server = serve(work / "index", args.latency / 1000)
        url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        (work / "requirements.txt").write_text("".join(f"{n}\n" for n in names))
        runs = {"plain": [], "gated": []}
        if args.old:
            runs["gated (old)"] = []
        new = os.path.abspath(args.nbwheel)
        old = os.path.abspath(args.old) if args.old else None
        binaries = {"plain": new, "gated": new, "gated (old)": old}
        results = {(k, m): [] for k in runs for m in ("cold", "warm")}
        for r in range(args.rounds):
            for kind in runs:
                cache = work / f"cache-{kind}-{r}"
                cmd = [binaries[kind], "build", "-q", "--no-config", "--index-url", url,
                       "-r", "requirements.txt", "-o", "out.tar.gz", "--cache-dir", str(cache)]
                if kind != "plain":
                    cmd += ["--netbox", "4.2.3"]
                results[(kind, "cold")].append(timed(cmd, work))
                results[(kind, "warm")].append(timed(cmd, work))
                shutil.rmtree(cache, ignore_errors=True)
        print(f"{args.plugins} plugins x {args.versions} releases, {args.latency:.0f} ms per request, "
              f"{args.rounds} rounds (median):")
        for mode in ("cold", "warm"):
            plain = statistics.median(results[("plain", mode)])
            for kind in runs:
                t = statistics.median(results[(kind, mode)])
                print(f"  {mode:4}  {kind:12} {t:6.2f} s   {t / plain:5.2f}x plain")
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
