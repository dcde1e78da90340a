#!/usr/bin/env bash
#
# Audit log benchmark (issue #16, "Targets"): durable appends beside pgbench's single-row inserts on
# the same PostgreSQL, integration into the Merkle tree, verification and proofs.
#   itests/bench/audit.sh [runs]
# Needs the modules installed once (mvn -B install -DskipTests; MVN_ARGS is passed to Maven, e.g.
# "-o -Dmaven.repo.local=/tmp/repo"), PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, as
# the unit tests use it) and pgbench. Compiles the audit module's tests and runs its load driver
# (bundles/audit/impl/src/test/java/dev/mamori/audit/internal/AuditBench.java) on the test
# classpath. Each run, one after the other so that both meet the same machine:
#   - pgbench, insert-only (one 300-byte row per transaction: pgbench -n -f insert.sql -c C -j 2 -T
#     MEASURE) for C = 1, 4, 16, each followed by the driver's append phase with as many writers
#     (standalone events of about 420 canonical bytes through the recorder's group commit, each
#     acknowledged once committed; integration into the tree on the after-commit thread meanwhile,
#     as in the container), then pgbench's 10-row transactions at 16 clients, and the 16-writer
#     phase again with integration left for afterwards (appends alone; then the backlog's
#     integration alone). PostgreSQL's synchronous_commit is checked to be on.
#   - the same append phases on an H2 file database (as the distribution ships it, WRITE_DELAY=0:
#     written to the file at each commit but not synced, so not comparable with PostgreSQL's fsync)
#   - a log of ENTRIES entries (PostgreSQL) built through the pending table and the Integrator,
#     then the service's full verification (median of 3), PROOFS inclusion proofs and PROOFS
#     consistency proofs (median, p99); BIG=1 adds a log of BIG_ENTRIES (10 million: about ten
#     minutes to build and 8 GB of disk on a 2-core machine), H2_VERIFY=1 the same at ENTRIES on H2.
# Every database is made for the run and dropped after it (pgbench's: mamori_bench_pgbench, a table
# bench_insert (id BIGSERIAL PRIMARY KEY, payload TEXT) of 300-byte payloads; the driver's:
# mamori_bench_*). Where the server's autovacuum is off, the driver vacuums the audit queue table
# every 10 s as autovacuum would (it says so). Prints one "FIGURE" line per measurement and, over
# several runs, the median and range of each.
# Environment: MEASURE (20 s) WARMUP (10 s) ENTRIES (1000000) PROOFS (1000) BIG (0)
# BIG_ENTRIES (10000000) H2 (1) H2_VERIFY (0) MVN_ARGS ("") JAVA_OPTS ("")
set -euo pipefail
RUNS=${1:-1}
MEASURE=${MEASURE:-20}
WARMUP=${WARMUP:-10}
ENTRIES=${ENTRIES:-1000000}
PROOFS=${PROOFS:-1000}
BIG=${BIG:-0}
BIG_ENTRIES=${BIG_ENTRIES:-10000000}
H2=${H2:-1}
H2_VERIFY=${H2_VERIFY:-0}
MVN_ARGS=${MVN_ARGS:-}
JAVA_OPTS=${JAVA_OPTS:-}
PGHOST=127.0.0.1
PGUSER=postgres
PGDB=mamori_bench_pgbench

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POM="$ROOT/bundles/audit/impl/pom.xml"
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)
[ -n "$PGBENCH" ] || { echo "pgbench is needed (postgresql-contrib / postgresql-client)" >&2; exit 2; }
psql -h "$PGHOST" -U "$PGUSER" -d postgres -Atqc "SELECT 1" >/dev/null \
  || { echo "PostgreSQL does not answer on $PGHOST:5432 as $PGUSER" >&2; exit 2; }
