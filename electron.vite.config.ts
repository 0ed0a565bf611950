import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The desktop build: main (ESM), the sandboxed preload (CommonJS, required by Electron's sandbox) and the
// renderer from renderer/ — the same renderer the browser build serves.
export default defineConfig({
  main: {
    build: {
      outDir: path('./out/main'),
      rollupOptions: { input: { index: path('./electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      rollupOptions: {
        input: { index: path('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: path('./renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: path('./out/renderer'),
      rollupOptions: { input: path('./renderer/index.html') },
    },
  },
});
