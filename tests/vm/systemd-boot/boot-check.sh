#!/usr/bin/env bash
# boot-check.sh <boot 1|2|3> <results-dir> [emergency]
#
# The test unit of each systemd boot (volumes-boot-check.service, after basic.target).
# The story: boot 1 makes a pool on the persistent virtio disks, an ext4 volume with known
# files listed in /etc/fstab, and a CoW snapshot of it (the good state); boot 2 finds the
# volume mounted at boot, makes a bad update and asks for a rollback, which stays pending
# while the filesystem is mounted; boot 3 finds the snapshot's files mounted, because
# volumesd-activate.service started the merge before local filesystems.
#
# Every check appends PASS or FAIL to <results-dir>/boot<N>.verdicts; the output goes to the
# console and <results-dir>/boot<N>.log. Ends by printing VOLUMES-GUEST-EXIT=<0|1> on the
# console (boot-guest.sh reads it) and powering off. As emergency.service (the boot failed)
# it only records that failure with the journal.
set -Eeuo pipefail

boot=$1
results=$2
mode=${3:-check}
persist=$results/persist
verdicts=$results/boot$boot.verdicts
pool=boottest
disks=(/dev/disk/by-id/virtio-volumes-disk-a /dev/disk/by-id/virtio-volumes-disk-b)
mountpoint=/srv/data
failures=0

exec > >(tee "$results/boot$boot.log") 2>&1
: >"$verdicts"

pass() { echo "PASS: $*" | tee -a "$verdicts"; }
failed() {
  echo "FAIL: $*" | tee -a "$verdicts"
  failures=$((failures + 1))
}
not() { ! "$@"; }
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else failed "$what"; fi
}

finish() {
  local status=$?
  trap - EXIT ERR
  ((status == 0)) || failed "boot-check.sh stopped with status $status"
  journalctl -b --no-pager -o short-monotonic >"$results/boot$boot.journal" 2>&1 || true
  for device in /dev/dm-*; do
    [[ -b $device ]] && udevadm info --query=property "$device"
    echo
  done >"$results/boot$boot.udev" 2>&1
  dmesg >"$results/boot$boot.dmesg" 2>&1 || true
  ((failures == 0)) && status=0 || status=1
  echo "=== boot $boot: $failures failure(s), uptime $(cut -d' ' -f1 /proc/uptime) s"
  # Own line, straight to the console: boot-guest.sh waits for it.
  printf '\nVOLUMES-GUEST-EXIT=%d\n' "$status" >/dev/console
  systemctl poweroff --no-block
}
trap finish EXIT
trap 'echo "=== boot-check.sh: line $LINENO failed: $BASH_COMMAND"' ERR

echo "=== boot $boot: test unit started at uptime $(cut -d' ' -f1 /proc/uptime) s"

json() { volumectl --json "$@"; }
volume_field() { json show "$pool/$1" | jq -r ".volume.$2"; }
monotonic() { systemctl show -P "$2" "$1"; }

# volumesd-activate.service ran at this boot, succeeded, and finished before local-fs-pre.
check_activation() {
  check "volumesd-activate.service is active (exited)" \
    test "$(systemctl show -P ActiveState volumesd-activate.service)" = active
  check "volumesd-activate.service exited with status 0" \
    test "$(systemctl show -P ExecMainStatus volumesd-activate.service)" = 0
  local done_at pre_at
  done_at=$(monotonic volumesd-activate.service ExecMainExitTimestampMonotonic)
  pre_at=$(monotonic local-fs-pre.target ActiveEnterTimestampMonotonic)
  echo "volumesd-activate.service ran from $(monotonic volumesd-activate.service ExecMainStartTimestampMonotonic) to $done_at us (monotonic)"
  check "volumesd-activate.service finished ($done_at us) before local-fs-pre.target ($pre_at us)" \
    test "$done_at" -gt 0 -a "$done_at" -le "$pre_at"
}

# /srv/data was mounted by systemd at boot, from the origin volume's own device.
check_mounted_from_origin() {
  check "$mountpoint is mounted (srv-data.mount active)" findmnt -n "$mountpoint"
  local source origin
  source=$(readlink -f "$(findmnt -n -o SOURCE "$mountpoint" || echo none)")
  origin=$(readlink -f "$(volume_field data device_path)")
  if [[ $source == "$origin" ]]; then
    pass "$mountpoint is mounted from the origin $origin"
  else
    failed "$mountpoint is mounted from $source, not the origin $origin (by-uuid: $(readlink -f "/dev/disk/by-uuid/$(findmnt -n -o UUID "$mountpoint")"))"
  fi
}

# has_files <dir> <sha256 list>: every file of the list is in <dir> with that content.
has_files() { (cd "$1" && sha256sum --quiet -c "$2" >/dev/null 2>&1); }

