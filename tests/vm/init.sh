#!/bin/sh
# /init of the guest's initramfs (busybox sh). Builds a writable root from the host's
# / (9p, read-only) under a tmpfs overlay, mounts the writable results export at the
# same path as on the host, runs the one command named on the kernel command line
# in a chroot, and powers off. On the console it marks the command's start
# (VOLUMES-GUEST-COMMAND-START uptime=<s>) and reports its exit status
# (VOLUMES-GUEST-EXIT=<n>; 255 when /init itself failed).
#
# With volumes.then=systemd the command only prepares the new root (units, /etc/fstab):
# when it succeeds, /init hands over to systemd in it (exec keeps PID 1, which systemd
# needs), and the guest's exit status is then up to a test unit to print and power off.
#
# Kernel command line:
#   volumes.run=<command>      absolute path or name in PATH to run inside the new root (required)
#   volumes.arg=<word>         an argument for it; repeatable, kept in order
#   volumes.results=<abs path> where the "results" 9p export is mounted
#   volumes.then=systemd       boot systemd in the new root once the command succeeded
# Values cannot contain spaces.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
set -f

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
# devtmpfs lacks these; bash process substitution needs /dev/fd.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr

finish() {
  dmesg -n 1
  sync
  echo
  echo "VOLUMES-GUEST-EXIT=$1"
  # Userspace console writes drain asynchronously; give the uart time before power-off.
  sleep 1
  poweroff -f
  exit "$1"
}

die() {
  echo "volumes-init: error: $*"
  finish 255
}

# Read now: once /proc has moved into the new root it is gone from here.
run=
args=
results=
then=
# shellcheck disable=SC2013 # the command line is a list of words
for word in $(cat /proc/cmdline); do
  case $word in
    volumes.run=*) run=${word#volumes.run=} ;;
    volumes.arg=*) args="$args ${word#volumes.arg=}" ;;
    volumes.results=*) results=${word#volumes.results=} ;;
    volumes.then=*) then=${word#volumes.then=} ;;
  esac
done
[ -n "$run" ] || die "no volumes.run= on the kernel command line"
case $then in
  "" | systemd) ;;
  *) die "unknown volumes.then=$then (only systemd)" ;;
esac

while read -r module; do
  insmod "/modules/$module" || die "insmod $module failed"
done </modules/load-order

# msize 512000 is the largest a virtio transport takes; cache=loose is safe for the
# read-only root and much faster under TCG. The results export stays uncached so the
# host sees every write even if the guest dies.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower ||
  die "cannot mount the host's / (9p tag hostroot)"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  die "cannot mount the overlay root"

for fs in proc sys dev; do
  mount --move "/$fs" "/newroot/$fs" || die "cannot move /$fs into the new root"
done

if [ -n "$results" ]; then
  mkdir -p "/newroot$results"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "/newroot$results" ||
    die "cannot mount the results export (9p tag results) at $results"
fi

# Own line: the console may still hold a partial line from the firmware or kernel.
# boot-guest.sh times the boot up to here.
echo
echo "VOLUMES-GUEST-COMMAND-START uptime=$(cut -d' ' -f1 /newroot/proc/uptime)"

# SYSTEMD_IGNORE_CHROOT: this chroot is the guest's whole system, but PID 1 (this
# script) stays outside it, and udevadm trigger/settle ignore requests in a chroot.
# shellcheck disable=SC2086 # args are split on purpose: one word per volumes.arg
chroot /newroot /usr/bin/env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root TERM=dumb LANG=C.UTF-8 SYSTEMD_IGNORE_CHROOT=1 \
  "$run" $args
status=$?
if [ "$then" != systemd ] || [ $status -ne 0 ]; then
  finish $status
fi

echo
echo "VOLUMES-GUEST-SYSTEMD-START uptime=$(cut -d' ' -f1 /newroot/proc/uptime)"
# shellcheck disable=SC2093 # exec only returns when it failed
exec chroot /newroot /lib/systemd/systemd
die "cannot run /lib/systemd/systemd in the new root"
