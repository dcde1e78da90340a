#!/usr/bin/env bash
#
# Sign-in CPU beyond the hash, Mamori beside Keycloak 26.7.3, in one run on one machine (issue #15,
# "Benchmark"; README: "Figures").
#   itests/bench/keycloak.sh
# Builds nothing: needs karaf-assembly/target/*.tar.gz (mvn -B install -DskipTests), a JDK 17-22 as
# `java` for Mamori and any JDK >= 21 under /usr/lib/jvm (or KC_JAVA_HOME) for Keycloak, which it
# fetches itself into ~/.m2 (mvn dependency:get org.keycloak:keycloak-quarkus-dist:26.7.3:tar.gz).
#
# Keycloak: start-dev (H2 dev-file, HTTPS on a free port with a self-signed EC key made by keytool,
# so that both servers pay for TLS alike), bootstrap admin from the environment; KeycloakLoad.java
# creates a realm with `hashAlgorithm(pbkdf2-sha256) and hashIterations(1)` (the hash is free, so
# its CPU per sign-in is all overhead), brute-force detection, events and admin events off, a
# public client with direct access grants only and USERS users; everything else is default.
# Sign-ins: POST /realms/R/protocol/openid-connect/token, grant_type=password.
#
# Mamori: the distribution as signin.sh runs it (raised abuse limits, bcrypt.cost COST, a restart
# so that it runs with its CDS archive), plus BcryptCpuAgent.java as a -javaagent of the server
# JVM (benchmark-only; the product is unchanged): it times each bcrypt computation in the CPU time
# of the thread that runs it, so the hash is subtracted exactly as the server spent it, not as
# another JVM measured it. Non-hash CPU per sign-in = (server CPU - bcrypt CPU) / sign-ins.
#
# Both: WARMUP sign-ins first, then ROUNDS interleaved rounds (the order alternating), each of
# KC_COUNT Keycloak and M_COUNT Mamori sign-ins by CLIENTS concurrent clients over kept-alive
# connections; each server's CPU (utime + stime, /proc/PID/stat) is read by the driver just before
# the first request and after the last answer. CPU time, not wall time: the machine may be busy.
# Prints FIGURE lines per round, SUMMARY lines (median, min-max over the rounds) and a VERDICT:
# Mamori's non-hash CPU / Keycloak's CPU per sign-in, target <= 0.2.
# Then (PROFILE=1, default) a JFR recording (execution samples only, 10 ms) of PROFILE_COUNT more
# Mamori sign-ins, aggregated by JfrTop.java; and (PG=1, default, when PostgreSQL answers on
# 127.0.0.1:5432 with trust auth for user postgres) a second Mamori on two fresh PostgreSQL
# databases (dropped afterwards): transactions per sign-in from pg_stat_database, its idle jobs'
# rate subtracted.
#
# Environment: ROUNDS (8) KC_COUNT (1000) M_COUNT (400) CLIENTS (3) USERS (20) COST (10)
# KC_WARMUP (10000) M_WARMUP (2000) PROFILE (1) PROFILE_COUNT (600) PG (1) PG_COUNT (200) KEEP (0: remove
# the folders; 1: keep them, with the logs and the recording).
set -euo pipefail
export LC_ALL=C
ROUNDS=${ROUNDS:-8}
KC_COUNT=${KC_COUNT:-1000}
M_COUNT=${M_COUNT:-400}
CLIENTS=${CLIENTS:-3}
USERS=${USERS:-20}
COST=${COST:-10}
KC_WARMUP=${KC_WARMUP:-10000}
M_WARMUP=${M_WARMUP:-2000}
PROFILE=${PROFILE:-1}
PROFILE_COUNT=${PROFILE_COUNT:-600}
PG=${PG:-1}
PG_COUNT=${PG_COUNT:-200}
KEEP=${KEEP:-0}
KC_VERSION=26.7.3
TENANT=bench
PASSWORD='Bench-Pass-2026x'
KC_ADMIN_PASSWORD="bench-admin-$RANDOM$RANDOM"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/itests/bench"
TARBALL=$(ls "$ROOT"/karaf-assembly/target/mamori-karaf-assembly-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$TARBALL" ] || { echo "no distribution: build it first (mvn -B install -DskipTests)" >&2; exit 2; }
HZ=$(getconf CLK_TCK)

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | sed 's/^1\.//'; }
MAMORI_JAVA=$(command -v java)
[ -n "${JAVA_HOME:-}" ] && MAMORI_JAVA="$JAVA_HOME/bin/java"
MAMORI_JDK=$(dirname "$(dirname "$(readlink -f "$MAMORI_JAVA")")")
M_MAJOR=$(java_major "$MAMORI_JAVA")
# the agent rewrites Bouncy Castle with the JDK's internal copy of ASM, which went with JDK 23
[ "$M_MAJOR" -ge 17 ] && [ "$M_MAJOR" -le 22 ] || { echo "Mamori's java ($MAMORI_JAVA) is $M_MAJOR; the agent needs 17-22" >&2; exit 2; }
KC_JAVA_HOME=${KC_JAVA_HOME:-}
if [ -z "$KC_JAVA_HOME" ]; then
  best=0
  for d in /usr/lib/jvm/*/; do
    [ -x "$d/bin/java" ] || continue
    v=$(java_major "$d/bin/java" || echo 0)
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best" ]; then best=$v; KC_JAVA_HOME=${d%/}; fi
  done
fi
[ -n "$KC_JAVA_HOME" ] || { echo "Keycloak $KC_VERSION needs a JDK >= 21 (none under /usr/lib/jvm; set KC_JAVA_HOME)" >&2; exit 2; }

KC_TGZ="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
if [ ! -s "$KC_TGZ" ]; then
  echo "fetching Keycloak $KC_VERSION from Maven Central into ~/.m2"
  mvn -B -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" -Dtransitive=false >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mamori-vs-keycloak.XXXXXX")
MWORK=""     # the Mamori folder of the current phase
KCPID=""
CHILD=""
PGDB=""
RESULTS="$WORK/results"
: >"$RESULTS"

# the Mamori JVM of $1's folder, if it runs (never a process that merely reuses a stale pid)
mamori_pid() {
  local pid
  [ -n "$1" ] && [ -s "$1/karaf.pid" ] || return 0
  pid=$(cat "$1/karaf.pid")
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qx -- "-Dkaraf.base=$1"; then echo "$pid"; fi
}
stop_mamori() {
  local pid; pid=$(mamori_pid "$1")
  [ -n "$pid" ] || return 0
  "$1/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 600); do [ -d "/proc/$pid" ] || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
stop_keycloak() {
  [ -n "$KCPID" ] && [ -d "/proc/$KCPID" ] || return 0
  kill "$KCPID" 2>/dev/null || true
  for _ in $(seq 1 300); do [ -d "/proc/$KCPID" ] || { KCPID=""; return 0; }; sleep 0.1; done
  kill -9 "$KCPID" 2>/dev/null || true
  KCPID=""
}
cleanup() {
  local rc=$?
  if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null || true; fi
  stop_keycloak || true
  for d in "$WORK"/mamori-*; do [ -d "$d" ] && { stop_mamori "$d" || true; }; done
  if [ -n "$PGDB" ]; then
    psql -h 127.0.0.1 -U postgres -qAtc "DROP DATABASE IF EXISTS $PGDB" -c "DROP DATABASE IF EXISTS ${PGDB}_pii" >/dev/null 2>&1 || true
  fi
  if [ "$KEEP" = 1 ] || [ "$rc" != 0 ]; then echo "kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/::1/$p") 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  echo "no free port" >&2; return 1
}
set_property() { # file key value: replaces the key's line, which must be there
  grep -q "^$2[[:space:]]*=" "$1" || { echo "$2 not in $1" >&2; return 1; }
  sed -i "s|^$2[[:space:]]*=.*|$2 = $3|" "$1"
}
# runs a JVM in the background and waits for it, so that a signal reaches the trap at once and
# cleanup ends it; its output goes to $1 (and is printed when it fails)
run_to() {
  local out=$1 rc=0; shift
  "$@" >"$out" 2>&1 &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  if [ "$rc" != 0 ]; then cat "$out" >&2; echo "failed ($rc): $*" >&2; return "$rc"; fi
}
result() { sed -n "s/^RESULT $1=//p" "$2"; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# CPU ticks per thread name (digits folded: "qtp123-45" -> "qtpN-N")
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(sed 's/[0-9][0-9]*/N/g' "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk -F'\t' '$2 != "" {s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | sort
}
record() { echo "$1 $2" >>"$RESULTS"; }
summary() { # key label [unit]: median (min-max) of the recorded values
  awk -v k="$1" '$1 == k {print $2}' "$RESULTS" | sort -g | awk -v l="$2" -v u="${3-ms}" '
    {v[NR] = $1} END {if (!NR) exit; m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "SUMMARY %s: median %.2f %s(min %.2f, max %.2f, %d rounds)\n", l, m, u == "" ? "" : u " ", v[1], v[NR], NR}'
}
median() { awk -v k="$1" '$1 == k {print $2}' "$RESULTS" | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# ---- the benchmark agent ----------------------------------------------------------------------
AGENT="$WORK/agent/bcrypt-cpu-agent.jar"
mkdir -p "$WORK/agent/classes"
"$MAMORI_JDK/bin/javac" -nowarn -d "$WORK/agent/classes" --add-exports java.base/jdk.internal.org.objectweb.asm=ALL-UNNAMED \
  "$BENCH/BcryptCpuAgent.java"
# on the boot class path (Karaf boot-delegates com.sun.*), so that Bouncy Castle's bundle sees it
printf 'Premain-Class: com.sun.mamoribench.BcryptCpuAgent\nBoot-Class-Path: bcrypt-cpu-agent.jar\n' >"$WORK/agent/manifest"
"$MAMORI_JDK/bin/jar" cfm "$AGENT" "$WORK/agent/manifest" -C "$WORK/agent/classes" .

# ---- Mamori -----------------------------------------------------------------------------------
# mamori_install DIR: unpacks, free ports, raised abuse limits (as signin.sh: every request comes
# from 127.0.0.1, so the per-address throttle and flood limit would answer 429 long before the end)
mamori_install() {
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir"
  tar xzf "$TARBALL" -C "$dir" --strip-components=1
  local https; https=$(free_port)
  set_property "$dir/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port.secure "$https"
  set_property "$dir/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$(free_port)"
  set_property "$dir/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"
  echo "https://localhost:$https" >"$dir/base.url"
  cat >"$dir/etc/dev.mamori.auth.cfg" <<EOF
bcrypt.cost = $COST
lockout.failures = 100
throttle.failures = 1000000
flood.requests.per.second = 100000
flood.burst = 100000
EOF
}
wait_healthy() { # dir
  local base; base=$(cat "$1/base.url")
  for _ in $(seq 1 2400); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "$base/api/v1/health" || true)" = 200 ] && return 0
    if grep -q "could not be migrated" "$1/data/log/karaf.log" 2>/dev/null; then
      echo "a schema migration failed (the known first-start race of issue #8)" >&2; return 1
    fi
    sleep 0.1
  done
  echo "Mamori did not become healthy; log: $1/data/log/karaf.log" >&2; return 1
}
# mamori_ready DIR [setup command]: first start (retried on the migration race with a fresh
# folder), tenant, USERS employees with their passwords set through the reset tokens
mamori_ready() {
  local dir=$1 setup=${2:-true} attempt ok=0
  for attempt in 1 2 3 4 5 6; do
    mamori_install "$dir"
    "$setup" "$dir"
    if "$dir/bin/start" >/dev/null 2>&1 && wait_healthy "$dir" \
       && "$dir/bin/mamori" "mamori:tenant-create $TENANT \"Bench\"" >/dev/null; then ok=1; break; fi
    echo "first start failed (attempt $attempt), again with a fresh folder" >&2
    stop_mamori "$dir"
  done
  [ "$ok" = 1 ] || return 1
  local cmds=() i out
  for i in $(seq 1 "$USERS"); do cmds+=("mamori:user-create --role employee $TENANT bench-$i B$i"); done
  out=$("$dir/bin/mamori" "$(printf '%s\n' "${cmds[@]}")")
  sed -n 's/^Reset token (works once, expires soon): //p' <<<"$out" | tr -d '\r' >"$dir/tokens"
  [ "$(wc -l <"$dir/tokens")" = "$USERS" ] || { echo "expected $USERS reset tokens, got: $out" >&2; return 1; }
  for i in $(seq 1 "$USERS"); do echo "bench-$i"; done >"$dir/logins"
  run_to "$dir/reset.out" java "$BENCH/SignInLoad.java" reset --base "$(cat "$dir/base.url")" --tenant "$TENANT" \
    --tokens "$dir/tokens" --password "$PASSWORD"
}
mamori_load() { # dir out count clients [more options]
  local dir=$1 out=$2 count=$3 clients=$4; shift 4
  run_to "$out" java "$BENCH/SignInLoad.java" load --base "$(cat "$dir/base.url")" --tenant "$TENANT" --logins "$dir/logins" \
    --password "$PASSWORD" --count "$count" --clients "$clients" "$@"
}

