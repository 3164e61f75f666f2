#!/usr/bin/env bash
# Installs scalelaw's build and test dependencies from Debian 12 packages (no other registry is used).
# Safe to run repeatedly: packages already present are skipped quickly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache
  libeigen3-dev libceres-dev liblbfgspp-dev libboost-dev libboost-math-dev
  libcli11-dev catch2 nlohmann-json3-dev libfmt-dev
  libprotobuf-dev protobuf-compiler  # TensorBoard event files (src/io/proto)
  libsimdjson-dev  # JSON Lines training logs
  chromium  # headless, for the test that loads the --report HTML pages (tests/cli/test_reports.py)
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pytest
  python3-pandas python3-matplotlib mypy python3-scipy python3-venv python3-pip python3-setuptools python3-wheel
  clang libclang-rt-14-dev  # libFuzzer and clang's sanitizer runtimes, for scripts/fuzz
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "scalelaw: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
