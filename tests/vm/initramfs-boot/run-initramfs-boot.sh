#!/usr/bin/env bash
# run-initramfs-boot.sh <build-dir> <results-dir> <work-dir> [timeout-seconds-per-boot]
#
# The guest.initramfs-boot test: a root on a volume, brought up by an initramfs that
# mkinitramfs made with volumesd's hook, over persistent virtio disks (fresh ones in
# <work-dir> each run). Six boots, stopping at the first that fails:
#  1. shared root (boot-guest.sh, prepare.sh): the pools, the root with its pending rollback,
#     the initramfs;
#  2. initramfs, root=/dev/volumes/sys/root: the rollback runs before root is mounted, so the
#     root's init sees the snapshot's marker;
#  3. shared root (after-rollback.sh): volumesd adopts the merge and finishes it;
#  4. initramfs, root=UUID=<the root's filesystem>: the same root again, unchanged;
#  5. initramfs, root=/dev/volumes/pair/root with one of pair's disks left out: the initramfs
#     shell, with a message naming the pool and the missing member;
#  6. initramfs, volumes.pool=other volumes.volume=root: the pool is another machine's: the
#     shell, with a message naming the pool and its owner.
# <results-dir> keeps each boot's serial log (serial-boot<N>.log) and the initramfs.
set -euo pipefail

