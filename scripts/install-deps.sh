#!/usr/bin/env bash
# Installs the Debian packages mxstate needs, if any are missing.
# Idempotent and quiet when everything is already there; runs apt-get update
# at most once; uses sudo only when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libsodium-dev libssl-dev libboost-program-options-dev
  librapidcheck-dev libgtest-dev libbenchmark-dev libexpected-dev
  clang libclang-rt-14-dev
  python3 python3-canonicaljson python3-signedjson
  graphviz
  chromium
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
