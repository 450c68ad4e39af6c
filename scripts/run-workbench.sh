#!/usr/bin/env bash
# Sets up, builds and opens the Causa workbench on the bundled sample case (embedded SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target causa causa-cli
db="${CAUSA_DB:-${HOME:-/tmp}/.local/share/causa/sample.sqlite}"
mkdir -p "$(dirname "$db")"
exec build/release/app/causa --db "$db" resources/samples/fin-ws-042-incident.json \
    resources/samples/fin-ws-042-events.jsonl resources/samples/fin-ws-042-iocs.csv "$@"
