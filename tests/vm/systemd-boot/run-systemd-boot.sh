#!/usr/bin/env bash
# run-systemd-boot.sh <build-dir> <results-dir> <work-dir> [timeout-seconds-per-boot]
#
# The guest.systemd-boot test: three boots of the guest with systemd as PID 1 over the same
# two persistent virtio disks (fresh ones in <work-dir> each run), each one prepared by
# prepare-root.sh and checked by boot-check.sh (see there for the story). Stops at the first
# boot that fails, since the next one builds on it. Per boot, <results-dir> keeps
# serial-boot<N>.log, boot<N>.log, boot<N>.verdicts, boot<N>.journal and boot<N>.dmesg.
#
# Environment: boot-guest.sh's VOLUMES_GUEST_* knobs (kernel, timeout, memory, CPUs, qemu).
set -euo pipefail

if (($# < 3 || $# > 4)); then
  echo "usage: $0 <build-dir> <results-dir> <work-dir> [timeout-seconds-per-boot]" >&2
  exit 2
fi
build=$1
results=$2
work=$3
timeout_s=${4:-900}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() {
  echo "guest.systemd-boot: FAILED: $*" >&2
  exit 1
}

rm -rf "$results"
mkdir -p "$results/persist" "$work"
for binary in service/daemon/volumesd volumectl/volumectl; do
  [[ -x $build/$binary ]] || fail "$build/$binary is missing: build the project first"
done
command -v jq >/dev/null || fail "jq not found (scripts/install-deps.sh installs it)"

disks=()
for name in volumes-disk-a volumes-disk-b; do
  rm -f "$work/$name.img"
  truncate -s 256M "$work/$name.img"
  disks+=("$work/$name.img")
done

times=()
for boot in 1 2 3; do
  echo "guest.systemd-boot: === boot $boot"
  start=$EPOCHREALTIME
  set +e
  VOLUMES_GUEST_SYSTEMD=1 VOLUMES_GUEST_SYSTEMD_UNIT=volumes-boot-check.target VOLUMES_GUEST_DISKS="${disks[*]}" \
    bash "$here/../boot-guest.sh" "$results" "$work" "$timeout_s" \
    /bin/bash "$here/prepare-root.sh" "$boot" "$results" "$(cd "$build" && pwd)"
  status=$?
  set -e
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  times+=("boot $boot ${seconds} s")
  mv "$results/serial.log" "$results/serial-boot$boot.log" 2>/dev/null || true
  if [[ -f $results/boot$boot.verdicts ]]; then
    sed "s/^/guest.systemd-boot: boot $boot: /" "$results/boot$boot.verdicts"
  fi
  ((status == 0)) || fail "boot $boot failed (status $status; see $results/serial-boot$boot.log and boot$boot.log)"
  [[ -s $results/boot$boot.verdicts ]] || fail "boot $boot left no verdicts"
  ! grep -q '^FAIL' "$results/boot$boot.verdicts" || fail "boot $boot has failed checks"
done
echo "guest.systemd-boot: wall-clock time per boot (qemu start to power-off): $(IFS=,; echo "${times[*]}")"
echo "guest.systemd-boot: all three boots passed"