# ---- Keycloak ---------------------------------------------------------------------------------
KC="$WORK/keycloak"
kc_start() {
  mkdir -p "$KC"
  tar xzf "$KC_TGZ" -C "$KC" --strip-components=1
  "$KC_JAVA_HOME/bin/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=localhost -validity 30 \
    -keystore "$KC/conf/bench.p12" -storetype PKCS12 -storepass bench-store >/dev/null 2>&1
  KC_HTTP=$(free_port); KC_HTTPS=$(free_port)
  JAVA_HOME="$KC_JAVA_HOME" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KC_HTTP" --https-port="$KC_HTTPS" \
    --http-management-port="$(free_port)" --https-key-store-file="$KC/conf/bench.p12" --https-key-store-password=bench-store \
    >"$KC/kc.log" 2>&1 &
  KCPID=$!  # kc.sh execs the JVM: this is Keycloak's pid
  for _ in $(seq 1 1800); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$KC_HTTP/realms/master" || true)" = 200 ] && break
    [ -d "/proc/$KCPID" ] || { cat "$KC/kc.log" >&2; echo "Keycloak ended" >&2; return 1; }
    sleep 0.2
  done
  tr '\0' '\n' <"/proc/$KCPID/cmdline" | grep -q quarkus-run.jar || { echo "pid $KCPID is not Keycloak's JVM" >&2; return 1; }
  KC_BASE="https://127.0.0.1:$KC_HTTPS"
}
kc_load() { # out count [more options]
  local out=$1 count=$2; shift 2
  run_to "$out" "$KC_JAVA_HOME/bin/java" "$BENCH/KeycloakLoad.java" load --base "$KC_BASE" --realm bench --client bench \
    --users "$USERS" --password "$PASSWORD" --count "$count" --clients "$CLIENTS" "$@"
}

