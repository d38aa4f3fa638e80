// The console's front end: Preact with JSX, built to ./dist by src/local/console/launch.cjs.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200, reportCompressedSize: false },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  server: { host: '127.0.0.1' },
});
