// Starts the centre's face worker (face-worker.ts) in its worker thread: registers tsx's loader
// here, so the TypeScript worker runs however the parent was started (tsx, vitest).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
