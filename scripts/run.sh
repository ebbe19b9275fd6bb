#!/usr/bin/env bash
# Installs what is needed, builds, and runs the walkthrough (scripts/guest-demo.sh): the
# system bus and polkitd up, volumesd started by bus activation, a pool on loop devices,
# volumes created, listed, deactivated, activated, split-tracked and merged with busctl.
# It runs on this machine when its kernel has device-mapper and we are root (installing
# the project into / and using this machine's system bus), otherwise in a qemu guest
# booting Debian's kernel (tests/vm/boot-guest.sh), which installs it into its own
# throwaway root.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Installing the Debian packages volumesd needs (scripts/install-deps.sh)"
scripts/install-deps.sh
# dbus-daemon and polkitd read their files under /usr only.
step "Configuring into build/ (cmake -S . -B build -G Ninja -DCMAKE_INSTALL_PREFIX=/usr)"
cmake -S . -B build -G Ninja -DCMAKE_INSTALL_PREFIX=/usr
step "Building (cmake --build build)"
cmake --build build

build=$PWD/build
if ((EUID == 0)) && { grep -q device-mapper /proc/misc || modprobe -q dm_mod 2>/dev/null; }; then
  step "This kernel ($(uname -r)) has device-mapper: installing volumesd here (cmake --install build)"
  busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId >/dev/null ||
    { echo "run.sh: no system bus on this machine to run volumesd on" >&2; exit 1; }
  cmake --install build
  if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
    # A volumesd from an earlier install would answer instead of the one just built.
    systemctl stop volumesd.service 2>/dev/null || true
  elif owner=$(busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
    GetConnectionUnixProcessID s org.example.Volumes 2>/dev/null); then
    kill -TERM "${owner#u }"
    for ((tries = 0; tries < 100; tries++)); do
      busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
        NameHasOwner s org.example.Volumes | grep -q false && break
      sleep 0.1
    done
  fi
  busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig
  step "Running the walkthrough on this machine's system bus"
  exec bash scripts/guest-demo.sh --host "$build"
fi

if ((EUID != 0)); then
  reason="Not running as root"
else
  reason="No device-mapper in this kernel ($(uname -r))"
fi
step "$reason: booting a qemu guest with Debian's kernel to run the walkthrough there (console in build/run-guest/results/serial.log)"
exec bash tests/vm/boot-guest.sh "$build/run-guest/results" "$build/run-guest/work" 600 \
  /bin/bash "$PWD/scripts/guest-demo.sh" "$build"
