#!/usr/bin/env python3
"""Opt-in sweep of nbwheel against the real PyPI, compared with uv (see README.md here).

Three checks, each per project and per architecture (x86_64, aarch64), CPython 3.12 on
manylinux_2_28:

* top: each of the 500 most-downloaded projects resolved by itself, `nbwheel resolve`
  against `uv pip compile --only-binary :all:`: same outcome, same pins;
* build: `nbwheel build` (download + validation) of each top project that resolved and whose
  closure is not one of the known very large ones, so validation false positives show;
* plugins: every project whose name contains `netbox` and whose wheel holds a NetBox
  PluginConfig, built with `--netbox 4.6.6` against the 4.6.6 base image's constraints and
  with `--netbox 4.5.10` against 4.5.10's, compared with uv on the same pin and constraints.

Every outcome is appended to `<work>/raw.jsonl` as it arrives, so a run can be resumed
(`--resume`) and the report rewritten without the network (`--report-only`). Causes of known
disagreements live in `causes.json` beside this script; the report names each disagreement's
cause, or "unexplained".

Standard library only. Refuses to run unless NBWHEEL_REAL_PYPI=1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ARCHES = ("x86_64", "aarch64")
INDEX = "https://pypi.org/simple"
NETBOX = {
    "4.6.6": REPO / "fixtures" / "example" / "constraints.txt",
    "4.5.10": REPO / "fixtures" / "example" / "constraints-4.5.10.txt",
}
# The `--netbox` gate's refusals: no version of the plugin admits the release.
GATE = re.compile(r"No plugin versions for NetBox|\(`min_version`/`max_version`\), not the target NetBox")
# Projects whose closure is far above ~100 MB (each of these wheels is 100 MB or more on its
# own, or pulls such wheels in): only resolved, not built.
BIG = re.compile(
    r"^(torch|torchvision|torchaudio|tensorflow.*|tf-nightly.*|jaxlib|jax-cuda.*|triton|"
    r"nvidia-.*|cupy.*|onnxruntime-gpu|xformers|vllm|bitsandbytes|deepspeed|tensorrt.*|"
    r"paddlepaddle.*|mxnet.*|cudf.*|flash-attn|intel-extension-for-pytorch)$"
)


def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names_from(path: Path) -> list[str]:
    out = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.work).resolve()
        self.nb_cache = self.work / "cache" / "nbwheel"
        self.uv_cache = self.work / "cache" / "uv"
        self.tmp = self.work / "tmp"
        for d in (self.nb_cache, self.uv_cache, self.tmp):
            d.mkdir(parents=True, exist_ok=True)
        self.raw = self.work / "raw.jsonl"
        self.lock = threading.Lock()
        self.done: dict[str, dict] = {}
        if not (args.resume or args.only or args.report_only) and self.raw.exists():
            self.raw.unlink()
        if self.raw.exists():
            for rec in load_raw(self.raw):
                self.done[rec["key"]] = rec
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("NBWHEEL_", "UV_"))}
        self.env["UV_PYTHON_DOWNLOADS"] = "never"
        self.env["NO_COLOR"] = "1"
        self.nbwheel = str(Path(args.nbwheel).resolve())
        self.uv = str(Path(args.uv).resolve())

    # -- running commands -------------------------------------------------------------------

    def run(self, cmd: list[str], timeout: float) -> tuple[int | None, str, str, float]:
        start = time.monotonic()
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=self.env,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
            rc: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            rc = None
            err += f"\n[sweep] timed out after {timeout:.0f} s"
        return rc, out, err, time.monotonic() - start

    def record(self, rec: dict) -> None:
        with self.lock:
            self.done[rec["key"]] = rec
            with self.raw.open("a") as f:
                f.write(json.dumps(rec, sort_keys=True) + "\n")

    def req_file(self, line: str) -> Path:
        fd, path = tempfile.mkstemp(prefix="req-", suffix=".txt", dir=self.tmp)
        with os.fdopen(fd, "w") as f:
            f.write(line + "\n")
        return Path(path)

    def nb_common(self, arch: str) -> list[str]:
        return [
            "--no-config", "-q", "--format", "json", "--arch", arch,
            "--python", "3.12", "--manylinux", "2_28",
            "--index-url", INDEX + "/", "--cache-dir", str(self.nb_cache),
        ]

    def nb_resolve(self, req: Path, arch: str, cons: Path | None) -> dict:
        cmd = [self.nbwheel, "resolve", "-r", str(req)] + self.nb_common(arch)
        if cons:
            cmd += ["-c", str(cons)]
        rc, out, err, secs = self.run(cmd, self.args.timeout)
        res = {"ok": rc == 0, "rc": rc, "seconds": round(secs, 1)}
        if rc == 0:
            try:
                doc = json.loads(out)
                res["pins"] = {
                    canon(p["name"]): p["version"] for p in doc["targets"][0]["packages"]
                }
                res["warnings"] = doc.get("warnings", [])
            except (ValueError, KeyError, IndexError) as e:
                res.update(ok=False, error=f"[sweep] unreadable JSON: {e}")
        else:
            res["error"] = tail(err)
        return res

    def nb_build(
        self, req: Path, arch: str, cons: Path | None, netbox: str | None
    ) -> dict:
        fd, out_path = tempfile.mkstemp(prefix="wh-", suffix=".tar.gz", dir=self.tmp)
        os.close(fd)
        os.unlink(out_path)
        cmd = [self.nbwheel, "build", "-r", str(req), "-o", out_path] + self.nb_common(arch)
        if cons:
            cmd += ["-c", str(cons)]
        if netbox:
            cmd += ["--netbox", netbox]
        rc, out, err, secs = self.run(cmd, self.args.build_timeout)
        with contextlib.suppress(OSError):
            os.unlink(out_path)
        res = {"ok": rc == 0, "rc": rc, "seconds": round(secs, 1)}
        if rc == 0:
            try:
                doc = json.loads(out)
                arc = doc["archives"][0]
                res["pins"] = {canon(w["name"]): w["version"] for w in arc["wheels"]}
                res["bytes"] = sum(w.get("size", 0) for w in arc["wheels"])
                res["plugins"] = [
                    {k: p.get(k) for k in ("package", "package_version", "min_version", "max_version")}
                    for p in doc.get("plugins", [])
                ]
                res["warnings"] = doc.get("warnings", [])
            except (ValueError, KeyError, IndexError) as e:
                res.update(ok=False, error=f"[sweep] unreadable JSON: {e}")
        else:
            res["error"] = tail(err)
            res["netbox_gate"] = bool(GATE.search(err))
        return res

    def uv_compile(self, req: Path, arch: str, cons: Path | None) -> dict:
        cmd = [
            self.uv, "pip", "compile", str(req), "--no-config", "--quiet",
            "--only-binary", ":all:",
            "--python-platform", f"{arch}-manylinux_2_28", "--python-version", "3.12",
            "--no-header", "--no-annotate", "--index-url", INDEX,
            "--cache-dir", str(self.uv_cache),
        ]
        if cons:
            cmd += ["-c", str(cons)]
        rc, out, err, secs = self.run(cmd, self.args.timeout)
        res = {"ok": rc == 0, "rc": rc, "seconds": round(secs, 1)}
        if rc == 0:
            pins = {}
            for line in out.splitlines():
                line = line.split("#", 1)[0].strip()
                if not line or line.startswith("-"):
                    continue
                m = re.match(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^\s;]+)", line)
                if m:
                    pins[canon(m.group(1))] = m.group(3)
            res["pins"] = pins
        else:
            res["error"] = tail(err)
        return res

    # -- the checks -------------------------------------------------------------------------

    def top(self, name: str) -> None:
        req = self.req_file(name)
        try:
            for arch in ARCHES:
                key = f"top/{name}/{arch}"
                rec = self.done.get(key)
                if rec is None:
                    rec = {
                        "key": key, "check": "top", "project": name, "arch": arch,
                        "nbwheel": self.nb_resolve(req, arch, None),
                        "uv": self.uv_compile(req, arch, None),
                    }
                    self.record(rec)
                    log(rec)
                if self.args.no_build:
                    continue
                bkey = f"build/{name}/{arch}"
                if bkey in self.done:
                    continue
                nb = rec["nbwheel"]
                if not nb["ok"]:
                    continue
                big = sorted(p for p in nb["pins"] if BIG.match(p))
                brec = {"key": bkey, "check": "build", "project": name, "arch": arch}
                if big:
                    brec["skipped"] = "closure holds " + ", ".join(big)
                else:
                    brec["nbwheel"] = self.nb_build(req, arch, None, None)
                    brec["resolve_pins"] = nb["pins"]
                self.record(brec)
                log(brec)
        finally:
            req.unlink()

    def plugin(self, name: str) -> None:
        for netbox, cons in NETBOX.items():
            key = f"plugin/{name}/{netbox}"
            if key in self.done:
                continue
            rec = {"key": key, "check": "plugin", "project": name, "netbox": netbox}
            req = self.req_file(name)
            try:
                probe = self.nb_build(req, "x86_64", cons, netbox)
            finally:
                req.unlink()
            rec["probe"] = probe
            mine = [p for p in probe.get("plugins", []) if canon(p["package"] or "") == canon(name)]
            if probe["ok"] and not mine:
                rec["kind"] = "not a plugin"
                self.record(rec)
                log(rec)
                # The wheel has no PluginConfig: the other release will not find one either.
                for other in NETBOX:
                    if other != netbox:
                        self.record({**rec, "key": f"plugin/{name}/{other}", "netbox": other})
                return
            if not probe["ok"] and probe.get("netbox_gate"):
                rec["kind"] = "no version supports this release"
                self.record(rec)
                log(rec)
                continue
            if probe["ok"]:
                rec["kind"] = "plugin"
                rec["plugin"] = mine[0]
                line = f"{name}=={probe['pins'][canon(name)]}"
            else:
                rec["kind"] = "probe failed"
                line = name
            req = self.req_file(line)
            try:
                rec["requirement"] = line
                rec["per_arch"] = {}
                for arch in ARCHES:
                    nb = probe if arch == "x86_64" else self.nb_build(req, arch, cons, netbox)
                    rec["per_arch"][arch] = {"nbwheel": nb, "uv": self.uv_compile(req, arch, cons)}
            finally:
                req.unlink()
            self.record(rec)
            log(rec)


def tail(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def log(rec: dict) -> None:
    print(f"{datetime.datetime.now():%H:%M:%S} {rec['key']}: {summary(rec)}", flush=True)


def summary(rec: dict) -> str:
    if rec["check"] == "top":
        return f"nbwheel {'ok' if rec['nbwheel']['ok'] else 'FAIL'}, uv {'ok' if rec['uv']['ok'] else 'FAIL'}"
    if rec["check"] == "build":
        if "skipped" in rec:
            return "skipped: " + rec["skipped"]
        return "build ok" if rec["nbwheel"]["ok"] else "build FAIL"
    return rec.get("kind", "?")


def load_raw(path: Path) -> list[dict]:
    recs: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            recs[rec["key"]] = rec
    return list(recs.values())


# -- comparison and report ------------------------------------------------------------------


def compare(nb: dict, uv: dict) -> tuple[str, str]:
    """(verdict, detail): verdict is "agree" or a short disagreement kind."""
    if nb["ok"] and uv["ok"]:
        a, b = nb["pins"], uv["pins"]
        if a == b:
            return "agree", ""
        diffs = []
        for n in sorted(set(a) | set(b)):
            if a.get(n) != b.get(n):
                diffs.append(f"{n}: nbwheel {a.get(n, '—')}, uv {b.get(n, '—')}")
        return "pins differ", "; ".join(diffs)
    if not nb["ok"] and not uv["ok"]:
        return "agree", "both fail"
    if nb["ok"]:
        return "uv fails", first_error_line(uv.get("error", ""))
    return "nbwheel fails", first_error_line(nb.get("error", ""))


def first_error_line(err: str) -> str:
    lines = [l.strip() for l in err.splitlines() if l.strip()]
    return " ".join(lines[:4])[:400]


def rows_of(recs: list[dict]) -> list[dict]:
    """One row per comparison: check, project, arch, verdict, detail, errors."""
    rows = []
    for rec in sorted(recs, key=lambda r: r["key"]):
        if rec["check"] == "top":
            v, d = compare(rec["nbwheel"], rec["uv"])
            rows.append(row(rec, rec["arch"], "resolve", v, d, rec["nbwheel"], rec["uv"]))
        elif rec["check"] == "build":
            if "skipped" in rec:
                rows.append(row(rec, rec["arch"], "build", "skipped", rec["skipped"], None, None))
                continue
            nb = rec["nbwheel"]
            if nb["ok"]:
                same = nb["pins"] == rec["resolve_pins"]
                v = "agree" if same else "pins differ"
                d = "" if same else "build chose other pins than resolve"
            else:
                v, d = "nbwheel fails", first_error_line(nb.get("error", ""))
            rows.append(row(rec, rec["arch"], "build", v, d, nb, None))
        elif rec["check"] == "plugin":
            kind = rec.get("kind")
            if kind in ("plugin", "probe failed"):
                for arch, pair in rec["per_arch"].items():
                    v, d = compare(pair["nbwheel"], pair["uv"])
                    r = row(rec, arch, f"plugin/{rec['netbox']}", v, d, pair["nbwheel"], pair["uv"])
                    r["kind"] = kind
                    rows.append(r)
    return rows


def row(rec, arch, check, verdict, detail, nb, uv) -> dict:
    return {
        "check": check, "project": rec["project"], "arch": arch, "verdict": verdict,
        "detail": detail,
        "nb_error": (nb or {}).get("error", ""), "uv_error": (uv or {}).get("error", ""),
    }


def classify(r: dict, causes: list[dict]) -> dict | None:
    for c in causes:
        m = c["match"]
        if "check" in m and not re.fullmatch(m["check"], r["check"]):
            continue
        if "project" in m and not re.fullmatch(m["project"], r["project"]):
            continue
        if "arch" in m and m["arch"] != r["arch"]:
            continue
        if "verdict" in m and m["verdict"] != r["verdict"]:
            continue
        if "error" in m and not re.search(m["error"], r["nb_error"] + "\n" + r["uv_error"], re.S):
            continue
        if "detail" in m and not re.search(m["detail"], r["detail"], re.S):
            continue
        return c
    return None


def md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def before_totals(path: Path) -> list[str]:
    """The totals table of an earlier report, under a line naming what it measured."""
    text = path.read_text()
    what = text.split("\n\n", 2)[1].split(",", 1)[0] if "\n\n" in text else ""
    section = text.split("## Totals", 1)[1] if "## Totals" in text else ""
    table = [l for l in section.split("\n## ", 1)[0].splitlines() if l.startswith("|")]
    return [f"Before: `{path.name}`, {what}.", ""] + table


def report(
    recs: list[dict],
    causes: list[dict],
    out: Path,
    meta: dict,
    notes: list[str] | None = None,
    before: list[str] | None = None,
) -> int:
    rows = rows_of(recs)
    plugin_recs = [r for r in recs if r["check"] == "plugin"]
    lines = [f"# Sweep against the real PyPI, {meta['date']}", ""]
    lines += [
        f"nbwheel {meta['nbwheel_version']} (`{meta['commit']}`) against {meta['uv_version']}, "
        "CPython 3.12 on manylinux_2_28, x86_64 and aarch64, each project resolved by itself "
        "from `https://pypi.org/simple`. Written by `bench/sweep/sweep.py` (see `README.md`).",
        "",
        "## Totals",
        "",
        "| check | comparisons | agree | of which both fail | disagree: ours | disagree: uv's | unexplained | skipped |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    unexplained = 0
    by_check: dict[str, list[dict]] = {}
    for r in rows:
        by_check.setdefault(r["check"].split("/")[0] if r["check"].startswith("plugin") else r["check"], []).append(r)
        if r["check"].startswith("plugin"):
            by_check.setdefault(r["check"], []).append(r)
    dis = []
    for r in rows:
        if r["verdict"] not in ("agree", "skipped"):
            c = classify(r, causes)
            r["cause"] = c
            dis.append(r)
    for check in ("resolve", "build", "plugin/4.6.6", "plugin/4.5.10"):
        rs = by_check.get(check, [])
        if not rs:
            continue
        agree = sum(r["verdict"] == "agree" for r in rs)
        both = sum(r["verdict"] == "agree" and r["detail"] == "both fail" for r in rs)
        skipped = sum(r["verdict"] == "skipped" for r in rs)
        ours = sum(bool(r in dis and r["cause"] and r["cause"]["side"].startswith("ours")) for r in rs)
        uvs = sum(bool(r in dis and r["cause"] and r["cause"]["side"].startswith("uv")) for r in rs)
        unexp = sum(bool(r in dis and not r["cause"]) for r in rs)
        unexplained += unexp
        lines.append(
            f"| {check} | {len(rs) - skipped} | {agree} | {both} | {ours} | {uvs} | {unexp} | {skipped} |"
        )
    lines.append("")
    lines.append(
        "`resolve`: the top projects (`nbwheel resolve` against `uv pip compile`); `build`: "
        "`nbwheel build` of each of them that resolved, compared with its own resolution (a "
        "failure is a download or validation refusal); `plugin/V`: NetBox plugins built with "
        "`--netbox V` against V's constraints, compared with uv on the same pin and constraints."
    )
    lines.append("")
    if before:
        lines += before + [""]
    # Plugins found.
    if plugin_recs:
        lines += ["## NetBox plugins", ""]
        kinds: dict[str, int] = {}
        for r in plugin_recs:
            kinds[f"{r['netbox']}: {r.get('kind')}"] = kinds.get(f"{r['netbox']}: {r.get('kind')}", 0) + 1
        lines.append(
            f"{len({r['project'] for r in plugin_recs})} candidates (every project named `*netbox*`):"
        )
        lines.append("")
        for k in sorted(kinds):
            lines.append(f"- NetBox {k}: {kinds[k]}")
        lines.append("")
        for nbv in NETBOX:
            found = [r for r in plugin_recs if r["netbox"] == nbv and r.get("kind") == "plugin"]
            declared = [
                r for r in found if r["plugin"]["min_version"] or r["plugin"]["max_version"]
            ]
            lines.append(
                f"NetBox {nbv}: {len(found)} plugins with a version the `--netbox` gate admits, "
                f"{len(declared)} of them declaring `min_version` or `max_version` (the others "
                "declare no range, so NetBox loads them on any release)."
            )
            lines.append("")
        lines.append(
            "\"probe failed\": the x86_64 probe build failed for a reason other than the gate; "
            "those projects are compared with uv unpinned (most are not plugins or have no wheel)."
        )
        lines.append("")
        lines += ["| plugin | NetBox 4.6.6 | NetBox 4.5.10 |", "| --- | --- | --- |"]
        per: dict[str, dict] = {}
        for r in plugin_recs:
            per.setdefault(r["project"], {})[r["netbox"]] = r
        for name in sorted(per):
            if not any(r.get("kind") in ("plugin", "probe failed") for r in per[name].values()):
                continue
            cells = []
            for nbv in ("4.6.6", "4.5.10"):
                r = per[name].get(nbv)
                if not r:
                    cells.append("")
                elif r.get("kind") == "plugin":
                    p = r["plugin"]
                    rng = f"{p['min_version'] or '—'} – {p['max_version'] or '—'}"
                    cells.append(f"{p['package_version']} ({rng})")
                else:
                    cells.append(r.get("kind", ""))
            lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
        lines.append("")
    lines += ["## Disagreements", ""]
    if not dis:
        lines.append("None.")
    else:
        lines += ["| check | project | arch | what | side | cause |", "| --- | --- | --- | --- | --- | --- |"]
        for r in dis:
            c = r["cause"]
            side = c["side"] if c else "**unexplained**"
            cause = f"[{c['id']}](#{c['id']})" if c else ""
            what = f"{r['verdict']}: {r['detail']}" if r["detail"] else r["verdict"]
            if len(what) > 240:
                what = what[:240] + "…"
            lines.append(
                f"| {r['check']} | {r['project']} | {r['arch']} | {md_escape(what)} | {side} | {cause} |"
            )
    lines.append("")
    # Causes explained once, with their full text.
    used = []
    for r in dis:
        if r["cause"] and r["cause"] not in used:
            used.append(r["cause"])
    if used:
        lines += ["## Causes", ""]
        for c in used:
            n = sum(r["cause"] is c for r in dis)
            lines.append(f"### {c['id']}")
            lines.append("")
            lines.append(f"**{c['side']}**, {n} disagreement(s). {c['cause']}")
            lines.append("")
    if notes:
        lines += ["## Other findings", ""]
        for n in notes:
            lines += [f"- {n}", ""]
    skipped = [r for r in rows if r["verdict"] == "skipped"]
    if skipped:
        lines += ["## Not built (the closure holds torch, triton, `nvidia-*` or the like: far above 100 MB)", ""]
        lines.append(", ".join(sorted({f"{r['project']}" for r in skipped})))
        lines.append("")
    out.write_text("\n".join(lines))
    csv_path = out.with_suffix(".csv")
    with csv_path.open("w") as f:
        f.write("check,project,arch,verdict,side,detail\n")
        for r in rows:
            side = ""
            if r in dis:
                side = r["cause"]["side"] if r["cause"] else "unexplained"
            f.write(",".join(csv_cell(x) for x in (r["check"], r["project"], r["arch"], r["verdict"], side, r["detail"])) + "\n")
    return unexplained


def csv_cell(s: str) -> str:
    s = str(s)
    if any(ch in s for ch in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def version_of(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checks", default="top,plugins", help="comma list of: top, plugins")
    ap.add_argument("--limit", type=int, default=500, help="only the first N top projects")
    ap.add_argument("--only", action="append", default=[], help="only this project (repeatable)")
    ap.add_argument("--no-build", action="store_true", help="resolve only, no `nbwheel build`")
    ap.add_argument("--jobs", type=int, default=3, help="projects at a time (default 3)")
    ap.add_argument("--timeout", type=float, default=180, help="seconds per resolution")
    ap.add_argument("--build-timeout", type=float, default=600, help="seconds per build")
    ap.add_argument("--nbwheel", default=str(REPO / "target" / "release" / "nbwheel"))
    ap.add_argument("--uv", default=str(REPO / "target" / "sweep-venv" / "bin" / "uv"))
    ap.add_argument("--work", default=str(REPO / "target" / "sweep"))
    ap.add_argument("--resume", action="store_true", help="keep outcomes already in <work>/raw.jsonl")
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from raw.jsonl")
    ap.add_argument("--date", default=datetime.date.today().isoformat())
    ap.add_argument("--out", help="report path (default bench/sweep/results-<date>.md)")
    ap.add_argument(
        "--before", help="an earlier results-*.md whose totals are shown as a `before` table"
    )
    args = ap.parse_args()

    if os.environ.get("NBWHEEL_REAL_PYPI") != "1":
        print("sweep.py talks to the real PyPI: set NBWHEEL_REAL_PYPI=1 to run it", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else HERE / f"results-{args.date}.md"
    known = json.loads((HERE / "causes.json").read_text())
    causes = known["causes"]

    if not Path(args.uv).exists() and not args.report_only:
        venv = REPO / "target" / "sweep-venv"
        print(f"installing uv into {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "uv"], check=True)
        args.uv = str(venv / "bin" / "uv")
    if not Path(args.nbwheel).exists():
        print(f"no nbwheel at {args.nbwheel}: run `cargo build --release` first", file=sys.stderr)
        return 5

    runner = Runner(args)
    if not args.report_only:
        checks = set(args.checks.split(","))
        tasks = []
        if "top" in checks:
            top = names_from(HERE / "top500.txt")[: args.limit]
            if args.only:
                top = [n for n in top if n in args.only]
            tasks += [(runner.top, n) for n in top]
        if "plugins" in checks:
            cands = names_from(HERE / "netbox-candidates.txt")
            if args.only:
                cands = [n for n in cands if n in args.only]
            tasks += [(runner.plugin, n) for n in cands]
        if args.only:
            # Re-run these: forget their old outcomes.
            for key in list(runner.done):
                if key.split("/")[1] in args.only:
                    del runner.done[key]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futs = [pool.submit(fn, n) for fn, n in tasks]
            for f in concurrent.futures.as_completed(futs):
                if f.exception():
                    print(f"[sweep] error: {f.exception()!r}", file=sys.stderr, flush=True)

    recs = load_raw(runner.raw) if runner.raw.exists() else []
    # What the outcomes were measured with: kept beside raw.jsonl, so that --report-only
    # names the code that ran, not the code checked out now.
    meta_path = runner.work / "meta.json"
    if args.report_only and meta_path.exists():
        meta = json.loads(meta_path.read_text())
    else:
        meta = {
            "nbwheel_version": version_of([args.nbwheel, "--version"]).replace("nbwheel ", ""),
            "uv_version": version_of([args.uv, "--version"]),
            "commit": version_of(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        }
        if not args.report_only:
            meta_path.write_text(json.dumps(meta) + "\n")
    meta["date"] = args.date
    raw_copy = out.with_suffix(".json")
    # One outcome a line: small diffs between runs, greppable.
    raw_copy.write_text(
        "[\n"
        + ",\n".join(json.dumps(r, sort_keys=True) for r in sorted(recs, key=lambda r: r["key"]))
        + "\n]\n"
    )
    before = before_totals(Path(args.before)) if args.before else None
    unexplained = report(recs, causes, out, meta, known.get("notes"), before)
    print(f"wrote {out}, {out.with_suffix('.csv')} and {raw_copy}: {unexplained} unexplained")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
