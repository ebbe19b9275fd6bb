#!/usr/bin/env bash
# bench.sh [<build-dir>] [-- bench-args...]
#
# Builds <build-dir> (default: build/, configured with -DCMAKE_INSTALL_PREFIX=/usr), boots
# the qemu guest once (tests/vm/boot-guest.sh) and runs tests/bench's
# raid1_split_merge_bench there: volumesd (bus-activated from the build's install in the
# guest) against lvm2's lvconvert on the same raid1 split-track + merge. The figures are
# printed at the end and kept in <build-dir>/bench-guest/results/bench.txt. Extra
# arguments go to the program (see tests/bench/README.md), e.g. -- --write-mib 64.
#
# bench.sh --guest <build-dir> <results-dir> [bench-args...]   (inside the guest)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ ${1:-} == --guest ]]; then
  build=$2 results=$3
  shift 3
  # shellcheck source=SCRIPTDIR/../tests/vm/guest-environment.sh
  source "$here/../tests/vm/guest-environment.sh"
  prepare_guest_environment "$build" "$here/bench.sh" "$results"
  install_status=$(<"$GUEST_SERVICES_DIR/install-status")
  if [[ $install_status != installed ]]; then
    echo "=== guest: FAILED: volumesd is not installed in the guest: $install_status" | tee "$results/bench.txt"
    exit 1
  fi
  status=0
  "$build/tests/bench/raid1_split_merge_bench" "$@" 2>&1 | tee "$results/bench.txt" || status=$?
  mkdir -p "$results/services"
  cp "$GUEST_SERVICES_DIR/dbus-daemon.log" "$results/services/" 2>/dev/null || true
  exit "$status"
fi

build=$PWD/build
if [[ $# -gt 0 && $1 != -- ]]; then
  build=$(cd "$1" && pwd)
  shift
fi
[[ ${1:-} == -- ]] && shift
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$here/.." -B "$build" -G Ninja -DCMAKE_INSTALL_PREFIX=/usr
fi
# What the guest installs (volumesd, volumes-probe) and the program; not the tests.
cmake --build "$build" --target volumesd volumes-probe raid1_split_merge_bench

results=$build/bench-guest/results
mkdir -p "$results" "$build/bench-guest/work"
rm -f "$results/bench.txt"
status=0
VOLUMES_GUEST_MEMORY=${VOLUMES_GUEST_MEMORY:-3072} \
  bash "$here/../tests/vm/boot-guest.sh" "$results" "$build/bench-guest/work" 900 \
  /bin/bash "$here/bench.sh" --guest "$build" "$results" "$@" || status=$?
printf '\n==> figures (%s)\n' "$results/bench.txt"
cat "$results/bench.txt" 2>/dev/null || echo "bench.sh: the guest wrote no figures (console: $results/serial.log)"
exit "$status"
