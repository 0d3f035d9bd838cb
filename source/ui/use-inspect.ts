import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineHandle, InspectResult } from '../domain/snapshot.js';
import { initialInspectState, inspectKey, inspectLoaded, type InspectState } from './inspect-state.js';
import type { KeyBinding } from './keymap.js';

/**
 * The Inspect view's state for `container` (undefined: the view is closed): asks the engine once per
 * opening, then applies keys. `onKey` answers whether the view asked to close.
 */
export function useInspect(
  handle: EngineHandle,
  container: string | undefined,
  keymap: readonly KeyBinding[],
  page: number,
): { state: InspectState; onKey: (name: string, input: string) => boolean } {
  const [state, setState] = useState(initialInspectState);
  // Keys of one burst are applied in one tick: each must see the state the previous one left.
  const current = useRef(state);
  const apply = useCallback((next: InspectState) => {
    current.current = next;
    setState(next);
  }, []);
  useEffect(() => {
    if (container === undefined) return;
    let live = true;
    apply(initialInspectState());
    handle
      .inspectContainer(container)
      .catch((error: unknown): InspectResult => ({
        ok: false,
        message: `inspect: ${(error as Error).message}`,
      }))
      .then((result) => {
        if (live) apply(inspectLoaded(current.current, result, new Date().toISOString()));
      });
    return () => {
      live = false;
    };
  }, [handle, container, apply]);
  const onKey = useCallback(
    (name: string, input: string) => {
      apply(inspectKey(current.current, keymap, name, input, page));
      return current.current.closed;
    },
    [keymap, page, apply],
  );
  return { state, onKey };
}
