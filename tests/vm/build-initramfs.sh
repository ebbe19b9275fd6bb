#!/usr/bin/env bash
# build-initramfs.sh <kernel-version> <output.cpio.gz>
#
# Builds the guest's initramfs from what is installed on this machine: the static
# busybox, the modules /init needs to reach the host's root over 9p (with their
# dependencies, in load order) and init.sh as /init. Everything else the guest
# runs comes from the host's own / through 9p.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 <kernel-version> <output.cpio.gz>" >&2
  exit 2
fi
kver=$1
output=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
modules=(virtio_pci 9pnet_virtio 9p overlay)

fail() {
  echo "build-initramfs: $*" >&2
  exit 1
}

busybox=${VOLUMES_GUEST_BUSYBOX:-/bin/busybox}
[[ -x $busybox ]] || fail "no busybox at $busybox (install busybox-static)"
ldd_output=$(ldd "$busybox" 2>&1 || true)
[[ $ldd_output =~ not\ a\ dynamic\ executable|statically\ linked ]] ||
  fail "$busybox is dynamically linked; the initramfs needs busybox-static"
[[ -d /lib/modules/$kver ]] || fail "no modules for kernel $kver in /lib/modules/$kver (install linux-image-$kver)"
command -v modprobe >/dev/null || fail "modprobe not found (install kmod)"
command -v cpio >/dev/null || fail "cpio not found (install cpio)"

staging=$(mktemp -d)
chmod 0755 "$staging"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,modules,lower,rw,newroot}

cp "$busybox" "$staging/bin/busybox"
for applet in $("$busybox" --list-full); do
  [[ -e $staging/$applet ]] || ln -s /bin/busybox "$staging/$applet"
done

# modprobe -D prints the insmod commands for a module and its dependencies in load
# order; builtin modules show up as "builtin <name>" and need nothing.
declare -A seen=()
load_order=()
for module in "${modules[@]}"; do
  lines=$(modprobe -D -S "$kver" "$module") || fail "modprobe -D -S $kver $module failed"
  while read -r verb path _; do
    [[ $verb == insmod ]] || continue
    [[ -n ${seen[$path]:-} ]] && continue
    seen[$path]=1
    name=$(basename "$path")
    case $name in
      *.ko) cp "$path" "$staging/modules/$name" ;;
      *.ko.xz) xz -dc "$path" >"$staging/modules/${name%.xz}"; name=${name%.xz} ;;
      *.ko.zst) zstd -qdc "$path" >"$staging/modules/${name%.zst}"; name=${name%.zst} ;;
      *.ko.gz) gzip -dc "$path" >"$staging/modules/${name%.gz}"; name=${name%.gz} ;;
      *) fail "unexpected module file $path" ;;
    esac
    load_order+=("$name")
  done <<<"$lines"
done
printf '%s\n' "${load_order[@]}" >"$staging/modules/load-order"

install -m 0755 "$here/init.sh" "$staging/init"

mkdir -p "$(dirname "$output")"
(cd "$staging" && find . -print0 | LC_ALL=C sort -z |
  cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -1 >"$output.tmp"
mv "$output.tmp" "$output"
