#!/usr/bin/env bash
# Builds the default qube template (Debian 12 minbase + what qubes need) into DEST/root, inside a
# bubblewrap sandbox (private PID/IPC/UTS/cgroup namespaces; the host is read-only but for DEST).
# Reused when DEST/manifest exists. Usage: scripts/build-template.sh DEST [MIRROR]
set -euo pipefail
dest=${1:?usage: build-template.sh DEST [MIRROR]}
mirror=${2:-${QAIR_DEBIAN_MIRROR:-}}
if [[ -z "$mirror" ]]; then
  # use the mirror apt already uses on this host
  mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -m1 -E 'debian/?$' | awk '{print $2}' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi
if [[ -f "$dest/manifest" && -x "$dest/root/bin/sh" ]]; then
  exit 0
fi
include=tigervnc-standalone-server,xterm,xfonts-base,x11-utils,ca-certificates,procps,less
mkdir -p "$dest"
chmod 0755 "$dest"
work="$dest/root.partial"
rm -rf "$work"
mkdir -p "$work"
echo "qair: building template $(basename "$dest") from $mirror (a few minutes, once)" >&2
start=$(date +%s)
bwrap --ro-bind / / --dev-bind "$work" "$work" --dev /dev --proc /proc --tmpfs /tmp \
  --unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup-try --die-with-parent \
  debootstrap --variant=minbase --include="$include" bookworm "$work" "$mirror" \
  > "$dest/build.log" 2>&1 || { echo "qair: template build failed, see $dest/build.log" >&2; exit 1; }
# qubes run as uid 1000 'user'; qair's guest daemon is bind-mounted at start, not installed
chroot "$work" /usr/sbin/useradd -m -u 1000 -s /bin/bash user >/dev/null 2>&1 || true
mkdir -p "$work/etc/qubes-rpc" "$work/usr/local/etc/qubes-rpc"
rm -rf "$work/var/cache/apt/archives/"*.deb "$work/var/lib/apt/lists/"* 2>/dev/null || true
rm -rf "$dest/root"
mv "$work" "$dest/root"
{
  echo "name=$(basename "$dest")"
  echo "suite=bookworm"
  echo "include=$include"
  echo "built=$(date -u +%FT%TZ)"
  echo "seconds=$(( $(date +%s) - start ))"
} > "$dest/manifest"
echo "qair: template built in $(( $(date +%s) - start ))s" >&2