checksums() { (cd "$1" && find . -type f ! -path './lost+found/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

# mem_watch <command...>: runs the command while continuing volumesd whenever its fault point
# (VOLUMESD_FAULT=suspended:stop) has stopped it; at each stop with a dm device suspended,
# records VmLck and VmRSS of the daemon in $results/memlock.txt.
mem_watch() {
  "$@" &
  local job=$! pid state
  while kill -0 "$job" 2>/dev/null; do
    pid=$(systemctl show -P MainPID volumesd.service)
    state=
    if ((pid > 0)); then state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true); fi
    if [[ $state == T ]]; then
      local suspended
      suspended=$(dmsetup info -c --noheadings -o name,suspended --separator ' ' | awk '$2 == "Suspended" { print $1 }' | tr '\n' ' ')
      if [[ -n $suspended ]]; then
        echo "suspended: $suspended $(grep -E '^(VmLck|VmRSS):' "/proc/$pid/status" | tr -s ' \t\n' ' ')" | tee -a "$results/memlock.txt"
      fi
      kill -CONT "$pid"
    fi
    sleep 0.2
  done
  wait "$job"
}

memory_locked_while_suspended() {
  [[ -s $results/memlock.txt ]] || { echo "volumesd never stopped with a device suspended"; return 1; }
  local locked rss
  read -r locked rss < <(awk '{ for (i = 1; i <= NF; i++) { if ($i == "VmLck:") l = $(i + 1); if ($i == "VmRSS:") r = $(i + 1) } } END { print l, r }' "$results/memlock.txt")
  echo "VmLck $locked kB, VmRSS $rss kB"
  ((locked > 0 && locked * 10 >= rss * 8))
}

if [[ $mode == emergency ]]; then
  failed "boot $boot went into emergency mode: $(systemctl --failed --no-legend --plain | awk '{ print $1 }' | tr '\n' ' ')"
  systemctl status --no-pager srv-data.mount 'dev-disk-by\x2duuid-*' volumesd-activate.service 2>&1 | head -n 60 || true
  exit 0
fi

case $boot in
  1)
    check_activation
    udevadm settle
    mem_watch json create-pool "$pool" "${disks[@]}"
    mem_watch json create "$pool/data" 64M
    device=$(volume_field data device_path)
    mkfs.ext4 -q -L bootdata "$device"
    mkdir -p /mnt/data
    mount "$device" /mnt/data
    echo "the good state" >/mnt/data/release
    mkdir /mnt/data/dir
    dd if=/dev/urandom of=/mnt/data/dir/payload.bin bs=1M count=4 status=none
    checksums /mnt/data >"$persist/good.sha256"
    umount /mnt/data
    uuid=$(blkid -s UUID -o value "$device")
    # systemd waits 90 s for an fstab device from the moment it queues the job, early in boot;
    # under TCG the coldplug alone keeps udev busy longer than that before the activation runs.
    echo "UUID=$uuid $mountpoint ext4 defaults,x-systemd.device-timeout=10min 0 2" >"$persist/fstab"
    echo "fstab: $(<"$persist/fstab")"
    pid=$(systemctl show -P MainPID volumesd.service)
    check "volumesd runs under systemd (volumesd.service, pid $pid)" test "$pid" -gt 0
    # The snapshot suspends the origin: the daemon stops at "suspended" with it suspended.
    mem_watch json snapshot "$pool/data" good --cow-size 32M
    check "volumesd's memory is locked while a device is suspended ($(tail -n 1 "$results/memlock.txt" 2>/dev/null))" \
      memory_locked_while_suspended
    check "the snapshot 'good' exists" test "$(volume_field good kind)" = snapshot
    ;;
  2)
    check_activation
    check_mounted_from_origin
    check "the mounted files are the good state" has_files "$mountpoint" "$persist/good.sha256"
    echo "the bad update" >"$mountpoint/release"
    dd if=/dev/urandom of="$mountpoint/dir/payload.bin" bs=1M count=4 status=none conv=notrunc
    echo "left by the bad update" >"$mountpoint/bad.txt"
    sync
    checksums "$mountpoint" >"$persist/bad.sha256"
    rollback=$(json rollback "$pool/good" --no-wait)
    echo "rollback: $rollback"
    check "the rollback of the mounted origin is pending" test "$(jq -r .pending <<<"$rollback")" = true
    ;;
  3)
    check_activation
    check_mounted_from_origin
    check "the mounted files are the snapshot's (the good state)" has_files "$mountpoint" "$persist/good.sha256"
    check "the mounted files differ from the bad update's" not has_files "$mountpoint" "$persist/bad.sha256"
    check "bad.txt of the bad update is gone" test ! -e "$mountpoint/bad.txt"
    # The bus daemon follows the merge the activation started and removes the snapshot.
    for ((tries = 0; tries < 120; tries++)); do
      json list | jq -e '.volumes | map(select(.name == "good")) | length == 0' >/dev/null && break
      sleep 1
    done
    check "the merged snapshot is gone" test "$(json list | jq '.volumes | map(select(.name == "good")) | length')" = 0
    ;;
  *)
    failed "unknown boot '$boot'"
    ;;
esac
