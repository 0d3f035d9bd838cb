import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../source/intake/bounded-queue.js';
import { AlertDeduper } from '../../../source/intake/dedup.js';

describe('BoundedQueue', () => {
  it('is FIFO and refuses past capacity', () => {
    const q = new BoundedQueue<number>(3);
    expect([1, 2, 3, 4].map((n) => q.offer(n))).toEqual([true, true, true, false]);
    expect(q.size).toBe(3);
    expect(q.capacity).toBe(3);
    expect(q.tryTake()).toBe(1);
    expect(q.offer(5)).toBe(true);
    expect([q.tryTake(), q.tryTake(), q.tryTake(), q.tryTake()]).toEqual([2, 3, 5, undefined]);
  });

  it('take() waits for the next offer; waitForSpace() resolves when a slot frees', async () => {
    const q = new BoundedQueue<string>(1);
    const taken = q.take();
    expect(q.offer('a')).toBe(true);
    await expect(taken).resolves.toBe('a');
    expect(q.size).toBe(0);
    q.offer('b');
    let spaced = false;
    const space = q.waitForSpace().then(() => (spaced = true));
    await Promise.resolve();
    expect(spaced).toBe(false);
    expect(await q.take()).toBe('b');
    await space;
    expect(spaced).toBe(true);
  });

  it('waitForRoom() wakes one waiter per take, first come first served, and gives up after its timeout', async () => {
    const q = new BoundedQueue<number>(4);
    [1, 2, 3, 4].forEach((n) => q.offer(n));
    expect(await q.waitForRoom(4, 1000)).toBe(true); // already there
    const woken: string[] = [];
    const first = q.waitForRoom(2, 60_000).then((ok) => woken.push(`first ${ok}`));
    const second = q.waitForRoom(3, 60_000).then((ok) => woken.push(`second ${ok}`));
    q.tryTake(); // 3 left: enough for the second, but the first came first
    await Promise.resolve();
    expect(woken).toEqual([]);
    q.tryTake(); // 2 left: the first
    await first;
    expect(woken).toEqual(['first true']);
    q.tryTake(); // 1 left: now the second
    await second;
    expect(woken).toEqual(['first true', 'second true']);
    expect(await q.waitForRoom(0, 5)).toBe(false); // nobody takes: the timeout answers
    q.tryTake();
    expect(q.size).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(/positive integer/);
  });
});

describe('AlertDeduper', () => {
  it('an id seen again within the window is a duplicate; after it, it is new again', () => {
    const d = new AlertDeduper(600_000);
    expect(d.isDuplicate('a', 0)).toBe(false);
    expect(d.isDuplicate('a', 599_999)).toBe(true);
    expect(d.isDuplicate('b', 599_999)).toBe(false);
    expect(d.isDuplicate('a', 600_000)).toBe(false);
    expect(d.isDuplicate('a', 600_001)).toBe(true);
  });

  it('memory stays bounded: expired ids are forgotten and the oldest go past maxEntries', () => {
    const d = new AlertDeduper(1000, 100);
    for (let i = 0; i < 10_000; i++) d.isDuplicate(`id-${i}`, i);
    expect(d.size).toBeLessThanOrEqual(100);
    expect(d.isDuplicate('id-9999', 10_000)).toBe(true);
    expect(d.isDuplicate('id-0', 10_000)).toBe(false);
    d.isDuplicate('late', 1_000_000);
    expect(d.size).toBe(1);
  });

  it('memory is bounded in bytes, not only entries: long unique ids push the oldest out', () => {
    // Issue 11: unique ~1 MB ids were each kept (RSS +1 MB per alert until out of memory).
    const d = new AlertDeduper(600_000, 100_000, 1024 * 1024);
    const long = (i: number) => `${i}-`.padEnd(100_000, 'x');
    for (let i = 0; i < 200; i++) d.isDuplicate(long(i), i);
    expect(d.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(d.size).toBeLessThan(200);
    expect(d.isDuplicate(long(199), 300)).toBe(true);
    expect(d.isDuplicate(long(0), 300)).toBe(false);
  });
});
