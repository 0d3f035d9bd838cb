import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const containerId = 'ab'.repeat(32);
export const otherId = 'cd'.repeat(32);

/** A fake /proc + /sys/fs/cgroup tree under a temp dir, in the shapes real hosts have. */
export class CgroupFixture {
  readonly root = mkdtempSync(path.join(tmpdir(), 'brig-cgroup-'));
  readonly proc = path.join(this.root, 'proc');
  readonly cgroup = path.join(this.root, 'cgroup');

  write(rel: string, content: string): void {
    const file = path.join(this.root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  procCgroup(pid: number, content: string): void {
    this.write(`proc/${pid}/cgroup`, content);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** cgroup v1, cgroupfs driver, cpu and cpuacct mounted separately, hybrid unified with PSI (this CI host). */
  v1(id = containerId, pid = 4242, opts: { combinedCpu?: boolean; unified?: boolean } = {}): string {
    const cpuMount = opts.combinedCpu ? 'cpu,cpuacct' : 'cpuacct';
    const lines = [
      `9:name=systemd:/docker/${id}`,
      `8:pids:/docker/${id}`,
      `4:memory:/docker/${id}`,
      opts.combinedCpu ? `2:cpu,cpuacct:/docker/${id}` : `2:cpuacct:/docker/${id}\n1:cpu:/docker/${id}`,
    ];
    if (opts.unified) lines.push(`0::/docker/${id}`);
    this.procCgroup(pid, lines.join('\n') + '\n');
    this.write('cgroup/pids/tasks', '');
    this.write('cgroup/memory/tasks', '');
    const pids = `cgroup/pids/docker/${id}`;
    this.write(`${pids}/pids.current`, '1\n');
    this.write(`${pids}/pids.max`, '1000\n');
    this.write(`${pids}/pids.events`, 'max 0\n');
    this.write(`cgroup/${cpuMount}/docker/${id}/cpuacct.usage`, '29150000\n');
    const mem = `cgroup/memory/docker/${id}`;
    this.write(`${mem}/memory.usage_in_bytes`, '2691072\n');
    this.write(`${mem}/memory.limit_in_bytes`, '9223372036854771712\n');
    this.write(`${mem}/memory.stat`, 'cache 100\ninactive_file 5\ntotal_inactive_file 1048576\n');
    if (opts.unified) {
      this.write('cgroup/unified/cgroup.controllers', '');
      this.write(
        `cgroup/unified/docker/${id}/cpu.pressure`,
        'some avg10=4.17 avg60=1.50 avg300=1.59 total=16676235\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
      );
      this.write(
        `cgroup/unified/docker/${id}/memory.pressure`,
        'some avg10=12.50 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
      );
    }
    return pids;
  }

  /** cgroup v2; systemd driver (`system.slice/docker-<id>.scope`) or cgroupfs (`/docker/<id>`). */
  v2(id = containerId, pid = 4242, driver: 'systemd' | 'cgroupfs' = 'systemd'): string {
    const rel = driver === 'systemd' ? `system.slice/docker-${id}.scope` : `docker/${id}`;
    this.procCgroup(pid, `0::/${rel}\n`);
    this.write('cgroup/cgroup.controllers', 'cpuset cpu io memory hugetlb pids rdma misc\n');
    const dir = `cgroup/${rel}`;
    this.write(`${dir}/pids.current`, '3\n');
    this.write(`${dir}/pids.max`, 'max\n');
    this.write(`${dir}/pids.events`, 'max 0\n');
    this.write(`${dir}/cpu.stat`, 'usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\n');
    this.write(`${dir}/memory.current`, '8388608\n');
    this.write(`${dir}/memory.max`, '16777216\n');
    this.write(`${dir}/memory.stat`, 'anon 4096\nfile 8192\ninactive_file 1048576\n');
    this.write(
      `${dir}/cpu.pressure`,
      'some avg10=0.00 avg60=0.00 avg300=0.00 total=2605\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=1253\n',
    );
    this.write(
      `${dir}/memory.pressure`,
      'some avg10=1.25 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
    );
    return dir;
  }
}
