import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real s3rver process on 127.0.0.1 for the publish tests.
    globalSetup: ['test/setup/s3rver.ts'],
    // Two files at a time even on two cores: many tests wait on Chromium, s3rver or a spawned CLI.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
