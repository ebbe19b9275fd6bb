#!/usr/bin/env bash
# boot-guest.sh <results-dir> <work-dir> <timeout-seconds> <command> [args...]
#
# Boots Debian's kernel under qemu over the host's own / and runs <command> [args...]
# as root inside it (init.sh: a chroot over a tmpfs overlay of the host's /, with
# <results-dir> mounted writable at its host path). The console streams to stdout and
# to <results-dir>/serial.log. The initramfs is built into <work-dir>. Neither
# directory is cleared: this writes only serial.log and the initramfs.
#
# <command> is an absolute path or a name looked up in the guest's PATH; no word of
# the command may be empty or contain whitespace or '"' (they travel on the kernel
# command line). The guest environment is bare (no /tmp tmpfs, no udev): a command
# that needs more sources guest-environment.sh and calls prepare_guest_environment.
#
# Exit status: the command's own exit status, or 125 (with a FAILED message) when
# the guest could not be booted, timed out or ended without reporting one; 2 on
# wrong usage.
#
# Environment:
#   VOLUMES_GUEST_KERNEL   kernel version to boot (default: newest one installed
#                          with both /boot/vmlinuz-V and /lib/modules/V)
#   VOLUMES_GUEST_TIMEOUT  seconds before qemu is killed (overrides timeout-seconds)
#   VOLUMES_GUEST_MEMORY   guest memory in MiB (default 2048)
#   VOLUMES_GUEST_CPUS     guest vCPUs (default 2)
#   VOLUMES_GUEST_QEMU     qemu binary (default qemu-system-x86_64)
#   VOLUMES_GUEST_BUSYBOX  static busybox for the initramfs (default /bin/busybox)
#   VOLUMES_GUEST_DISKS    raw disk images to attach as virtio disks, separated by spaces;
#                          each one's serial is its file name without ".img", so the guest
#                          finds it as /dev/disk/by-id/virtio-<serial> (at most 20 characters)
#   VOLUMES_GUEST_SYSTEMD  1: the command prepares the new root, then /init boots systemd in
#                          it (init.sh, volumes.then=systemd); a unit of the test must then
#                          print VOLUMES-GUEST-EXIT=<n> on the console and power off
#   VOLUMES_GUEST_SYSTEMD_UNIT  the unit systemd boots into (default multi-user.target)
set -euo pipefail
shopt -s lastpipe

