#!/usr/bin/env bash
# example_install_test.sh <build-dir> <examples-dir> <work-dir> <install-prefix> <libdir>
# Installs the build tree into <work-dir>/stage (DESTDIR), then configures and builds
# client-lib/examples against it twice: with find_package(VolumesClient) and with
# pkg-config. Each example binary must then start with the staged library: pointed at a
# bus that does not exist it reports the library's Bus error (exit 1).
set -euo pipefail
build=$1 examples=$2 work=$3 prefix=$4 libdir=$5
stage=$work/stage
rm -rf "$work"
mkdir -p "$work"

DESTDIR=$stage cmake --install "$build" >"$work/install.log"
for f in "$prefix/include/volumes/client.hpp" "$prefix/$libdir/pkgconfig/volumes-client.pc" \
  "$prefix/$libdir/cmake/VolumesClient/VolumesClientConfig.cmake" "$prefix/bin/volumectl" \
  "$prefix/share/man/man1/volumectl.1" "$prefix/share/bash-completion/completions/volumectl"; do
  [[ -e $stage$f ]] || { echo "FAILED: $f was not installed"; exit 1; }
done

check_example() {
  local binary=$1 how=$2 status=0 output
  output=$(LD_LIBRARY_PATH=$stage$prefix/$libdir "$binary" --address unix:path=/nonexistent/bus 2>&1) || status=$?
  if ((status != 1)) || [[ $output != Bus:* ]]; then
    echo "FAILED: the example built with $how exited $status: $output"
    exit 1
  fi
  echo "example built with $how runs: $output"
}

cmake -S "$examples" -B "$work/with-find-package" -G Ninja -DCMAKE_PREFIX_PATH="$stage$prefix"
cmake --build "$work/with-find-package"
check_example "$work/with-find-package/list-volumes" find_package

PKG_CONFIG_PATH=$stage$prefix/$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage \
  cmake -S "$examples" -B "$work/with-pkg-config" -G Ninja -DVOLUMES_EXAMPLE_USE_PKG_CONFIG=ON
PKG_CONFIG_PATH=$stage$prefix/$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage \
  cmake --build "$work/with-pkg-config"
check_example "$work/with-pkg-config/list-volumes" pkg-config
echo "PASSED"
