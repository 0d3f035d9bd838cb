# Shared by scripts/engine.sh (a private dockerd) and scripts/podman.sh (a private Podman service):
# sourced after each sets SOCK, PIDFILE, LOG, HOST and IMAGE, and defines healthy(),
# import_busybox() and up()/down() of its own. Processes are only ever stopped by the pid in
# PIDFILE: never by name.

say() { echo "$(basename "$0"): $*" >&2; }

ping_engine() {
  [ -S "$SOCK" ] || return 1
  curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
}

# The pid of the engine this script started, if it still runs.
started_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# stop_pid WHAT PID: SIGTERM, up to 30 s, then SIGKILL.
stop_pid() {
  local what=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "stopped $what (pid $pid)"
      return 0
    fi
    sleep 0.5
  done
  say "$what (pid $pid) did not stop in 30 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# A busybox root filesystem as a tar on stdout, for `docker import` / `podman import`.
busybox_rootfs_tar() {
  local bb; bb=$(command -v busybox || echo /bin/busybox)
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$bb" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -cf - .
  rm -rf "$root"
}

# wait_until_up WHAT: up to 60 s for the engine to answer, then the test image; the log's tail if not.
wait_until_up() {
  for _ in $(seq 1 120); do
    if ping_engine; then
      import_busybox
      say "engine up: $HOST"
      return 0
    fi
    sleep 0.5
  done
  say "$1 did not answer on $SOCK within 60 s; last lines of $LOG:"
  tail -n 20 "$LOG" >&2 || true
  exit 1
}

status() {
  if healthy; then
    echo "up $HOST"
  elif ping_engine; then
    echo "broken $HOST"
    return 1
  else
    echo "down $HOST"
    return 1
  fi
}

# run_command "$@": the scripts' one interface (up, down, env, status).
run_command() {
  case "${1:-}" in
    up) up ;;
    down) down ;;
    env) echo "DOCKER_HOST=$HOST" ;;
    status) status ;;
    *) echo "usage: scripts/$(basename "$0") up|down|env|status" >&2; exit 2 ;;
  esac
}
