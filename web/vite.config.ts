// The dashboard is served by the gateway at {context-path}/ui/, so every URL in the build is
// relative ('./assets/…'): the same files work under any context path. Everything the page
// needs is bundled; nothing is fetched from elsewhere at run time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    assetsDir: 'assets', // content-hashed names: the gateway caches these as immutable
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
