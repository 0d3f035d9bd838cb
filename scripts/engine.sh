#!/usr/bin/env bash
# A private, real Docker engine for Brig's tests and demo (README "The private engine").
# Its own socket, data root, exec root and pidfile under one state directory, so it never
# touches (or is confused with) a system Docker. `down` stops only the dockerd it started.
set -euo pipefail

STATE_DIR="${BRIG_ENGINE_DIR:-/tmp/brig-engine}"
SOCK="$STATE_DIR/docker.sock"
PIDFILE="$STATE_DIR/dockerd.pid"
LOG="$STATE_DIR/dockerd.log"
IMAGE="brig-test/busybox:latest"
HOST="unix://$SOCK"
# The engine gets a bridge of its own, which this script creates (BRIG_ENGINE_BIP) and removes again
# on `down`: never docker0, which any other dockerd on the host may delete (one started with
# --bridge=none does), breaking every later container start with a raw 500.
BRIDGE="${BRIG_ENGINE_BRIDGE:-brigdocker0}"
BIP="${BRIG_ENGINE_BIP:-10.213.250.1/24}"
BRIDGE_ARGS=(--bridge="$BRIDGE")

# shellcheck source=scripts/engine-lib.sh
. "$(dirname "$0")/engine-lib.sh"

# Answers _ping, and its bridge is still there: an engine whose bridge vanished answers every ping
# but fails every container start ("could not find bridge").
healthy() {
  ping_engine || return 1
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    say "engine on $SOCK answers, but its bridge $BRIDGE is gone"
    return 1
  fi
}

need_root() {
  if [ "$(id -u)" != 0 ]; then
    say "no engine answers on $SOCK and starting one needs root."
    say "run 'sudo scripts/engine.sh up', or point DOCKER_HOST at a running Docker engine."
    exit 1
  fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # scripts/fork-storm.sh (demo and tests) reads Engine API answers with jq.
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

docker_cli() { docker -H "$HOST" "$@"; }

import_busybox() {
  if docker_cli image inspect "$IMAGE" >/dev/null 2>&1; then return 0; fi
  busybox_rootfs_tar | docker_cli import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  say "imported $IMAGE"
}

up() {
  if ping_engine; then
    if healthy; then
      import_busybox
      return 0
    fi
    # Broken (bridge gone): restart our own dockerd so it finds a new bridge; another's we leave.
    if pid=$(started_pid); then
      say "restarting dockerd (pid $pid)"
      stop_pid dockerd "$pid"
    else
      say "the engine on $SOCK is not one this script started; not touching it"
      exit 1
    fi
  fi
  need_root
  install_packages
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BIP" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    echo "$BRIDGE" >"$STATE_DIR/created-bridge"
  fi
  if pid=$(started_pid); then
    say "dockerd (pid $pid) is running but not answering yet"
  else
    rm -f "$SOCK" "$PIDFILE"
    # setsid: the engine outlives the shell that started it (tests, demo), until `down`.
    setsid dockerd \
      --host "$HOST" \
      --data-root "$STATE_DIR/data" \
      --exec-root "$STATE_DIR/exec" \
      --pidfile "$PIDFILE" \
      --iptables=false --ip6tables=false \
      "${BRIDGE_ARGS[@]}" \
      >"$LOG" 2>&1 </dev/null &
  fi
  wait_until_up dockerd
}

remove_created_bridge() {
  if [ -f "$STATE_DIR/created-bridge" ]; then
    ip link delete "$(cat "$STATE_DIR/created-bridge")" 2>/dev/null || true
    rm -f "$STATE_DIR/created-bridge"
  fi
}


down() {
  local pid
  if ! pid=$(started_pid); then
    say "no engine started by this script is running"
    rm -f "$PIDFILE"
    remove_created_bridge
    return 0
  fi
  stop_pid dockerd "$pid"
  remove_created_bridge
}

run_command "$@"
