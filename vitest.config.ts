import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Mount tests share /dev/fuse and spawn daemons; keep files from stepping on each other.
    fileParallelism: false,
    // The committed .ko fixtures are built for the bundled identity; daemons the tests start
    // inherit this unless a test chooses another kernel (test/identity/).
    env: { MODFS_KERNEL: '6.1.0-56-amd64' },
  },
});
