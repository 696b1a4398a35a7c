/**
 * The side worker: pose and objects in a realm of their own, with their own tfjs wasm backend,
 * started by the vision worker (vision-side.ts explains why and holds the handler).
 */
import { httpModels, initTf } from '../detectors/tf-backend';
import { sideWorkerHandler } from './vision-side';
import type { FromSideWorker, ToSideWorker } from './vision-protocol';
import { serveWorker, workerScope } from './serve-worker';

const scope = workerScope<ToSideWorker, FromSideWorker>();

const handle = sideWorkerHandler({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  initBackend: (wasmBase) => initTf({ wasmBase }),
  models: httpModels,
  close: () => scope.close(),
});
serveWorker(scope, handle, {
  // The handler answers every request itself; anything else it throws is rethrown as the worker's
  // error event, which the vision worker's SideWorker takes as the side worker failing.
  onFailure: (e) =>
    setTimeout(() => {
      throw e;
    }),
});
