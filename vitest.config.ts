import { defineConfig } from 'vitest/config';

/** Test layout: test/ mirrors the source tree; integration tests boot real local servers on 127.0.0.1. */
export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every local stack a test starts is swept for dead letters without a reason as it stops.
    setupFiles: ['test/setup/dead-letter-sweep.ts'],
    // CI also writes a JSON report so .ci/run can print the plain "N passed, N failed" closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
  },
});

export default config;
