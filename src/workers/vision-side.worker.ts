/**
 * The side worker: pose and objects in a realm of their own, with their own tfjs wasm backend,
 * started by the vision worker (vision-side.ts explains why and holds the handler).
 */
import { httpModels, initTf } from '../detectors/tf-backend';
import { sideWorkerHandler } from './vision-side';
import type { FromSideWorker, ToSideWorker } from './vision-protocol';

interface WorkerScope {
  postMessage(message: FromSideWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToSideWorker>) => void) | null;
  close(): void;
}
const scope = self as unknown as WorkerScope;

const handle = sideWorkerHandler({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  initBackend: (wasmBase) => initTf({ wasmBase }),
  models: httpModels,
  close: () => scope.close(),
});
scope.onmessage = (event) => handle(event.data);
