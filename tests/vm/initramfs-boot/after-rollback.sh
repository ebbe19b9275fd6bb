#!/usr/bin/env bash
# after-rollback.sh <build-dir> <results-dir>   in the shared-root guest, after the initramfs
#                                               boot that started the rollback of sys/root
#
# volumesd, started by the first call, adopts the merge the initramfs started and finishes it:
# the snapshot goes, the origin is one plain linear device again, and its marker is the
# snapshot's. Exits non-zero when any of that is not so.
set -Eeuo pipefail
trap 'echo "=== after-rollback.sh: line $LINENO failed: $BASH_COMMAND"' ERR

build=$1
results=$2
persist=$results/persist
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../guest-environment.sh
source "$here/../guest-environment.sh"
prepare_installed_guest "$build" "$here" "$results"

modprobe ext4
json() { volumectl --json "$@"; }
snapshot_left() { json list | jq -e '.volumes | map(select(.pool == "sys" and .name == "pre-update")) | length > 0' >/dev/null; }
for ((tries = 0; tries < 180; tries++)); do
  snapshot_left || break
  sleep 1
done
echo "volumes now: $(json list | jq -c '[.volumes[] | {pool, name, kind, active}]')"
if snapshot_left; then
  echo "FAIL: the snapshot pre-update is still there after 180 s"
  exit 1
fi
echo "PASS: the merged snapshot pre-update is gone"
table=$(dmsetup table volumes-sys-root)
echo "volumes-sys-root: $table"
[[ $table =~ ^0\ [0-9]+\ linear\  && $table != *$'\n'* ]] || { echo "FAIL: the origin is not one plain linear device"; exit 1; }
echo "PASS: the origin is one plain linear device"
! dmsetup ls | grep -q 'pre--update' || { echo "FAIL: a device of the snapshot is left: $(dmsetup ls)"; exit 1; }
mnt=$(mktemp -d)
mount -o ro /dev/volumes/sys/root "$mnt"
marker=$(sha256sum "$mnt/marker" | cut -d' ' -f1)
umount "$mnt"
[[ $marker == "$(<"$persist/good-marker")" ]] || { echo "FAIL: the marker is $marker, not the snapshot's"; exit 1; }
echo "PASS: the origin's marker is the snapshot's"
echo "=== after-rollback: done"
