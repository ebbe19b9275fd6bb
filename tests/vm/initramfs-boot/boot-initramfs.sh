#!/usr/bin/env bash
# boot-initramfs.sh <serial-log> <kernel-version> <initrd> <timeout-seconds> <kernel-command-line> <disk.img>...
#
# Boots Debian's kernel with an initramfs made by mkinitramfs, over the given raw disk images
# (virtio, serial = file name without .img, as boot-guest.sh attaches them), and no host root:
# the root is whatever the initramfs mounts. The console goes to stdout and <serial-log>.
# When the initramfs drops to its shell (a line "ALERT!" or "volumes: ..." of a panic), this
# types `echo VOLUMES-INITRAMFS-SHELL-$((6 * 7)); poweroff -f` at it until the guest ends, so
# the log proves the shell answered (the echo of the typed line never shows "-42").
# Exit status: 0 when qemu ended by itself, 1 on timeout, 2 on wrong usage.
set -euo pipefail
shopt -s lastpipe

if (($# < 6)); then
  echo "usage: $0 <serial-log> <kernel-version> <initrd> <timeout-seconds> <kernel-command-line> <disk.img>..." >&2
  exit 2
fi
serial_log=$1
kver=$2
initrd=$3
timeout_s=$4
append=$5
shift 5
qemu=${VOLUMES_GUEST_QEMU:-qemu-system-x86_64}
kernel=/boot/vmlinuz-$kver
[[ -r $kernel && -r $initrd ]] || { echo "boot-initramfs: $kernel or $initrd is missing" >&2; exit 2; }

drives=()
for disk in "$@"; do
  serial=$(basename "$disk" .img)
  drives+=(-drive "file=$disk,if=none,id=$serial,format=raw" -device "virtio-blk-pci,drive=$serial,serial=$serial")
done

console_in=$(mktemp -u)
mkfifo "$console_in"
exec 5<>"$console_in"
typist=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  [[ -n $typist ]] && kill "$typist" 2>/dev/null
  exec 5>&-
  rm -f "$console_in"
}
trap cleanup EXIT

start=$EPOCHREALTIME
exec 4>"$serial_log"
set +e
timeout --foreground --kill-after=15 "$timeout_s" \
  "$qemu" -nodefaults -no-user-config -nographic -serial stdio -no-reboot \
  -accel tcg,thread=multi -cpu max -smp "${VOLUMES_GUEST_CPUS:-2}" -m "${VOLUMES_GUEST_MEMORY:-1024}" \
  -kernel "$kernel" -initrd "$initrd" -append "$append" "${drives[@]}" <&5 2>&1 |
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    printf '%s\n' "$line" >&4
    if [[ -z $typist && ($line == *ALERT!* || $line == volumes:\ *) ]]; then
      # shellcheck disable=SC2016 # expanded by the guest's shell
      (while sleep 3; do printf 'echo VOLUMES-INITRAMFS-SHELL-$((6 * 7)); poweroff -f\n'; done) >&5 &
      typist=$!
    fi
  done
status=${PIPESTATUS[0]}
set -e
exec 4>&-
echo "boot-initramfs: the guest ran $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
((status != 124 && status != 137)) || { echo "boot-initramfs: timed out after $timeout_s s"; exit 1; }
exit 0
