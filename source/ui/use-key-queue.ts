import { useInput, type Key } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import { keypressesOf } from './keymap.js';

/**
 * Every key goes through one queue, applied one per render, each seeing the state the previous
 * one left: Ink hands keys of one read (a held arrow, `send-keys Down Down Down`, a paste) over in
 * the same tick, and handling them there would apply them all to the same stale frame.
 */
export function useKeyQueue(onKey: (input: string, key: Key) => void): void {
  // Ink re-subscribes the handler in an effect, which can run after the next key arrives; a ref
  // makes every key see the state of the frame the operator is looking at.
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  const pending = useRef<Array<[string, Key]>>([]);
  const [, setReplay] = useState(0);
  const enqueue = useCallback((input: string, key: Key) => {
    pending.current.push(...keypressesOf(input, key));
    setReplay((n) => n + 1);
  }, []);
  useEffect(() => {
    const next = pending.current.shift();
    if (!next) return;
    onKeyRef.current(next[0], next[1]);
    setReplay((n) => n + 1);
  });
  useInput(enqueue);
}
