/**
 * Models beside the frame pipeline. On two cores the vision worker keeps the per-frame work
 * (face count, face mesh, the periodic full-range check) and a second worker, the side worker,
 * runs the two heavy models in parallel with it:
 * - pose (MoveNet, ~25-40 ms): the vision worker sends the letterboxed 192x192 input at the start
 *   of a frame and fits the faces meanwhile; the keypoints join the next frame (~70 ms later);
 * - objects (CenterNet and SSDLite, fused: ~200-350 ms): a copy of the frame goes over when they are due
 *   and the findings join whichever frame is being analysed when they arrive; no frame waits for them.
 * The side worker runs one request at a time; a pose that finds it busy with objects waits a
 * frame or two. Everything here is plain messages, so Node tests run the same handler in-process.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ObjectDetector, type ObjectOptions } from '../detectors/object-detector';
import { PoseDetector } from '../detectors/pose-detector';
import { now, type ModelSource, type ProgressFn } from '../detectors/tf-backend';
import { warmUp } from './warm-up';
import type { ObjectSignal } from '../proctoring/signals';
import type { FromSideWorker, SideModel, ToSideWorker } from './vision-protocol';
import { messageOf } from './serve-worker';

export interface SideModels {
  /** Loads one model there (and warms it up); rejects when it cannot. */
  load(model: SideModel, onProgress?: ProgressFn): Promise<void>;
  /** True while a request is running or waiting there. */
  readonly busy: boolean;
  /** MoveNet's raw output for its input pixels (pose-detector.ts poseInput; transferred, do not reuse). */
  pose(pixels: Int32Array): Promise<{ values: Float32Array; ms: number }>;
  /** Forbidden objects in one frame's [h, w, 3] RGB pixels (transferred, do not reuse). */
  objects(pixels: Int32Array | Float32Array, shape: [number, number, number]): Promise<{ objects: ObjectSignal[]; ms: number }>;
  setObjectOptions(options: ObjectOptions): void;
  dispose(): void;
}

/** What SideWorker needs of a Worker (a real one, or the in-process stand-in of the tests). */
export interface WorkerLike {
  postMessage(message: ToSideWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromSideWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

type Waiting = { resolve: (msg: FromSideWorker) => void; reject: (e: Error) => void };

/** A pose answer later than this is given up and reported (MoveNet takes ~25-40 ms there). */
const POSE_TIMEOUT_MS = 1000;
/** An objects run that takes longer than this is given up (both object models take ~200-350 ms there). */
const OBJECTS_TIMEOUT_MS = 10_000;

/** SideModels over the side worker's messages. */
export class SideWorker implements SideModels {
  private nextId = 1;
  private readonly pending = new Map<number, Waiting>();
  private readonly loads = new Map<SideModel, { promise: Promise<void>; settle?: Waiting; onProgress?: ProgressFn }>();
  private dead: Error | null = null;
  private objectOptions: ObjectOptions;
  /** The worker loads something after READY (the second object model): requests sent now would wait behind it. */
  private loadingBeside = false;

  constructor(
    private readonly worker: WorkerLike,
    init: { modelBase: string; wasmBase: string; objects: ObjectOptions },
  ) {
    this.objectOptions = init.objects;
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(`side worker: ${event.message || 'failed'}`));
    };
    worker.postMessage({ type: 'INIT', modelBase: init.modelBase, wasmBase: init.wasmBase });
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.loadingBeside;
  }

  load(model: SideModel, onProgress?: ProgressFn): Promise<void> {
    const existing = this.loads.get(model);
    if (existing) return existing.promise;
    if (this.dead) return Promise.reject(this.dead);
    const entry: { promise: Promise<void>; settle?: Waiting; onProgress?: ProgressFn } = {
      promise: Promise.resolve(),
      ...(onProgress ? { onProgress } : {}),
    };
    entry.promise = new Promise<void>((resolve, reject) => {
      entry.settle = { resolve: () => resolve(), reject };
    });
    this.loads.set(model, entry);
    this.worker.postMessage({ type: 'LOAD', model, objects: { minScore: this.objectOptions.minScore, allow: this.objectOptions.allow } });
    return entry.promise;
  }

  async pose(pixels: Int32Array): Promise<{ values: Float32Array; ms: number }> {
    const msg = await this.request((id) => ({ type: 'POSE', id, pixels }), [pixels.buffer as ArrayBuffer], POSE_TIMEOUT_MS);
    if (msg.type !== 'POSE_RESULT') throw new Error(`side worker answered ${msg.type} to POSE`);
    return { values: msg.values, ms: msg.ms };
  }

  async objects(pixels: Int32Array | Float32Array, shape: [number, number, number]): Promise<{ objects: ObjectSignal[]; ms: number }> {
    const msg = await this.request((id) => ({ type: 'OBJECTS', id, pixels, shape }), [pixels.buffer as ArrayBuffer], OBJECTS_TIMEOUT_MS);
    if (msg.type !== 'OBJECTS_RESULT') throw new Error(`side worker answered ${msg.type} to OBJECTS`);
    return { objects: msg.objects, ms: msg.ms };
  }

  setObjectOptions(options: ObjectOptions): void {
    this.objectOptions = options;
    this.worker.postMessage({ type: 'SET_OPTIONS', objects: { minScore: options.minScore, allow: options.allow } });
  }

  dispose(): void {
    if (this.dead?.message === 'side worker disposed') return;
    this.fail(new Error('side worker disposed'));
    this.worker.postMessage({ type: 'DISPOSE' });
    setTimeout(() => this.worker.terminate(), 1000); // let it free its wasm memory first
  }

