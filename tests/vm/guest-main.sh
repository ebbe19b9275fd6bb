#!/usr/bin/env bash
# guest-main.sh <manifest> <results-dir> [per-binary-timeout-seconds]
#
# The guest command of guest.boot (run by boot-guest.sh, in the chroot /init builds
# over the host's /). Prepares the guest environment (guest-environment.sh: the build
# tree that holds <manifest> installed, the system bus, polkitd), then runs every test
# binary listed in <manifest> (one absolute path per line) with
# VOLUMES_GUEST_RESULTS=<results-dir>. Each binary's output goes to the console and
# to <results-dir>/<binary>.log, its exit status to <results-dir>/binaries/<binary>.exit.
# The system services' logs end up in <results-dir>/services/.
# Exits non-zero if any binary failed.
set -Eeuo pipefail

if (($# < 2)); then
  echo "usage: $0 <manifest> <results-dir> [per-binary-timeout-seconds]" >&2
  exit 2
fi
manifest=$1
results=$2
binary_timeout=${3:-2400}
trap 'echo "=== guest: guest-main.sh failed at line $LINENO: $BASH_COMMAND"' ERR
# shellcheck disable=SC2317 # run by the EXIT trap
save_logs() {
  dmesg >"$results/dmesg.log" 2>&1 || true
  mkdir -p "$results/services"
  cp "$GUEST_SERVICES_DIR"/*.log "$GUEST_SERVICES_DIR"/install-status "$results/services/" 2>/dev/null || true
}
trap save_logs EXIT

# shellcheck source=SCRIPTDIR/guest-environment.sh
source "$(dirname "${BASH_SOURCE[0]}")/guest-environment.sh"

# The manifest is generated into <build>/tests/vm/; the build tree is the nearest
# directory above it that holds a CMakeCache.txt.
# realpath alone, so a manifest the guest cannot see fails here (set -e) instead of
# leaving build at "." for the loop below, which would never end.
manifest_path=$(realpath -e "$manifest")
build=$(dirname "$manifest_path")
while [[ $build != / && ! -f $build/CMakeCache.txt ]]; do
  build=$(dirname "$build")
done

mapfile -t binaries < <(grep -v -e '^[[:space:]]*$' -e '^#' "$manifest")

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

prepare_guest_environment "$build" "$manifest" "$results" "$0" "${binaries[@]}"

mkdir -p "$results/results" "$results/binaries" "$results/xml"
status=0
for binary in "${binaries[@]}"; do
  run_binary "$binary" || status=1
done
echo "=== guest: all test binaries done at uptime $(cut -d' ' -f1 /proc/uptime) s, status $status"
exit "$status"
