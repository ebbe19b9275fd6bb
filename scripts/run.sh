#!/usr/bin/env bash
# Installs what is needed, builds, and runs volumes-probe against a kernel with
# device-mapper: this machine's own when it has one and we are root, otherwise a
# qemu guest booting Debian's kernel (tests/vm/boot-guest.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Installing the Debian packages volumesd needs (scripts/install-deps.sh)"
scripts/install-deps.sh
step "Configuring into build/ (cmake -S . -B build -G Ninja)"
cmake -S . -B build -G Ninja
step "Building (cmake --build build)"
cmake --build build

build=$PWD/build
if ((EUID == 0)) && { grep -q device-mapper /proc/misc || modprobe -q dm_mod 2>/dev/null; }; then
  step "This kernel ($(uname -r)) has device-mapper: running build/kmod/volumes-probe here"
  exec "$build/kmod/volumes-probe"
fi

if ((EUID != 0)); then
  reason="Not running as root"
else
  reason="No device-mapper in this kernel ($(uname -r))"
fi
step "$reason: booting a qemu guest with Debian's kernel to run build/kmod/volumes-probe there (console in build/run-guest/results/serial.log)"
exec bash tests/vm/boot-guest.sh "$build/run-guest/results" "$build/run-guest/work" 600 \
  /bin/bash "$PWD/scripts/guest-demo.sh" "$build"