echo "== $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); work folder $WORK"
echo "== Mamori: $(basename "$TARBALL") on Java $M_MAJOR ($MAMORI_JDK), bcrypt cost $COST; Keycloak $KC_VERSION on Java $(java_major "$KC_JAVA_HOME/bin/java") ($KC_JAVA_HOME)"
kc_start
run_to "$WORK/kc-setup.out" "$KC_JAVA_HOME/bin/java" "$BENCH/KeycloakLoad.java" setup --admin-base "http://127.0.0.1:$KC_HTTP" \
  --admin admin --admin-password "$KC_ADMIN_PASSWORD" --realm bench --client bench --users "$USERS" --password "$PASSWORD"
echo "Keycloak realm as set: $(sed -n 's/^RESULT realm_//p' "$WORK/kc-setup.out" | paste -sd' ')"

M="$WORK/mamori-h2"
mamori_ready "$M"
# restart with the agent (and, as every start after the first, with the CDS archive); the
# launcher's own short-lived JVMs may load the agent too, so the port is read once healthy
stop_mamori "$M"
rm -f "$M/bcrypt.port"
JDK_JAVA_OPTIONS="-javaagent:$AGENT=$M/bcrypt.port" "$M/bin/start" >/dev/null 2>&1
wait_healthy "$M"
MPID=$(mamori_pid "$M")
BPORT=$(cat "$M/bcrypt.port")

