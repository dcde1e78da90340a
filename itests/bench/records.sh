#!/usr/bin/env bash
#
# Records benchmark (issue #17, "Benchmark"): create-encrypted-record over HTTPS (record + its audit
# entry, durable) by 4 concurrent clients, beside pgbench's insert-only rate on the same PostgreSQL
# in the same run.
#   itests/bench/records.sh [runs]
# Builds nothing: each run unpacks karaf-assembly/target/*.tar.gz (mvn -B install -DskipTests) into a
# temporary folder, points it at two fresh PostgreSQL databases (DB=pg, the default; DB=h2 keeps the
# embedded H2), raises the per-address abuse limits (every request comes from 127.0.0.1), starts it,
# makes a tenant and its first admin with bin/mamori, and with itests/bench/RecordLoad.java: the admin
# signs in with TOTP, defines a category, creates and grants an employee; then WARMUP records, and
# MEASURE records by CLIENTS clients with the server's CPU read around them. Then pgbench's
# insert-only script (one 300-byte row per transaction) with as many clients on the same PostgreSQL.
# Prints FIGURE lines and a VERDICT (target: >= 1,000 records/s and >= 0.25x pgbench).
# Environment: DB (pg|h2) WARMUP (3000) MEASURE (10000) CLIENTS (4) PGBENCH_SECONDS (20) PROFILE=1 (a JFR
# recording of the measured phase, summed up by JfrTop.java: where the server's CPU goes; the
# recording costs CPU, so such a run's figures are not the benchmark's; KEEP_JFR=file keeps the recording).
set -euo pipefail
RUNS=${1:-1}
DB=${DB:-pg}
WARMUP=${WARMUP:-3000}
MEASURE=${MEASURE:-10000}
CLIENTS=${CLIENTS:-4}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
PROFILE=${PROFILE:-0}
TENANT=bench
PASSWORD='Bench-Pass-2026x-Long'
PGHOST=127.0.0.1
PGUSER=postgres
PGDB=mamori_bench_records_pgbench

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER="$ROOT/itests/bench/RecordLoad.java"
TARBALL=$(ls "$ROOT"/karaf-assembly/target/mamori-karaf-assembly-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$TARBALL" ] || { echo "no distribution: build it first (mvn -B install -DskipTests)" >&2; exit 2; }
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)
if [ "$DB" = pg ]; then
  [ -n "$PGBENCH" ] || { echo "pgbench is needed (postgresql-contrib / postgresql-client)" >&2; exit 2; }
  psql -h "$PGHOST" -U "$PGUSER" -d postgres -Atqc "SELECT 1" >/dev/null \
    || { echo "PostgreSQL does not answer on $PGHOST:5432 as $PGUSER" >&2; exit 2; }
fi
HZ=$(getconf CLK_TCK)
WORK=""
CHILD=""

drop_dbs() {
  [ "$DB" = pg ] || return 0
  local d
  for d in "$PGDB" mamori_bench_records mamori_bench_records_pii; do
    dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$d" 2>/dev/null || true
  done
}
cleanup() {
  if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null || true; fi
  stop_server || true
  [ -z "$WORK" ] || rm -rf "$WORK"
  drop_dbs
}
# shared helpers: the server of $WORK, free ports, properties, CPU ticks
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_healthy() {
  for _ in $(seq 1 2400); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/api/v1/health" || true)" = 200 ] && return 0
    sleep 0.1
  done
  echo "server did not become healthy; log: $WORK/data/log/karaf.log" >&2; return 1
}
driver() { # OUT args...
  local out=$1; shift
  java "$DRIVER" "$@" >"$out" &
  CHILD=$!
  if ! wait "$CHILD"; then CHILD=""; cat "$out" >&2; echo "the driver failed: $*" >&2; return 1; fi
  CHILD=""
}
result() { sed -n "s/^RESULT $1=//p" "$2" | tail -1; }

