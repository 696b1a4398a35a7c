import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The files that run on PostgreSQL as well as SQLite: the store's own tests and the integration tests that write
 * most through it (transactions with their log entries, the hash chain, the procedure's counters, appeals).
 * Tests of SQLite's file itself (start-up, the log anchor's legacy file, the fuzzer's file checks) stay SQLite's.
 */
const POSTGRES_SUITE = [
  'src/server/store/store.test.ts',
  'src/server/store/store-events.test.ts',
  'src/server/store/procedure-store.test.ts',
  'src/server/logged-writes.int.test.ts',
  'src/server/access-control.int.test.ts',
  'src/server/candidate-flow.int.test.ts',
  'src/server/control-room.int.test.ts',
  'src/server/procedure.int.test.ts',
  'src/server/appeal.int.test.ts',
  'src/server/session-list.int.test.ts',
  'src/server/admin-routes.int.test.ts',
  'src/server/accommodations.int.test.ts',
];

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
      // Issue 16: the store's tests and the centre's store-heavy integration tests again, on PostgreSQL (src/testing/test-database.ts).
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITE,
          environment: 'node',
          testTimeout: 30_000,
          env: { TANU_TEST_STORE: 'postgres' },
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.e2e.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
