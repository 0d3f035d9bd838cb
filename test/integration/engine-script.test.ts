import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { secondEngine } from '../helpers/second-engine.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));
const engine = secondEngine('script', '10.213.252.1/24');
const env = {
  ...process.env,
  BRIG_ENGINE_DIR: engine.dir,
  BRIG_ENGINE_BRIDGE: `brigscr${process.pid % 10000}`,
  BRIG_ENGINE_BIP: '10.213.252.1/24',
};
const status = () =>
  run('bash', [script, 'status'], { env }).then(
    (r) => ({ code: 0, out: r.stdout.trim() }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout.trim() }),
  );

beforeAll(() => engine.up(), 180_000);
afterAll(() => engine.remove(), 180_000);

describe('scripts/engine.sh notices a broken engine (issue 12, point 4)', () => {
  it('a bridge that vanished is `broken` in status, and `up` brings a working engine back', async () => {
    expect(await status()).toMatchObject({ code: 0, out: expect.stringMatching(/^up /) });
    // What another dockerd with --bridge=none does to docker0.
    await run('ip', ['link', 'delete', env.BRIG_ENGINE_BRIDGE]);
    expect(await status()).toMatchObject({ code: 1, out: expect.stringMatching(/^broken /) });
    await run('bash', [script, 'up'], { env, timeout: 180_000 });
    expect(await status()).toMatchObject({ code: 0, out: expect.stringMatching(/^up /) });
    const containers = new TestContainers(engine.port());
    try {
      const { id } = await containers.run('after-repair');
      expect((await engine.port().inspectContainer(id)).State.Running).toBe(true);
    } finally {
      await containers.cleanup();
    }
  }, 240_000);
});
