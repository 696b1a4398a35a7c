/**
 * TensorFlow.js set-up shared by every detector: the wasm backend with the app's own .wasm
 * files (nothing is fetched from a CDN), and one way to name and load a model wherever it
 * comes from. The browser reads /models/<name> over HTTP; Node tests and CLIs pass a
 * ModelSource that reads the same files from node_modules (src/testing/node-models.ts), so
 * nothing Node-only is imported here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';

/** Model names as in models/manifest.json (served at /models/<name>). */
export const MODEL_FILES = {
  faceDetectorFull: 'human/facemesh-detection-full.json',
  faceDetectorShort: 'human/facemesh-detection-short.json',
  faceMesh: 'human/facemesh.json',
  pose: 'human/movenet-lightning.json',
  objects: 'human/centernet.json',
  objectsSecond: 'ssd/model.json',
} as const;

/** Download progress of one model, 0..1 (weights are most of the bytes). */
export type ProgressFn = (fraction: number) => void;

/** Turns a model name (manifest name) into a tf.io handler that loads it. */
export type ModelSource = (name: string, onProgress?: ProgressFn) => tf.io.IOHandler;

/** Models served over HTTP under `base` (e.g. '/models/'), with download progress. */
export function httpModels(base: string): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return (name, onProgress) => tf.io.http(`${root}${name}`, onProgress ? { onProgress } : {});
}

export async function loadGraph(source: ModelSource, name: string, onProgress?: ProgressFn): Promise<GraphModel> {
  const model = await loadGraphModel(source(name, onProgress));
  onProgress?.(1);
  return model;
}

export interface TfInitOptions {
  /** Folder (URL in the browser, file path in Node) holding tfjs-backend-wasm*.wasm, with a trailing slash. */
  wasmBase: string;
  /** 'wasm' (default). Tests may ask for 'cpu' when they registered it themselves. */
  backend?: string;
}

let ready: Promise<string> | null = null;

/**
 * Selects the backend once per realm (worker or test file). setWasmPaths must come before
 * setBackend('wasm'), otherwise the backend looks for the .wasm next to the bundle.
 * Returns the active backend name.
 */
export function initTf(options: TfInitOptions): Promise<string> {
  ready ??= (async () => {
    const backend = options.backend ?? 'wasm';
    if (backend === 'wasm') setWasmPaths(options.wasmBase.endsWith('/') ? options.wasmBase : `${options.wasmBase}/`);
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`tfjs backend '${backend}' failed to initialise`);
    await tf.ready();
    tf.enableProdMode();
    return tf.getBackend();
  })();
  ready.catch(() => {
    ready = null; // a later call may try again
  });
  return ready;
}

/** What detectors take as a frame: anything tf.browser.fromPixels reads (ImageBitmap in the worker, decoded RGBA in tests). */
export type PixelFrame = tf.PixelData | ImageData | ImageBitmap | OffscreenCanvas | HTMLCanvasElement | HTMLVideoElement | HTMLImageElement;

let readback: OffscreenCanvasRenderingContext2D | null = null;
/** Reused between frames (allocating 3.7 MB per 640x480 frame cost ~12 ms); only where the backend copies on upload. */
let rgbBuffer: Float32Array | undefined;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * RGBA (or BGRA, `bgr`) bytes → RGB values 0..255 as float32, one 32-bit read per pixel (<1 ms
 * for 640x480), into `reuse` when it fits. Float, not int32: every model takes float input (pose
 * casts its small letterbox), so a float frame spares each model a full-size cast (~0.5 ms each).
 */
export function rgbaToRgb(rgba: Uint8Array | Uint8ClampedArray, pixels: number, reuse?: Float32Array, bgr = false): Float32Array {
  const out = reuse && reuse.length === pixels * 3 ? reuse : new Float32Array(pixels * 3);
  const [r, b] = bgr ? [16, 0] : [0, 16];
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, pixels);
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      const v = px[i]!;
      out[j] = (v >>> r) & 255;
      out[j + 1] = (v >>> 8) & 255;
      out[j + 2] = (v >>> b) & 255;
    }
  } else {
    const [ri, bi] = bgr ? [2, 0] : [0, 2];
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      out[j] = rgba[4 * i + ri]!;
      out[j + 1] = rgba[4 * i + 1]!;
      out[j + 2] = rgba[4 * i + bi]!;
    }
  }
  return out;
}

/** The tensor of RGB values; the buffer is reused between frames where the backend copies it on upload (wasm). */
function rgbTensor(bytes: Uint8Array | Uint8ClampedArray, width: number, height: number, bgr: boolean): tf.Tensor3D {
  const reuse = tf.getBackend() === 'wasm';
  const rgb = rgbaToRgb(bytes, width * height, reuse ? rgbBuffer : undefined, bgr);
  if (reuse) rgbBuffer = rgb;
  return tf.tensor3d(rgb, [height, width, 3], 'float32');
}

let frameBytes: Uint8Array | undefined;
const BGR_FORMATS = new Set(['BGRA', 'BGRX']);
const RGB_FORMATS = new Set(['RGBA', 'RGBX']);

/**
 * The pixels of a camera frame as frameTensor makes them, read through WebCodecs' VideoFrame.
 * - ImageBitmap: copyTo hands over its 32-bit pixels without a canvas (0.1 ms for 640x480 in
 *   headless Chromium against ~4.5 ms for drawImage + getImageData; the same pixels).
 * - VideoFrame straight from the camera (I420 and the like): copyTo converts it to RGBA here, in
 *   the worker (~5 ms for 640x480), where createImageBitmap(video) would have done the same
 *   conversion on the page's main thread (the same pixels).
 * Where VideoFrame is missing or refuses the frame, a canvas reads it.
 */
