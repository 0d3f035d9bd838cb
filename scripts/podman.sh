#!/usr/bin/env bash
# A private, real Podman engine for Brig's tests (issue 12), sibling of scripts/engine.sh:
# `podman system service` (rootful, cgroupfs) on its own socket, with its own storage, runroot,
# tmp dir, network config and containers.conf under one state directory, so it never touches a
# system Podman. Its default network gets a bridge of its own. `down` stops only the service it
# started, by its pid.
set -euo pipefail

STATE_DIR="${BRIG_PODMAN_DIR:-/tmp/brig-podman}"
SOCK="$STATE_DIR/podman.sock"
PIDFILE="$STATE_DIR/podman.pid"
LOG="$STATE_DIR/podman.log"
IMAGE="brig-test/busybox:latest"
HOST="unix://$SOCK"
BRIDGE="${BRIG_PODMAN_BRIDGE:-brigpodman0}"
SUBNET="${BRIG_PODMAN_SUBNET:-10.213.251.0/24}"
# Networks the tests create come from a pool of their own (never Docker's, never another engine's).
POOL="${BRIG_PODMAN_POOL:-10.215.0.0/16}"

# shellcheck source=scripts/engine-lib.sh
. "$(dirname "$0")/engine-lib.sh"

export CONTAINERS_CONF="$STATE_DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$STATE_DIR/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$STATE_DIR/registries.conf"

# Answers _ping and can still run a container: a vanished bridge or broken storage shows up here
# rather than as raw 500s in every later test.
healthy() {
  ping_engine || return 1
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --unix-socket "$SOCK" \
    http://localhost/v1.41/info) || return 1
  [ "$code" = 200 ] || return 1
  # The default network's bridge exists while any container uses it; before that podman makes it
  # on demand, so only a bridge that a running container lost counts as broken.
  if podman_cli ps -q --filter network=podman 2>/dev/null | grep -q . && ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    say "bridge $BRIDGE vanished while containers use it"
    return 1
  fi
}

need_root() {
  if [ "$(id -u)" != 0 ]; then
    say "no Podman answers on $SOCK and starting one needs root."
    exit 1
  fi
}

install_packages() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v netavark >/dev/null 2>&1 || [ -x /usr/lib/podman/netavark ] || missing+=(netavark)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  # --init (HostConfig.Init) runs Podman's catatonit, a Recommends that --no-install-recommends skips.
  [ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -x /bin/busybox ] || command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

podman_cli() {
  podman --root "$STATE_DIR/storage" --runroot "$STATE_DIR/run" "$@"
}

write_config() {
  mkdir -p "$STATE_DIR"/{storage,run,tmp,networks,volumes}
  chmod 700 "$STATE_DIR"
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
# Podman's default asks for more than this host's hard limits allow, and every create fails.
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
# Docker's default (no pids limit), so "a container without limits" means the same on both engines.
pids_limit = 0

[engine]
cgroup_manager = "cgroupfs"
# No journald here; the API's /events reads this file.
events_logger = "file"
tmp_dir = "$STATE_DIR/tmp"
volume_path = "$STATE_DIR/volumes"
static_dir = "$STATE_DIR/storage/libpod"

[network]
network_backend = "netavark"
network_config_dir = "$STATE_DIR/networks"
default_subnet = "$SUBNET"
default_subnet_pools = [{ "base" = "$POOL", "size" = 24 }]
EOF
  cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$STATE_DIR/storage"
runroot = "$STATE_DIR/run"
EOF
  # No registries: the test image is imported locally.
  printf 'unqualified-search-registries = []\nshort-name-mode = "permissive"\n' >"$CONTAINERS_REGISTRIES_CONF"
  # The default network, with a bridge of its own (podman's own default would be podman0).
  local gateway="${SUBNET%.*}.1"
  [ -f "$STATE_DIR/networks/podman.json" ] || cat >"$STATE_DIR/networks/podman.json" <<EOF
{
  "name": "podman",
  "id": "$(printf 'brig-podman-default' | sha256sum | cut -d' ' -f1)",
  "driver": "bridge",
  "network_interface": "$BRIDGE",
  "created": "2026-01-01T00:00:00Z",
  "subnets": [{ "subnet": "$SUBNET", "gateway": "$gateway" }],
  "ipv6_enabled": false,
  "internal": false,
  "dns_enabled": false,
  "ipam_options": { "driver": "host-local" }
}
EOF
}

import_busybox() {
  if podman_cli image exists "$IMAGE" 2>/dev/null; then return 0; fi
  busybox_rootfs_tar | podman_cli import --quiet --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  say "imported $IMAGE"
}

up() {
  if ping_engine; then
    if healthy; then
      import_busybox
      return 0
    fi
    say "the engine on $SOCK answers but is broken; restarting it"
    if pid=$(started_pid); then stop_pid podman "$pid"; fi
  fi
  need_root
  install_packages
  write_config
  if pid=$(started_pid); then
    say "podman (pid $pid) is running but not answering yet"
  else
    rm -f "$SOCK" "$PIDFILE"
    # setsid: the service outlives the shell that started it (tests), until `down`. --time 0: it
    # never exits on its own when idle.
    setsid podman --root "$STATE_DIR/storage" --runroot "$STATE_DIR/run" \
      system service --time 0 "$HOST" >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  fi
  wait_until_up podman
}

down() {
  local pid
  if ! pid=$(started_pid); then
    say "no engine started by this script is running"
    rm -f "$PIDFILE"
    return 0
  fi
  # Containers first (their conmon processes outlive the service otherwise), then the service.
  podman_cli rm -f -a -t 0 >/dev/null 2>&1 || true
  stop_pid podman "$pid"
  rm -f "$PIDFILE"
}

run_command "$@"
