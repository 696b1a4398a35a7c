/**
 * The objects worker: CenterNet (rule-12 objects) in a realm of its own, started by the vision
 * worker (vision-objects.ts explains why). It has its own tfjs wasm backend, loads only the
 * objects model, and answers every DETECT with one RESULT or FAILED, one at a time, in order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ObjectDetector } from '../detectors/object-detector';
import { httpModels, initTf, now } from '../detectors/tf-backend';
import type { FromObjectsWorker, ToObjectsWorker } from './vision-protocol';

interface WorkerScope {
  postMessage(message: FromObjectsWorker): void;
  onmessage: ((event: MessageEvent<ToObjectsWorker>) => void) | null;
  close(): void;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromObjectsWorker) => scope.postMessage(message);
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let detector: ObjectDetector | null = null;
let disposed = false;

async function init(msg: Extract<ToObjectsWorker, { type: 'INIT' }>): Promise<void> {
  try {
    await initTf({ wasmBase: msg.wasmBase });
    const loaded = await ObjectDetector.load(httpModels(msg.modelBase), { minScore: msg.minScore, allow: msg.allow }, (fraction) => post({ type: 'PROGRESS', fraction }));
    const blank = tf.zeros([240, 320, 3], 'int32') as tf.Tensor3D;
    try {
      await loaded.detect(blank); // warm-up: the first call allocates and compiles
    } finally {
      blank.dispose();
    }
    if (disposed) {
      loaded.dispose();
      return;
    }
    detector = loaded;
    post({ type: 'READY' });
  } catch (e) {
    post({ type: 'LOAD_FAILED', message: `could not load: ${messageOf(e)}` });
  }
}

async function detect(msg: Extract<ToObjectsWorker, { type: 'DETECT' }>): Promise<void> {
  if (!detector) {
    post({ type: 'FAILED', id: msg.id, message: 'the objects model is not loaded' });
    return;
  }
  const frame = tf.tensor3d(msg.pixels, msg.shape, msg.pixels instanceof Int32Array ? 'int32' : 'float32');
  try {
    const start = now();
    const objects = await detector.detect(frame);
    post({ type: 'RESULT', id: msg.id, objects, ms: now() - start });
  } catch (e) {
    post({ type: 'FAILED', id: msg.id, message: messageOf(e) });
  } finally {
    frame.dispose();
  }
}

async function handle(msg: ToObjectsWorker): Promise<void> {
  switch (msg.type) {
    case 'INIT':
      return init(msg);
    case 'DETECT':
      return detect(msg);
    case 'SET_OPTIONS':
      detector?.setOptions({ minScore: msg.minScore, allow: msg.allow });
      return;
    case 'DISPOSE':
      disposed = true;
      detector?.dispose();
      detector = null;
      scope.close();
      return;
  }
}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  if (disposed) return;
  const msg = event.data;
  queue = queue.then(() => handle(msg)).catch((e: unknown) => post({ type: 'LOAD_FAILED', message: messageOf(e) }));
};
