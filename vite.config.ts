import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Issue 16: the store's own tests and every integration file run a second time on PostgreSQL (the same files, with
 * TANU_TEST_STORE=postgres; src/testing/test-database.ts), but these, which are about one engine or start their own:
 */
const ENGINE_SPECIFIC = [
  'src/server/startup.int.test.ts', // `npm start`'s embedded default: the SQLite file, its mode and migrations on disk
  'src/server/cluster/two-nodes.int.test.ts', // PostgreSQL + Redis already: several nodes
  'src/cli/loadtest.int.test.ts', // one SQLite node and two PostgreSQL + Redis nodes already
];
const POSTGRES_SUITE = ['src/server/store/store.test.ts', 'src/server/store/store-events.test.ts', 'src/server/store/procedure-store.test.ts', 'src/**/*.int.test.ts'];

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
    // Three levels, all offline (README, Tests): pure units, the real server, real Chromium.
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.int.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'integration', include: ['src/**/*.int.test.ts'], environment: 'node', testTimeout: 30_000 } },
      // Issue 16: the store's tests and the centre's store-heavy integration tests again, on PostgreSQL (src/testing/test-database.ts).
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITE,
          exclude: ENGINE_SPECIFIC,
          environment: 'node',
          testTimeout: 30_000,
          env: { TANU_TEST_STORE: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['e2e/**/*.e2e.ts'],
          exclude: ['e2e/bench.e2e.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // `npm run test:bench`: that `npm run bench` still measures every figure (minutes of real time; not in `npm test`).
      { extends: true, test: { name: 'bench', include: ['e2e/bench.e2e.ts'], environment: 'node', testTimeout: 300_000 } },
    ],
  },
});
