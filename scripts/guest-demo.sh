#!/usr/bin/env bash
# guest-demo.sh <build-dir>: runs inside the qemu guest (tests/vm/boot-guest.sh).
# Prepares the guest like the guest tests get it, then runs <build-dir>/kmod/volumes-probe
# and exits with its status.
set -euo pipefail

if (($# != 1)) || [[ $1 != /* ]]; then
  echo "usage: $0 <absolute build dir>" >&2
  exit 2
fi
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# shellcheck source=SCRIPTDIR/../tests/vm/guest-environment.sh
source "$here/../tests/vm/guest-environment.sh"
prepare_guest_environment "$build" "$0"

echo "=== guest: running $build/kmod/volumes-probe"
status=0
"$build/kmod/volumes-probe" || status=$?
echo "=== guest: volumes-probe exited with status $status"
exit "$status"
