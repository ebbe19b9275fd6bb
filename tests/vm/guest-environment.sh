# shellcheck shell=bash
# guest-environment.sh: sourced (bash) by commands that boot-guest.sh runs in the
# guest. prepare_guest_environment sets up the few things a real system has and the
# bare guest lacks.

# Where the system services of the guest log (dbus-daemon, and through it every
# bus-activated service: polkitd, volumesd), and what the project's install did.
GUEST_SERVICES_DIR=/run/volumes-guest

# prepare_installed_guest <build-dir> [path...]: prepare_guest_environment, then fails
# (status 1, with the reason) unless the project was installed into the guest's root.
prepare_installed_guest() {
  prepare_guest_environment "$@"
  local status
  status=$(<"$GUEST_SERVICES_DIR/install-status")
  [[ $status == installed ]] || { echo "=== guest: FAILED: volumesd is not installed in the guest: $status"; return 1; }
}

# prepare_guest_environment <build-dir> [path...]: mounts scratch tmpfs on /tmp, /run
# and /dev/shm, loads loop, starts systemd-udevd (trigger + settle) and the system
# services (start_system_services, which installs <build-dir> into the guest's root).
# <build-dir> and each <path> are host paths the caller still needs (its own script,
# the results directory); those under /tmp or /run stay visible through the new tmpfs.
prepare_guest_environment() {
  local build=$1
  echo "=== guest: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
  _guest_mount_scratch_tmpfs /tmp 1777 "$@"
  _guest_mount_scratch_tmpfs /run 0755 "$@"
  mkdir -p /dev/shm
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm

  modprobe loop
  _guest_start_udev
  start_system_services "$build"
  echo "=== guest: udev settled, setup done at uptime $(cut -d' ' -f1 /proc/uptime) s"
}

# start_system_services <build-dir>: installs the project into the guest's root (a
# tmpfs overlay, so the host is untouched), then starts the system bus and has it
# activate polkitd, as on a real system. volumesd is left to bus activation.
# Fails (non-zero) when the bus or polkitd does not come up. A failed install only
# leaves $GUEST_SERVICES_DIR/install-status saying why: the D-Bus tests read it and
# fail with that reason, while the tests that do not need volumesd still run.
start_system_services() {
  local build=$1
  mkdir -p "$GUEST_SERVICES_DIR"
  _guest_install_project "$build"
  _guest_start_system_bus || return 1
  _guest_activate_polkitd || return 1
}

# _guest_install_project <build-dir>: cmake --install with the prefix the tree was
# configured with; dbus-daemon and polkitd read their files under /usr only.
_guest_install_project() {
  local build=$1 status=$GUEST_SERVICES_DIR/install-status prefix
  if [[ ! -f $build/CMakeCache.txt ]]; then
    echo "no CMake build tree at '$build'" >"$status"
  else
    prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$build/CMakeCache.txt")
    if [[ $prefix != /usr ]]; then
      echo "$build is configured with CMAKE_INSTALL_PREFIX=$prefix, but dbus-daemon and polkitd only read their files under /usr: configure it with -DCMAKE_INSTALL_PREFIX=/usr" >"$status"
    elif ! cmake --install "$build" >"$GUEST_SERVICES_DIR/install.log" 2>&1; then
      echo "cmake --install $build failed: $(tail -n 5 "$GUEST_SERVICES_DIR/install.log" | tr '\n' ' ')" >"$status"
    else
      echo "installed" >"$status"
      # udevd started before the install; it must see the project's rules (udev/).
      udevadm control --reload
    fi
  fi
  echo "=== guest: installing $build into the guest's root: $(<"$status")"
}

# dbus-daemon stays in the foreground of a background job (--nofork) so that its stderr,
# which the services it activates inherit, ends up in a log file.
_guest_start_system_bus() {
  local log=$GUEST_SERVICES_DIR/dbus-daemon.log tries
  mkdir -p /run/dbus
  dbus-daemon --system --nofork --nopidfile >"$log" 2>&1 &
  echo $! >"$GUEST_SERVICES_DIR/dbus-daemon.pid"
  for ((tries = 0; tries < 300; tries++)); do
    if busctl --system --timeout=5 call org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus GetId >/dev/null 2>&1; then
      echo "=== guest: system bus up (dbus-daemon pid $(<"$GUEST_SERVICES_DIR/dbus-daemon.pid"), log $log)"
      return 0
    fi
    kill -0 "$(<"$GUEST_SERVICES_DIR/dbus-daemon.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "=== guest: FAILED: the system bus did not come up; dbus-daemon's log:"
  cat "$log"
  return 1
}

# The first call to polkit's name makes dbus-daemon start polkitd through its setuid
# launch helper, the same path volumesd is later started by.
_guest_activate_polkitd() {
  if busctl --system --timeout=60 introspect org.freedesktop.PolicyKit1 \
    /org/freedesktop/PolicyKit1/Authority org.freedesktop.PolicyKit1.Authority >/dev/null; then
    echo "=== guest: polkitd activated on the system bus (pid $(busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus GetConnectionUnixProcessID s org.freedesktop.PolicyKit1 | cut -d' ' -f2))"
    return 0
  fi
  echo "=== guest: FAILED: polkitd could not be activated; dbus-daemon's log:"
  cat "$GUEST_SERVICES_DIR/dbus-daemon.log"
  return 1
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
