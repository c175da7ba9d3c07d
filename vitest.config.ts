import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    globalSetup: ['suites/setup/build-dist.ts'],
    setupFiles: ['suites/setup/property-seed.ts'],
    testTimeout: 60_000,
  },
});
