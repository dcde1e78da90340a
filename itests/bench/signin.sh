#!/usr/bin/env bash
#
# Sign-in benchmark of the distribution (README: "Figures"; issue #8, "Benchmark").
#   itests/bench/signin.sh [runs]
# Builds nothing: each run unpacks karaf-assembly/target/*.tar.gz into a temporary folder, sets free
# ports and raised abuse limits (below), starts the server, creates a tenant and USERS employees
# (no MFA) and sets their passwords, restarts it (so that it runs with its class data sharing
# archive, as every start after the first does), then with itests/bench/SignInLoad.java:
#   - bcrypt: CPU time of one cost-11 check (Bouncy Castle's OpenBSDBCrypt.checkPassword from the
#     distribution's own bcprov jar, one thread, after a warm-up), before and after the load
#   - WARMUP sign-ins, then MEASURE sign-ins by CLIENTS concurrent clients, the server JVM's CPU time
#     (utime + stime, /proc/PID/stat) read around them: sign-ins per server CPU-second, CPU ms per
#     sign-in, and non-hash CPU ms per sign-in = 1000 / rate - bcrypt ms
#   - PAIRS interleaved failed sign-ins, one at a time: unknown user vs wrong password, median and p90
#   - more sign-ins up to TOTAL successful ones, IDLE seconds of rest, then VmRSS of the server, and
#     again after a full GC (jcmd GC.run)
# Prints one "FIGURE" line per measurement and, over several runs, the median and range of each.
# Environment: USERS (20) WARMUP (2000) MEASURE (5000) CLIENTS (3) PAIRS (500) TOTAL (10000)
# IDLE (30) COST (11, bcrypt.cost) PROFILE=1 (JFR recording and CPU per thread of the measured phase;
# the recording costs CPU, so such a run's figures are not the benchmark's).
set -euo pipefail
RUNS=${1:-1}
USERS=${USERS:-20}
WARMUP=${WARMUP:-2000}
MEASURE=${MEASURE:-5000}
CLIENTS=${CLIENTS:-3}
PAIRS=${PAIRS:-500}
TOTAL=${TOTAL:-10000}
IDLE=${IDLE:-30}
PROFILE=${PROFILE:-0}
COST=${COST:-11}
TENANT=bench
PASSWORD='Bench-Pass-2026x'

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER="$ROOT/itests/bench/SignInLoad.java"
TARBALL=$(ls "$ROOT"/karaf-assembly/target/mamori-karaf-assembly-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$TARBALL" ] || { echo "no distribution: build it first (mvn -B install -DskipTests)" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "jcmd (JDK) is needed" >&2; exit 2; }
HZ=$(getconf CLK_TCK)
RESULTS=$(mktemp)
WORK=""
KEEP=0
CHILD=""
RACED=0

cleanup() {
  if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null || true; fi
  stop_server || true
  if [ -n "$WORK" ] && [ "$KEEP" != 1 ]; then rm -rf "$WORK"; fi
  rm -f "$RESULTS"
}
# shared helpers: the server of $WORK, free ports, properties, CPU ticks
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_healthy() {
  for _ in $(seq 1 2400); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/api/v1/health" || true)" = 200 ] && return 0
    if grep -q "could not be migrated" "$WORK/data/log/karaf.log" 2>/dev/null; then
      echo "a schema migration failed: $(grep -m1 -o 'Schema [a-z-]* of [a-z.]* could not be migrated' "$WORK/data/log/karaf.log")" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "server did not become healthy; log: $WORK/data/log/karaf.log" >&2; return 1
}
# java OUT [java arguments...]: runs a JVM in the background and waits for it, so that a signal
# reaches the trap at once (bash runs traps only between foreground commands) and cleanup ends it
java_to() {
  local out=$1; shift
  java "$@" >"$out" &
  CHILD=$!
  wait "$CHILD"
  CHILD=""
}
driver() { java_to "$WORK/driver.out" "$DRIVER" "$@"; cat "$WORK/driver.out"; }
hash_ms() {
  java_to "$WORK/hash.out" -cp "$1" "$DRIVER" hash --password "$PASSWORD" --cost "$COST"
  result hash_p50_ms "$(cat "$WORK/hash.out")"
}
result() { sed -n "s/^RESULT $1=//p" <<<"$2"; }
# CPU ticks per thread name (digits folded: "qtp123-45" -> "qtpN-N"), for PROFILE=1
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(sed 's/[0-9][0-9]*/N/g' "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk -F'\t' '{s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | sort
}
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
figure() { # key value unit text
  echo "FIGURE $4: $2 $3"
  echo "$1 $2" >>"$RESULTS"
}