if (($# < 4)); then
  echo "usage: $0 <results-dir> <work-dir> <timeout-seconds> <command> [args...]" >&2
  exit 2
fi
results=$1
work=$2
timeout_s=${VOLUMES_GUEST_TIMEOUT:-$3}
shift 3
command=("$@")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
memory=${VOLUMES_GUEST_MEMORY:-2048}
cpus=${VOLUMES_GUEST_CPUS:-2}
qemu=${VOLUMES_GUEST_QEMU:-qemu-system-x86_64}
harness_failure=125

fail() {
  echo "boot-guest: FAILED: $*" >&2
  exit "$harness_failure"
}

[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || fail "timeout '$timeout_s' is not a positive number of seconds"
mkdir -p "$results" "$work" || fail "cannot create $results or $work"
# The guest mounts the results export at this same path, so it must be absolute.
results=$(cd "$results" && pwd)

command -v "$qemu" >/dev/null || fail "$qemu not found (install qemu-system-x86)"
command -v timeout >/dev/null || fail "timeout not found (install coreutils)"

pick_kernel() {
  local version
  for version in $(find /lib/modules -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -rV); do
    if [[ -r /boot/vmlinuz-$version ]]; then
      echo "$version"
      return
    fi
  done
}
kver=${VOLUMES_GUEST_KERNEL:-$(pick_kernel)}
[[ -n $kver ]] || fail "no kernel with both /boot/vmlinuz-V and /lib/modules/V (install linux-image-amd64)"
kernel=/boot/vmlinuz-$kver
[[ -r $kernel ]] || fail "kernel image $kernel is missing or unreadable (install linux-image-$kver)"
[[ -d /lib/modules/$kver ]] || fail "no modules in /lib/modules/$kver (install linux-image-$kver)"

initramfs=$work/initramfs-$kver.cpio.gz
bash "$here/build-initramfs.sh" "$kver" "$initramfs" || fail "could not build the initramfs"

# The kernel command line is split on spaces and qemu's -virtfs options on commas.
[[ $results != *[[:space:],]* ]] ||
  fail "results directory '$results' contains whitespace or a comma; the guest cannot mount it"
[[ ${command[0]} == /* || ${command[0]} != */* ]] ||
  fail "command '${command[0]}' must be an absolute path or a name in PATH (the guest starts in /)"
for word in "${command[@]}"; do
  [[ -n $word && $word != *[[:space:]\"]* ]] ||
    fail "command word '$word' is empty or contains whitespace or '\"'; the guest cannot be told about it"
done
cmdline=(console=ttyS0 panic=-1 loglevel=4 "volumes.run=${command[0]}")
for word in "${command[@]:1}"; do
  cmdline+=("volumes.arg=$word")
done
cmdline+=("volumes.results=$results")
drives=()
if [[ ${VOLUMES_GUEST_SYSTEMD:-0} == 1 ]]; then
  [[ -x /lib/systemd/systemd ]] || fail "/lib/systemd/systemd not found (install systemd)"
  cmdline+=(volumes.then=systemd "systemd.unit=${VOLUMES_GUEST_SYSTEMD_UNIT:-multi-user.target}")
fi
for disk in ${VOLUMES_GUEST_DISKS:-}; do
  [[ -f $disk ]] || fail "disk image '$disk' (VOLUMES_GUEST_DISKS) does not exist"
  [[ $disk != *,* ]] || fail "disk image '$disk' contains a comma; qemu cannot be told about it"
  serial=$(basename "$disk" .img)
  ((${#serial} <= 20)) || fail "disk image name '$serial' is longer than a virtio serial (20 characters)"
  drives+=(-drive "file=$disk,if=none,id=$serial,format=raw" -device "virtio-blk-pci,drive=$serial,serial=$serial")
done
append=${cmdline[*]}
# x86's COMMAND_LINE_SIZE; the kernel silently truncates anything longer.
((${#append} < 2048)) || fail "the guest's kernel command line would be longer than 2047 bytes: $append"

serial_log=$results/serial.log
echo "boot-guest: kernel $kver, ${cpus} vCPUs, ${memory} MiB, timeout ${timeout_s} s, serial log $serial_log"
echo "boot-guest: running in the guest: ${command[*]}"

start=$EPOCHREALTIME
command_start=
command_uptime=
systemd_start=
guest_exit=
exit_seen=
exec 4>"$serial_log"
set +e
# --foreground keeps qemu in this process group, so ctest timeouts and Ctrl-C reach it.
timeout --foreground --kill-after=15 "$timeout_s" \
  "$qemu" -nodefaults -no-user-config -nographic -serial stdio -no-reboot \
  -accel tcg,thread=multi -cpu max -smp "$cpus" -m "$memory" \
  -kernel "$kernel" -initrd "$initramfs" -append "$append" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap" \
  "${drives[@]}" </dev/null 2>&1 |
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    printf '%s\n' "$line" >&4
    if [[ $line =~ ^VOLUMES-GUEST-COMMAND-START\ uptime=([0-9.]+)$ ]]; then
      command_start=$EPOCHREALTIME
      command_uptime=${BASH_REMATCH[1]}
    elif [[ $line =~ ^VOLUMES-GUEST-SYSTEMD-START\ uptime=([0-9.]+)$ ]]; then
      systemd_start=$EPOCHREALTIME
    elif [[ $line =~ ^VOLUMES-GUEST-EXIT=([0-9]+)$ ]]; then
      guest_exit=${BASH_REMATCH[1]}
      exit_seen=$EPOCHREALTIME
    fi
  done
qemu_status=${PIPESTATUS[0]}
set -e
exec 4>&-
end=$EPOCHREALTIME

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo
echo "boot-guest: whole guest run took $(seconds "$start" "$end") s"
if [[ -n $command_start ]]; then
  echo "boot-guest: boot took $(seconds "$start" "$command_start") s to reach the command (guest kernel uptime ${command_uptime} s)"
  echo "boot-guest: the command and shutdown took $(seconds "$command_start" "$end") s"
fi
if [[ -n $systemd_start && -n $exit_seen ]]; then
  echo "boot-guest: systemd ran $(seconds "$systemd_start" "$exit_seen") s until the exit status, shutdown took $(seconds "$exit_seen" "$end") s"
fi

((qemu_status != 124 && qemu_status != 137)) ||
  fail "the guest timed out after ${timeout_s} s (VOLUMES_GUEST_TIMEOUT); see $serial_log"
[[ -n $guest_exit ]] ||
  fail "the guest ended without a VOLUMES-GUEST-EXIT line (qemu status $qemu_status; kernel panic or /init failure?); see $serial_log"
[[ -n $command_start ]] || fail "/init failed before it started the command; see $serial_log"
echo "boot-guest: the command exited with status $guest_exit"
exit "$guest_exit"