if (($# < 3 || $# > 4)); then
  echo "usage: $0 <build-dir> <results-dir> <work-dir> [timeout-seconds-per-boot]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
results=$2
work=$3
timeout_s=${4:-900}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
persist=$results/persist

fail() {
  echo "guest.initramfs-boot: FAILED: $*" >&2
  exit 1
}

rm -rf "$results"
mkdir -p "$results" "$work"
results=$(cd "$results" && pwd)
[[ -x $build/service/daemon/volumesd ]] || fail "$build/service/daemon/volumesd is missing: build the project first"
command -v mkinitramfs >/dev/null || fail "mkinitramfs not found (scripts/install-deps.sh installs initramfs-tools)"

declare -A disk=()
for name in vol-sys vol-pair-a vol-pair-b vol-other; do
  rm -f "$work/$name.img"
  truncate -s 256M "$work/$name.img"
  disk[$name]=$work/$name.img
done
all_disks=("${disk[vol-sys]}" "${disk[vol-pair-a]}" "${disk[vol-pair-b]}" "${disk[vol-other]}")

times=()
timed() {
  local label=$1 start=$EPOCHREALTIME status
  shift
  echo "guest.initramfs-boot: === $label"
  set +e
  "$@"
  status=$?
  set -e
  times+=("$label $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s")
  return "$status"
}

shared_root_boot() {
  local boot=$1 script=$2 status=0
  VOLUMES_GUEST_DISKS="${all_disks[*]}" timed "boot $boot (shared root, $script)" \
    bash "$here/../boot-guest.sh" "$results" "$work" "$timeout_s" /bin/bash "$here/$script" "$build" "$results" ||
    status=$?
  mv "$results/serial.log" "$results/serial-boot$boot.log" 2>/dev/null || true
  ((status == 0)) || fail "boot $boot failed (status $status; see $results/serial-boot$boot.log)"
}

initramfs_boot() {
  local boot=$1 append=$2
  shift 2
  timed "boot $boot (initramfs: $append)" bash "$here/boot-initramfs.sh" "$results/serial-boot$boot.log" \
    "$(<"$persist/kver")" "$results/initrd.img" "$timeout_s" "console=ttyS0 loglevel=4 $append" "$@" ||
    fail "boot $boot timed out; see $results/serial-boot$boot.log"
}

# expect <boot> <description> <extended regex>: a line of the boot's serial log matches.
expect() {
  if grep -Eq -- "$3" "$results/serial-boot$1.log"; then
    echo "guest.initramfs-boot: boot $1: PASS: $2"
  else
    fail "boot $1: $2: no line matches '$3' in $results/serial-boot$1.log"
  fi
}
refuse() {
  if ! grep -Eq -- "$3" "$results/serial-boot$1.log"; then
    echo "guest.initramfs-boot: boot $1: PASS: $2"
  else
    fail "boot $1: $2: a line matches '$3' in $results/serial-boot$1.log: $(grep -Em1 -- "$3" "$results/serial-boot$1.log")"
  fi
}

# count <boot> <extended regex>: how many lines of the boot's serial log match.
count() { grep -Ec -- "$2" "$results/serial-boot$1.log" || true; }

shared_root_boot 1 prepare.sh
good=$(<"$persist/good-marker")
bad=$(<"$persist/bad-marker")

# panic=-1: a failure in the initramfs reboots (qemu -no-reboot ends) instead of waiting.
initramfs_boot 2 "root=/dev/volumes/sys/root ro panic=-1" "${all_disks[@]}"
expect 2 "the initramfs activated the root's pool" "Activating pool sys for the root volume root"
expect 2 "the root's init ran" "^VOLUMES-GUEST-EXIT=0"
expect 2 "root is the volume's device" "^VOLUMES-ROOT-SOURCE /dev/volumes/sys/root$"
expect 2 "the pending rollback ran before root was mounted: the marker is the snapshot's" "^VOLUMES-ROOT-MARKER $good$"
refuse 2 "the marker is not the bad update's" "^VOLUMES-ROOT-MARKER $bad$"
refuse 2 "only the root's pool was activated" "^VOLUMES-ROOT-DM volumes-pair-"

shared_root_boot 3 after-rollback.sh

initramfs_boot 4 "root=UUID=$(<"$persist/root-uuid") ro panic=-1" "${all_disks[@]}"
expect 4 "the root's init ran" "^VOLUMES-GUEST-EXIT=0"
expect 4 "root=UUID= found the filesystem on the volume" "^VOLUMES-ROOT-SOURCE /dev/mapper/volumes-sys-root$"
expect 4 "the root is unchanged: the rolled-back marker" "^VOLUMES-ROOT-MARKER $good$"
refuse 4 "no snapshot device is left to merge" "^VOLUMES-ROOT-DM volumes-sys-pre--update"

pair_member=$(<"$persist/pair-b-member")
initramfs_boot 5 "root=/dev/volumes/pair/root ro rootdelay=3" "${disk[vol-sys]}" "${disk[vol-pair-a]}" "${disk[vol-other]}"
expect 5 "the initramfs names the incomplete pool and its missing member" \
  "^volumes: cannot activate the root volume root of pool pair: pool 'pair' is incomplete: 1 of its 2 members missing \($pair_member\), 1 present$"
expect 5 "it dropped to the initramfs shell, which answered" "^VOLUMES-INITRAMFS-SHELL-42"
refuse 5 "no root was mounted" "^VOLUMES-GUEST-EXIT="
attempts=$(count 5 "the required volume is not active: pool 'pair' is incomplete")
((attempts >= 2)) || fail "boot 5: the initramfs tried $attempts time(s); it should wait rootdelay= for the missing member"
echo "guest.initramfs-boot: boot 5: PASS: the initramfs waited for the missing member ($attempts attempts)"

initramfs_boot 6 "root=/dev/vdz volumes.pool=other volumes.volume=root ro rootdelay=3" "${all_disks[@]}"
expect 6 "the initramfs names the foreign pool and its owner" \
  "^volumes: cannot activate the root volume root of pool other: pool 'other' is foreign: .*$(<"$persist/other-owner")"
expect 6 "it dropped to the initramfs shell, which answered" "^VOLUMES-INITRAMFS-SHELL-42"
refuse 6 "no root was mounted" "^VOLUMES-GUEST-EXIT="
attempts=$(count 6 "the required volume is not active: pool 'other' is foreign")
((attempts == 1)) || fail "boot 6: the initramfs tried $attempts times; waiting cannot make a foreign pool this machine's"
echo "guest.initramfs-boot: boot 6: PASS: the initramfs did not wait for a foreign pool"

echo "guest.initramfs-boot: wall-clock time per boot: $(IFS=,; echo "${times[*]}")"
echo "guest.initramfs-boot: all six boots passed"