first_start() {
  local run=$1
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mamori-signin.XXXXXX")
  tar xzf "$TARBALL" -C "$WORK" --strip-components=1 || return 1
  local https ssh
  https=$(free_port); ssh=$(free_port)
  set_property "$WORK/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port.secure "$https"  || return 1
  set_property "$WORK/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$(free_port)" || return 1
  set_property "$WORK/etc/org.apache.karaf.shell.cfg" sshPort "$ssh" || return 1
  BASE="https://localhost:$https"
  # Raised abuse limits: every request comes from one address (127.0.0.1), so the per-address
  # failure throttle (20 per 5 min) and flood limit (50/s) would answer 429 long before the
  # measurement ends, and the wrong-password runs would lock accounts (5 failures). They are
  # counters the sign-in updates either way, so raising them changes what is measured very little.
  cat >"$WORK/etc/dev.mamori.auth.cfg" <<EOF
bcrypt.cost = $COST
lockout.failures = 100
throttle.failures = 1000000
flood.requests.per.second = 100000
flood.burst = 100000
EOF

  echo "== run $run: $WORK, https $https, ssh $ssh, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # (called as a condition, where set -e does not apply: every step says so itself)
  "$WORK/bin/start" >/dev/null 2>&1 || return 1
  wait_healthy || return 1
  "$WORK/bin/mamori" "mamori:tenant-create $TENANT \"Bench\"" >/dev/null || return 1
}

