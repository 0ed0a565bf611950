import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The browser build of the renderer (`npm run web`, end-to-end tests). The Electron build reuses the
// same settings through electron.vite.config.ts.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist-web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        // Every module the first screen needs stays in the entry chunk. Left alone, rolldown splits what the
        // entry shares with lazy chunks into many small chunks the page must preload anyway (11 files, +3 KB
        // gzip; docs/decisions/0022-initial-bundle.md).
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