export async function bitmapTensor(source: ImageBitmap | VideoFrame): Promise<tf.Tensor3D> {
  const isBitmap = typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap;
  const width = isBitmap ? (source as ImageBitmap).width : (source as VideoFrame).displayWidth;
  const height = isBitmap ? (source as ImageBitmap).height : (source as VideoFrame).displayHeight;
  if (typeof VideoFrame !== 'undefined') {
    let wrapped: VideoFrame | null = null;
    try {
      const frame = isBitmap ? (wrapped = new VideoFrame(source as ImageBitmap, { timestamp: 0 })) : (source as VideoFrame);
      const size = width * height * 4;
      if (!frameBytes || frameBytes.length !== size) frameBytes = new Uint8Array(size);
      const native = frame.format !== null && (BGR_FORMATS.has(frame.format) || RGB_FORMATS.has(frame.format));
      const sameSize = frame.visibleRect?.width === width && frame.visibleRect.height === height;
      if (sameSize) {
        const layout = [{ offset: 0, stride: width * 4 }];
        // A YUV frame is converted to RGBA by copyTo; 32-bit formats are copied as they are.
        await frame.copyTo(frameBytes, native ? { layout } : { layout, format: 'RGBA' });
        return rgbTensor(frameBytes, width, height, native && BGR_FORMATS.has(frame.format!));
      }
    } catch {
      // fall through to the canvas
    } finally {
      wrapped?.close();
    }
  }
  return canvasTensor(source, width, height) ?? frameTensor(source as ImageBitmap);
}

/** drawImage + getImageData on a reused CPU-backed canvas; null where there is no OffscreenCanvas. */
function canvasTensor(source: CanvasImageSource, width: number, height: number): tf.Tensor3D | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  if (!readback || readback.canvas.width !== width || readback.canvas.height !== height) {
    readback = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  }
  if (!readback) return null;
  readback.drawImage(source, 0, 0, width, height);
  return rgbTensor(readback.getImageData(0, 0, width, height).data, width, height, false);
}

/**
 * A float32 [h, w, 3] tensor of the frame (values 0..255); the caller disposes it. An
 * ImageBitmap is read through a CPU-backed OffscreenCanvas (willReadFrequently) and its alpha
 * dropped in rgbaToRgb: in a worker, tf.browser.fromPixels took ~23 ms for 640x480 here (GPU
 * canvas readback, per-channel loop) and a wasm slice of the RGBA tensor ~34 ms; this takes
 * ~5 ms (mostly getImageData). bitmapTensor is faster still where WebCodecs is there.
 */
export function frameTensor(frame: PixelFrame): tf.Tensor3D {
  if (typeof ImageBitmap !== 'undefined' && frame instanceof ImageBitmap) {
    const tensor = canvasTensor(frame, frame.width, frame.height);
    if (tensor) return tensor;
  }
  if ('data' in frame && frame.data instanceof Uint8Array && frame.data.length === frame.width * frame.height * 4) {
    return tf.tensor3d(rgbaToRgb(frame.data, frame.width * frame.height), [frame.height, frame.width, 3], 'float32'); // a fresh buffer: the caller may keep several
  }
  return tf.tidy(() => tf.cast(tf.browser.fromPixels(frame as tf.PixelData, 3), 'float32'));
}

/**
 * A frame fitted into a size x size square without distortion: scaled to scaledW x scaledH
 * and centred (padded with zeros, i.e. black). Input pixel (x, y) is frame pixel
 * ((x - padLeft) * width / scaledW, (y - padTop) * height / scaledH).
 */
export interface Letterbox {
  size: number;
  scaledW: number;
  scaledH: number;
  padLeft: number;
  padTop: number;
}

export function letterboxOf(width: number, height: number, size: number): Letterbox {
  const side = Math.max(width, height);
  const scaledW = Math.max(1, Math.round((width * size) / side));
  const scaledH = Math.max(1, Math.round((height * size) / side));
  return { size, scaledW, scaledH, padLeft: Math.floor((size - scaledW) / 2), padTop: Math.floor((size - scaledH) / 2) };
}

/**
 * [1, size, size, 3] float32 (0..255) letterbox of an [h, w, 3] frame. The frame is resized
 * first and padded after, so only size x size values are touched (padding the whole frame to a
 * square first, as the reference pipelines do, costs a full-resolution cast and pad per model).
 * Call inside tf.tidy.
 */
export function letterbox(frame: tf.Tensor3D, box: Letterbox): tf.Tensor4D {
  const resized = tf.image.resizeBilinear(tf.expandDims(frame, 0) as tf.Tensor4D, [box.scaledH, box.scaledW]);
  return tf.pad(resized, [
    [0, 0],
    [box.padTop, box.size - box.scaledH - box.padTop],
    [box.padLeft, box.size - box.scaledW - box.padLeft],
    [0, 0],
  ]);
}

/** Input fractions of a letterbox → frame fractions. */
export const fromLetterbox = (box: Letterbox, fx: number, fy: number): { x: number; y: number } => ({
  x: (fx * box.size - box.padLeft) / box.scaledW,
  y: (fy * box.size - box.padTop) / box.scaledH,
});

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