one_run() {
  local run=$1 attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    if first_start "$run"; then break; fi
    # Known race (reported with issue #8): the auth schema (V1__auth.sql) has foreign keys to the
    # tenant schema's table, nothing orders the two migrations, and on some first starts auth's
    # runs first and fails, leaving the server unhealthy. A fresh installation is the way out.
    [ "$attempt" -lt 8 ] || { KEEP=1; return 1; }
    echo "first start failed, again with a fresh installation" >&2
    RACED=$((RACED + 1))
    stop_server; rm -rf "$WORK"; WORK=""
  done
  local cmds=() i
  for i in $(seq 1 "$USERS"); do cmds+=("mamori:user-create --role employee $TENANT bench-$i B$i"); done
  local out
  out=$("$WORK/bin/mamori" "$(printf '%s\n' "${cmds[@]}")")
  sed -n 's/^Reset token (works once, expires soon): //p' <<<"$out" | tr -d '\r' >"$WORK/tokens"
  if [ "$(wc -l <"$WORK/tokens")" != "$USERS" ]; then
    echo "expected $USERS reset tokens, got: $out" >&2; KEEP=1; return 1
  fi
  for i in $(seq 1 "$USERS"); do echo "bench-$i"; done >"$WORK/logins"
  driver reset --base "$BASE" --tenant "$TENANT" --tokens "$WORK/tokens" --password "$PASSWORD" >/dev/null

  # restart: from now on the server maps the class data sharing archive its first stop wrote
  stop_server
  "$WORK/bin/start" >/dev/null 2>&1
  wait_healthy || { KEEP=1; return 1; }
  local pid; pid=$(server_pid)
  local bcprov; bcprov=$(ls "$WORK"/system/org/bouncycastle/bcprov-jdk18on/*/bcprov-jdk18on-*.jar | head -1)
  local hash_before hash_after
  hash_ms "$bcprov" >"$WORK/hash.before"; hash_before=$(cat "$WORK/hash.before")

  local r
  driver load --base "$BASE" --tenant "$TENANT" --logins "$WORK/logins" --password "$PASSWORD" \
    --count "$WARMUP" --clients "$CLIENTS" >/dev/null
  # what the server burns doing nothing (jobs, timers), for scale
  local t0 t1; t0=$(cpu_ticks "$pid")
  sleep 10
  t1=$(cpu_ticks "$pid")
  figure idle_cpu "$(( (t1 - t0) * 1000 / HZ / 10 ))" "ms/s" "server CPU when idle"

  local load_before; load_before=$(load1)
  if [ "$PROFILE" = 1 ]; then
    thread_cpu "$pid" >"$WORK/threads.before"
    jcmd "$pid" JFR.start name=signin settings=profile filename="$WORK/signin.jfr" >/dev/null
  fi
  driver load --base "$BASE" --tenant "$TENANT" --logins "$WORK/logins" --password "$PASSWORD" \
    --count "$MEASURE" --clients "$CLIENTS" --pid "$pid" --clk-tck "$HZ" >"$WORK/measure.out"
  r=$(cat "$WORK/measure.out")
  if [ "$PROFILE" = 1 ]; then
    jcmd "$pid" JFR.stop name=signin >/dev/null; KEEP=1
    echo "JFR recording: $WORK/signin.jfr (jfr print --events jdk.ExecutionSample --stack-depth 96 ...)"
    echo "server CPU per sign-in by thread (ms; threads that ended meanwhile are missing):"
    thread_cpu "$pid" | join -t $'\t' -a 1 - "$WORK/threads.before" | awk -F'\t' -v hz="$HZ" -v n="$MEASURE" \
      '{d = $2 - ($3 == "" ? 0 : $3); if (d > 0) printf "%8.2f  %s\n", d * 1000 / hz / n, $1}' | sort -rn | head -15
  fi
  hash_ms "$bcprov" >"$WORK/hash.after"; hash_after=$(cat "$WORK/hash.after")
  local rate cpu hash
  rate=$(result signins_per_cpu_s "$r"); cpu=$(result cpu_ms_per_signin "$r")
  hash=$(awk -v a="$hash_before" -v b="$hash_after" 'BEGIN {printf "%.2f", (a + b) / 2}')
  figure load "$load_before" "" "load average (1 min) when the measurement started"
  figure rate "$rate" "per CPU-s" "sign-ins per server CPU-second ($MEASURE sign-ins, $CLIENTS clients, $(result signins_per_wall_s "$r")/s wall)"
  figure cpu "$cpu" "ms" "server CPU per sign-in"
  figure hash "$hash" "ms" "bcrypt cost-$COST check, CPU (before $hash_before, after $hash_after)"
  figure nonhash "$(awk -v r="$rate" -v h="$hash" 'BEGIN {printf "%.2f", 1000 / r - h}')" "ms" "non-hash server CPU per sign-in (1000 / rate - bcrypt)"
  figure latency "$(result latency_p50_ms "$r")" "ms" "sign-in latency under load, median (p90 $(result latency_p90_ms "$r") ms)"

  driver latency --base "$BASE" --tenant "$TENANT" --logins "$WORK/logins" --pairs "$PAIRS" >"$WORK/latency.out"
  r=$(cat "$WORK/latency.out")
  figure unknown "$(result unknown_p50_ms "$r")" "ms" "unknown user, median of $PAIRS (p90 $(result unknown_p90_ms "$r") ms)"
  figure wrong "$(result wrong_p50_ms "$r")" "ms" "wrong password, median of $PAIRS (p90 $(result wrong_p90_ms "$r") ms)"
  figure ratio "$(result unknown_over_wrong_p50 "$r")" "" "unknown / wrong password, medians"
  # the target of issue #14 (F5): an account's existence must not show in the time a failure takes
  awk -v q="$(result unknown_over_wrong_p50 "$r")" 'BEGIN {
    printf "VERDICT ratio %s: %s\n", q, (q >= 0.98 && q <= 1.02) ? "within +-2 % (met)" : "OUTSIDE +-2 % (NOT met)" }'

  local rest=$(( TOTAL - WARMUP - MEASURE ))
  if [ "$rest" -gt 0 ]; then
    driver load --base "$BASE" --tenant "$TENANT" --logins "$WORK/logins" --password "$PASSWORD" \
      --count "$rest" --clients "$CLIENTS" >/dev/null
  fi
  sleep "$IDLE"
  figure rss "$(rss_mib "$pid")" "MiB" "idle RSS after $(( WARMUP + MEASURE + (rest > 0 ? rest : 0) )) sign-ins and $IDLE s"
  jcmd "$pid" GC.run >/dev/null
  sleep 5
  figure rss_gc "$(rss_mib "$pid")" "MiB" "same, after a full GC (jcmd GC.run)"
  local heap; heap=$(jcmd "$pid" GC.heap_info)
  figure heap "$(awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "total") t += $(i + 1); else if ($i == "used") u += $(i + 1)}
    END {printf "%.0f", u / 1024}' <<<"$heap")" "MiB" "Java heap in use after that GC (committed $(awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "total") t += $(i + 1)} END {printf "%.0f", t / 1024}' <<<"$heap") MiB)"
  figure metaspace "$(awk '/Metaspace/ {for (i = 1; i <= NF; i++) if ($i == "used") {printf "%.0f", $(i + 1) / 1024; exit}}' <<<"$heap")" "MiB" "Metaspace in use"

  stop_server
  if [ "$KEEP" != 1 ]; then rm -rf "$WORK"; fi
  WORK=""
}

for run in $(seq 1 "$RUNS"); do one_run "$run"; done
echo "FIGURE first starts that failed a schema migration (retried): $RACED of $((RACED + RUNS))"

if [ "$RUNS" -gt 1 ]; then
  echo "== over $RUNS runs: median (min-max)"
  for key in load idle_cpu rate cpu hash nonhash latency unknown wrong ratio rss rss_gc heap metaspace; do
    awk -v k="$key" '$1 == k {print $2}' "$RESULTS" | sort -g | awk -v k="$key" '
      {v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "SUMMARY %-8s %s (%s-%s)\n", k, m, v[1], v[NR]}'
  done
fi
