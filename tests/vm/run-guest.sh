#!/usr/bin/env bash
# run-guest.sh <manifest> <results-dir> <work-dir> [timeout-seconds]
#
# The guest.boot test: builds the initramfs into <work-dir>, clears <results-dir>,
# boots Debian's kernel under qemu once, running guest-main.sh on every binary in
# <manifest>, and checks that every binary ran to completion and left a result for
# each of its tests. Whether a test passed is reported by that test's own ctest
# entry (guest-result.sh), not here.
#
# Environment:
#   VOLUMES_GUEST_KERNEL          kernel version to boot (default: newest one installed
#                                 with both /boot/vmlinuz-V and /lib/modules/V)
#   VOLUMES_GUEST_TIMEOUT         seconds before qemu is killed (default: the
#                                 timeout-seconds argument, else 1500)
#   VOLUMES_GUEST_BINARY_TIMEOUT  seconds one test binary may run in the guest (default 1200)
#   VOLUMES_GUEST_MEMORY          guest memory in MiB (default 2048)
#   VOLUMES_GUEST_CPUS            guest vCPUs (default 2)
#   VOLUMES_GUEST_QEMU            qemu binary (default qemu-system-x86_64)
set -euo pipefail
shopt -s lastpipe

if (($# < 3 || $# > 4)); then
  echo "usage: $0 <manifest> <results-dir> <work-dir> [timeout-seconds]" >&2
  exit 2
fi
manifest=$1
results=$2
work=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout_s=${VOLUMES_GUEST_TIMEOUT:-${4:-1500}}
binary_timeout_s=${VOLUMES_GUEST_BINARY_TIMEOUT:-1200}
memory=${VOLUMES_GUEST_MEMORY:-2048}
cpus=${VOLUMES_GUEST_CPUS:-2}
qemu=${VOLUMES_GUEST_QEMU:-qemu-system-x86_64}

fail() {
  echo "guest.boot: FAILED: $*" >&2
  exit 1
}

# Cleared before anything can fail, so no stale result from an earlier run survives.
rm -rf "$results"
mkdir -p "$results/results" "$results/binaries" "$results/xml" "$work"

[[ -f $manifest ]] || fail "no manifest at $manifest (re-run cmake)"
mapfile -t binaries < <(grep -v -e '^[[:space:]]*$' -e '^#' "$manifest")
if ((${#binaries[@]} == 0)); then
  echo "guest.boot: no guest test binaries registered (volumes_add_guest_test); nothing to boot for"
  exit 0
fi
declare -A binary_names=()
for binary in "${binaries[@]}"; do
  [[ -x $binary ]] || fail "guest test binary $binary is missing: build the project first"
  name=$(basename "$binary")
  [[ -z ${binary_names[$name]:-} ]] || fail "two guest test binaries are named $name"
  binary_names[$name]=1
done

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
for value in "$here/guest-main.sh" "$manifest" "$results"; do
  [[ $value != *[[:space:],]* ]] || fail "path '$value' contains whitespace or a comma; the guest cannot be told about it"
done
cmdline=(
  console=ttyS0 panic=-1 loglevel=4
  volumes.run=/bin/bash
  "volumes.arg=$here/guest-main.sh"
  "volumes.arg=$manifest"
  "volumes.arg=$results"
  "volumes.arg=$binary_timeout_s"
  "volumes.results=$results"
)

serial_log=$results/serial.log
echo "guest.boot: kernel $kver, ${cpus} vCPUs, ${memory} MiB, timeout ${timeout_s} s, serial log $serial_log"

start=$EPOCHREALTIME
main_start=
main_uptime=
guest_exit=
exec 4>"$serial_log"
set +e
# --foreground keeps qemu in this process group, so ctest timeouts and Ctrl-C reach it.
timeout --foreground --kill-after=15 "$timeout_s" \
  "$qemu" -nodefaults -no-user-config -nographic -serial stdio -no-reboot \
  -accel tcg,thread=multi -cpu max -smp "$cpus" -m "$memory" \
  -kernel "$kernel" -initrd "$initramfs" -append "${cmdline[*]}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap" \
  </dev/null 2>&1 |
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    printf '%s\n' "$line" >&4
    if [[ $line =~ ^VOLUMES-GUEST-MAIN-START\ uptime=([0-9.]+)$ ]]; then
      main_start=$EPOCHREALTIME
      main_uptime=${BASH_REMATCH[1]}
    elif [[ $line =~ ^VOLUMES-GUEST-EXIT=([0-9]+)$ ]]; then
      guest_exit=${BASH_REMATCH[1]}
    fi
  done
qemu_status=${PIPESTATUS[0]}
set -e
exec 4>&-
end=$EPOCHREALTIME

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo
echo "guest.boot: whole guest run took $(seconds "$start" "$end") s"
if [[ -n $main_start ]]; then
  echo "guest.boot: boot took $(seconds "$start" "$main_start") s to reach guest-main.sh (guest kernel uptime ${main_uptime} s)"
  echo "guest.boot: tests and shutdown took $(seconds "$main_start" "$end") s"
fi

((qemu_status != 124 && qemu_status != 137)) ||
  fail "the guest timed out after ${timeout_s} s (VOLUMES_GUEST_TIMEOUT); see $serial_log"
[[ -n $guest_exit ]] ||
  fail "the guest ended without a VOLUMES-GUEST-EXIT line (qemu status $qemu_status; kernel panic or /init failure?); see $serial_log"
[[ -n $main_start ]] || fail "guest-main.sh never started; see $serial_log"
echo "guest.boot: guest-main.sh exited with status $guest_exit"

encode() { local name=$1; echo "${name//\//%2F}"; }

problems=()
passed=0 failed=0 skipped=0
declare -A test_owner=()
for binary in "${binaries[@]}"; do
  name=$(basename "$binary")
  exit_file=$results/binaries/$name.exit
  if [[ ! -f $exit_file ]]; then
    problems+=("$name never ran in the guest")
    continue
  fi
  rc=$(<"$exit_file")
  binary_failed_tests=0
  missing=()
  unfinished=()
  listing=$(env -u VOLUMES_GUEST_RESULTS "$binary" --gtest_list_tests) ||
    fail "$binary --gtest_list_tests failed on the host"
  while read -r test; do
    # Results are keyed by test name alone, so two binaries must not share one.
    if [[ -n ${test_owner[$test]:-} ]]; then
      problems+=("$test is defined in both ${test_owner[$test]} and $name; their results collide")
    fi
    test_owner[$test]=$name
    status_file=$results/results/$(encode "$test").status
    if [[ ! -f $status_file ]]; then
      # The guest's main writes a test's .log when the test starts, its .status when it ends.
      if [[ -f ${status_file%.status}.log ]]; then
        unfinished+=("$test")
      else
        missing+=("$test")
      fi
      continue
    fi
    case $(<"$status_file") in
      passed) passed=$((passed + 1)) ;;
      skipped) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)); binary_failed_tests=$((binary_failed_tests + 1)) ;;
    esac
  done < <(awk '/^[^ ]/ { suite = $1; sub(/\.$/, "", suite) }
                /^  / && suite != "" { print suite "." $1 }' <<<"$listing" |
             grep -v -e '^DISABLED_' -e '\.DISABLED_')
  case $rc in
    0) ;;
    1) ((binary_failed_tests > 0)) || problems+=("$name exited with status 1 but none of its tests failed: a failure outside any test (see $results/$name.log)") ;;
    124 | 137) problems+=("$name was killed after ${binary_timeout_s} s (VOLUMES_GUEST_BINARY_TIMEOUT)") ;;
    *) problems+=("$name crashed or aborted (exit status $rc; see $results/$name.log)") ;;
  esac
  ((${#unfinished[@]} == 0)) || problems+=("$name: test(s) started but never finished (crashed, aborted or killed there): ${unfinished[*]}")
  ((${#missing[@]} == 0)) || problems+=("$name: test(s) that never ran in the guest: ${missing[*]}")
done

echo "guest.boot: results from the guest: $passed passed, $failed failed, $skipped skipped"
if ((${#problems[@]})); then
  printf 'guest.boot: %s\n' "${problems[@]}" >&2
  fail "the guest did not run every test to completion"
fi
echo "guest.boot: every guest test left a result; each is reported by its own guest.* test"
