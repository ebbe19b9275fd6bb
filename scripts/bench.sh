#!/usr/bin/env bash
# bench.sh [<build-dir>] [--bench raid1|snapshot|metadata-snap|concurrency|scale|mirror|all] [-- bench-args...]
#
# Builds <build-dir> (default: build/, configured with -DCMAKE_INSTALL_PREFIX=/usr), boots
# the qemu guest once (tests/vm/boot-guest.sh) and runs tests/bench's benchmarks there,
# volumesd (bus-activated from the build's install in the guest) against lvm2 on the same
# work:
#   raid1     raid1_split_merge_bench: raid1 split-track + merge (lvconvert --splitmirrors)
#   snapshot  snapshot_merge_bench: CoW snapshot + merge (lvcreate -s, lvconvert --merge)
#   metadata-snap  metadata_snap_bench: thin-pool ReserveMetadataSnap/ReleaseMetadataSnap
#             (dmsetup message reserve_metadata_snap/release_metadata_snap on an lvm2 pool)
#   concurrency  concurrency_bench: N clients creating/removing volumes on 1, 2, 4 pools (and VGs)
#   scale     scale_bench: 1000 one-extent volumes in one pool (lvcreate -l1 in one VG), the cost
#             per block of 100 creations, the listing, start-up with all of them active
#   mirror    mirror_lifecycle_bench: linear -> raid1 -> third image -> back to two (lvconvert
#             --type raid1 -m1, -m+1, -m-1)
#   all       every one, one after the other (the default)
# The figures are printed at the end and kept in <build-dir>/bench-guest/results/bench.txt.
# Extra arguments go to every program run (see tests/bench/README.md); they take
# different options, so pick one with --bench when passing any, e.g.
#   bench.sh --bench raid1 -- --write-mib 64
#
# bench.sh --guest <build-dir> <results-dir> <raid1|snapshot|metadata-snap|concurrency|scale|mirror|all> [bench-args...]   (inside the guest)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

programs_for() {
  case $1 in
    raid1) echo raid1_split_merge_bench ;;
    snapshot) echo snapshot_merge_bench ;;
    metadata-snap) echo metadata_snap_bench ;;
    concurrency) echo concurrency_bench ;;
    scale) echo scale_bench ;;
    mirror) echo mirror_lifecycle_bench ;;
    all) echo raid1_split_merge_bench snapshot_merge_bench metadata_snap_bench concurrency_bench scale_bench mirror_lifecycle_bench ;;
    *)
      echo "bench.sh: unknown benchmark '$1' (raid1, snapshot, metadata-snap, concurrency, scale, mirror or all)" >&2
      return 2
      ;;
  esac
}

if [[ ${1:-} == --guest ]]; then
  build=$2 results=$3 which=$4
  shift 4
  list=$(programs_for "$which") || exit 2
  read -ra programs <<<"$list"
  # shellcheck source=SCRIPTDIR/../tests/vm/guest-environment.sh
  source "$here/../tests/vm/guest-environment.sh"
  prepare_guest_environment "$build" "$here/bench.sh" "$results"
  install_status=$(<"$GUEST_SERVICES_DIR/install-status")
  if [[ $install_status != installed ]]; then
    echo "=== guest: FAILED: volumesd is not installed in the guest: $install_status" | tee "$results/bench.txt"
    exit 1
  fi
  status=0
  export VOLUMES_BENCH_TRACE_DIR=$results/traces
  mkdir -p "$VOLUMES_BENCH_TRACE_DIR"
  : >"$results/bench.txt"
  for program in "${programs[@]}"; do
    [[ -s $results/bench.txt ]] && echo | tee -a "$results/bench.txt"
    echo "=== $program" | tee -a "$results/bench.txt"
    "$build/tests/bench/$program" "$@" 2>&1 | tee -a "$results/bench.txt" || status=$?
  done
  mkdir -p "$results/services"
  cp "$GUEST_SERVICES_DIR/dbus-daemon.log" "$results/services/" 2>/dev/null || true
  exit "$status"
fi

build=$PWD/build
which=all
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    --bench)
      [[ $# -ge 2 ]] || { echo "bench.sh: --bench needs raid1, snapshot, metadata-snap, concurrency, scale, mirror or all" >&2; exit 2; }
      which=$2
      shift 2
      ;;
    --bench=*)
      which=${1#--bench=}
      shift
      ;;
    *)
      build=$(cd "$1" && pwd)
      shift
      ;;
  esac
done
[[ ${1:-} == -- ]] && shift
list=$(programs_for "$which") || exit 2
read -ra programs <<<"$list"
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$here/.." -B "$build" -G Ninja -DCMAKE_INSTALL_PREFIX=/usr
fi
# What the guest installs (cmake --install: volumesd, volumes-probe, volumectl and
# libvolumes-client) and the programs; not the tests.
cmake --build "$build" --target volumesd volumes-probe volumectl volumes-client "${programs[@]}"

# Seconds the guest may run: 15 minutes a program, an hour for scale_bench's thousands of
# calls under TCG (VOLUMES_GUEST_TIMEOUT overrides the sum).
timeout=0
for program in "${programs[@]}"; do
  if [[ $program == scale_bench ]]; then
    timeout=$((timeout + 3600))
  else
    timeout=$((timeout + 900))
  fi
done

results=$build/bench-guest/results
mkdir -p "$results" "$build/bench-guest/work"
rm -f "$results/bench.txt"
status=0
VOLUMES_GUEST_MEMORY=${VOLUMES_GUEST_MEMORY:-3072} \
  bash "$here/../tests/vm/boot-guest.sh" "$results" "$build/bench-guest/work" "$timeout" \
  /bin/bash "$here/bench.sh" --guest "$build" "$results" "$which" "$@" || status=$?
printf '\n==> figures (%s)\n' "$results/bench.txt"
cat "$results/bench.txt" 2>/dev/null || echo "bench.sh: the guest wrote no figures (console: $results/serial.log)"
exit "$status"
