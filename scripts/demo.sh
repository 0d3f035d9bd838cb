#!/usr/bin/env bash
# npm run demo: a private Docker engine, four demo containers, and Brig on policies/.
#
#   web, api, db   busybox running sleep (no network traffic)
#   victim         the same with a pids limit of 200: the fork-storm target
#
# Idempotent: demo containers from an earlier run are replaced. Needs root the first time (the
# private engine installs Debian's docker.io). A fork storm starts in the victim by itself after
# BRIG_DEMO_STORM_AFTER seconds (default 20; 0 = never). Arm Brig with `a` first and watch the
# victim go PAUSED; `u` restores it. Another storm any time, from a second terminal:
#   DOCKER_HOST=$(scripts/engine.sh env | cut -d= -f2-) scripts/fork-storm.sh brig-demo-victim 30
set -euo pipefail
cd "$(dirname "$0")/.."

# Was the private engine already running? Then it is the user's, and stays up after the demo.
engine_was_up=0
bash scripts/engine.sh status >/dev/null 2>&1 && engine_was_up=1
bash scripts/engine.sh up >&2
host=$(bash scripts/engine.sh env | sed 's/^DOCKER_HOST=//')
# The demo's own journal and state: never the user's ~/.local/state/brig (its isolation records
# would be counted at the user's next start).
state=$(mktemp -d "${TMPDIR:-/tmp}/brig-demo.XXXXXX")
listen=${BRIG_DEMO_LISTEN:-127.0.0.1:7070}

[ -f dist/cli.js ] || npm run build >&2

BRIG_DEMO_HOST=$host node --input-type=module - <<'NODE'
import { DockerodePort } from './dist/docker/dockerode-port.js';

const port = new DockerodePort(process.env.BRIG_DEMO_HOST);
const demo = [
  { name: 'brig-demo-web', cmd: ['sleep', '2147483647'], labels: { app: 'web', env: 'demo' } },
  { name: 'brig-demo-api', cmd: ['sleep', '2147483647'], labels: { app: 'api', env: 'demo' } },
  { name: 'brig-demo-db', cmd: ['sleep', '2147483647'], labels: { app: 'db', env: 'demo' } },
  { name: 'brig-demo-victim', cmd: ['sleep', '2147483647'], labels: { app: 'victim', env: 'demo' }, pids: 200 },
];
const wanted = new Set(demo.map((d) => d.name));
// Replace what an earlier run left (matched by name: the port only takes full ids).
for (const id of await port.listContainerIds()) {
  const inspect = await port.inspectContainer(id);
  if (wanted.has(String(inspect.Name ?? '').replace(/^\//, ''))) await port.removeContainer(id);
}
for (const d of demo) {
  const id = await port.createContainer({
    name: d.name,
    Image: 'brig-test/busybox:latest',
    Cmd: d.cmd,
    Labels: { 'brig.demo': 'true', ...d.labels },
    HostConfig: { PidsLimit: d.pids ?? 0, Init: true },
  });
  await port.start(id);
  process.stderr.write(`demo: ${d.name} ${id.slice(0, 12)} started${d.pids ? ` (pids limit ${d.pids})` : ''}\n`);
}
NODE

# The live part: a bounded fork storm in the victim, on its own after a delay, so the demo shows
# one without a second terminal. Disarmed, the pause waits in the queue (n, then y); armed, it just
# happens. BRIG_DEMO_STORM_AFTER=0 turns it off.
storm_after=${BRIG_DEMO_STORM_AFTER:-20}
storm_pid=
if [ "$storm_after" != 0 ]; then
  (sleep "$storm_after" && DOCKER_HOST=$host bash scripts/fork-storm.sh brig-demo-victim 30 >/dev/null 2>&1) &
  storm_pid=$!
fi

cat >&2 <<INFO
demo: Brig on $host, alerts on http://$listen (POST /v1/alerts).
demo: a fork storm starts in brig-demo-victim in ${storm_after}s (BRIG_DEMO_STORM_AFTER=0: never); arm with a first.
demo: another one any time: DOCKER_HOST=$host scripts/fork-storm.sh brig-demo-victim 30
INFO
# The introduction is shown inside the TUI (BRIG_INTRO_FILE), where it can be read: what is written
# to the terminal before the TUI starts is hidden behind it.
storm_line="A fork storm starts in brig-demo-victim ${storm_after} s after the start."
[ "$storm_after" = 0 ] && storm_line="No fork storm starts by itself (BRIG_DEMO_STORM_AFTER=0)."
cat >"$state/intro.txt" <<INTRO
# Brig demo
Four demo containers on a private Docker engine ($host):
  brig-demo-web, brig-demo-api, brig-demo-db   busybox sleeping, no network traffic
  brig-demo-victim                             the same with a pids limit of 200
$storm_line
# What to try
Brig starts disarmed: the storm's pause waits in the queue. Press n to step through it, y to
approve (the Alerts pane then says executed), or arm first with a (it asks; default No) and watch
the victim go PAUSED by itself. Select it in Containers and press u to restore it.
Enter on any row shows its details; l follows a container's logs; ? lists every key.
Another storm, from a second terminal:
  DOCKER_HOST=$host scripts/fork-storm.sh brig-demo-victim 30
Alerts can be posted to http://$listen/v1/alerts.
# When you quit (q)
The demo removes its four containers (a paused one included), and stops the private engine if
it started it. Its journal is its own ($state/journal.jsonl), never yours.
Any key closes this.
INTRO
code=0
BRIG_INTRO_FILE=$state/intro.txt XDG_STATE_HOME=$state node dist/cli.js --docker-host "$host" --policies policies/ --listen "$listen" \
  --journal "$state/journal.jsonl" "$@" || code=$?
# Quitting before the delay means no storm later: stop it (by its pid) if it has not run yet.
[ -n "$storm_pid" ] && kill "$storm_pid" 2>/dev/null || true

# Remove what the demo created: its four containers (a paused fork bomb included), its state, and
# the private engine if the demo started it. What cannot be removed is said, with the command.
BRIG_DEMO_HOST=$host node --input-type=module - <<'NODE' || echo "demo: could not remove the demo containers; remove them with: DOCKER_HOST=$host docker rm -f brig-demo-web brig-demo-api brig-demo-db brig-demo-victim" >&2
import { DockerodePort } from './dist/docker/dockerode-port.js';
const port = new DockerodePort(process.env.BRIG_DEMO_HOST);
for (const id of await port.listContainerIds()) {
  const inspect = await port.inspectContainer(id);
  if (inspect.Config?.Labels?.['brig.demo'] !== 'true') continue;
  if (inspect.State?.Paused) await port.unpause(id);
  await port.removeContainer(id);
  process.stderr.write(`demo: removed ${String(inspect.Name ?? id).replace(/^\//, '')}\n`);
}
NODE
echo "demo: journal kept for reading: $state/journal.jsonl (rm -r $state removes it)" >&2
if [ "$engine_was_up" = 0 ]; then
  bash scripts/engine.sh down >&2 || echo "demo: the private engine is still up; stop it with: bash scripts/engine.sh down" >&2
else
  echo "demo: the private engine was up before the demo and stays up (bash scripts/engine.sh down stops it)" >&2
fi
exit "$code"
