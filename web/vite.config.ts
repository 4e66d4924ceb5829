/**
 * Builds the web UI into web/dist, which `aws-copilot serve` serves under a strict CSP: the build
 * emits only external module scripts, never inline ones. `vite --config web/vite.config.ts` runs a
 * dev server that forwards /api and /ws to a running `aws-copilot serve` (AWS_COPILOT_DEV_SERVER).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = import.meta.dirname;
const backend = process.env.AWS_COPILOT_DEV_SERVER ?? 'http://127.0.0.1:8765';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    // React, zod and the markdown parser make one ~160 kB (gzip) bundle, served from the same
    // machine or network; splitting it would only add round trips before the chat can start.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/ws': { target: backend, changeOrigin: true, ws: true },
    },
  },
});
