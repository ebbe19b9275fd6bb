#!/usr/bin/env bash
# prepare-root.sh <boot 1|2|3> <results-dir> <build-dir>
#
# Runs in the guest's new root before /init hands over to systemd (boot-guest.sh with
# VOLUMES_GUEST_SYSTEMD=1). The root is a fresh tmpfs overlay each boot, so this installs the
# project the way guest-environment.sh does, enables volumesd-activate.service and the boot's
# test unit (boot-check.sh), and for boots 2 and 3 puts back the /etc/fstab that boot 1 left
# in <results-dir>/persist. Boot 1 runs volumesd with VOLUMESD_FAULT=suspended:stop, so the
# test can read its memory while a transaction holds devices suspended.
#
# The guest boots into volumes-boot-check.target: basic.target (so sysinit.target with udev,
# volumesd-activate.service and local-fs.target, and the D-Bus socket) plus the test unit,
# without the host's own multi-user services (a database, gettys), which only slow it down.
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 <boot 1|2|3> <results-dir> <build-dir>" >&2
  exit 2
fi
boot=$1
results=$2
build=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
units=/etc/systemd/system

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$build/CMakeCache.txt")
if [[ $prefix != /usr ]]; then
  echo "prepare-root: $build is configured with CMAKE_INSTALL_PREFIX=$prefix; dbus-daemon, polkitd and systemd read their files under /usr: configure it with -DCMAKE_INSTALL_PREFIX=/usr" >&2
  exit 1
fi
if ! cmake --install "$build" >"$results/install-boot$boot.log" 2>&1; then
  echo "prepare-root: cmake --install $build failed; see $results/install-boot$boot.log" >&2
  tail -n 5 "$results/install-boot$boot.log" >&2
  exit 1
fi

# The host may be a container: its marker files, seen through 9p, make systemd treat the
# guest as one (and ignore the kernel command line). The guest is a VM.
rm -f /.dockerenv /run/.containerenv

activate_unit=
for dir in /lib/systemd/system /usr/lib/systemd/system; do
  [[ -f $dir/volumesd-activate.service ]] && activate_unit=$dir/volumesd-activate.service && break
done
[[ -n $activate_unit ]] || { echo "prepare-root: the install left no volumesd-activate.service" >&2; exit 1; }

# The test's scripts and results may live under the host's /tmp (a CI clone there): the guest's
# systemd must neither empty it (Debian's tmpfiles "D /tmp") nor mount a tmpfs over it.
mkdir -p /etc/tmpfiles.d
ln -sf /dev/null /etc/tmpfiles.d/tmp.conf
ln -sf /dev/null "$units/tmp.mount"

mkdir -p "$units/sysinit.target.wants"
ln -sf "$activate_unit" "$units/sysinit.target.wants/volumesd-activate.service"

cat >"$units/volumes-boot-check.target" <<UNIT
[Unit]
Description=volumesd boot test
Requires=basic.target
Wants=volumes-boot-check.service
After=basic.target
AllowIsolate=yes
UNIT
cat >"$units/volumes-boot-check.service" <<UNIT
[Unit]
Description=volumesd boot test, boot $boot
After=basic.target

[Service]
Type=oneshot
ExecStart=/bin/bash $here/boot-check.sh $boot $results
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/console
TTYReset=no
TTYVHangup=no
UNIT

# A boot that fails (a mount of /etc/fstab that cannot happen) ends in emergency mode, where
# a shell would wait on the console until qemu's timeout: report the failure instead.
mkdir -p "$units/emergency.service.d"
cat >"$units/emergency.service.d/volumes-boot-check.conf" <<UNIT
[Service]
ExecStartPre=
ExecStart=
ExecStart=/bin/bash $here/boot-check.sh $boot $results emergency
StandardInput=null
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/console
UNIT

if ((boot == 1)); then
  mkdir -p "$units/volumesd.service.d"
  printf '[Service]\nEnvironment=VOLUMESD_FAULT=suspended:stop\n' >"$units/volumesd.service.d/fault-stop.conf"
else
  [[ -f $results/persist/fstab ]] || { echo "prepare-root: boot 1 left no $results/persist/fstab" >&2; exit 1; }
  cp "$results/persist/fstab" /etc/fstab
fi
echo "prepare-root: boot $boot: project installed, units enabled$( ((boot == 1)) || echo ", /etc/fstab: $(grep -v '^#' /etc/fstab)")"