one_run() {
  local run=$1
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mamori-records.XXXXXX")
  tar xzf "$TARBALL" -C "$WORK" --strip-components=1
  local https; https=$(free_port)
  set_property "$WORK/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port.secure "$https"
  set_property "$WORK/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$(free_port)"
  set_property "$WORK/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"
  BASE="https://localhost:$https"
  # every request comes from 127.0.0.1: the per-address flood limit (50/s) would answer 429 long before the end
  local key
  for key in flood.requests.per.second flood.burst; do
    if grep -q "^$key[[:space:]]*=" "$WORK/etc/dev.mamori.auth.cfg"; then
      set_property "$WORK/etc/dev.mamori.auth.cfg" "$key" 100000
    else
      echo "$key = 100000" >>"$WORK/etc/dev.mamori.auth.cfg"
    fi
  done
  if [ "$DB" = pg ]; then
    drop_dbs
    createdb -h "$PGHOST" -U "$PGUSER" mamori_bench_records
    createdb -h "$PGHOST" -U "$PGUSER" mamori_bench_records_pii
    cp "$WORK"/etc/postgresql/org.ops4j.datasource-mamori.cfg "$WORK"/etc/postgresql/org.ops4j.datasource-mamori-pii.cfg "$WORK/etc/"
    sed -i "s|^url *=.*|url = jdbc:postgresql://$PGHOST:5432/mamori_bench_records|" "$WORK/etc/org.ops4j.datasource-mamori.cfg"
    sed -i "s|^url *=.*|url = jdbc:postgresql://$PGHOST:5432/mamori_bench_records_pii|" "$WORK/etc/org.ops4j.datasource-mamori-pii.cfg"
    sed -i "s|^user *=.*|user = $PGUSER|; s|^password *=.*|password =|" "$WORK/etc/org.ops4j.datasource-mamori.cfg" \
      "$WORK/etc/org.ops4j.datasource-mamori-pii.cfg"
    sed -i 's/^\(featuresBoot *= *\\\)$/\1\n    mamori-postgresql, \\/' "$WORK/etc/org.apache.karaf.features.cfg"
  fi
  echo "== run $run ($DB): $WORK, https $https, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$WORK/bin/start" >/dev/null 2>&1
  wait_healthy
  "$WORK/bin/mamori" "mamori:tenant-create $TENANT \"Bench\"" >/dev/null
  local out token
  out=$("$WORK/bin/mamori" "mamori:user-create $TENANT benchadmin A-1")
  token=$(sed -n 's/^Reset token (works once, expires soon): //p' <<<"$out" | tr -d '\r')
  [ -n "$token" ] || { echo "no reset token: $out" >&2; return 1; }
  driver "$WORK/setup.out" setup --base "$BASE" --tenant "$TENANT" --token "$token" --password "$PASSWORD" --out "$WORK/token"
  driver "$WORK/warmup.out" load --base "$BASE" --token-file "$WORK/token" --count "$WARMUP" --clients "$CLIENTS"
  local pid; pid=$(server_pid)
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  [ "$PROFILE" != 1 ] || jcmd "$pid" JFR.start name=records settings=profile filename="$WORK/records.jfr" >/dev/null
  driver "$WORK/measure.out" load --base "$BASE" --token-file "$WORK/token" --count "$MEASURE" --clients "$CLIENTS" \
    --pid "$pid" --clk-tck "$HZ"
  if [ "$PROFILE" = 1 ]; then
    jcmd "$pid" JFR.stop name=records >/dev/null
    java "$ROOT/itests/bench/JfrTop.java" "$WORK/records.jfr" 15 || true
    [ -z "${KEEP_JFR:-}" ] || cp "$WORK/records.jfr" "$KEEP_JFR"
  fi
  local rate p50 p99 cpu
  rate=$(result records_per_s "$WORK/measure.out"); p50=$(result latency_p50_ms "$WORK/measure.out")
  p99=$(result latency_p99_ms "$WORK/measure.out"); cpu=$(result cpu_ms_per_record "$WORK/measure.out")
  echo "FIGURE records created ($DB, $MEASURE by $CLIENTS clients over HTTPS, each with its audit entry, load $load): $rate /s"
  echo "FIGURE latency p50 / p99: $p50 / $p99 ms"
  echo "FIGURE server CPU per record: $cpu ms"
  if [ "$DB" = pg ]; then
    local sc; sc=$(psql -h "$PGHOST" -U "$PGUSER" -d mamori_bench_records -Atqc "SHOW synchronous_commit")
    echo "FIGURE PostgreSQL synchronous_commit: $sc"
    stop_server   # pgbench meets the machine the server had
    createdb -h "$PGHOST" -U "$PGUSER" "$PGDB"
    psql -h "$PGHOST" -U "$PGUSER" -d "$PGDB" -Atqc "CREATE TABLE bench_insert (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)"
    echo "INSERT INTO bench_insert (payload) VALUES (repeat('x', 300));" >"$WORK/insert.sql"
    "$PGBENCH" -h "$PGHOST" -U "$PGUSER" -n -f "$WORK/insert.sql" -c "$CLIENTS" -j 2 -T "$PGBENCH_SECONDS" "$PGDB" >"$WORK/pgbench.out" 2>&1
    local tps; tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$WORK/pgbench.out")
    echo "FIGURE pgbench insert-only, one 300-byte row per transaction, $CLIENTS clients: $tps tps"
    awk -v r="$rate" -v t="$tps" 'BEGIN { q = r / t
      printf "VERDICT %.0f records/s = %.2fx pgbench: %s\n", r, q, (r >= 1000 && q >= 0.25) ? "met (>= 1,000/s and >= 0.25x)" : "NOT met (>= 1,000/s and >= 0.25x)" }'
  fi
  stop_server
  rm -rf "$WORK"; WORK=""
  drop_dbs
}

for run in $(seq 1 "$RUNS"); do one_run "$run"; done
