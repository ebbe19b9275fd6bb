#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: host unit tests, the parser fuzzer,
# and the tests that boot a qemu guest with a real device-mapper kernel.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_INSTALL_PREFIX=/usr
cmake --build build
ctest --test-dir build --output-on-failure --timeout 3000 "$@"
