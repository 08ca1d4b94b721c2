import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    environment: 'node',
    // One test file per core, and one more. Vitest's default for a run is one fewer than the cores, which leaves a
    // 2-core machine (CI's) running the files one after another while its main process mostly waits; and the local
    // runtime's end-to-end files spend much of their time waiting in real time (a one-minute approval wait, a child
    // process restarting), a core left idle. Session 43, 2 cores, quiet: 570 s with 2 workers, 475 s with 3.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  },
});
