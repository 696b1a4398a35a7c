import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Files that start centre processes or a browser of their own and load both cores: they run one at a time, after the
 * rest. They are also about one engine each, so they are not run again on PostgreSQL: start-up is `npm start`'s
 * embedded default (the SQLite file on disk), two-nodes and the loadtest's cluster run on PostgreSQL + Redis already.
 */
const ALONE = ['src/server/startup.int.test.ts', 'src/server/cluster/two-nodes.int.test.ts', 'src/cli/loadtest.int.test.ts'];
/**
 * The store's own tests and every other integration file run a second time on PostgreSQL, the same files
 * with TANU_TEST_STORE=postgres (src/testing/test-database.ts).
 */
const POSTGRES_SUITE = [
  'src/server/store/store.test.ts',
  'src/server/store/store-events.test.ts',
  'src/server/store/procedure-store.test.ts',
  'src/**/*.int.test.ts',
];
/** The node-side projects' shared pool: two files at a time. */
const TOGETHER = { environment: 'node', maxWorkers: 2, sequence: { groupOrder: 0 } } as const;

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
    // Node-side files run two at a time (they wait on sockets, timers and the database between bursts of work; two at a
    // time took 20 min where one at a time took about 22 on 2 cores), then the files that start processes of their own
    // and load the machine run alone, then the browser tests one by one.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.int.test.ts', 'src/**/*.dom.test.ts'], ...TOGETHER },
      },
      { extends: true, test: { name: 'integration', include: ['src/**/*.int.test.ts'], exclude: ALONE, testTimeout: 30_000, ...TOGETHER } },
      // The store's tests and the integration tests again, on PostgreSQL (src/testing/test-database.ts).
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITE,
          exclude: ALONE,
          testTimeout: 30_000,
          env: { TANU_TEST_STORE: 'postgres' },
          ...TOGETHER,
        },
      },
      // The candidate's screens rendered with a fake runtime (src/exam/fake-candidate-runtime.ts) in happy-dom.
      {
        extends: true,
        test: {
          name: 'dom',
          include: ['src/**/*.dom.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['src/exam/dom-test-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, environment: 'node', testTimeout: 30_000, maxWorkers: 1, sequence: { groupOrder: 1 } },
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
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      // `npm run test:bench`: that `npm run bench` still measures every figure (minutes of real time; not in `npm test`).
      {
        extends: true,
        test: {
          name: 'bench',
          include: ['e2e/bench.e2e.ts'],
          environment: 'node',
          testTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