echo "== warm-up: $KC_WARMUP Keycloak, $M_WARMUP Mamori sign-ins"
kc_load "$WORK/kc-warmup.out" "$KC_WARMUP"
mamori_load "$M" "$WORK/m-warmup.out" "$M_WARMUP" "$CLIENTS" --pid "$MPID" --clk-tck "$HZ" --bcrypt-port "$BPORT"
[ "$(result bcrypt_calls "$WORK/m-warmup.out")" -ge "$M_WARMUP" ] || { echo "the agent counted no bcrypt: $(cat "$WORK/m-warmup.out")" >&2; exit 1; }
# what each server burns doing nothing (timers, jobs), for scale: it is in the figures below
k0=$(cpu_ticks "$KCPID"); m0=$(cpu_ticks "$MPID"); sleep 10; k1=$(cpu_ticks "$KCPID"); m1=$(cpu_ticks "$MPID")
echo "FIGURE idle CPU: Keycloak $(( (k1 - k0) * 1000 / HZ / 10 )) ms/s, Mamori $(( (m1 - m0) * 1000 / HZ / 10 )) ms/s"

: >"$WORK/threads.sum"
for r in $(seq 1 "$ROUNDS"); do
  for side in $( [ $((r % 2)) = 1 ] && echo "kc m" || echo "m kc" ); do
    if [ "$side" = kc ]; then
      kc_load "$WORK/kc-$r.out" "$KC_COUNT" --pid "$KCPID" --clk-tck "$HZ"
      record kc "$(result cpu_ms_per_signin "$WORK/kc-$r.out")"
    else
      thread_cpu "$MPID" >"$WORK/threads.before"
      mamori_load "$M" "$WORK/m-$r.out" "$M_COUNT" "$CLIENTS" --pid "$MPID" --clk-tck "$HZ" --bcrypt-port "$BPORT"
      thread_cpu "$MPID" | join -t $'\t' -a 1 - "$WORK/threads.before" | awk -F'\t' '{print $1 "\t" $2 - ($3 == "" ? 0 : $3)}' \
        | join -t $'\t' -a 1 -a 2 - "$WORK/threads.sum" | awk -F'\t' '{print $1 "\t" $2 + $3}' >"$WORK/threads.new"
      mv "$WORK/threads.new" "$WORK/threads.sum"
      record m_cpu "$(result cpu_ms_per_signin "$WORK/m-$r.out")"
      record m_hash "$(result bcrypt_ms_per_signin "$WORK/m-$r.out")"
      record m "$(result nonhash_ms_per_signin "$WORK/m-$r.out")"
      [ "$(result bcrypt_calls "$WORK/m-$r.out")" = "$M_COUNT" ] || echo "note: round $r counted $(result bcrypt_calls "$WORK/m-$r.out") bcrypt calls for $M_COUNT sign-ins" >&2
    fi
  done
  # the pair of one round saw the same machine: its ratio drifts less than either figure
  record ratio "$(awk -v m="$(result nonhash_ms_per_signin "$WORK/m-$r.out")" -v k="$(result cpu_ms_per_signin "$WORK/kc-$r.out")" 'BEGIN {printf "%.3f", m / k}')"
  echo "FIGURE round $r (load $(cut -d' ' -f1 /proc/loadavg)): Keycloak $(result cpu_ms_per_signin "$WORK/kc-$r.out") ms/sign-in ($(result signins_per_wall_s "$WORK/kc-$r.out")/s);" \
    "Mamori $(result cpu_ms_per_signin "$WORK/m-$r.out") ms - bcrypt $(result bcrypt_ms_per_call "$WORK/m-$r.out") ms = $(result nonhash_ms_per_signin "$WORK/m-$r.out") ms beyond the hash ($(result signins_per_wall_s "$WORK/m-$r.out")/s)"
