#!/usr/bin/env bash
# prepare.sh <build-dir> <results-dir>        in the shared-root guest (boot-guest.sh), boot 1
#
# Makes what the initramfs boots start from, on the persistent virtio disks:
# - pool "sys" (disk vol-sys) with "root", an ext4 volume holding a minimal root (static
#   busybox and an init script that prints the checksum of /marker and powers off);
#   a CoW snapshot "pre-update" of it; then the "update" changes the marker, and the rollback
#   (Merge of the snapshot) is asked for while root is mounted, so it stays pending;
# - pool "pair" (disks vol-pair-a, vol-pair-b) with a volume "root": its boot leaves a member out;
# - pool "other" (disk vol-other) made under another machine-id, so it is foreign here;
# - the initramfs, by mkinitramfs with the installed hook, into <results-dir>/initrd.img.
# What the later boots compare against goes to <results-dir>/persist. Exits non-zero at the
# first step that fails.
set -Eeuo pipefail
trap 'echo "=== prepare.sh: line $LINENO failed: $BASH_COMMAND"' ERR

build=$1
results=$2
persist=$results/persist
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../guest-environment.sh
source "$here/../guest-environment.sh"
prepare_installed_guest "$build" "$here" "$results"
mkdir -p "$persist"
modprobe ext4

disk() { echo "/dev/disk/by-id/virtio-$1"; }
json() { volumectl --json "$@"; }
stop_volumesd() {
  pkill -x volumesd || true
  for ((tries = 0; tries < 100; tries++)); do
    pgrep -x volumesd >/dev/null || return 0
    sleep 0.1
  done
  echo "volumesd did not stop"
  return 1
}

echo "=== another machine's pool 'other'"
real_id=$(</etc/machine-id)
other_id=0123456789abcdef0123456789abcdef
[[ $real_id != "$other_id" ]]
echo "$other_id" >/etc/machine-id
volumectl create-pool other "$(disk vol-other)"
volumectl create other/root 16M
volumectl deactivate other/root
stop_volumesd
echo "$real_id" >/etc/machine-id
echo "$other_id" >"$persist/other-owner"

echo "=== pool 'pair' on two disks"
volumectl create-pool pair "$(disk vol-pair-a)" "$(disk vol-pair-b)"
volumectl create pair/root 16M
pair_b=$(readlink -f "$(disk vol-pair-b)")
json show pair | jq -r '.pool.members[] | "\(.uuid) \(.device)"' | while read -r uuid device; do
  [[ $(readlink -f "$device") != "$pair_b" ]] || echo "$uuid"
done >"$persist/pair-b-member"
[[ -s $persist/pair-b-member ]] || { echo "pair's member on $pair_b is not listed: $(json show pair)"; exit 1; }

echo "=== pool 'sys' with a minimal root"
volumectl create-pool sys "$(disk vol-sys)"
volumectl create sys/root 64M
root=/dev/volumes/sys/root
udevadm settle
mkfs.ext4 -q -L volroot "$root"
blkid -s UUID -o value "$root" >"$persist/root-uuid"
mnt=$(mktemp -d)
mount "$root" "$mnt"
mkdir -p "$mnt"/{bin,sbin,dev,proc,sys,run,tmp}
cp /bin/busybox "$mnt/bin/busybox"
cat >"$mnt/sbin/init" <<'INIT'
#!/bin/busybox sh
# The test's root: says what it sees, then powers off.
b=/bin/busybox
$b mount -t proc proc /proc
echo "VOLUMES-ROOT-MARKER $($b sha256sum /marker | $b cut -d' ' -f1)"
echo "VOLUMES-ROOT-SOURCE $($b awk '$2 == "/" { d = $1 } END { print d }' /proc/mounts)"
for dm in /sys/block/dm-*; do
  [ -e "$dm/dm/name" ] && echo "VOLUMES-ROOT-DM $($b cat "$dm/dm/name")"
done
echo "VOLUMES-GUEST-EXIT=0"
$b sync
$b poweroff -f
INIT
chmod 0755 "$mnt/sbin/init"
echo "the state before the update" >"$mnt/marker"
sha256sum "$mnt/marker" | cut -d' ' -f1 >"$persist/good-marker"
umount "$mnt"

volumectl snapshot sys/root pre-update --cow-size 32M
mount "$root" "$mnt"
echo "the state after a bad update" >"$mnt/marker"
sha256sum "$mnt/marker" | cut -d' ' -f1 >"$persist/bad-marker"
sync
rollback=$(json rollback sys/pre-update --no-wait)
echo "rollback while root is mounted: $rollback"
[[ $(jq -r .pending <<<"$rollback") == true ]]
umount "$mnt"
sync

echo "=== mkinitramfs with the installed hook"
kver=$(uname -r)
echo "$kver" >"$persist/kver"
conf=$(mktemp -d)
# The initramfs.conf of a small machine: only the modules listed (and those the hooks add).
cat >"$conf/initramfs.conf" <<CONF
MODULES=list
BUSYBOX=auto
KEYMAP=n
COMPRESS=gzip
RUNSIZE=10%
FSTYPE=ext4
CONF
printf '%s\n' virtio_pci virtio_blk ext4 >"$conf/modules"
# This initramfs must activate the root without lvm: the guest's root is a throwaway overlay, so
# lvm2's hook (and thin-provisioning-tools', which adds lvm's thin tools) can be taken out of it.
rm -f /usr/share/initramfs-tools/hooks/lvm2 /usr/share/initramfs-tools/hooks/thin-provisioning-tools
start=$EPOCHREALTIME
mkinitramfs -d "$conf" -o "$results/initrd.img" "$kver"
echo "mkinitramfs took $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
listing=$(lsinitramfs "$results/initrd.img")
for path in usr/libexec/volumesd scripts/local-top/volumes etc/machine-id '(usr/)?lib/udev/rules.d/57-volumes.rules' \
  '(usr/)?lib/udev/rules.d/95-dm-notify.rules' '(usr/)?lib/modules/.*/dm-snapshot.ko'; do
  grep -Eqx "$path" <<<"$listing" || { echo "the initramfs has no $path"; exit 1; }
done
! grep -Eq '(^|/)s?bin/lvm$' <<<"$listing" || { echo "the initramfs has lvm"; exit 1; }
echo "=== prepare: done"
