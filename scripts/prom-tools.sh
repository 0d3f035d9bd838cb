#!/usr/bin/env bash
# Debian's promtool, alertmanager and amtool for Brig's Prometheus/Alertmanager tests (issue 13).
# Installs what is missing (as root, like engine.sh installs docker.io) and prints nothing else on
# success. Exits non-zero when a tool cannot be had: the tests then fail, never skip.
set -euo pipefail

say() { echo "prom-tools.sh: $*" >&2; }

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  say "missing ${missing[*]}; installing needs root: sudo apt-get install ${missing[*]}"
  exit 1
fi
say "installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
# Several sessions may share the machine: wait for dpkg's lock instead of failing on it.
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
# policy-rc.d 101: the packages' own services must not start (the tests start their own, on loopback).
restore_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  restore_policy=1
fi
trap '[ -n "$restore_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
for tool in promtool prometheus-alertmanager amtool; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool still missing after install"; exit 1; }
done
