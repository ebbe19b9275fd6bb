#!/usr/bin/env bash
# guest-demo.sh <build-dir>          inside the qemu guest (tests/vm/boot-guest.sh)
# guest-demo.sh --host <build-dir>   on a machine whose kernel has device-mapper, as root,
#                                    with the project installed and a system bus running
#
# The walkthrough scripts/run.sh shows: the system bus and polkitd up, volumesd started by
# bus activation, a pool on loop devices, then volumes created, listed, deactivated,
# activated, split-tracked and merged, snapshotted and rolled back with busctl. Every
# command is printed with its output. In the guest it first prepares the environment the guest tests get
# (guest-environment.sh: <build-dir> installed, dbus-daemon, polkitd). Exits non-zero at
# the first step that fails.
set -euo pipefail

on_host=false
if [[ ${1:-} == --host ]]; then
  on_host=true
  shift
fi
if (($# != 1)) || [[ $1 != /* ]]; then
  echo "usage: $0 [--host] <absolute build dir>" >&2
  exit 2
fi
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! $on_host; then
  # shellcheck source=SCRIPTDIR/../tests/vm/guest-environment.sh
  source "$here/../tests/vm/guest-environment.sh"
  prepare_installed_guest "$build" "$0"
fi

service=org.example.Volumes
root=/org/example/Volumes
iface=org.example.Volumes
mib=$((1024 * 1024))
loops=()
loop_files=()

say() { printf '\n### %s\n' "$*"; }

# Prints a command the way it could be typed, then runs it.
show() {
  local word line=
  for word in "$@"; do
    if [[ $word =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then
      line+="$word "
    elif [[ $word != *\'* ]]; then
      line+="'$word' "
    else
      line+="$(printf '%q' "$word") "
    fi
  done
  printf '$ %s\n' "${line% }"
  "$@"
}

# show, keeping the output in $output as well as printing it.
show_capture() {
  local status=0
  output=$(show "$@" 2>&1) || status=$?
  printf '%s\n' "$output"
  return "$status"
}

# busctl's reply to a call returning an object path is: o "/org/...".
reply_path() {
  sed -n 's/^o "\(.*\)"$/\1/p' <<<"$output"
}

property() { # <path> <interface> <name>: the value alone
  busctl --system get-property "$service" "$1" "$iface.$2" "$3" | cut -d' ' -f2- | tr -d '"'
}

wait_for_property() { # <path> <interface> <name> <value> <what>
  local tries
  for ((tries = 0; tries < 600; tries++)); do
    [[ $(property "$1" "$2" "$3") == "$4" ]] && return 0
    sleep 0.2
  done
  echo "FAILED: $5: $2.$3 of $1 is still $(property "$1" "$2" "$3") after 120 s" >&2
  return 1
}

cleanup() {
  local loop file
  for loop in "${loops[@]}"; do
    losetup -d "$loop" 2>/dev/null || true
  done
  for file in "${loop_files[@]}"; do
    rm -f "$file"
  done
}
trap cleanup EXIT

say "The system bus and polkitd are up"
show busctl --system get-property org.freedesktop.PolicyKit1 /org/freedesktop/PolicyKit1/Authority \
  org.freedesktop.PolicyKit1.Authority BackendName
show busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
  GetConnectionUnixProcessID s org.freedesktop.PolicyKit1
show busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
  NameHasOwner s "$service"
echo "(volumesd does not run yet; the system bus starts it at the first call)"

say "Three loop devices to make a pool of"
for _ in 1 2 3; do
  file=$(mktemp /tmp/volumes-demo-disk-XXXXXX)
  loop_files+=("$file")
  truncate -s $((128 * mib)) "$file"
  loops+=("$(losetup --find --show "$file")")
done
show losetup --list --output NAME,BACK-FILE

say "The first call activates volumesd"
show busctl --system introspect "$service" "$root" "$iface.Manager"
show busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
  GetConnectionUnixProcessID s "$service"
if ! $on_host; then
  show grep "Activating service name='$service'" "$GUEST_SERVICES_DIR/dbus-daemon.log"
fi

say "A pool on the loop devices"
show_capture busctl --system call "$service" "$root" "$iface.Manager" CreatePool 'sasa{sv}' \
  demo "${#loops[@]}" "${loops[@]}" 0
pool=$(reply_path)
show busctl --system introspect "$service" "$pool" "$iface.Pool"

say "A linear volume and a two-image raid1 volume"
show_capture busctl --system call "$service" "$pool" "$iface.Pool" CreateVolume 'sta{sv}' \
  data $((64 * mib)) 0
data=$(reply_path)
show_capture busctl --system call "$service" "$pool" "$iface.Pool" CreateVolume 'sta{sv}' \
  mirror $((32 * mib)) 2 kind s raid1 images u 2
mirror=$(reply_path)
show busctl --system tree "$service"
show busctl --system get-property "$service" "$data" "$iface.Volume" Kind Size DevicePath Active
show busctl --system get-property "$service" "$pool" "$iface.Pool" Size Free
show ls -l /dev/mapper

say "Deactivate and activate the linear volume"
show busctl --system call "$service" "$data" "$iface.Volume" Deactivate 'a{sv}' 0
show busctl --system get-property "$service" "$data" "$iface.Volume" Active
show busctl --system call "$service" "$data" "$iface.Volume" Activate 'a{sv}' 0
show busctl --system get-property "$service" "$data" "$iface.Volume" Active

say "Wait for the raid1's initial sync, then split one image off, tracked"
wait_for_property "$mirror" Raid1 SyncRatio 1 "the initial sync"
show busctl --system get-property "$service" "$mirror" "$iface.Raid1" SyncRatio SyncAction Images
show_capture busctl --system call "$service" "$mirror" "$iface.Raid1" SplitTrack 'a{sv}' \
  1 allow_no_redundancy b true
image=$(reply_path)
show busctl --system get-property "$service" "$image" "$iface.Volume" Kind ReadOnly DevicePath
show busctl --system get-property "$service" "$mirror" "$iface.Raid1" Images TrackedImage

say "Write to the array while the image is split: the bitmap marks those regions"
show dd if=/dev/urandom of="$(property "$mirror" Volume DevicePath)" bs=1M count=4 oflag=direct status=none

say "Merge the image back: only the marked regions resync, followed by a job"
show_capture busctl --system call "$service" "$image" "$iface.TrackedImage" Merge 'a{sv}' 0
job=$(reply_path)
wait_for_property "$job" Job Finished true "the merge job"
show busctl --system get-property "$service" "$job" "$iface.Job" Operation Finished Success Message
show busctl --system get-property "$service" "$mirror" "$iface.Raid1" Images TrackedImage

say "Snapshot the linear volume, change it, then roll it back by merging the snapshot"
data_device=$(property "$data" Volume DevicePath)
show dd if=/dev/urandom of="$data_device" bs=1M count=2 oflag=direct status=none
before=$(sha256sum <"$data_device")
show_capture busctl --system call "$service" "$data" "$iface.Volume" CreateSnapshot 'sta{sv}' \
  before-update $((8 * mib)) 0
snapshot=$(reply_path)
show busctl --system get-property "$service" "$snapshot" "$iface.Snapshot" Origin TotalSectors Invalid MergeState
show dd if=/dev/zero of="$data_device" bs=1M count=2 oflag=direct status=none
show busctl --system call "$service" "$snapshot" "$iface.Snapshot" Merge 'a{sv}' 0
merged=no
for ((tries = 0; tries < 600; tries++)); do
  busctl --system get-property "$service" "$snapshot" "$iface.Volume" Name >/dev/null 2>&1 || { merged=yes; break; }
  sleep 0.2
done
if [[ $merged != yes ]]; then
  echo "FAILED: the snapshot is still there 120 s after Merge" >&2
  exit 1
fi
if [[ $(sha256sum <"$data_device") != "$before" ]]; then
  echo "FAILED: the linear volume does not hold its data as at the snapshot" >&2
  exit 1
fi
echo "the linear volume holds its data as at the snapshot again; the snapshot is gone"
show busctl --system tree "$service"

say "Someone without authorization is refused by polkit"
if show setpriv --reuid=65534 --regid=65534 --clear-groups busctl --system call "$service" "$pool" \
  "$iface.Pool" CreateVolume 'sta{sv}' intruder $((4 * mib)) 1 auth.no_user_interaction b true; then
  echo "FAILED: uid 65534 could create a volume" >&2
  exit 1
fi

say "Remove the volumes and the pool"
show busctl --system call "$service" "$data" "$iface.Volume" Remove 'a{sv}' 0
show busctl --system call "$service" "$mirror" "$iface.Volume" Remove 'a{sv}' 0
show busctl --system call "$service" "$pool" "$iface.Pool" Destroy 'a{sv}' 0
show busctl --system tree "$service"

if ! $on_host; then
  say "volumesd's own log (its stderr, through dbus-daemon's)"
  grep '^volumesd' "$GUEST_SERVICES_DIR/dbus-daemon.log" || true
fi
say "Walkthrough done"