RESULTS=$(mktemp)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mamori-audit-bench.XXXXXX")
CHILD=""
cleanup() {
  if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null || true; fi
  dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$PGDB" 2>/dev/null || true
  rm -rf "$WORK" "$RESULTS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== compiling the audit module's tests and resolving its test classpath"
# shellcheck disable=SC2086
CP=$(mvn -B -q -Dstyle.color=never $MVN_ARGS -f "$POM" -Pbenchmark test-compile exec:exec -Dbench.args=classpath | sed -n 's/^.*CLASSPATH //p')
[ -n "$CP" ] || { echo "no test classpath (is the project installed? mvn -B install -DskipTests)" >&2; exit 2; }

figure() { # key value unit text
  echo "FIGURE $4: $2 $3"
  echo "$1 $2" >>"$RESULTS"
}
result() { sed -n "s/^RESULT $1=//p" <<<"$2" | tail -1; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# driver OUT args...: the load driver in the background (so that a signal reaches the trap), its output kept
driver() {
  local out=$1; shift
  # shellcheck disable=SC2086
  java $JAVA_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.mamori.audit.internal.AuditBench "$@" >"$out" 2>&1 &
  CHILD=$!
  if ! wait "$CHILD"; then CHILD=""; cat "$out" >&2; echo "the driver failed: $*" >&2; return 1; fi
  CHILD=""
  grep -v '^RESULT ' "$out" | sed 's/^/  /'
}
# pgbench_tps SCRIPT CLIENTS: transactions per second of an insert-only pgbench run
pgbench_tps() {
  local jobs=$(( $2 < 2 ? $2 : 2 ))
  "$PGBENCH" -h "$PGHOST" -U "$PGUSER" -n -f "$WORK/$1" -c "$2" -j "$jobs" -T "$MEASURE" "$PGDB" >"$WORK/pgbench.out" 2>&1 &
  CHILD=$!
  if ! wait "$CHILD"; then CHILD=""; cat "$WORK/pgbench.out" >&2; return 1; fi
  CHILD=""
  sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$WORK/pgbench.out"
}

{
  echo "INSERT INTO bench_insert (payload) VALUES (repeat('x', 300));"
} >"$WORK/insert.sql"
{
  printf "INSERT INTO bench_insert (payload) VALUES "
  for i in $(seq 1 10); do printf "%s(repeat('x', 300))" "$([ "$i" = 1 ] || echo ,)"; done
  echo ";"
} >"$WORK/insert10.sql"

one_run() {
  local run=$1 out r c tps rate
  echo "== run $run: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$PGDB"
  createdb -h "$PGHOST" -U "$PGUSER" "$PGDB"
  psql -h "$PGHOST" -U "$PGUSER" -d "$PGDB" -Atqc "CREATE TABLE bench_insert (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)"
  local sc; sc=$(psql -h "$PGHOST" -U "$PGUSER" -d "$PGDB" -Atqc "SHOW synchronous_commit")
  echo "PostgreSQL synchronous_commit = $sc, fsync = $(psql -h "$PGHOST" -U "$PGUSER" -d "$PGDB" -Atqc "SHOW fsync")"
  [ "$sc" = on ] || echo "WARNING: synchronous_commit is not on: commits are not durable, these are not the benchmark's figures"

  for c in 1 4 16; do
    tps=$(pgbench_tps insert.sql "$c")
    figure "pgbench_c$c" "$(printf '%.0f' "$tps")" "rows/s" "pgbench insert-only, one 300-byte row per transaction, $c clients, PostgreSQL (load $(load1))"
    out="$WORK/append-pg-$c.out"
    driver "$out" append --db pg --writers "$c" --seconds "$MEASURE" --warmup "$WARMUP" --integrate during
    r=$(cat "$out")
    rate=$(result "append_pg_w${c}_per_s" "$r")
    figure "append_pg_w$c" "$rate" "appends/s" "durable appends, $c writers, PostgreSQL, integration meanwhile (p50 $(result "append_pg_w${c}_p50_ms" "$r") ms, p99 $(result "append_pg_w${c}_p99_ms" "$r") ms, $(result "append_pg_w${c}_batch" "$r") rows per commit; load $(load1))"
    figure "integrated_pg_w$c" "$(result "append_pg_w${c}_integrated_during_per_s" "$r")" "entries/s" "integrated into the tree meanwhile, $c writers, PostgreSQL (backlog when the writers stopped $(result "append_pg_w${c}_backlog_at_stop" "$r"))"
    if [ "$c" = 16 ]; then
      local pg16=$tps
      tps=$(pgbench_tps insert10.sql 16)
      figure pgbench_c16x10 "$(printf '%.0f' "$(awk -v t="$tps" 'BEGIN {print t * 10}')")" "rows/s" "pgbench insert-only, 10 rows per transaction, 16 clients, PostgreSQL"
      figure ratio16 "$(awk -v a="$rate" -v p="$pg16" 'BEGIN {printf "%.2f", a / p}')" "" "appends / pgbench single-row inserts at 16 writers (PostgreSQL, integration meanwhile)"
      awk -v a="$rate" -v p="$pg16" 'BEGIN {printf "VERDICT appends vs pgbench at 16: %s\n", (a > p) ? "appends faster (met)" : "appends NOT faster (NOT met)"}'
      awk -v a="$rate" 'BEGIN {printf "VERDICT 20,000 durable appends/s at 16 writers: %s\n", (a >= 20000) ? "met" : "NOT met"}'
    fi
  done
  out="$WORK/append-pg-after.out"
  driver "$out" append --db pg --writers 16 --seconds "$MEASURE" --warmup "$WARMUP" --integrate after
  r=$(cat "$out")
  figure append_pg_w16_alone "$(result append_pg_w16_per_s "$r")" "appends/s" "durable appends, 16 writers, PostgreSQL, integration left for afterwards (p50 $(result append_pg_w16_p50_ms "$r") ms)"
  figure integrate_pg "$(result append_pg_w16_integrated_per_s "$r")" "entries/s" "integration of that backlog alone, PostgreSQL ($(result append_pg_w16_integrated_cpu_us "$r") us CPU per entry)"
  figure ratio16_alone "$(awk -v a="$(result append_pg_w16_per_s "$r")" -v p="$pg16" 'BEGIN {printf "%.2f", a / p}')" "" "appends (integration afterwards) / pgbench single-row inserts at 16 writers"
  dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$PGDB"

  if [ "$H2" = 1 ]; then
    out="$WORK/append-h2.out"
    driver "$out" append --db h2 --writers 1,4,16 --seconds "$MEASURE" --warmup "$WARMUP" --integrate during --dir "$WORK/h2"
    r=$(cat "$out")
    for c in 1 4 16; do
      figure "append_h2_w$c" "$(result "append_h2_w${c}_per_s" "$r")" "appends/s" "durable appends, $c writers, H2 file, integration meanwhile (p50 $(result "append_h2_w${c}_p50_ms" "$r") ms, $(result "append_h2_w${c}_batch" "$r") rows per commit)"
      figure "integrated_h2_w$c" "$(result "append_h2_w${c}_integrated_during_per_s" "$r")" "entries/s" "integrated meanwhile, $c writers, H2 (backlog at stop $(result "append_h2_w${c}_backlog_at_stop" "$r"))"
    done
    rm -rf "$WORK/h2"
  fi

  verify_figures pg "$ENTRIES"
  if [ "$H2_VERIFY" = 1 ]; then verify_figures h2 "$ENTRIES"; fi
  if [ "$BIG" = 1 ]; then verify_figures pg "$BIG_ENTRIES"; fi
}

label() { awk -v n="$1" 'BEGIN {if (n % 1000000 == 0) print n / 1000000 "m"; else if (n % 1000 == 0) print n / 1000 "k"; else print n}'; }
verify_figures() { # db entries
  local db=$1 n=$2 key out r
  key="${db}_$(label "$n")"
  out="$WORK/verify-$key.out"
  driver "$out" verify --db "$db" --entries "$n" --proofs "$PROOFS" --verify-runs 3 --dir "$WORK/h2v"
  r=$(cat "$out")
  figure "build_$key" "$(result "build_${key}_per_s" "$r")" "entries/s" "building the log of $n ($db): pending table + Integrator"
  figure "verify_$key" "$(result "verify_${key}_per_s" "$r")" "entries/s" "full verification of $n entries from the database ($db), median of 3"
  figure "inclusion_$key" "$(result "inclusion_${key}_p50_ms" "$r")" "ms" "inclusion proof in a log of $n ($db), median of $PROOFS (p99 $(result "inclusion_${key}_p99_ms" "$r") ms)"
  figure "consistency_$key" "$(result "consistency_${key}_p50_ms" "$r")" "ms" "consistency proof in a log of $n ($db), median of $PROOFS (p99 $(result "consistency_${key}_p99_ms" "$r") ms)"
  rm -rf "$WORK/h2v"
}

for run in $(seq 1 "$RUNS"); do one_run "$run"; done

if [ "$RUNS" -gt 1 ]; then
  echo "== over $RUNS runs: median (min-max)"
  awk '{print $1}' "$RESULTS" | awk '!seen[$0]++' | while read -r key; do
    awk -v k="$key" '$1 == k && $2 != "" {print $2}' "$RESULTS" | sort -g | awk -v k="$key" '
      {v[NR] = $1} END {if (NR == 0) exit; m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "SUMMARY %-22s %s (%s-%s)\n", k, m, v[1], v[NR]}'
  done
fi
