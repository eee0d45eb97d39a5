import { defineConfig } from 'vitest/config';

// The adversarial suite: one browser at a time, generous timeouts (some pages are meant to be slow).
export default defineConfig({
  test: {
    include: ['test/hostile/**/*.hostile.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['verbose'],
  },
});
