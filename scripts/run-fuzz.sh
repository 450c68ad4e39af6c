#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for a short time.
# Usage: scripts/run-fuzz.sh [SECONDS]   (default 60 per target; CI calls it from run-tests.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[[ -n "$cxx" ]] || { echo "run-fuzz: clang++ not installed; skipped"; exit 0; }
cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCAUSA_FUZZ=ON -DCAUSA_BUILD_GUI=OFF >/dev/null
cmake --build build/fuzz --target fuzz_cmdline -j "$(nproc)"
mkdir -p build/fuzz/corpus-cmdline
cp -n tests/fuzz/corpus/* build/fuzz/corpus-cmdline/ 2>/dev/null || true
build/fuzz/tests/fuzz/fuzz_cmdline -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 build/fuzz/corpus-cmdline