  /** One request; a late answer (after timeoutMs) is dropped, so a stuck side worker cannot hold up the frames. */
  private request(make: (id: number) => ToSideWorker, transfer: Transferable[], timeoutMs: number): Promise<FromSideWorker> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<FromSideWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the side worker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => clearTimeout(timer);
      this.pending.set(id, {
        resolve: (msg) => (done(), resolve(msg)),
        reject: (e) => (done(), reject(e)),
      });
      this.worker.postMessage(make(id), transfer);
    });
  }

  private receive(msg: FromSideWorker): void {
    switch (msg.type) {
      case 'PROGRESS':
        this.loads.get(msg.model)?.onProgress?.(msg.fraction);
        return;
      case 'BUSY':
        this.loadingBeside = msg.busy;
        return;
      case 'READY':
      case 'LOAD_FAILED': {
        const entry = this.loads.get(msg.model);
        if (msg.type === 'READY') entry?.settle?.resolve(msg);
        else entry?.settle?.reject(new Error(msg.message));
        return;
      }
      case 'POSE_RESULT':
      case 'OBJECTS_RESULT':
      case 'FAILED': {
        const waiting = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'FAILED') waiting?.reject(new Error(msg.message));
        else waiting?.resolve(msg);
        return;
      }
    }
  }

  /** The worker is gone or unusable: every waiting call fails, later ones too. */
  private fail(error: Error): void {
    this.dead ??= error;
    for (const entry of this.loads.values()) entry.settle?.reject(error);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

export interface SideWorkerDeps {
  post(message: FromSideWorker, transfer?: Transferable[]): void;
  /** Starts tfjs in the worker's realm (wasm backend from wasmBase). */
  initBackend(wasmBase: string): Promise<unknown>;
  /** Where the model files come from (HTTP under modelBase in the browser). */
  models(modelBase: string): ModelSource;
  /** Ends the realm after DISPOSE. */
  close?(): void;
}

/**
 * The side worker's end of the protocol (the worker file only wires it to `self`; Node tests run
 * it in-process): one message at a time, in order; every POSE or OBJECTS gets one answer.
 */
export function sideWorkerHandler(deps: SideWorkerDeps): (msg: ToSideWorker) => void {
  const { post } = deps;
  let backend: Promise<unknown> | null = null;
  let source: ModelSource | null = null;
  let pose: PoseDetector | null = null;
  let objects: ObjectDetector | null = null;
  let disposed = false;

  async function load(msg: Extract<ToSideWorker, { type: 'LOAD' }>): Promise<void> {
    const progress = (fraction: number) => post({ type: 'PROGRESS', model: msg.model, fraction });
    try {
      if (!backend || !source) throw new Error('the side worker was not initialised');
      await backend;
      if (msg.model === 'pose') {
        const d = await PoseDetector.load(source, progress);
        await warmUp((blank) => d.detect(blank));
        pose = d;
      } else {
        // Ready with CenterNet; SSDLite follows right after READY (object-detector.ts), the worker busy meanwhile.
        const d = await ObjectDetector.load(source, msg.objects, progress, { second: 'later' });
        await warmUp((blank) => d.detect(blank));
        objects = d;
        // BUSY before READY: the frames must not send a pose that would wait behind the second model's load.
        post({ type: 'BUSY', busy: true });
        post({ type: 'READY', model: msg.model });
        try {
          await d.loadSecond(source);
        } finally {
          post({ type: 'BUSY', busy: false });
        }
        return;
      }
      post({ type: 'READY', model: msg.model });
    } catch (e) {
      post({ type: 'LOAD_FAILED', model: msg.model, message: messageOf(e) });
    }
  }

  async function run(id: number, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      post({ type: 'FAILED', id, message: messageOf(e) });
    }
  }

  async function handle(msg: ToSideWorker): Promise<void> {
    switch (msg.type) {
      case 'INIT':
        backend = deps.initBackend(msg.wasmBase);
        backend.catch(() => undefined); // reported by each LOAD
        source = deps.models(msg.modelBase);
        return;
      case 'LOAD':
        return load(msg);
      case 'POSE':
        return run(msg.id, async () => {
          if (!pose) throw new Error('pose is not loaded in the side worker');
          const start = now();
          const values = await pose.detectInput(msg.pixels);
          post({ type: 'POSE_RESULT', id: msg.id, values, ms: now() - start }, [values.buffer as ArrayBuffer]);
        });
      case 'OBJECTS':
        return run(msg.id, async () => {
          if (!objects) throw new Error('objects are not loaded in the side worker');
          const frame = tf.tensor3d(msg.pixels, msg.shape, msg.pixels instanceof Int32Array ? 'int32' : 'float32');
          try {
            const start = now();
            const found = await objects.detect(frame);
            post({ type: 'OBJECTS_RESULT', id: msg.id, objects: found, ms: now() - start });
          } finally {
            frame.dispose();
          }
        });
      case 'SET_OPTIONS':
        objects?.setOptions(msg.objects);
        return;
      case 'DISPOSE':
        disposed = true;
        pose?.dispose();
        objects?.dispose();
        pose = objects = null;
        deps.close?.();
        return;
    }
  }

  let queue: Promise<void> = Promise.resolve();
  return (msg) => {
    if (disposed) return;
    queue = queue.then(() => handle(msg)).catch(() => undefined); // each step reports its own failures
  };
}
