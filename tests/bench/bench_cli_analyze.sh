#!/usr/bin/env bash
# End-to-end throughput of `causa-cli analyze --jsonl` (SPEC §12: >= 50,000 typical lines/s on one
# core), JSON output included. Writes the typical mix (bench_cmdline --write-jsonl), runs the CLI
# pinned to one core when taskset exists, and prints lines/s of wall time and per CPU-second
# (on a shared machine wall time also measures the neighbours). Prints figures; asserts nothing.
# usage: tests/bench/bench_cli_analyze.sh [BUILD_DIR (build/ci)] [LINES (200000)]
set -euo pipefail
build=${1:-build/ci}
lines=${2:-200000}
cli=$build/app/causa-cli
bench=$build/tests/bench/bench_cmdline
for exe in "$cli" "$bench"; do
    [[ -x $exe ]] || { echo "missing $exe (build causa-cli and bench_cmdline)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write-jsonl "$work/in.jsonl" "$lines" >/dev/null
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
run() {
    local t0 t1
    t0=$(date +%s.%N)
    "${pin[@]}" "$cli" analyze --jsonl "$work/in.jsonl" >"$work/out.jsonl"
    t1=$(date +%s.%N)
    wall=$(echo "$t1 - $t0" | bc -l)
}
# The children's user+system seconds: bash's `times` (second line) before and after the run, in
# this shell (a $(...) subshell would count its own children, not ours).
child_cpu() {
    tail -1 "$1" | awk '{ split($1, u, "m"); split($2, s, "m");
        printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}
times >"$work/t0"
run
times >"$work/t1"
cpu=$(echo "$(child_cpu "$work/t1") - $(child_cpu "$work/t0")" | bc -l)
out=$(wc -l <"$work/out.jsonl")
bytes=$(wc -c <"$work/out.jsonl")
printf 'causa-cli analyze --jsonl: %d lines in, %d objects out (%d bytes)\n' "$lines" "$out" "$bytes"
printf '  %.2f s wall = %.0f lines/s; %.2f s CPU = %.0f lines per CPU-second%s\n' \
    "$wall" "$(echo "$lines / $wall" | bc -l)" "$cpu" "$(echo "$lines / $cpu" | bc -l)" \
    "${pin:+ (pinned to core 0)}"
