import { defineConfig } from 'vitest/config';

// Release checks (test/release): the built manifests and the packages. Run after a build; the
// package test rebuilds from the source zip in a temporary folder (npm ci + npm run package).
export default defineConfig({
  test: {
    include: ['test/release/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['verbose'],
  },
});
