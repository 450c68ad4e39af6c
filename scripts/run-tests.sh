#!/usr/bin/env bash
# Sets up, builds and runs every Causa test (what CI runs). Works headless.
#   scripts/run-tests.sh           the ci preset (warnings as errors), short fuzzing, all of ctest
#   scripts/run-tests.sh --asan    the whole ctest suite built with the asan preset
#                                  (AddressSanitizer + UndefinedBehaviorSanitizer) in build/asan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=ci
case "${1:-}" in
    --asan) preset=asan ;;
    "") ;;
    *) echo "usage: $0 [--asan]" >&2; exit 2 ;;
esac
scripts/setup-debian.sh --tests
# Source lists are explicit: a file missing from its CMakeLists.txt fails here, not at link time.
scripts/check-sources.sh
# The folder layers of analysis/: store/ and core/ include only their layers, no folder cycle.
scripts/check-layers.sh
# Every C++ file as .clang-format says (clang-format 14); `scripts/check-format.sh --fix` formats.
scripts/check-format.sh
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
# Paths relative to the checkout: a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# Without these, every object built with a precompiled header is a cache miss.
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
if [[ "$preset" == asan ]]; then
    # Any finding fails the test that hit it. Leak checking is off by default: Qt's plugin and
    # font caches are never freed at exit (CAUSA_ASAN_OPTIONS overrides).
    export ASAN_OPTIONS="${CAUSA_ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Sanitized code runs several times slower: a longer per-test timeout.
    ctest --test-dir build/asan --output-on-failure -j 2 --timeout 2700
    exit 0
fi
# Decoders and every importer under libFuzzer (clang, ASan+UBSan) for a short time each
# (SPEC §13); CAUSA_FUZZ_SECONDS is the time per target, 0 skips fuzzing; CAUSA_FUZZ_TARGETS
# picks targets. Runs before ctest so the test summary is the last word.
if [[ "${CAUSA_FUZZ_SECONDS:-15}" != 0 ]]; then
    read -r -a fuzz_targets <<< "${CAUSA_FUZZ_TARGETS:-cmdline httpchunks ziparchive xdr events evtx zip ioccsv stix misp}"
    scripts/run-fuzz.sh "${CAUSA_FUZZ_SECONDS:-15}" "${fuzz_targets[@]}"
fi
# The core tests again with AddressSanitizer + UndefinedBehaviorSanitizer: the fuzz build's
# causa_core is instrumented, so only these tests compile on top of it (the whole suite under
# ASan is `scripts/run-tests.sh --asan`). CAUSA_ASAN_CORE=0 skips.
if [[ "${CAUSA_ASAN_CORE:-1}" != 0 && -f build/fuzz/build.ninja ]]; then
    asan_tests=(tst_cmdlinedecoder tst_cmdlineanalyzer tst_cmdlinerules tst_cmdlinescan tst_cmdlinehostile tst_cmdlineindicators tst_eventimport
                tst_processforest tst_flatevent tst_ziparchive tst_ziptrust tst_httponce tst_xdrimport
                tst_sigmaengine tst_casestore tst_approvalrules tst_evidencestore tst_timelinequeries
                tst_playbookengine tst_tenants)
    cmake --build build/fuzz -j "$(nproc)" --target "${asan_tests[@]}"
    pattern="^($(IFS='|'; echo "${asan_tests[*]}"))\$"
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        ctest --test-dir build/fuzz -R "$pattern" --output-on-failure -j 2 --timeout 1800
fi
# The team-store tests start their own throwaway PostgreSQL server (tests/postgres).
ctest --test-dir build/ci --output-on-failure -j 2 --timeout 900
