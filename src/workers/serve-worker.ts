/**
 * The one way Tanu's worker entries (vision, side, audio) talk to the page: each passes its
 * handler here and gets its messages typed by its protocol. tsconfig has the DOM lib, not
 * WebWorker, so the parts of DedicatedWorkerGlobalScope used are declared here once.
 */

export interface WorkerScope<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<In>) => void) | null;
  close(): void;
}

export interface ServeOptions<In> {
  /** Handle one message at a time, each after the last one's work has settled (default: as they come). */
  inOrder?: boolean;
  /** A handler that threw or rejected: report it (nothing else catches it). */
  onFailure(error: unknown): void;
  /** Messages to let go of unhandled (e.g. after DISPOSE); it may free what they hold. */
  ignore?(message: In): boolean;
}

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Serves the worker's messages with `handle`; whatever it throws or rejects with goes to options.onFailure. */
export function serveWorker<In, Out>(
  scope: WorkerScope<In, Out>,
  handle: (message: In) => void | Promise<void>,
  options: ServeOptions<In>,
): void {
  const run = async (message: In) => {
    try {
      await handle(message);
    } catch (e) {
      options.onFailure(e);
    }
  };
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (event) => {
    const message = event.data;
    if (options.ignore?.(message)) return;
    if (options.inOrder) queue = queue.then(() => run(message));
    else void run(message);
  };
}

/** The scope of the worker this code runs in (call only from a worker entry). */
export const workerScope = <In, Out>(): WorkerScope<In, Out> => self as unknown as WorkerScope<In, Out>;
