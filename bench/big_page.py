#!/usr/bin/env python3
"""Peak memory of `nbwheel resolve` on one huge index page (issue: bounded page parsing).

Serves, on 127.0.0.1, one project page of about SIZE MB (PEP 691 JSON or PEP 503 HTML) listing
that many wheel entries (a mix of versions and platforms, most of them for other targets), and
runs `nbwheel resolve bigpkg` against it with `/usr/bin/time -f %M`. Not part of the test suite.

    python3 bench/big_page.py --nbwheel target/release/nbwheel --size-mb 60
"""
import argparse
import hashlib
import http.server
import os
import subprocess
import tempfile
import threading

PLATFORMS = ["win_amd64", "macosx_11_0_arm64", "musllinux_1_1_x86_64", "win32",
             "manylinux_2_17_x86_64.manylinux2014_x86_64", "macosx_10_9_x86_64"]


def entries(size, per_entry):
    n = 0
    out = 0
    while out < size:
        version = f"{n // 60}.{(n // 6) % 10}.{n % 6}"
        plat = PLATFORMS[n % len(PLATFORMS)]
        py = "cp311" if plat.startswith("manylinux") else "cp312"
        name = f"bigpkg-{version}-{py}-{py}-{plat}.whl"
        digest = hashlib.sha256(name.encode()).hexdigest()
        yield name, digest
        out += per_entry
        n += 1


def json_page(size):
    parts = ['{"meta":{"api-version":"1.1"},"name":"bigpkg","versions":[],"files":[']
    first = True
    for name, digest in entries(size, 330):
        parts.append(("" if first else ",") +
                     f'{{"filename":"{name}","url":"../../files/{name}",'
                     f'"hashes":{{"sha256":"{digest}"}},"requires-python":">=3.8",'
                     f'"upload-time":"2020-01-01T00:00:00.000000Z","yanked":false}}')
        first = False
    parts.append("]}")
    return "".join(parts).encode()


def html_page(size):
    parts = ["<!DOCTYPE html><html><body><h1>Links for bigpkg</h1>\n"]
    for name, digest in entries(size, 250):
        parts.append(f'<a href="../../files/{name}#sha256={digest}" '
                     f'data-requires-python="&gt;=3.8">{name}</a><br/>\n')
    parts.append("</body></html>\n")
    return "".join(parts).encode()


def serve(body, content_type):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.rstrip("/") != "/simple/bigpkg":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nbwheel", default="target/release/nbwheel")
    ap.add_argument("--size-mb", type=int, default=60)
    args = ap.parse_args()
    size = args.size_mb * 1024 * 1024
    for kind, make, ctype in [("json", json_page, "application/vnd.pypi.simple.v1+json"),
                              ("html", html_page, "text/html")]:
        body = make(size)
        server = serve(body, ctype)
        port = server.server_address[1]
        with tempfile.TemporaryDirectory() as tmp:
            req = os.path.join(tmp, "req.txt")
            with open(req, "w") as f:
                f.write("bigpkg\n")
            cmd = ["/usr/bin/time", "-f", "%M %e", args.nbwheel, "resolve", "-q", "--no-config",
                   "-r", req, "-i", f"http://127.0.0.1:{port}/simple/",
                   "--cache-dir", os.path.join(tmp, "cache")]
            env = {k: v for k, v in os.environ.items() if not k.startswith(("NBWHEEL_", "PIP_"))}
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            last = p.stderr.strip().splitlines()[-1]
            rss_kb, secs = last.split()
            first_err = next((l for l in p.stderr.splitlines() if l.strip()), "")
            print(f"{kind}: page {len(body) / 1e6:.1f} MB, exit {p.returncode}, "
                  f"peak RSS {int(rss_kb) / 1024:.0f} MB, {float(secs):.2f} s  ({p.stderr.strip()[:600]})")
        server.shutdown()


if __name__ == "__main__":
    main()
