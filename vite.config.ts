import { resolve } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { type BrowserTarget, manifestFor, RECORDER_SRC, RELAY_SRC } from './manifest.config.ts';
import { STRICT } from './scripts/strict-mode.ts';

// TARGET picks the browser; E2E=1 adds the test-only bridge (never in a shipped build).
const target = (process.env.TARGET ?? 'chrome') as BrowserTarget;
const e2e = process.env.E2E === '1';

/** The recorder starts with "use strict" (scripts/strict-mode.ts). */
const RECORDER_FILE = RECORDER_SRC.replace(/\.ts$/, '.js');
const strictRecorder = (): Plugin => ({
  name: 'talk-inspector:strict-recorder',
  generateBundle: {
    order: 'post', // after crxjs has emitted the content scripts
    handler(_, bundle) {
      for (const file of Object.values(bundle)) if (file.type === 'asset' && file.fileName === RECORDER_FILE) file.source = STRICT + String(file.source);
    },
  },
});

export default defineConfig({
  // __STEPS__: bench/steps.ts's build only (step timings in the page; compiled out otherwise).
  define: { __E2E__: JSON.stringify(e2e), __STEPS__: JSON.stringify(process.env.STEPS === '1') },
  plugins: [
    preact(),
    crx({
      manifest: manifestFor(target),
      browser: target,
      contentScripts: { standaloneFiles: [RECORDER_SRC, RELAY_SRC] },
    }),
    strictRecorder(),
  ],
  build: {
    // OUT_DIR: bench/where.ts builds a readable copy elsewhere, leaving dist/ as it is.
    outDir: process.env.OUT_DIR ?? `dist/${target}${e2e ? '-e2e' : ''}`,
    emptyOutDir: true,
    sourcemap: false,
    minify: process.env.MINIFY !== '0', // MINIFY=0 for readable profiles
    rollupOptions: { input: { panel: resolve(import.meta.dirname, 'src/panel/panel.html') } },
  },
});
