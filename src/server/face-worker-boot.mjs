// Starts one of the centre's worker threads (face-worker.ts, document-worker.ts): registers tsx's loader
// here, so the TypeScript worker runs however the parent was started (tsx, vitest).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
