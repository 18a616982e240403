import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real s3rver process on 127.0.0.1 for the publish tests.
    globalSetup: ['test/setup/s3rver.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
