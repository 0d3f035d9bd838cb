import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const unitFile = new URL('../../packaging/systemd/brig.service', import.meta.url);
const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');

describe('packaging/systemd/brig.service (issue 13.6)', () => {
  it('carries what the README promises: restart on failure, CPU share, sandbox with the Docker socket', async () => {
    const text = await readFile(unitFile, 'utf8');
    for (const line of [
      'Restart=on-failure',
      'CPUWeight=1000',
      'Nice=-5',
      'SupplementaryGroups=docker',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
      'LoadCredential=token:/etc/brig/token',
    ])
      expect(text.split('\n')).toContain(line);
    expect(text).toMatch(/^ExecStart=\/usr\/local\/bin\/brig --headless /m);
  });

  it('`systemd-analyze verify` accepts it (ExecStart pointed at this checkout)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-unit-'));
    const text = (await readFile(unitFile, 'utf8')).replace(
      '/usr/local/bin/brig',
      `${process.execPath} ${cli}`,
    );
    await writeFile(path.join(dir, 'brig.service'), text);
    // Throws (the test fails) when systemd-analyze is missing or finds anything to say.
    const out = execFileSync('systemd-analyze', ['verify', path.join(dir, 'brig.service')], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
    expect(out).toBe('');
  });
});
