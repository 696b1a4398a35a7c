/**
 * The objects model (CenterNet, ~130 ms a run here) beside the frame pipeline instead of inside
 * it: VisionEngine hands a copy of a frame's pixels to a RemoteObjects and goes on with the next
 * frames; the findings join the frame that is being analysed when they arrive. In the browser
 * the remote is a worker of its own (vision-objects.worker.ts, started by the vision worker), so
 * on a machine with two cores the slow model runs in parallel and never makes a frame late.
 */
import type { ObjectOptions } from '../detectors/object-detector';
import type { ProgressFn } from '../detectors/tf-backend';
import type { ObjectSignal } from '../proctoring/signals';
import type { FromObjectsWorker, ToObjectsWorker } from './vision-protocol';

export interface RemoteObjectsResult {
  objects: ObjectSignal[];
  /** The model's run time where it ran. */
  ms: number;
}

export interface RemoteObjects {
  /** Resolves when the model is loaded and warmed up; rejects when it cannot be. */
  load(onProgress?: ProgressFn): Promise<void>;
  /** Forbidden objects in one frame's [h, w, 3] RGB pixels (the array may be transferred: do not reuse it). */
  detect(pixels: Int32Array | Float32Array, shape: [number, number, number]): Promise<RemoteObjectsResult>;
  setOptions(options: ObjectOptions): void;
  dispose(): void;
}

interface WorkerLike {
  postMessage(message: ToObjectsWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromObjectsWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** A RemoteObjects over the objects worker (or anything speaking its protocol, for tests). */
export class WorkerObjects implements RemoteObjects {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: RemoteObjectsResult) => void; reject: (e: Error) => void }>();
  private loaded: Promise<void> | null = null;
  private onProgress: ProgressFn | undefined;
  private readySettle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private dead: Error | null = null;

  constructor(
    private readonly worker: WorkerLike,
    private readonly init: { modelBase: string; wasmBase: string; options: ObjectOptions },
  ) {
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(`objects worker: ${event.message || 'failed'}`));
    };
  }

  load(onProgress?: ProgressFn): Promise<void> {
    this.onProgress = onProgress;
    this.loaded ??= new Promise<void>((resolve, reject) => {
      this.readySettle = { resolve, reject };
      const { modelBase, wasmBase, options } = this.init;
      this.worker.postMessage({ type: 'INIT', modelBase, wasmBase, minScore: options.minScore, allow: options.allow });
    });
    return this.loaded;
  }

  detect(pixels: Int32Array | Float32Array, shape: [number, number, number]): Promise<RemoteObjectsResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<RemoteObjectsResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'DETECT', id, pixels, shape }, [pixels.buffer as ArrayBuffer]);
    });
  }

  setOptions(options: ObjectOptions): void {
    this.worker.postMessage({ type: 'SET_OPTIONS', minScore: options.minScore, allow: options.allow });
  }

  dispose(): void {
    this.fail(new Error('objects worker disposed'));
    this.worker.postMessage({ type: 'DISPOSE' });
    setTimeout(() => this.worker.terminate(), 1000); // let it free its wasm memory first
  }

  private receive(msg: FromObjectsWorker): void {
    switch (msg.type) {
      case 'PROGRESS':
        this.onProgress?.(msg.fraction);
        return;
      case 'READY':
        this.readySettle?.resolve();
        this.readySettle = null;
        return;
      case 'LOAD_FAILED':
        this.fail(new Error(msg.message));
        return;
      case 'RESULT':
      case 'FAILED': {
        const waiting = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'RESULT') waiting?.resolve({ objects: msg.objects, ms: msg.ms });
        else waiting?.reject(new Error(msg.message));
        return;
      }
    }
  }

  /** The worker is gone or unusable: every waiting call fails, later ones too. */
  private fail(error: Error): void {
    this.dead ??= error;
    this.readySettle?.reject(error);
    this.readySettle = null;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
