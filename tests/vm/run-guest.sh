#!/usr/bin/env bash
# run-guest.sh <manifest> <results-dir> <work-dir> [timeout-seconds]
#
# The guest.boot test: clears <results-dir>, then boots the guest once
# (boot-guest.sh, initramfs in <work-dir>) running guest-main.sh on every binary in
# <manifest>, and checks that every binary ran to completion and left a result for
# each of its tests. Whether a test passed is reported by that test's own ctest
# entry (guest-result.sh), not here.
#
# Environment: VOLUMES_GUEST_BINARY_TIMEOUT, seconds one test binary may run in the
# guest (default 2400), and boot-guest.sh's VOLUMES_GUEST_* knobs (kernel, timeout,
# memory, CPUs, qemu).
set -euo pipefail

if (($# < 3 || $# > 4)); then
  echo "usage: $0 <manifest> <results-dir> <work-dir> [timeout-seconds]" >&2
  exit 2
fi
# The guest sees the host's / at another root and starts elsewhere: relative paths would not resolve there.
manifest=$(realpath -m "$1")
results=$(realpath -m "$2")
work=$(realpath -m "$3")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout_s=${4:-1500}
binary_timeout_s=${VOLUMES_GUEST_BINARY_TIMEOUT:-2400}

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

set +e
bash "$here/boot-guest.sh" "$results" "$work" "$timeout_s" \
  /bin/bash "$here/guest-main.sh" "$manifest" "$results" "$binary_timeout_s"
guest_exit=$?
set -e
((guest_exit != 125)) || fail "the guest did not run guest-main.sh to the end (see above)"
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
  disabled=()
  listing=$(env -u VOLUMES_GUEST_RESULTS "$binary" --gtest_list_tests) ||
    fail "$binary --gtest_list_tests failed on the host"
  while read -r test; do
    # gtest never runs a DISABLED_ test: it would be neither passed nor failed, so refuse it.
    if [[ $test == DISABLED_* || $test == *.DISABLED_* ]]; then
      disabled+=("$test")
      continue
    fi
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
                /^  / && suite != "" { print suite "." $1 }' <<<"$listing")
  case $rc in
    0) ;;
    1) ((binary_failed_tests > 0)) || problems+=("$name exited with status 1 but none of its tests failed: a failure outside any test (see $results/$name.log)") ;;
    124 | 137) problems+=("$name was killed after ${binary_timeout_s} s (VOLUMES_GUEST_BINARY_TIMEOUT)") ;;
    *) problems+=("$name crashed or aborted (exit status $rc; see $results/$name.log)") ;;
  esac
  ((${#unfinished[@]} == 0)) || problems+=("$name: test(s) started but never finished (crashed, aborted or killed there): ${unfinished[*]}")
  ((${#missing[@]} == 0)) || problems+=("$name: test(s) that never ran in the guest: ${missing[*]}")
  ((${#disabled[@]} == 0)) || problems+=("$name: disabled test(s), which never run and so never pass: ${disabled[*]}")
done

echo "guest.boot: results from the guest: $passed passed, $failed failed, $skipped skipped"
if ((${#problems[@]})); then
  printf 'guest.boot: %s\n' "${problems[@]}" >&2
  fail "the guest did not run every test to completion"
fi
echo "guest.boot: every guest test left a result; each is reported by its own guest.* test"
