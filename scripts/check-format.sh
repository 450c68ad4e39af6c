#!/usr/bin/env bash
# Every C++ file is formatted as .clang-format says, by clang-format 14 (other versions format
# differently). Prints the files that are not and fails (run by CI).
#   scripts/check-format.sh         check
#   scripts/check-format.sh --fix   rewrite the files in place
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$clang_format" >/dev/null; then
    echo "check-format: $clang_format not found (scripts/setup-debian.sh --tests installs it)" >&2
    exit 2
fi
mapfile -t files < <(find app ui models analysis tests -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
if [[ "${1:-}" == "--fix" ]]; then
    "$clang_format" -i --style=file "${files[@]}"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    if ! "$clang_format" --style=file "$f" | cmp -s "$f" -; then
        echo "check-format: $f is not formatted (scripts/check-format.sh --fix)"
        bad=1
    fi
done
if ((bad)); then
    echo "check-format: $(printf '%s\n' "${files[@]}" | wc -l) files checked; format the ones above" >&2
fi
exit "$bad"
