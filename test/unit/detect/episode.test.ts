import { describe, expect, it } from 'vitest';
import { Episode } from '../../../source/detect/episode.js';

describe('episodes', () => {
  it('alerts once per episode, again after realert, and anew after calm', () => {
    const e = new Episode(60_000, 5_000);
    const fired = (holds: boolean, t: number) => e.observe(holds, t);
    expect(fired(true, 0)).toBe(true);
    expect(fired(true, 100)).toBe(false);
    expect(fired(true, 59_999)).toBe(false);
    expect(fired(true, 60_000)).toBe(true); // sustained: re-alert interval
    expect(fired(false, 61_000)).toBe(false);
    expect(fired(true, 62_000)).toBe(false); // calm too short: same episode
    expect(fired(false, 63_000)).toBe(false);
    expect(fired(false, 68_000)).toBe(false);
    expect(e.inEpisode).toBe(false);
    expect(fired(true, 68_100)).toBe(true); // a new storm
  });
});
