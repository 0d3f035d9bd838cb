import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PolicyLoadResult } from '../../../source/config/policy-loader.js';
import { watchPolicyDir } from '../../../source/config/policy-watcher.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'brig-watch-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const policy = (id: string) => `id = "${id}"\nname = "${id}"\naction = "pause"\n`;

describe('watchPolicyDir', () => {
  it('reloads on edits: a broken edit reports errors, a fixed one the whole new set', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.toml'), policy('a'));
    const results: PolicyLoadResult[] = [];
    const watcher = watchPolicyDir(dir, (r) => results.push(r), 20);
    cleanups.push(() => watcher.close());

    await writeFile(join(dir, 'b.toml'), 'id = "b"\nname = \n');
    await vi.waitFor(() => expect(results.at(-1)?.errors.length).toBe(1), { timeout: 5000 });
    expect(results.at(-1)!.errors[0]!.file).toBe(join(dir, 'b.toml'));
    expect(results.at(-1)!.errors[0]!.line).toBe(2);

    await writeFile(join(dir, 'b.toml'), policy('b'));
    await vi.waitFor(
      () => {
        const last = results.at(-1)!;
        expect(last.errors).toEqual([]);
        expect(last.policies.map((p) => p.id)).toEqual(['a', 'b']);
      },
      { timeout: 5000 },
    );
  });

  it('ends with the state of the last of several quick writes', async () => {
    const dir = await tempDir();
    const results: PolicyLoadResult[] = [];
    const watcher = watchPolicyDir(dir, (r) => results.push(r), 20);
    cleanups.push(() => watcher.close());
    for (let i = 0; i < 5; i++) await writeFile(join(dir, 'x.toml'), policy(`x${i}`));
    await vi.waitFor(() => expect(results.at(-1)?.policies.map((p) => p.id)).toEqual(['x4']), {
      timeout: 5000,
    });
  });

  it('ignores files that are not .toml', async () => {
    const dir = await tempDir();
    const results: PolicyLoadResult[] = [];
    const watcher = watchPolicyDir(dir, (r) => results.push(r), 20);
    cleanups.push(() => watcher.close());
    await writeFile(join(dir, 'notes.txt'), 'hello');
    // Long past the debounce: a reload caused by notes.txt would have happened by now.
    await new Promise((r) => setTimeout(r, 200));
    await writeFile(join(dir, 'z.toml'), policy('z'));
    await vi.waitFor(() => expect(results.at(-1)?.policies.map((p) => p.id)).toEqual(['z']), {
      timeout: 5000,
    });
    // Every reload that happened was caused by the .toml file: it already exists in all of them.
    expect(results.every((r) => r.files.some((f) => f.file.endsWith('z.toml')))).toBe(true);
  });

  it('a file written in two parts is read only after it has been quiet: never half-written (issue 11.10)', async () => {
    const dir = await tempDir();
    const results: PolicyLoadResult[] = [];
    // The default quiet period, as the supervisor uses it when config.toml does not set one.
    const watcher = watchPolicyDir(dir, (r) => results.push(r));
    cleanups.push(() => watcher.close());
    const first = `[[policies]]\nid = "first"\nname = "first"\naction = "pause"\n`;
    // Part one is a valid file on its own: loading it would act on a policy set nobody wrote.
    await writeFile(join(dir, 'two-part.toml'), first);
    await new Promise((r) => setTimeout(r, 500));
    await appendFile(join(dir, 'two-part.toml'), first.replaceAll('first', 'second'));
    await vi.waitFor(() => expect(results.length).toBeGreaterThan(0), { timeout: 15_000 });
    expect(results.map((r) => r.policies.map((p) => p.id))).toEqual([['first', 'second']]);
  });

  it('the quiet period also covers the files themselves: a file just modified waits its turn', async () => {
    const dir = await tempDir();
    const loadedAt: number[] = [];
    const watcher = watchPolicyDir(dir, () => loadedAt.push(Date.now()), 1500);
    cleanups.push(() => watcher.close());
    const written = Date.now();
    await writeFile(join(dir, 'a.toml'), policy('a'));
    await vi.waitFor(() => expect(loadedAt.length).toBe(1), { timeout: 15_000 });
    // A lower bound only: never read sooner than the quiet period after the write began.
    expect(loadedAt[0]! - written).toBeGreaterThanOrEqual(1500 - 5);
  });

  it('stops reporting after close', async () => {
    const dir = await tempDir();
    const onReload = vi.fn();
    const watcher = watchPolicyDir(dir, onReload, 10);
    watcher.close();
    await writeFile(join(dir, 'a.toml'), policy('a'));
    await new Promise((r) => setTimeout(r, 100));
    expect(onReload).not.toHaveBeenCalled();
  });

  it('reports a directory it cannot watch instead of throwing', async () => {
    const results: PolicyLoadResult[] = [];
    const watcher = watchPolicyDir(join(tmpdir(), 'brig-no-such-dir-watch'), (r) => results.push(r), 10);
    cleanups.push(() => watcher.close());
    await vi.waitFor(() => expect(results[0]?.errors[0]?.message).toMatch(/^cannot watch: /), {
      timeout: 5000,
    });
  });
});
