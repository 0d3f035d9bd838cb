import { useEffect, useMemo, useRef, useState } from 'react';
import type { FollowLogsOptions, LogEvent } from '../domain/log-line.js';
import type { EngineHandle } from '../domain/snapshot.js';
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
 * quiet spell are drawn at once. Stops the follow when the view goes or the container changes.
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
  const { tail, since } = options;
  const lastDraw = useRef(-Infinity);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
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
    const listener = (event: LogEvent) => {
      if (!live) return;
      if (event.type === 'line') {
        ring.push({ ...event.line, text: displayText(event.line.text) });
        schedule();
      } else {
        setEnded({ message: event.message, error: event.error });
        schedule();
      }
    };
    const stop = handle.followLogs(container, since === undefined ? { tail } : { tail, since }, listener);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      stop();
    };
  }, [handle, container, tail, since, ring, intervalMs]);

  // `version` is what says the ring changed: the ring itself is the same object.
  const lines = useMemo(() => ring.toArray(), [ring, version]);
  return { lines, dropped: ring.dropped, received: ring.received, ended };
}
