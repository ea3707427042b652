import { existsSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs by default: the built page works from any sub-path of a static host.
  // BASE=/repo/ pins an absolute sub-path instead (GitHub Pages).
  base: process.env.BASE ?? './',
  define: {
    // Whether `npm run precompute` has written the default run (public/precomputed/): without it the
    // page trains live at once instead of asking for files that are not there (a 404 in the console).
    'import.meta.env.VITE_PRECOMPUTED': JSON.stringify(existsSync(new URL('./public/precomputed/default.json', import.meta.url))),
  },
  worker: {
    format: 'es',
    rolldownOptions: { output: { comments: { legal: false } } },
  },
  build: {
    target: 'es2022',
    rolldownOptions: { output: { comments: { legal: false } } },
  },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      'd3-random',
    ],
  },
});
