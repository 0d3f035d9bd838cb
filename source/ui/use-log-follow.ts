import { useEffect, useMemo, useRef, useState } from 'react';
import type { FollowLogsOptions, LogEvent } from '../domain/log-line.js';
import type { ContainerView, EngineHandle } from '../domain/snapshot.js';
import { LogRing, type RingLine } from './log-ring.js';
import { displayText } from './log-text.js';

export interface LogFollow {
  /** The kept lines, oldest first: a new array only when lines came (at most once per interval). */
  lines: readonly RingLine[];
  /** Lines the ring let go of to stay within its bounds. */
  dropped: number;
  /** Lines received in all. */
  received: number;
  /** The stream ended (container stopped, unknown container, engine gone), with the reason. */
  ended: { message: string; error: boolean } | undefined;
  /** Times the follow started again after the container ran again (a restart, the engine back). */
  resumed: number;
}

export interface LogFollowSettings {
  /** Renders at most once per this many ms (DESIGN §10: ≤ 10 frames a second), however fast lines come. */
  intervalMs?: number;
  maxLines?: number;
  maxBytes?: number;
}

/**
 * Follows a container's logs through the EngineHandle into a bounded ring, and re-renders in
 * batches: a flood of lines is one render per interval, not one per line. The first lines after a
 * quiet spell are drawn at once. When the stream ends and the container later runs again (it was
 * restarted, or its engine came back), the follow starts again from the last line kept. Stops the
 * follow when the view goes or the container changes.
 */
export function useLogFollow(
  handle: EngineHandle,
  container: string,
  options: FollowLogsOptions,
  settings: LogFollowSettings = {},
): LogFollow {
  const { intervalMs = 100, maxLines = 5000, maxBytes } = settings;
  const ring = useMemo(() => new LogRing(maxLines, maxBytes), [container, maxLines, maxBytes]);
  const [version, setVersion] = useState(0);
  const [ended, setEnded] = useState<LogFollow['ended']>(undefined);
  const [resumed, setResumed] = useState(0);
  const { tail, since } = options;
  const lastDraw = useRef(-Infinity);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    let stop: () => void = () => undefined;
    let unwatch: (() => void) | undefined;
    let lastMs = -Infinity;
    setEnded(undefined);
    const draw = () => {
      timer = undefined;
      if (!live) return;
      lastDraw.current = Date.now();
      setVersion((v) => v + 1);
    };
    const schedule = () => {
      if (timer) return;
      const wait = lastDraw.current + intervalMs - Date.now();
      if (wait <= 0) draw();
      else timer = setTimeout(draw, wait);
    };
    const find = (): ContainerView | undefined =>
      handle.getSnapshot().containers.find((c) => c.id === container || c.name === container);
    // After an end: follow again once the container is seen running anew (restarted: a new start
    // time; or after it was seen stopped, gone or stale), never in a loop on the same run.
    const watch = () => {
      const atEnd = find()?.startedAt;
      let sawDown = false;
      const check = () => {
        const c = find();
        if (!c || c.stale || c.state !== 'running') {
          sawDown = true;
          return;
        }
        if (!sawDown && c.startedAt === atEnd) return;
        unwatch?.();
        unwatch = undefined;
        setEnded(undefined);
        setResumed((n) => n + 1);
        // From the last line kept on: the engine's since has whole seconds, so lines already
        // kept are skipped by their time below.
        start(Number.isFinite(lastMs) ? { tail: maxLines, since: new Date(lastMs).toISOString() } : { tail });
      };
      unwatch = handle.subscribe(check);
      check();
    };
    const start = (opts: FollowLogsOptions) => {
      // Nothing after a follow's end counts, whatever the handle still sends.
      let over = false;
      const listener = (event: LogEvent) => {
        if (!live || over) return;
        if (event.type === 'line') {
          const ms = event.line.ms;
          if (ms !== undefined) {
            if (ms <= lastMs && opts !== first) return;
            lastMs = Math.max(lastMs, ms);
          }
          ring.push({ ...event.line, text: displayText(event.line.text) });
        } else {
          over = true;
          setEnded({ message: event.message, error: event.error });
          watch();
        }
        schedule();
      };
      stop = handle.followLogs(container, opts, listener);
    };
    const first: FollowLogsOptions = since === undefined ? { tail } : { tail, since };
    start(first);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      unwatch?.();
      stop();
    };
  }, [handle, container, tail, since, ring, intervalMs, maxLines]);

  // `version` is what says the ring changed: the ring itself is the same object.
  const lines = useMemo(() => ring.toArray(), [ring, version]);
  return { lines, dropped: ring.dropped, received: ring.received, ended, resumed };
}
