import { afterEach, describe, expect, it } from 'vitest';
import { parseProcCgroup } from '../../../source/docker/cgroup-paths.js';
import { CgroupReader } from '../../../source/docker/cgroup-reader.js';
import { parseLimit, parsePressureSomeAvg10 } from '../../../source/docker/cgroup-values.js';
import { CgroupFixture, containerId, otherId } from './cgroup-fixture.js';

let fixture: CgroupFixture;
afterEach(() => fixture?.remove());

function reader(): CgroupReader {
  return new CgroupReader({ proc: fixture.proc, cgroup: fixture.cgroup });
}

describe('cgroup reader', () => {
  it('reads cgroup v1 cgroupfs (separate cpu and cpuacct hierarchies)', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    const r = reader();
    expect(r.describe()).toBe('cgroup v1');
    const attached = r.attach(containerId, 4242);
    expect(attached.ok).toBe(true);
    expect(r.readPids(containerId)).toEqual({ pids: 1, pidsMax: 1000, forksRefused: 0 });
    fixture.write(`${pidsDir}/pids.current`, '812\n');
    fixture.write(`${pidsDir}/pids.events`, 'max 37\n');
    // The same open files are re-read from offset 0: new content shows up.
    expect(r.readPids(containerId)).toEqual({ pids: 812, pidsMax: 1000, forksRefused: 37 });
    const resources = r.readResources(containerId);
    // v1's 9223372036854771712 "limit" means none; no unified hierarchy means no PSI.
    expect(resources).toEqual({ cpuNs: 29150000, memoryBytes: 2691072, memoryLimit: Infinity });
  });

  it('reads cgroup v1 with a combined cpu,cpuacct mount and PSI from the hybrid unified hierarchy', () => {
    fixture = new CgroupFixture();
    fixture.v1(containerId, 77, { combinedCpu: true, unified: true });
    const r = reader();
    expect(r.attach(containerId, 77).ok).toBe(true);
    expect(r.readResources(containerId)).toEqual({
      cpuNs: 29150000,
      memoryBytes: 2691072,
      memoryLimit: Infinity,
      cpuPressure: 4.17,
      memoryPressure: 12.5,
    });
    // Working set: v1 subtracts total_inactive_file (hierarchical), as docker stats does.
    expect(r.readResources(containerId, true)?.memoryBytes).toBe(2691072 - 1048576);
  });

  it('reads cgroup v2 with the systemd driver (docker-<id>.scope)', () => {
    fixture = new CgroupFixture();
    fixture.v2(containerId, 99, 'systemd');
    const r = reader();
    expect(r.describe()).toBe('cgroup v2');
    expect(r.attach(containerId, 99)).toMatchObject({ ok: true, files: { version: 'v2' } });
    // No pids limit: pids.events is not even read.
    expect(r.readPids(containerId)).toEqual({ pids: 3, pidsMax: Infinity });
    expect(r.readResources(containerId)).toEqual({
      cpuNs: 5_000_000,
      memoryBytes: 8388608,
      memoryLimit: 16777216,
      cpuPressure: 0,
      memoryPressure: 1.25,
    });
    expect(r.readResources(containerId, true)?.memoryBytes).toBe(8388608 - 1048576);
  });

  it('reads cgroup v2 with the cgroupfs driver (/docker/<id>)', () => {
    fixture = new CgroupFixture();
    const dir = fixture.v2(containerId, 5, 'cgroupfs');
    fixture.write(`${dir}/pids.max`, '1000\n');
    fixture.write(`${dir}/pids.events`, 'max 4\n');
    const r = reader();
    expect(r.attach(containerId, 5).ok).toBe(true);
    expect(r.readPids(containerId)).toEqual({ pids: 3, pidsMax: 1000, forksRefused: 4 });
  });

  it('refuses a pid whose cgroup does not name the container (pid reused by another process)', () => {
    fixture = new CgroupFixture();
    fixture.v2(otherId, 12, 'systemd');
    const r = reader();
    const result = r.attach(containerId, 12);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('does not name the container') });
    expect(r.isAttached(containerId)).toBe(false);
  });

  it('says why when the process, the pid, or the hierarchy is missing', () => {
    fixture = new CgroupFixture();
    fixture.v2();
    const r = reader();
    expect(r.attach(containerId, 0)).toEqual({ ok: false, reason: 'no main process (pid 0)' });
    expect(r.attach(containerId, 31337)).toEqual({
      ok: false,
      reason: 'cannot read /proc/31337/cgroup: ENOENT',
    });
    const none = new CgroupReader({ proc: fixture.proc, cgroup: `${fixture.root}/nowhere` });
    expect(none.layout).toBeUndefined();
    expect(none.attach(containerId, 4242)).toEqual({
      ok: false,
      reason: expect.stringContaining('no cgroup hierarchy'),
    });
  });

  it('fills one reused reading on the fast path, parsed from the bytes (counts, blanks, max lines)', () => {
    fixture = new CgroupFixture();
    const dir = fixture.v2(containerId, 4242, 'cgroupfs');
    fixture.write(`${dir}/pids.max`, '500\n');
    const r = reader();
    expect(r.attach(containerId, 4242).ok).toBe(true);
    const out = { pids: -1, pidsMax: -1, forksRefused: -1 as number | undefined };
    expect(r.readPidsInto(containerId, out)).toBe(true);
    expect(out).toEqual({ pids: 3, pidsMax: 500, forksRefused: 0 });
    fixture.write(`${dir}/pids.current`, '  1234567\n');
    // Newer kernels add `max.imposed`; only the `max` line counts forks refused here.
    fixture.write(`${dir}/pids.events`, 'max.imposed 3\nmax 17\n');
    expect(r.readPidsInto(containerId, out)).toBe(true);
    expect(out).toEqual({ pids: 1234567, pidsMax: 500, forksRefused: 17 });
    fixture.write(`${dir}/pids.events`, 'something 1\n');
    expect(r.readPidsInto(containerId, out)).toBe(true);
    expect(out.forksRefused).toBeUndefined();
    fixture.write(`${dir}/pids.current`, '');
    expect(r.readPidsInto(containerId, out)).toBe(false);
    expect(r.isAttached(containerId)).toBe(false);
  });

  it('calls pids quiet only while the parent cgroup counts the same tasks as at the last pass (v1 cgroupfs)', () => {
    fixture = new CgroupFixture();
    fixture.v1();
    fixture.v1(otherId, 4343);
    fixture.write('cgroup/pids/docker/pids.current', '7\n');
    const r = reader();
    expect(r.attach(containerId, 4242).ok).toBe(true);
    expect(r.attach(otherId, 4343).ok).toBe(true);
    r.refreshParents();
    // Nothing to compare with yet.
    expect(r.pidsQuiet(containerId)).toBe(false);
    r.refreshParents();
    expect([r.pidsQuiet(containerId), r.pidsQuiet(otherId)]).toEqual([true, true]);
    fixture.write('cgroup/pids/docker/pids.current', '8\n');
    r.refreshParents();
    expect([r.pidsQuiet(containerId), r.pidsQuiet(otherId)]).toEqual([false, false]);
    r.refreshParents();
    expect(r.pidsQuiet(containerId)).toBe(true);
    // The parent's file stays open while a child is attached, and is closed with the last one.
    r.detach(containerId);
    r.refreshParents();
    expect([r.pidsQuiet(containerId), r.pidsQuiet(otherId)]).toEqual([false, true]);
  });

  it('calls pids quiet from the slice above a v2 systemd scope, and never without a parent count', () => {
    fixture = new CgroupFixture();
    fixture.v2();
    fixture.write('cgroup/system.slice/pids.current', '40\n');
    const r = reader();
    expect(r.attach(containerId, 4242).ok).toBe(true);
    r.refreshParents();
    r.refreshParents();
    expect(r.pidsQuiet(containerId)).toBe(true);
    fixture.write('cgroup/system.slice/pids.current', 'garbage\n');
    r.refreshParents();
    expect(r.pidsQuiet(containerId)).toBe(false);

    // cgroupfs driver under a v2 root with no docker/pids.current (as the root cgroup has none).
    const bare = new CgroupFixture();
    try {
      bare.v2(otherId, 4343, 'cgroupfs');
      const b = new CgroupReader({ proc: bare.proc, cgroup: bare.cgroup });
      expect(b.attach(otherId, 4343).ok).toBe(true);
      b.refreshParents();
      b.refreshParents();
      expect(b.pidsQuiet(otherId)).toBe(false);
      b.detachAll();
    } finally {
      bare.remove();
    }
  });

  it('treats a container exiting mid-read as normal: undefined, detached, no throw', () => {
    fixture = new CgroupFixture();
    const dir = fixture.v2();
    const r = reader();
    expect(r.attach(containerId, 4242).ok).toBe(true);
    // A removed cgroup's open files read as empty (or fail with ENODEV): either way, gone.
    fixture.write(`${dir}/pids.current`, '');
    expect(r.readPids(containerId)).toBeUndefined();
    expect(r.isAttached(containerId)).toBe(false);
    expect(r.readResources(containerId)).toBeUndefined();
  });

  it('parses /proc/<pid>/cgroup lines, limits and PSI', () => {
    const parsed = parseProcCgroup(`12:cpu,cpuacct:/docker/x\n1:name=systemd:/docker/x\n0::/docker/x\n`);
    expect(parsed.v1.get('cpuacct')).toEqual({ mount: 'cpu,cpuacct', path: '/docker/x' });
    expect(parsed.v1.has('name=systemd')).toBe(false);
    expect(parsed.v2).toBe('/docker/x');
    expect(parseLimit('max\n')).toBe(Infinity);
    expect(parseLimit('1000\n')).toBe(1000);
    expect(parseLimit('garbage')).toBeUndefined();
    expect(parsePressureSomeAvg10('some avg10=0.50 avg60=0.00 avg300=0.00 total=9\n')).toBe(0.5);
  });
});

describe('cgroup reader with files missing', () => {
  it('samples what exists: no pids.events, no memory controller in the scope', async () => {
    fixture = new CgroupFixture();
    const dir = fixture.v2(containerId, 8, 'systemd');
    const { rmSync } = await import('node:fs');
    for (const file of ['pids.events', 'memory.current', 'memory.max', 'memory.stat']) {
      rmSync(`${fixture.root}/${dir}/${file}`);
    }
    fixture.write(`${dir}/pids.max`, '500\n');
    const r = reader();
    expect(r.attach(containerId, 8).ok).toBe(true);
    expect(r.readPids(containerId)).toEqual({ pids: 3, pidsMax: 500 });
    expect(r.readResources(containerId)).toMatchObject({
      cpuNs: 5_000_000,
      memoryBytes: 0,
      memoryLimit: Infinity,
    });
    expect(r.isAttached(containerId)).toBe(true);
  });
});
