#!/usr/bin/env bash
# scripts/fork-storm.sh NAME [SECONDS]
#
# A bounded fork bomb inside an existing, running container, for demos and tests. It speaks to the
# Engine API directly (curl --unix-socket; POST /containers/{id}/exec, then /exec/{id}/start with
# Detach), so no docker CLI is needed. Bounds:
#   - the container's pids limit (it refuses a container without one: an unbounded bomb takes the host);
#   - SECONDS (default 10, at most 300): a watchdog started with the bomb kills every process of the
#     container except its init (`kill -9 -1` in the container's pid namespace). If Brig pauses the
#     container first, the watchdog is frozen with the bomb and finishes the job after a restore.
# Prints one JSON line: {"container","exec","seconds","pids_limit","started_ms"}.
set -euo pipefail

usage() {
  echo "usage: $0 NAME [SECONDS]   (DOCKER_HOST=unix:///path/to/docker.sock; default /var/run/docker.sock)" >&2
  exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
name=$1
seconds=${2:-10}
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 300 ] || {
  echo "fork-storm: SECONDS must be a whole number from 1 to 300 (got '$seconds')" >&2
  exit 2
}
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || {
  echo "fork-storm: '$name' is not a container name or id" >&2
  exit 2
}

command -v jq >/dev/null || { echo "fork-storm: needs jq (apt-get install jq)" >&2; exit 2; }
host=${DOCKER_HOST:-unix:///var/run/docker.sock}
case $host in
  unix://*) socket=${host#unix://} ;;
  /*) socket=$host ;;
  *)
    echo "fork-storm: only a local unix socket DOCKER_HOST is supported (got $host)" >&2
    exit 2
    ;;
esac
[ -S "$socket" ] || {
  echo "fork-storm: no Docker socket at $socket (set DOCKER_HOST, or run: sudo scripts/engine.sh up)" >&2
  exit 3
}

# api METHOD PATH [JSON BODY] → body on stdout, HTTP status in $status
api() {
  local out
  if [ $# -ge 3 ]; then
    out=$(curl -sS --unix-socket "$socket" -X "$1" -H 'Content-Type: application/json' -d "$3" \
      -w '\n%{http_code}' "http://localhost$2")
  else
    out=$(curl -sS --unix-socket "$socket" -X "$1" -w '\n%{http_code}' "http://localhost$2")
  fi
  status=${out##*$'\n'}
  body=${out%$'\n'*}
}

api GET "/containers/$name/json"
if [ "$status" != 200 ]; then
  echo "fork-storm: cannot inspect container '$name' (HTTP $status): $body" >&2
  exit 1
fi
read -r id running pids_limit < <(printf '%s' "$body" | jq -r '[.Id, .State.Running, (.HostConfig.PidsLimit // 0)] | @tsv')
if [ "$running" != true ]; then
  echo "fork-storm: container '$name' is not running" >&2
  exit 1
fi
if ! [ "$pids_limit" -gt 0 ] 2>/dev/null; then
  echo "fork-storm: refusing: container '$name' has no pids limit (HostConfig.PidsLimit=$pids_limit); a fork bomb there would exhaust the host. Run it with --pids-limit (e.g. 1000)." >&2
  exit 1
fi

# The exec'd shell leads its own process group, and every bomb process inherits it. The watchdog
# leaves that group (setsid) and forks its sleep before the bomb starts: at the limit there would
# be no pid left to fork with. Firing needs none (kill, [ and the loop are builtins), and it repeats
# because processes forked while one kill runs survive it and refill the limit in milliseconds.
# Each bomb process forks two and then becomes a sleep holding its pid: busybox sh exits on a failed
# fork, so a bomb of processes that exit (f() { f & f & }) dies out by chance at the limit (one run
# held 200 pids for 30 s, the next fell to 29 in 5 s); held pids keep every run at the limit.
# Killed processes are reaped by the container's PID 1: with a PID 1 that does not reap (a bare
# `sleep`), they stay zombies holding their pids; run demo containers with --init.
watchdog="sleep $seconds; i=0; while [ \\\$i -lt 500 ] && kill -9 -\\\$1 2>/dev/null; do i=\\\$((i + 1)); done"
bomb="setsid sh -c \"$watchdog\" watchdog \$\$ & sleep 0.2; f() { f & f & exec sleep 3600; }; f"
api POST "/containers/$id/exec" "$(jq -nc --arg s "$bomb" '{Cmd: ["sh", "-c", $s], AttachStdout: false, AttachStderr: false}')"
if [ "$status" != 201 ]; then
  echo "fork-storm: exec create failed (HTTP $status): $body" >&2
  exit 1
fi
exec_id=$(printf '%s' "$body" | jq -r .Id)
api POST "/exec/$exec_id/start" '{"Detach": true, "Tty": false}'
started_ms=$(date +%s%3N)
if [ "$status" != 200 ]; then
  echo "fork-storm: exec start failed (HTTP $status): $body" >&2
  exit 1
fi
jq -nc --arg c "$id" --arg e "$exec_id" --argjson s "$seconds" --argjson p "$pids_limit" --argjson t "$started_ms" \
  '{container: $c, exec: $e, seconds: $s, pids_limit: $p, started_ms: $t}'
