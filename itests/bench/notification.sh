#!/usr/bin/env bash
#
# Notification benchmark (issue #19): an incident for every one of TENANTS tenants (10,000), the time
# to queue every notice, then the delivery job's rate to GreenMail (SMTP over PARALLEL kept-alive
# connections, as many attempts side by side: dev.mamori.notification delivery.parallel and
# dev.mamori.notification.email connections), each tenant's admin also getting the in-app notice.
# A last line measures the e-mail channel against GreenMail alone (no database), the SMTP ceiling.
#   itests/bench/notification.sh [runs]
# Needs the modules installed once (mvn -B install -DskipTests; MVN_ARGS is passed to Maven, e.g. "-o")
# and PostgreSQL on 127.0.0.1:5432 (DB=h2 for an in-memory H2 database). Runs the driver
# bundles/notification/impl/src/test/java/dev/mamori/notification/internal/NotificationBench.java on the
# module's test classpath: the services with the bundle's schema, the platform's unit of work and the
# distribution's connection pool; events are recorded in memory and contacts come from memory (in the
# server: the audit log and the PII store), which the README's figures say.
# Environment: TENANTS (10000) DB (pg) PARALLEL (4) MVN_ARGS ("")
set -euo pipefail
RUNS=${1:-1}
TENANTS=${TENANTS:-10000}
DB=${DB:-pg}
PARALLEL=${PARALLEL:-4}
MVN_ARGS=${MVN_ARGS:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
bench() {
  if ! mvn -B -q -Dstyle.color=never $MVN_ARGS -f "$ROOT/bundles/notification/impl/pom.xml" -Pbenchmark test-compile exec:exec \
      -Dbench.args="$1" -Dbench.jvm="-Xmx1g -Dbench.parallel=$PARALLEL" > "$LOG" 2>&1; then
    tail -40 "$LOG" >&2
    exit 1
  fi
  grep '^FIGURE' "$LOG"
}
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS: $TENANTS tenants on $DB, $PARALLEL connections"
  bench "$TENANTS $DB"
  bench "$TENANTS smtp"
done
