#!/usr/bin/env bash
#
# Start-up and footprint benchmark of the distribution (README: "Figures").
#   itests/bench/startup.sh [runs]
# Unpacks karaf-assembly/target/*.tar.gz into a temporary folder, then:
#   - first start (creates certificate, operator, schema) to a 200 from /api/v1/health
#   - [runs] restarts (cold JVM, existing data) to a 200 from /api/v1/health
#   - RSS of the server process after 20 s idle
# Needs ports 8443 and 8101 free. Prints one "FIGURE" line per measurement.
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARBALL=$(ls "$ROOT"/karaf-assembly/target/mamori-karaf-assembly-*.tar.gz | head -1)
WORK=$(mktemp -d)
KEEP=0
trap '[ -x "$WORK/bin/stop" ] && "$WORK/bin/stop" >/dev/null 2>&1 || true; sleep 3; pkill -9 -f "karaf.base=$WORK" || true; [ "$KEEP" = 1 ] || rm -rf "$WORK"' EXIT
tar xzf "$TARBALL" -C "$WORK" --strip-components=1

now() { date +%s%N; }
wait_healthy() {
  local t0=$1
  for _ in $(seq 1 1200); do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:8443/api/v1/health)" = 200 ]; then
      echo $(( ($(now) - t0) / 1000000 )); return 0
    fi
    sleep 0.05
  done
  echo "server did not become healthy; log: $WORK/data/log/karaf.log" >&2; KEEP=1; return 1
}
server_pid() { pgrep -f "karaf.base=$WORK" | head -1; }
stop_server() {
  "$WORK/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 200); do [ -z "$(server_pid)" ] && return 0; sleep 0.1; done
  pkill -9 -f "karaf.base=$WORK" || true
}

t0=$(now); "$WORK/bin/start" >/dev/null 2>&1
echo "FIGURE first start to healthy: $(wait_healthy "$t0") ms"
stop_server

total=0
for i in $(seq 1 "$RUNS"); do
  t0=$(now); "$WORK/bin/start" >/dev/null 2>&1
  ms=$(wait_healthy "$t0"); total=$((total + ms))
  echo "FIGURE restart $i to healthy: $ms ms"
  if [ "$i" -lt "$RUNS" ]; then stop_server; fi
done
echo "FIGURE mean restart to healthy over $RUNS runs: $((total / RUNS)) ms"
sleep 20
pid=$(server_pid)
echo "FIGURE idle RSS after 20 s: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB (pid $pid)"
echo "FIGURE bundles: $(ls "$WORK"/data/cache | grep -c bundle) installed"
echo "FIGURE distribution tar.gz: $(( $(stat -c %s "$TARBALL") / 1024 / 1024 )) MiB, unpacked $(du -sm "$WORK" | cut -f1) MiB"
