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
let rgbBuffer: Int32Array | undefined;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** RGBA bytes → RGB int32 values, one 32-bit read per pixel (<1 ms for 640x480), into `reuse` when it fits. */
export function rgbaToRgb(rgba: Uint8Array | Uint8ClampedArray, pixels: number, reuse?: Int32Array): Int32Array {
  const out = reuse && reuse.length === pixels * 3 ? reuse : new Int32Array(pixels * 3);
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, pixels);
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      const v = px[i]!;
      out[j] = v & 255;
      out[j + 1] = (v >>> 8) & 255;
      out[j + 2] = (v >>> 16) & 255;
    }
  } else {
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      out[j] = rgba[4 * i]!;
      out[j + 1] = rgba[4 * i + 1]!;
      out[j + 2] = rgba[4 * i + 2]!;
    }
  }
  return out;
}

/**
 * An int32 [h, w, 3] tensor of the frame; the caller disposes it. An ImageBitmap is read through
 * a CPU-backed OffscreenCanvas (willReadFrequently) and its alpha dropped in rgbaToRgb: in a
 * worker, tf.browser.fromPixels took ~23 ms for 640x480 here (GPU canvas readback, per-channel
 * loop) and a wasm slice of the RGBA tensor ~34 ms; this takes ~5 ms (mostly getImageData).
 */
export function frameTensor(frame: PixelFrame): tf.Tensor3D {
  if (typeof ImageBitmap !== 'undefined' && frame instanceof ImageBitmap && typeof OffscreenCanvas !== 'undefined') {
    const { width, height } = frame;
    if (!readback || readback.canvas.width !== width || readback.canvas.height !== height) {
      readback = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    }
    if (readback) {
      readback.drawImage(frame, 0, 0);
      const rgba = readback.getImageData(0, 0, width, height).data;
      // wasm copies tensor data into its heap at creation, so the buffer is free again at once.
      const rgb = rgbaToRgb(rgba, width * height, tf.getBackend() === 'wasm' ? rgbBuffer : undefined);
      if (tf.getBackend() === 'wasm') rgbBuffer = rgb;
      return tf.tensor3d(rgb, [height, width, 3], 'int32');
    }
  }
  if ('data' in frame && frame.data instanceof Uint8Array && frame.data.length === frame.width * frame.height * 4) {
    return tf.tensor3d(rgbaToRgb(frame.data, frame.width * frame.height), [frame.height, frame.width, 3], 'int32');
  }
  return tf.browser.fromPixels(frame as tf.PixelData, 3);
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
