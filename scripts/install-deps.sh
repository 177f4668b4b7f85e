#!/usr/bin/env bash
# Installs the OS packages qair needs on Debian 12. Idempotent; quiet when all is present.
#   scripts/install-deps.sh          runtime packages
#   scripts/install-deps.sh --test   runtime + test packages
set -euo pipefail
pkgs=(openjdk-17-jdk-headless maven bubblewrap util-linux debootstrap gcc libc6-dev
      iproute2 nftables socat tigervnc-standalone-server xfonts-base xterm x11-utils xdotool
      ca-certificates procps)
if [[ "${1:-}" == "--test" ]]; then
  # cloud-init: the user-data we generate is checked with `cloud-init schema` (the test skips without it);
  # chromium + chromium-driver: the desktop's browser tests (remote-desktop DesktopBrowserIT)
  pkgs+=(git cloud-init chromium chromium-driver)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "qair: installing OS packages: ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
