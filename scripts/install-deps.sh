#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the build, the tests and the demo need and the machine
# lacks. Idempotent: with everything present it only checks (no apt-get at all).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  openmpi-bin libopenmpi-dev
  libboost-mpi-dev libboost-serialization-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# The SLURM test harness, the benchmark's peers, what checks the SVG timeline (xmllint, a
# headless Chromium screenshot), GNU parallel, which the CLI's tests run side by side with
# taskfarm, and clang-format for scripts/check_format.sh (TASKFARM_DEPS=all, the default for tests).
if [[ "${TASKFARM_DEPS:-all}" == all ]]; then
  packages+=(slurm-wlm munge slurm-client python3-mpi4py chromium libxml2-utils parallel clang-format)
fi
# scripts/sanitize.sh thread: clang with LLVM's OpenMP and its Archer tool (TASKFARM_DEPS=tsan).
if [[ "${TASKFARM_DEPS:-all}" == tsan ]]; then
  packages+=(clang libomp-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: everything is installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
