#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, UBSan findings fatal) and runs each for
# a short time on its corpus (tests/fuzz/corpus/<target>, copied so the seeds stay as written).
# Usage: scripts/run-fuzz.sh [SECONDS] [TARGET...]
#   SECONDS per target (default 15; CI calls it from run-tests.sh), TARGET names like xdr, zip
#   (default: all). A crash stops the run with libFuzzer's report and the crashing input in
#   build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(cmdline httpchunks ziparchive xdr events evtx zip ioccsv stix misp)
cxx="$(command -v clang++ || command -v clang++-14 || true)"
cc="$(command -v clang || command -v clang-14 || true)"
[[ -n "$cxx" ]] || { echo "run-fuzz: clang++ not installed; skipped"; exit 0; }
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); else launcher=(); fi
cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAUSA_FUZZ=ON -DCAUSA_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
mkdir -p build/fuzz/artifacts
summary=()
for t in "${targets[@]}"; do
    corpus="build/fuzz/corpus/$t"
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
    log="build/fuzz/$t.log"
    status=0
    build/fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
        -timeout=20 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t-" "$corpus" \
        >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    summary+=("fuzz_$t: $runs runs in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs")
    if [[ $status -ne 0 ]]; then
        tail -n 60 "$log"
        echo "run-fuzz: fuzz_$t FAILED (exit $status); crashing input in build/fuzz/artifacts/"
        printf '%s\n' "${summary[@]}"
        exit 1
    fi
done
printf '%s\n' "${summary[@]}"