done
summary kc "Keycloak CPU per sign-in (all overhead)"
summary m_cpu "Mamori CPU per sign-in (bcrypt cost $COST included)"
summary m_hash "Mamori bcrypt CPU per sign-in, timed in the server"
summary m "Mamori CPU per sign-in beyond the hash"
summary ratio "ratio of the two, round by round" ""
echo "Mamori CPU per sign-in by thread over the $ROUNDS rounds (ms; the request threads include the hash):"
awk -F'\t' -v hz="$HZ" -v n=$((ROUNDS * M_COUNT)) '$2 > 0 {printf "  %8.3f  %s\n", $2 * 1000 / hz / n, $1}' "$WORK/threads.sum" | sort -rn | head -8
# JIT compilation still going on shows as "C2 CompilerThre"; a full code cache would keep it going
echo "Mamori code cache: $(jcmd "$MPID" Compiler.codecache 2>/dev/null | grep -m1 -o 'size=.*max_used=[0-9]*Kb' || echo '?')"
awk -v m="$(median m)" -v k="$(median kc)" 'BEGIN {q = m / k
  printf "VERDICT Mamori beyond the hash %.2f ms / Keycloak %.2f ms per sign-in = %.3f: %s\n", m, k, q, q <= 0.2 ? "<= 0.2 (met)" : "> 0.2 (NOT met)"}'
