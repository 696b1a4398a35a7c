/**
 * The vision worker: owns tfjs (wasm backend) and every vision model, so the page's main thread
 * never runs one. Messages are in vision-protocol.ts; the pipeline itself is VisionEngine.
 *
 * Per DETECT: the frame (a camera VideoFrame or an ImageBitmap) becomes one float32 frame tensor
 * shared by the models, a small JPEG evidence snapshot is cut at most every snapshotEveryMs (and a
 * photo of the frame when asked: the identity step), the frame is closed, and exactly one RESULT goes back. Messages are handled one at a
 * time, in
 * order. Pose and objects run in a second worker this one starts (vision-side.worker.ts, see
 * vision-side.ts), beside the face models, unless options.sideWorker is false.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bitmapTensor, httpModels, initTf, now } from '../detectors/tf-backend';
import { VisionEngine, type EngineServices } from './vision-engine';
import { SideWorker } from './vision-side';
import { messageOf, serveWorker, workerScope } from './serve-worker';
import {
  DEFAULT_VISION_OPTIONS,
  IDENTITY_PHOTO,
  VISION_MODELS,
  withOptions,
  type FromVisionWorker,
  type ToVisionWorker,
  type VisionFrameMs,
  type VisionModel,
  type VisionOptions,
} from './vision-protocol';

const scope = workerScope<ToVisionWorker, FromVisionWorker>();
const post = (message: FromVisionWorker) => scope.postMessage(message);

let engine: VisionEngine | null = null;
let disposed = false;
let settings = { ...DEFAULT_VISION_OPTIONS };
let enabledModels: VisionModel[] = [...VISION_MODELS];
let lastSnapshotT = -Infinity;
let canvas: OffscreenCanvas | null = null;

function applyOptions(options: VisionOptions | undefined): void {
  if (!options) return;
  settings = withOptions(settings, options);
  enabledModels = VISION_MODELS.filter((m) => settings.enabled[m]);
}

/** Draws the frame small and starts the JPEG encoding (the bitmap may be closed once this returns). */
function startSnapshot(frame: ImageBitmap | VideoFrame, t: number): Promise<Blob | undefined> {
  if (settings.snapshotEveryMs <= 0 || t - lastSnapshotT < settings.snapshotEveryMs || typeof OffscreenCanvas === 'undefined')
    return Promise.resolve(undefined);
  lastSnapshotT = t;
  const [frameWidth, frameHeight] = 'displayWidth' in frame ? [frame.displayWidth, frame.displayHeight] : [frame.width, frame.height];
  const width = Math.min(settings.snapshotWidth, frameWidth);
  const height = Math.max(1, Math.round((width * frameHeight) / frameWidth));
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.resolve(undefined);
  ctx.drawImage(frame, 0, 0, width, height);
  // A failed encoding only costs this frame its evidence; the signals still count.
  return canvas.convertToBlob({ type: 'image/jpeg', quality: settings.snapshotQuality }).catch(() => undefined);
}

let photoCanvas: OffscreenCanvas | null = null;
/**
 * A JPEG of this very frame for the identity step (IDENTITY_PHOTO), drawn before the frame is closed:
 * the photo the centre analyses is the picture the yaw and the descriptor here were read from.
 */
function startPhoto(frame: ImageBitmap | VideoFrame): Promise<Blob | undefined> {
  if (typeof OffscreenCanvas === 'undefined') return Promise.resolve(undefined);
  const [frameWidth, frameHeight] = 'displayWidth' in frame ? [frame.displayWidth, frame.displayHeight] : [frame.width, frame.height];
  const width = Math.min(IDENTITY_PHOTO.width, frameWidth);
  const height = Math.max(1, Math.round((width * frameHeight) / frameWidth));
  if (!photoCanvas || photoCanvas.width !== width || photoCanvas.height !== height) photoCanvas = new OffscreenCanvas(width, height);
  const ctx = photoCanvas.getContext('2d');
  if (!ctx) return Promise.resolve(undefined);
  ctx.drawImage(frame, 0, 0, width, height);
  // The photo is optional: the identity step asks again on the next frame.
  return photoCanvas.convertToBlob({ type: 'image/jpeg', quality: IDENTITY_PHOTO.quality }).catch(() => undefined);
}

