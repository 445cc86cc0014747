#!/usr/bin/env bash
# Builds a downstream project against taskfarm and runs it under mpirun on 1 and 2 ranks.
#   run-downstream.sh MODE WORK_DIR TASKFARM_BUILD_DIR TASKFARM_SOURCE_DIR CXX_COMPILER
# MODE: find_package (install the build tree into WORK_DIR/prefix, then find_package it),
#       add_subdirectory (build taskfarm's sources inside the downstream project),
#       pkg-config (install, then compile with the flags `pkg-config taskfarm` gives).
# Every step has a time limit, so a hang fails the test instead of stalling CI.
set -euo pipefail

mode=$1 work=$2 build=$3 source=$4 cxx=$5
here=$(cd "$(dirname "$0")" && pwd)

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1

mkdir -p "$work"

install_prefix() {
    local prefix="$work/prefix"
    rm -rf "$prefix"
    timeout 120 cmake --install "$build" --prefix "$prefix" --component taskfarm_development >/dev/null
    for f in include/taskfarm/taskfarm.hpp lib/cmake/taskfarm/taskfarmConfig.cmake \
             lib/cmake/taskfarm/taskfarmConfigVersion.cmake lib/pkgconfig/taskfarm.pc; do
        [[ -f "$prefix/$f" ]] || { echo "install is missing $f" >&2; exit 1; }
    done
    echo "$prefix"
}

configure_and_build() {  # SOURCE_DIR BINARY_DIR extra cmake args...
    local src=$1 bin=$2
    shift 2
    timeout 120 cmake -S "$src" -B "$bin" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" "$@" >"$work/configure.log" \
        || { cat "$work/configure.log" >&2; exit 1; }
    timeout 400 cmake --build "$bin" -j2 --target downstream
}

case $mode in
    find_package)
        prefix=$(install_prefix)
        rm -rf "$work/find_package-build"
        configure_and_build "$here/find_package" "$work/find_package-build" -DCMAKE_PREFIX_PATH="$prefix"
        program="$work/find_package-build/downstream"
        ;;
    add_subdirectory)
        configure_and_build "$here/add_subdirectory" "$work/add_subdirectory-build" -DTASKFARM_SOURCE_DIR="$source"
        program="$work/add_subdirectory-build/downstream"
        ;;
    pkg-config)
        prefix=$(install_prefix)
        export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
        program="$work/pkg-config-downstream"
        # shellcheck disable=SC2046  # the flags are meant to split into words
        timeout 120 "$cxx" -O1 "$here/downstream_main.cpp" $(pkg-config --cflags --libs taskfarm) -o "$program"
        ;;
    *)
        echo "unknown mode $mode" >&2
        exit 2
        ;;
esac

for ranks in 1 2; do
    timeout 60 mpirun -np "$ranks" "$program"
done
