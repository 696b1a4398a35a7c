/**
 * The detectors in Node (tests, eval and bench CLIs): the same model files the app serves at
 * /models/<name>, read straight from node_modules through models/manifest.json, and the tfjs
 * wasm backend pointed at node_modules/@tensorflow/tfjs-backend-wasm/dist/.
 * Node only: never imported by the browser bundle.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { frameTensor, initTf, type ModelSource } from '../detectors/tf-backend';
import { fileModelHandler } from '../server/face-analysis';
import { PACKED_MODEL_PACKAGES } from '../server/models/packed-models';
import { MjpegClip, type RgbaImage } from './mjpeg';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE_WASM_DIR = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep;

interface ManifestFile {
  name: string;
  package: string;
  from: string;
}

let manifest: Map<string, string> | null = null;

/**
 * Absolute path of a manifest model name (e.g. 'human/facemesh.json') inside node_modules, or, for a
 * package that is packed rather than installed (SSDLite's: packed-models.ts), its verified copy in
 * models/files (`npm run models` puts it there; `npm test` runs it first).
 */
export function modelPath(name: string): string {
  if (!manifest) {
    const json = JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as { files: ManifestFile[] };
    const inPackage = (f: ManifestFile) => path.join(ROOT, 'node_modules', f.package, f.from);
    const served = (f: ManifestFile) => path.join(ROOT, 'models', 'files', f.name);
    manifest = new Map(json.files.map((f) => [f.name, PACKED_MODEL_PACKAGES[f.package] ? served(f) : inPackage(f)]));
  }
  const file = manifest.get(name);
  if (!file) throw new Error(`model ${name} is not in models/manifest.json`);
  return file;
}

/** A tf.io handler reading a graph model from disk (shared with the centre's reference-photo path). */
export { fileModelHandler };

/** Models by manifest name from node_modules; progress is reported once, when the files are read. */
export const nodeModels: ModelSource = (name, onProgress) => {
  const handler = fileModelHandler(modelPath(name));
  return {
    load: async () => {
      const artifacts = await handler.load!();
      onProgress?.(1);
      return artifacts;
    },
  };
};

/**
 * The tfjs backend for Node: wasm from node_modules. The TANU_TF_BACKEND=cpu escape hatch
 * registers the pure-JS cpu backend instead (slow; for machines where wasm cannot start).
 */
export async function initNodeTf(): Promise<string> {
  const backend = process.env.TANU_TF_BACKEND ?? 'wasm';
  if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  return initTf({ wasmBase: NODE_WASM_DIR, backend });
}

const clips = new Map<string, MjpegClip>();

/** The frame of an e2e/fixtures clip shown at `sec`, decoded (clips are indexed once per file). */
export function fixtureFrame(file: string, sec: number): RgbaImage {
  let clip = clips.get(file);
  if (!clip) clips.set(file, (clip = new MjpegClip(file)));
  return clip.frameAt(sec);
}

/** A [h, w, 3] tensor of a fixture frame as the worker makes it (frameTensor: float32, 0..255); the caller disposes it. */
export function fixtureTensor(file: string, sec: number): tf.Tensor3D {
  return frameTensor(fixtureFrame(file, sec));
}

export interface Inset {
  /** The clip and time of the picture pasted in. */
  file: string;
  sec: number;
  /** Its size as a fraction of the frame (area-averaged down, as a camera sees a smaller, further scene). */
  scale: number;
  /** Where it goes: 0 = left/top edge, 1 = right/bottom edge. */
  x: number;
  y: number;
}

/**
 * A fixture frame with another fixture frame shrunk and pasted in: e.g. a second person further
 * back, whose face is a quarter the size of the candidate's. The caller disposes the tensor.
 */
export function fixtureWithInset(file: string, sec: number, inset: Inset): tf.Tensor3D {
  const base = fixtureTensor(file, sec);
  const picture = fixtureTensor(inset.file, inset.sec);
  try {
    return tf.tidy(() => {
      const [height, width] = base.shape;
      const h = Math.round(height * inset.scale);
      const w = Math.round(width * inset.scale);
      const top = Math.round(inset.y * (height - h));
      const left = Math.round(inset.x * (width - w));
      const factor = Math.max(1, Math.floor(1 / inset.scale));
      const pooled = tf.avgPool(tf.cast(picture, 'float32') as tf.Tensor3D, factor, factor, 'valid');
      const small = tf.cast(tf.round(tf.image.resizeBilinear(pooled, [h, w])), base.dtype);
      const padding: Array<[number, number]> = [
        [top, height - h - top],
        [left, width - w - left],
        [0, 0],
      ];
      const inside = tf.pad(tf.ones([h, w, 3], 'bool'), padding);
      return tf.where(inside, tf.pad(small, padding), base) as tf.Tensor3D;
    });
  } finally {
    base.dispose();
    picture.dispose();
  }
}

/** Median of timings (ms), for the per-model figures the tests print. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `fn` `times` times on a warmed-up model and returns the live tensor count before and after (must be equal). */
export async function tensorsAround(times: number, fn: () => Promise<unknown>): Promise<{ before: number; after: number }> {
  await fn(); // warm-up: lazily created state is not a leak
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) await fn();
  return { before, after: tf.memory().numTensors };
}
