import { useEffect, useState } from 'react';

/**
 * The current time, refreshed on each `intervalMs` boundary of the wall clock (so a minute clock
 * turns over with the minute): only components showing time re-render, and no more often than that.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      timer = setTimeout(
        () => {
          setNow(Date.now());
          schedule();
        },
        intervalMs - (Date.now() % intervalMs) + 5,
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, [intervalMs]);
  return now;
}
