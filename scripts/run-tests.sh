#!/usr/bin/env bash
# Sets up, builds and runs every Causa test (what CI runs). Works headless.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --tests
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
# Paths relative to the checkout: a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# Without these, every object built with a precompiled header is a cache miss.
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)"
# Decoders under libFuzzer (clang, ASan+UBSan) for a short time (SPEC §13);
# CAUSA_FUZZ_SECONDS=0 skips it. Runs before ctest so the test summary is the last word.
if [[ "${CAUSA_FUZZ_SECONDS:-60}" != 0 ]]; then
    scripts/run-fuzz.sh "${CAUSA_FUZZ_SECONDS:-60}"
fi
export QT_QPA_PLATFORM=offscreen
# The team-store tests start their own throwaway PostgreSQL server (tests/postgres).
ctest --test-dir build/ci --output-on-failure -j 2 --timeout 900
