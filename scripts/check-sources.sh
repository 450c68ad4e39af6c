#!/usr/bin/env bash
# Source lists are explicit: every .cpp/.h/.ui under analysis/, models/, ui/ and app/ must be
# named in its folder's CMakeLists.txt. Prints the ones that are not and fails (run by CI).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
for dir in analysis models ui app; do
    lists="$dir/CMakeLists.txt"
    while IFS= read -r f; do
        rel="${f#"$dir"/}"
        if ! grep -qE "(^|[[:space:](])${rel//./\\.}([[:space:])]|$)" "$lists"; then
            echo "check-sources: $f is not listed in $lists"
            missing=1
        fi
    done < <(find "$dir" -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.ui' \) | sort)
done
exit "$missing"
