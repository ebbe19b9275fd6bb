#!/usr/bin/env bash
# guest-result.sh <results-dir> <test-binary> [gtest args...]
#
# The CROSSCOMPILING_EMULATOR of every guest test binary, so both gtest discovery
# and each discovered ctest entry go through here:
#  - with --gtest_list_tests it runs the binary on the host, which only lists tests;
#  - otherwise it reports the result guest.boot brought back for the one test named
#    by --gtest_filter: prints its log, exits 0 only if it passed in the guest.
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 <results-dir> <test-binary> [gtest args...]" >&2
  exit 2
fi
results=$1
binary=$2
shift 2

test_name=
for arg in "$@"; do
  case $arg in
    --gtest_list_tests) exec "$binary" "$@" ;;
    --gtest_filter=*) test_name=${arg#--gtest_filter=} ;;
  esac
done
if [[ -z $test_name || $test_name == *[*?:-]* ]]; then
  echo "guest-result: need --gtest_filter=<Suite.Test> naming exactly one test, got: $*" >&2
  exit 2
fi

file=$results/results/${test_name//\//%2F}
# ctest treats "[  SKIPPED ]" in the output as a skip; a guest result is never a skip.
show_log() {
  [[ -f $file.log ]] && sed 's/\[  SKIPPED \]/[ skipped ]/g' "$file.log"
  return 0
}

if [[ ! -f $file.status ]]; then
  show_log
  echo "guest-result: NO RESULT FROM THE GUEST for $test_name: did the guest run?" >&2
  echo "guest-result: expected $file.status; see guest.boot's output and $results/serial.log" >&2
  exit 1
fi

status=$(<"$file.status")
show_log
case $status in
  passed) exit 0 ;;
  failed)
    echo "guest-result: $test_name FAILED in the guest" >&2
    exit 1
    ;;
  skipped)
    echo "guest-result: $test_name was SKIPPED in the guest, which counts as a failure here: a guest test must run" >&2
    exit 1
    ;;
  *)
    echo "guest-result: $test_name has an unreadable status '$status' in $file.status" >&2
    exit 1
    ;;
esac
