#!/usr/bin/env bash
# Installs what Causa needs on Debian 12 (only the packages that are missing).
# Usage: scripts/setup-debian.sh [--tests]
set -euo pipefail
packages=(cmake ninja-build g++ ccache pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
          libvulkan-dev libqt6sql6-sqlite libsqlite3-dev libqt6svg6 nlohmann-json3-dev libsimdjson-dev libssl-dev libevtx-dev libbfio-dev zlib1g-dev qtkeychain-qt6-dev libyaml-cpp-dev libre2-dev
          fonts-dejavu-core)
if [[ "${1:-}" == "--tests" ]]; then
    packages+=(clang-14 libclang-rt-14-dev clang-format-14 xvfb xauth poppler-utils libqt6sql6-psql
               postgresql dpkg-dev file python3)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
