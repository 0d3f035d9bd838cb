import { defineConfig } from 'vitest/config';

// Four suites (README "Development"): unit and ui are pure; integration and e2e run against a real
// Docker engine that the global setup brings up (scripts/engine.sh) when none is reachable, and the
// integration suite once more against a real Podman (scripts/podman.sh).
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
      {
        extends: true,
        // Ink reads CI at import and then renders non-interactively; these tests drive the interactive UI.
        test: { name: 'ui', include: ['test/ui/**/*.test.{ts,tsx}'], env: { CI: 'false' } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          globalSetup: ['test/setup/engine.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One engine, two cores: files run one at a time so timings and container counts stay sane.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The same integration tests against a real Podman (issue 12). Not the files that start and
          // stop or freeze extra private Docker engines (they test Brig's handling of engines, not Podman),
          // nor `brig harden --run`: Podman 4.3 cannot give maximum's no-ICC network nor IpcMode
          // private (it reports shareable), so harden refuses there, which README "Podman" says.
          name: 'integration-podman',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          exclude: [
            'test/integration/multi-engine.test.ts',
            'test/integration/logs-multi-engine.test.ts',
            'test/integration/engine-outage.test.ts',
            'test/integration/harden.test.ts',
            'test/integration/engine-script.test.ts',
            'test/integration/trust-faults.test.ts',
            // Not yet run green against Podman: the fault injection (its 50 runs were proven on Docker),
            // and evidence capture (Podman 4.3's top of a paused container answers no processes).
            'test/integration/fault-injection.test.ts',
            'test/integration/docker-port-evidence.test.ts',
            'test/integration/evidence.test.ts',
            'test/integration/evidence-engine.test.ts',
          ],
          globalSetup: ['test/setup/podman.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          globalSetup: ['test/setup/engine.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
