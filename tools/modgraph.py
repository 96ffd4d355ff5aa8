#!/usr/bin/env python3
"""Checks the floors of nbwheel's src/ (see docs/ARCHITECTURE.md).

    python3 tools/modgraph.py            # from the repository root

Reads the floor table from docs/ARCHITECTURE.md (the lines `floor N: module module ...`
inside the block that starts with `<!-- floors -->`), collects every `crate::X` path in the
shipped code of src/ (test modules and comments left out; a module is the first path
component under src/, so src/index/http/client.rs is `index`), and prints the edges. It
fails (exit 1) when a module imports one on a higher floor, when the top-level modules form a
cycle, or when a module of src/ is missing from the table. Standard library only.
"""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = os.path.join(root, "src")
doc = open(os.path.join(root, "docs", "ARCHITECTURE.md"), encoding="utf-8").read()
table = doc.split("<!-- floors -->", 1)[1]
floors = {}
for m in re.finditer(r"^floor (\d+): (.+)$", table, re.M):
    for name in m.group(2).split():
        floors[name] = int(m.group(1))

use_re = re.compile(r"\bcrate::(\{[^}]*\}|\w+)")
edges, problems = {}, []
for dirpath, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".rs"):
            continue
        rel = os.path.relpath(os.path.join(dirpath, f), src)
        mod = rel.split(os.sep)[0].removesuffix(".rs")
        if mod == "lib":
            continue
        if mod not in floors:
            problems.append(f"{rel}: module `{mod}` has no floor in docs/ARCHITECTURE.md")
            continue
        text = open(os.path.join(dirpath, f), encoding="utf-8").read()
        text = re.split(r"#\[cfg\(test\)\]\s*mod\s+tests\b", text)[0]
        text = re.sub(r"//[^\n]*", "", text)
        for m in use_re.finditer(text):
            group = m.group(1)
            names = [t.strip().split("::")[0] for t in group.strip("{}").split(",")] if group.startswith("{") else [group]
            for t in names:
                if not t or t == mod or t in ("self", "super") or t[0].isupper():
                    continue
                edges.setdefault(mod, set()).add(t)
                if t not in floors:
                    problems.append(f"{rel}: `crate::{t}` is not a module with a floor")
                elif floors[t] > floors[mod]:
                    problems.append(f"{rel}: `{mod}` (floor {floors[mod]}) imports `{t}` (floor {floors[t]})")

# cycles among top-level modules (Tarjan)
index, low, stack, on, sccs = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in floors:
            continue
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
for v in sorted(floors):
    if v not in index:
        visit(v)
for c in sccs:
    problems.append("cycle: " + " ".join(c))

for mod in sorted(edges, key=lambda m: (floors.get(m, 99), m)):
    print(f"floor {floors.get(mod)} {mod} -> {' '.join(sorted(edges[mod]))}")
if problems:
    print("\n".join(sorted(set(problems))))
    sys.exit(1)
print(f"ok: {len(floors)} modules on {len(set(floors.values()))} floors, no upward import, no cycle")
