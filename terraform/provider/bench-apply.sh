#!/usr/bin/env bash
# `terraform apply` of 1 local zone + 3 qubes against a throw-away master (./qair up in a temporary
# QAIR_HOME, a free port): wall time of plan, apply and destroy, how many times Terraform launched
# the provider during each, and how much of the wall time those launches spent before their
# handshake line (QAIR_TF_STARTUP_LOG). Usage: terraform/provider/bench-apply.sh [RUNS]
# Needs the main build (control-plane/target, zone-agent/target) and `mvn -f terraform/provider/pom.xml package`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
mirror=${QAIR_TF_MIRROR:-$here/target/mirror}  # another build to compare with
[[ -d $mirror/qair.dev ]] || { echo "build first: mvn -o -f $here/pom.xml package" >&2; exit 1; }
export QAIR_HOME=$(mktemp -d /tmp/qair-tfbench.XXXXXX)
export QAIR_PORT=$(( 20000 + RANDOM % 20000 ))
export QAIR_ENDPOINT=https://127.0.0.1:$QAIR_PORT
work=$(mktemp -d /tmp/qair-tfbench-work.XXXXXX)
cleanup() { QAIR_SKIP_BUILD=1 "$root/qair" down >/dev/null 2>&1 || true; rm -rf "$QAIR_HOME" "$work"; }
trap cleanup EXIT
QAIR_SKIP_BUILD=1 "$root/qair" up > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

cat > "$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["qair.dev/*/*"]
  }
}
TFRC
cat > "$work/main.tf" <<'TF'
terraform {
  required_providers {
    qair = { source = "qair.dev/qair/qair" }
  }
}
provider "qair" {}
resource "qair_zone" "z" {
  name          = "tfbench"
  provider_kind = "local"
  force_destroy = true
}
resource "qair_qube" "q" {
  count = 3
  name  = "tfbench-${count.index}"
  zone  = qair_zone.z.name
  label = "blue"
}
TF
export TF_CLI_CONFIG_FILE=$work/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 XDG_CACHE_HOME=$work/cache
export QAIR_TF_STARTUP_LOG=$work/startup.log
cd "$work"
terraform init -input=false -no-color > init.log 2>&1 || { cat init.log; exit 1; }
# the first launch of an installed package makes its AppCDS archive: not part of the measurement
terraform validate -no-color > /dev/null
: > "$QAIR_TF_STARTUP_LOG"

one() { # label, terraform args...
  local label=$1; shift
  : > "$QAIR_TF_STARTUP_LOG"
  local t0 t1; t0=$(date +%s%N)
  terraform "$@" -input=false -no-color > "$label.log" 2>&1 || { cat "$label.log"; exit 1; }
  t1=$(date +%s%N)
  local wall=$(( (t1 - t0) / 1000000 ))
  local n sum all
  n=$(wc -l < "$QAIR_TF_STARTUP_LOG")
  sum=$(awk '{s+=$1} END {print s+0}' "$QAIR_TF_STARTUP_LOG")
  all=$(tr '\n' ' ' < "$QAIR_TF_STARTUP_LOG")
  printf '%-8s wall %6d ms, %d provider launches, start-up %5d ms (%2d%%): %s\n' "$label" "$wall" "$n" "$sum" \
    $(( wall > 0 ? 100 * sum / wall : 0 )) "$all"
}
for r in $(seq "$runs"); do
  one plan plan
  one apply apply -auto-approve
  one destroy destroy -auto-approve
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
