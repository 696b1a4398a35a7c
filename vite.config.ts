import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The centre server serves the built app (dist/) and the verified models (/models/);
// in `vite dev` the API and sockets are proxied to a running centre on :8080.
export default defineConfig({
  plugins: [react()],
  // onnxruntime-web loads its wasm from /models/ort/ (served, verified, cached like the models): no second copy in dist/.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/models': 'http://localhost:8080',
      '/socket.io': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    reporters: ['default', './src/testing/summary-reporter.ts'],
    // Three levels, all offline (STYLE.md): pure units, the real server, real Chromium.
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.int.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'integration', include: ['src/**/*.int.test.ts'], environment: 'node', testTimeout: 30_000 } },
      {
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.e2e.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
