#!/usr/bin/env bash
# guest-main.sh <manifest> <results-dir> [per-binary-timeout-seconds]
#
# Runs inside the guest, in the chroot /init builds over the host's /. Sets up the
# few things a real system has (scratch tmpfs, loop, udev), then runs every test
# binary listed in <manifest> (one absolute path per line) with
# VOLUMES_GUEST_RESULTS=<results-dir>. Each binary's output goes to the console and
# to <results-dir>/<binary>.log, its exit status to <results-dir>/binaries/<binary>.exit.
# Exits non-zero if any binary failed.
set -Eeuo pipefail

if (($# < 2)); then
  echo "usage: $0 <manifest> <results-dir> [per-binary-timeout-seconds]" >&2
  exit 2
fi
manifest=$1
results=$2
binary_timeout=${3:-1200}
trap 'echo "=== guest: guest-main.sh failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'dmesg >"$results/dmesg.log" 2>&1 || true' EXIT

# Own line: the console may still hold a partial line from the firmware or kernel.
echo
echo "VOLUMES-GUEST-MAIN-START uptime=$(cut -d' ' -f1 /proc/uptime)"
echo "=== guest: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"

mapfile -t binaries < <(grep -v -e '^[[:space:]]*$' -e '^#' "$manifest")

# mount_scratch_tmpfs <dir> <mode>: puts a fresh tmpfs on <dir>. Host paths under
# <dir> that this run needs (the build tree and results when the build dir is in
# /tmp) are bound back in, so they stay visible.
mount_scratch_tmpfs() {
  local dir=$1 mode=$2 stash=/.host$1 path entry
  local -A keep=()
  for path in "$manifest" "$results" "$0" "${binaries[@]}"; do
    if [[ $path == "$dir"/* ]]; then
      entry=${path#"$dir"/}
      keep[${entry%%/*}]=1
    fi
  done
  if ((${#keep[@]})); then
    mkdir -p "$stash"
    mount --rbind "$dir" "$stash"
  fi
  mount -t tmpfs -o "mode=$mode" tmpfs "$dir"
  for entry in "${!keep[@]}"; do
    if [[ -d $stash/$entry ]]; then
      mkdir -p "$dir/$entry"
    else
      touch "$dir/$entry"
    fi
    mount --rbind "$stash/$entry" "$dir/$entry"
  done
}

start_udev() {
  /lib/systemd/systemd-udevd --daemon
  udevadm trigger --type=subsystems --action=add
  udevadm trigger --type=devices --action=add
  udevadm settle --timeout=120 || echo "=== guest: WARNING: udev did not settle within 120 s; tests run anyway"
}

# Hook: start the system dbus-daemon and polkitd here once the D-Bus tests need them.
start_system_services() {
  :
}

run_binary() {
  local binary=$1 name rc start
  name=$(basename "$binary")
  start=$(date +%s)
  echo "=== guest: running $binary"
  set +e
  VOLUMES_GUEST_RESULTS=$results GTEST_COLOR=no \
    timeout --kill-after=10 "$binary_timeout" \
    "$binary" "--gtest_output=xml:$results/xml/$name.xml" </dev/null 2>&1 |
    tee "$results/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  echo "$rc" >"$results/binaries/$name.exit"
  echo "=== guest: $name exited with status $rc after $(($(date +%s) - start)) s"
  return "$rc"
}

mount_scratch_tmpfs /tmp 1777
mount_scratch_tmpfs /run 0755
mkdir -p /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm

modprobe loop
start_udev
start_system_services
echo "=== guest: udev settled, setup done at uptime $(cut -d' ' -f1 /proc/uptime) s"

mkdir -p "$results/results" "$results/binaries" "$results/xml"
status=0
for binary in "${binaries[@]}"; do
  run_binary "$binary" || status=1
done
echo "=== guest: all test binaries done at uptime $(cut -d' ' -f1 /proc/uptime) s, status $status"
exit "$status"
