#!/usr/bin/env bash
# Installs every Debian package volumesd needs to build, test and run its guest.
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config g++
  # the parser fuzzer: libFuzzer from clang 16, libc++ for std::expected under clang
  clang-16 libclang-rt-16-dev libc++-16-dev libc++abi-16-dev
  libsdbus-c++-dev libsdbus-c++-bin
  libdevmapper-dev libudev-dev libkmod-dev libblkid-dev libmount-dev
  nlohmann-json3-dev zlib1g-dev libfmt-dev libspdlog-dev libcli11-dev libsystemd-dev
  libgtest-dev libgmock-dev
  # tests/bus: parses the introspection XML
  libexpat1-dev
  # guest harness: a real kernel with device-mapper, run under qemu
  qemu-system-x86 linux-image-amd64 busybox-static kmod cpio
  # inside the guest (the guest runs the host's userspace)
  udev dbus polkitd pkexec dmsetup lvm2 thin-provisioning-tools e2fsprogs xfsprogs util-linux
  # guest.systemd-boot: systemd as the guest's PID 1, jq for volumectl --json
  systemd jq
  # guest.initramfs-boot: mkinitramfs runs volumesd's hook
  initramfs-tools
  # tests/bench: the kernel floor, from an strace of volumesd
  strace
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