/** The side worker for pose and objects, when either is wanted and this realm can start workers (else they run here, between frames). */
function sideService(msg: Extract<ToVisionWorker, { type: 'INIT' }>): EngineServices {
  if (!(settings.enabled.pose || settings.enabled.objects) || !settings.sideWorker || typeof Worker === 'undefined') return {};
  try {
    const worker = new Worker(new URL('./vision-side.worker.ts', import.meta.url), { type: 'module', name: 'tanu-vision-side' });
    return {
      side: new SideWorker(worker, {
        modelBase: msg.modelBase,
        wasmBase: msg.wasmBase,
        objects: { minScore: msg.config.objects.minScore, allow: msg.config.objects.allow },
      }),
    };
  } catch {
    return {};
  }
}

async function init(msg: Extract<ToVisionWorker, { type: 'INIT' }>): Promise<void> {
  const started = now();
  applyOptions(msg.options);
  let backend: string;
  try {
    backend = await initTf({ wasmBase: msg.wasmBase });
  } catch (e) {
    post({ type: 'ERROR', message: `tfjs wasm backend failed to start: ${messageOf(e)}`, fatal: true });
    return;
  }
  const created = await VisionEngine.create(
    httpModels(msg.modelBase),
    msg.config,
    msg.options ?? {},
    {
      onProgress: (loaded, total, model) => post({ type: 'PROGRESS', loaded, total, model }),
      onError: (model, message) => post({ type: 'ERROR', model, message }),
    },
    sideService(msg),
  );
  if (disposed) {
    created.dispose();
    return;
  }
  engine = created;
  if (!engine.models.includes('faces'))
    post({ type: 'ERROR', model: 'faces', message: 'the face detector is not available: no frame can be judged', fatal: true });
  post({ type: 'READY', backend, msToReady: Math.round(now() - started), models: engine.models });
}

async function detect(msg: Extract<ToVisionWorker, { type: 'DETECT' }>): Promise<void> {
  const { frame, t } = msg;
  let tensor: tf.Tensor3D | null = null;
  try {
    if (!engine) {
      post({ type: 'RESULT', signals: { t, faces: [], head: null, pose: null, objects: null, ms: { total: 0 } }, failed: enabledModels });
      return;
    }
    const received = now();
    const pendingSnapshot = startSnapshot(frame, t);
    const pendingPhoto = msg.photo || msg.describe ? startPhoto(frame) : Promise.resolve(undefined);
    const pixelsStart = now();
    tensor = await bitmapTensor(frame);
    frame.close(); // the pixels are in the tensor (and the snapshot canvas) now
    const pixelsMs = now() - pixelsStart;
    const { signals, failed, identity } = await engine.analyse(tensor, t, { describe: msg.describe === true });
    const ms: VisionFrameMs = signals.ms;
    ms.pixels = pixelsMs;
    ms.total = now() - received; // the whole frame in the worker: pixels, snapshot, every model run on it
    const blob = await pendingSnapshot;
    const photo = await pendingPhoto;
    const described = msg.describe
      ? {
          descriptor: identity?.descriptor ?? null,
          ...(identity && 'error' in identity
            ? { describeError: identity.error }
            : !identity
              ? { describeError: 'the face detector failed on this frame' }
              : {}),
        }
      : {};
    post({ type: 'RESULT', signals, failed, ...(blob ? { snapshot: blob } : {}), ...(photo ? { photo } : {}), ...described });
  } catch (e) {
    post({ type: 'ERROR', message: `frame analysis failed: ${messageOf(e)}` });
    post({ type: 'RESULT', signals: { t, faces: [], head: null, pose: null, objects: null, ms: { total: 0 } }, failed: enabledModels });
  } finally {
    tensor?.dispose();
    frame.close();
  }
}

async function handle(msg: ToVisionWorker): Promise<void> {
  switch (msg.type) {
    case 'INIT':
      if (engine) return; // one INIT per worker
      return init(msg);
    case 'DETECT':
      return detect(msg);
    case 'SET_OPTIONS':
      applyOptions(msg.options);
      engine?.setOptions(msg.config, msg.options);
      return;
    case 'DISPOSE':
      disposed = true;
      engine?.dispose();
      engine = null;
      post({ type: 'DISPOSED' });
      scope.close();
      return;
  }
}

serveWorker(scope, handle, {
  inOrder: true,
  onFailure: (e) => post({ type: 'ERROR', message: messageOf(e), fatal: true }),
  ignore: (msg) => {
    if (!disposed) return false;
    if (msg.type === 'DETECT') msg.frame.close();
    return true;
  },
});
