import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real s3rver process on 127.0.0.1 for the publish tests.
    globalSetup: ['test/setup/s3rver.ts'],
    // Two files at a time even on two cores: many tests wait on Chromium, s3rver or a spawned CLI.
    maxWorkers: 2,
    // Files share their worker's process and modules: each file importing the library, the AWS SDK and
    // playwright afresh took about a third of the suite's time. Tests that change the environment put it back.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
