import { defineConfig } from 'vitest/config';

// Four suites (README "Development"): unit and ui are pure; integration and e2e run against a real
// Docker engine that the global setup brings up (scripts/engine.sh) when none is reachable.
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
