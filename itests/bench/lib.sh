# Helpers the benchmark scripts share (sourced): they expect WORK, the run's unpacked distribution.
# the server JVM of this run's folder, if it runs (never a process that merely reuses a stale pid)
server_pid() {
  local pid
  [ -n "$WORK" ] && [ -s "$WORK/karaf.pid" ] || return 0
  pid=$(cat "$WORK/karaf.pid")
  if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qx -- "-Dkaraf.base=$WORK"; then echo "$pid"; fi
}
stop_server() {
  local pid; pid=$(server_pid)
  [ -n "$pid" ] || return 0
  "$WORK/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 600); do [ -d "/proc/$pid" ] || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
# a port nothing answers on, on IPv4 or IPv6 loopback (the server binds the wildcard address)
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
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
