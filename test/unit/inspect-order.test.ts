import { describe, expect, it } from 'vitest';
import { ContainerInspectSchema, inEngineOrder } from '../../source/docker/inspect.js';

describe('inspect documents keep the engine order', () => {
  it('puts every member back where the engine had it, at every depth, defaults last', () => {
    const raw = {
      Id: 'a'.repeat(64),
      Created: '2026-12-02T05:36:44Z',
      Path: 'sleep',
      State: { Status: 'running', Running: true, Paused: false, Restarting: false, Pid: 7, ExitCode: 0 },
      Image: 'sha256:b',
      Name: '/web-1',
      Config: { Hostname: 'h', Env: ['A=1'], Image: 'busybox', Labels: { x: 'y' } },
      Mounts: [{ Type: 'bind', Source: '/s', Destination: '/d' }],
    };
    const parsed = ContainerInspectSchema.parse(raw);
    // The schema's own fields come first without this.
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['Id', 'Name', 'RestartCount']);
    const ordered = inEngineOrder(parsed, raw);
    expect(Object.keys(ordered)).toEqual([
      'Id',
      'Created',
      'Path',
      'State',
      'Image',
      'Name',
      'Config',
      'Mounts',
      // Filled in by the schema's defaults: not from the engine, so after what it sent.
      'RestartCount',
      'HostConfig',
      'NetworkSettings',
    ]);
    expect(Object.keys(ordered.State)).toEqual([
      'Status',
      'Running',
      'Paused',
      'Restarting',
      'Pid',
      'ExitCode',
    ]);
    expect(Object.keys(ordered.Config)).toEqual(['Hostname', 'Env', 'Image', 'Labels']);
    expect(ordered).toEqual(parsed);
  });
});
