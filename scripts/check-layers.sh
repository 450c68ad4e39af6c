#!/usr/bin/env bash
# The folder layers of analysis/ (docs/ARCHITECTURE.md): store/ includes only core/ and store/,
# core/ includes only core/, and the graph of "folder A includes a header of folder B" has no
# cycle. Prints each offending include as file:line and fails (run by scripts/run-tests.sh).
#   scripts/check-layers.sh          check
#   scripts/check-layers.sh --graph  also print the folder graph (A -> B: how many includes)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import os, re, sys

ROOT = "analysis"
# Layers each folder may include besides itself (Qt, std and third-party headers always).
ONLY = {"core": {"core"}, "store": {"core", "store"}}
# Folder edges allowed to close a cycle, each with why (empty: none is allowed today).
ALLOWED_CYCLE_EDGES = {
}

folders = sorted(d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d)))
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
edges = {}  # (from, to) -> [file:line, ...]
for folder in folders:
    for dirpath, _, files in os.walk(os.path.join(ROOT, folder)):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for lineno, line in enumerate(f, 1):
                    m = include.match(line)
                    if not m:
                        continue
                    target = m.group(1)
                    head = target.split("/", 1)[0]
                    if "/" in target and head in folders:
                        to = head
                    elif os.path.exists(os.path.join(dirpath, target)):
                        to = folder  # a header next to the file
                    else:
                        continue  # generated or third-party
                    if to != folder:
                        edges.setdefault((folder, to), []).append(f"{path}:{lineno}")

failed = False
for (a, b), where in sorted(edges.items()):
    if a in ONLY and b not in ONLY[a]:
        failed = True
        for w in where:
            print(f"check-layers: {w}: {a}/ includes {b}/ (allowed: {', '.join(sorted(ONLY[a]))})")

graph = {f: set() for f in folders}
for (a, b) in edges:
    if (a, b) not in ALLOWED_CYCLE_EDGES:
        graph[a].add(b)

# Depth-first search; a back edge closes a cycle, printed with one include per edge.
state, stack, cycles = {}, [], []
def visit(node):
    state[node] = 1
    stack.append(node)
    for nxt in sorted(graph[node]):
        if state.get(nxt) == 1:
            cycles.append(stack[stack.index(nxt):] + [nxt])
        elif nxt not in state:
            visit(nxt)
    stack.pop()
    state[node] = 2
for f in folders:
    if f not in state:
        visit(f)
for cycle in cycles:
    failed = True
    print("check-layers: folder cycle " + " -> ".join(cycle))
    for a, b in zip(cycle, cycle[1:]):
        print(f"    {a} -> {b}: {edges[(a, b)][0]}" + (f" (+{len(edges[(a, b)]) - 1} more)" if len(edges[(a, b)]) > 1 else ""))

for edge, why in sorted(ALLOWED_CYCLE_EDGES.items()):
    print(f"check-layers: allowed {edge[0]} -> {edge[1]}: {why}")
if "--graph" in sys.argv[1:]:
    for (a, b), where in sorted(edges.items()):
        print(f"{a} -> {b}: {len(where)}")
if not failed:
    print(f"check-layers: {len(folders)} folders, {len(edges)} folder edges, no cycle; "
          "store/ and core/ include only their layers")
sys.exit(1 if failed else 0)
PY
