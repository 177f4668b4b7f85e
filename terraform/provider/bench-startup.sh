#!/usr/bin/env bash
# Provider start-up: time from exec to the handshake line on stdout, as Terraform waits for it.
#   ./bench-startup.sh [runs]      (after mvn -f terraform/provider/pom.xml package)
# Unpacks the mirror zip into a temp dir, makes a P-521 client certificate like Terraform's,
# then runs the launcher with and without AppCDS / C1-only and prints each run in ms.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-5}
zip=$here/target/mirror/qair.dev/qair/qair/terraform-provider-qair_0.1.0_linux_amd64.zip
[[ -f $zip ]] || { echo "build first: mvn -f $here/pom.xml package" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && unzip -q "$zip")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:secp521r1 -nodes -keyout "$tmp/k.pem" \
  -out "$tmp/c.pem" -subj /CN=localhost -days 1 2>/dev/null
export XDG_CACHE_HOME=$tmp/cache
export TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
export PLUGIN_CLIENT_CERT=$(cat "$tmp/c.pem")
launcher=$tmp/terraform-provider-qair_v0.1.0

one() { # prints ms to the handshake line
  local t0 t1 line pid
  t0=$(date +%s%N)
  coproc P { exec env "$@" "$launcher" 2>/dev/null; }
  pid=$P_PID
  read -r line <&"${P[0]}"
  t1=$(date +%s%N)
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  [[ $line == 1\|6\|tcp\|127.0.0.1:*\|grpc\|* ]] || { echo "bad handshake: $line" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
series() {
  local label=$1; shift
  local all=()
  for _ in $(seq "$runs"); do all+=("$(one "$@")"); done
  printf '%-40s %s ms\n' "$label" "${all[*]}"
}
printf '%-40s %s ms\n' "first start (makes the AppCDS archive)" "$(one QAIR_TF_NO_CDS=)"
series "AppCDS + C1 + SerialGC" QAIR_TF_NO_CDS=
series "no AppCDS (C1 + SerialGC)" QAIR_TF_NO_CDS=1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
