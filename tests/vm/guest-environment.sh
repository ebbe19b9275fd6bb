# shellcheck shell=bash
# guest-environment.sh: sourced (bash) by commands that boot-guest.sh runs in the
# guest. prepare_guest_environment sets up the few things a real system has and the
# bare guest lacks.

# prepare_guest_environment [path...]: mounts scratch tmpfs on /tmp, /run and
# /dev/shm, loads loop, starts systemd-udevd (trigger + settle) and the system
# services (start_system_services). Each <path> is a host path the caller still
# needs (its own script, the build tree, the results directory); those under /tmp or
# /run stay visible through the new tmpfs.
prepare_guest_environment() {
  echo "=== guest: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
  _guest_mount_scratch_tmpfs /tmp 1777 "$@"
  _guest_mount_scratch_tmpfs /run 0755 "$@"
  mkdir -p /dev/shm
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm

  modprobe loop
  _guest_start_udev
  start_system_services
  echo "=== guest: udev settled, setup done at uptime $(cut -d' ' -f1 /proc/uptime) s"
}

# Hook: start the system dbus-daemon and polkitd here once the D-Bus tests need them.
start_system_services() {
  :
}

# _guest_mount_scratch_tmpfs <dir> <mode> [path...]: puts a fresh tmpfs on <dir>,
# then binds back the top-level entries of <dir> that hold one of the paths.
_guest_mount_scratch_tmpfs() {
  local dir=$1 mode=$2 stash=/.host$1 path entry
  shift 2
  local -A keep=()
  for path in "$@"; do
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

_guest_start_udev() {
  /lib/systemd/systemd-udevd --daemon
  udevadm trigger --type=subsystems --action=add
  udevadm trigger --type=devices --action=add
  udevadm settle --timeout=120 || echo "=== guest: WARNING: udev did not settle within 120 s; continuing anyway"
}