stop_keycloak

if [ "$PROFILE" = 1 ]; then
  echo "== profile: JFR execution samples (10 ms) of $PROFILE_COUNT Mamori sign-ins"
  cat >"$WORK/samples.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="samples">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
</configuration>
EOF
  jcmd "$MPID" JFR.start name=bench settings="$WORK/samples.jfc" filename="$WORK/signin.jfr" >/dev/null
  mamori_load "$M" "$WORK/m-profile.out" "$PROFILE_COUNT" "$CLIENTS" --pid "$MPID" --clk-tck "$HZ" --bcrypt-port "$BPORT"
  jcmd "$MPID" JFR.stop name=bench >/dev/null
  echo "(under the recording: $(result nonhash_ms_per_signin "$WORK/m-profile.out") ms beyond the hash per sign-in)"
  run_to "$WORK/jfrtop.out" java "$BENCH/JfrTop.java" "$WORK/signin.jfr" 12
  cat "$WORK/jfrtop.out"
fi
stop_mamori "$M"

if [ "$PG" = 1 ] && psql -h 127.0.0.1 -U postgres -qAtc "SELECT 1" >/dev/null 2>&1; then
  echo "== PostgreSQL: transactions per Mamori sign-in ($PG_COUNT sign-ins, 1 client)"
  PGDB="mamori_bench_$$"
  psql -h 127.0.0.1 -U postgres -qAtc "CREATE DATABASE $PGDB" -c "CREATE DATABASE ${PGDB}_pii" >/dev/null
  pg_setup() { # the README's switch to PostgreSQL, on the unpacked folder before its first start
    cp "$1"/etc/postgresql/org.ops4j.datasource-mamori.cfg "$1"/etc/postgresql/org.ops4j.datasource-mamori-pii.cfg "$1/etc/"
    set_property "$1/etc/org.ops4j.datasource-mamori.cfg" url "jdbc:postgresql://127.0.0.1:5432/$PGDB"
    set_property "$1/etc/org.ops4j.datasource-mamori-pii.cfg" url "jdbc:postgresql://127.0.0.1:5432/${PGDB}_pii"
    set_property "$1/etc/org.ops4j.datasource-mamori.cfg" user postgres
    set_property "$1/etc/org.ops4j.datasource-mamori-pii.cfg" user postgres
    sed -i 's/^\(featuresBoot *= *\\\)$/\1\n    mamori-postgresql, \\/' "$1/etc/org.apache.karaf.features.cfg"
    # a retried first start needs empty databases again
    psql -h 127.0.0.1 -U postgres -qAtc "DROP DATABASE IF EXISTS $PGDB" -c "DROP DATABASE IF EXISTS ${PGDB}_pii" \
      -c "CREATE DATABASE $PGDB" -c "CREATE DATABASE ${PGDB}_pii" >/dev/null
  }
  # commits, rollbacks and written rows of both databases (a backend reports its counts when idle,
  # at most once a second, at the latest 10 s later: every read waits 11 s)
  pg_stats() {
    sleep 11
    psql -h 127.0.0.1 -U postgres -qAt -F' ' -c "SELECT sum(xact_commit), sum(xact_rollback), sum(tup_inserted + tup_updated + tup_deleted)
      FROM pg_stat_database WHERE datname IN ('$PGDB', '${PGDB}_pii')" -c "SELECT wal_sync FROM pg_stat_wal" | paste -sd' '
  }
  # rows inserted, updated, deleted per table of both databases, to tell which writes a sign-in makes
  pg_tables() {
    local db
    for db in "$PGDB" "${PGDB}_pii"; do
      psql -h 127.0.0.1 -U postgres -d "$db" -qAt -F' ' -c "SELECT '${db#"$PGDB"}:' || schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
    done | sort
  }
  P="$WORK/mamori-pg"
  mamori_ready "$P" pg_setup
  mamori_load "$P" "$WORK/pg-warmup.out" 50 1
  s0=$(pg_stats); t0=$(date +%s.%N)
  sleep 20
  s1=$(pg_stats); t1=$(date +%s.%N)
  pg_tables >"$WORK/pg.tables.before"
  mamori_load "$P" "$WORK/pg.out" "$PG_COUNT" 1
  s2=$(pg_stats); t2=$(date +%s.%N)
  pg_tables >"$WORK/pg.tables.after"
  awk -v a="$s0" -v b="$s1" -v c="$s2" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v n="$PG_COUNT" 'BEGIN {
    split(a, x, " "); split(b, y, " "); split(c, z, " ")
    idle = (y[1] - x[1]) / (t1 - t0); idlew = (y[3] - x[3]) / (t1 - t0)
    printf "FIGURE idle Mamori: %.2f commits/s, %.2f written rows/s (jobs)\n", idle, idlew
    printf "FIGURE PostgreSQL per sign-in: %.2f commits, %.2f rollbacks, %.2f written rows (idle rate subtracted); WAL syncs (cluster-wide, any database) %.2f\n",
      (z[1] - y[1] - idle * (t2 - t1)) / n, (z[2] - y[2]) / n, (z[3] - y[3] - idlew * (t2 - t1)) / n, (z[4] - y[4]) / n }'
  echo "rows written per sign-in, by table (inserted/updated/deleted; ':' is the main database, ':_pii' the PII one):"
  join "$WORK/pg.tables.after" "$WORK/pg.tables.before" | awk -v n="$PG_COUNT" '{i = ($2 - $5) / n; u = ($3 - $6) / n; d = ($4 - $7) / n
    if (i + u + d > 0.01) printf "  %-50s %.2f / %.2f / %.2f\n", $1, i, u, d}'
  stop_mamori "$P"
fi
