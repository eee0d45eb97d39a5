import { resolve } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { type BrowserTarget, manifestFor, RECORDER_SRC, RELAY_SRC } from './manifest.config.ts';
import { COMPILE_HINT, STRICT } from './scripts/compile-hint.ts';

// TARGET picks the browser; E2E=1 adds the test-only bridge (never in a shipped build).
const target = (process.env.TARGET ?? 'chrome') as BrowserTarget;
const e2e = process.env.E2E === '1';

/** The content scripts start with the compile hint (scripts/compile-hint.ts). */
const CONTENT_SCRIPT_FILES = [RECORDER_SRC, RELAY_SRC].map((f) => f.replace(/\.ts$/, '.js'));
const RECORDER_FILE = CONTENT_SCRIPT_FILES[0];
const compileHint = (): Plugin => ({
  name: 'talk-inspector:compile-hint',
  generateBundle: {
    order: 'post', // after crxjs has emitted the content scripts
    handler(_, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === 'asset' && CONTENT_SCRIPT_FILES.includes(file.fileName))
          file.source = COMPILE_HINT + (file.fileName === RECORDER_FILE ? STRICT : '') + String(file.source);
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
    compileHint(),
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
