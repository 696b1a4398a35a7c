/**
 * The face detector and the face descriptor in Node, for reference photos at the centre (rule
 * 2.8.6): the same detector code and model files as the candidate's vision worker (the verified
 * copies in models/files, see models/manifest.json), on the same tfjs wasm backend, so a photo on
 * file and a live face are described by one computation. The models are loaded once per process,
 * on first use (~9 MB; ~1 s), never at start-up: most centre runs never see an upload.
 *
 * Each photo costs ~0.1-0.2 s of CPU on the server's thread (detector + descriptor); uploads are
 * rare staff actions, so they are run one at a time through a queue rather than in a thread pool.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import { FaceDetector } from '../detectors/face-detector';
import { FaceEmbedding } from '../detectors/face-embedding';
import { frameTensor, initTf, type ModelSource } from '../detectors/tf-backend';

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A tf.io handler reading a graph model (model.json + its weight shards) from disk. */
export function fileModelHandler(jsonFile: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(readFileSync(jsonFile, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (weightsManifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of weightsManifest) {
          specs.push(...group.weights);
          for (const p of group.paths) buffers.push(toArrayBuffer(readFileSync(path.join(path.dirname(jsonFile), p))));
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Models by manifest name from a folder laid out like models/files (`<dir>/<name>`). */
export const folderModels = (dir: string): ModelSource => (name) => fileModelHandler(path.join(dir, name));

/** What a photo shows: how many faces, and the descriptor of the face when there is exactly one. */
export interface PhotoFaces {
  faces: number;
  descriptor: Float32Array | null;
  width: number;
  height: number;
}

/** The largest photo decoded (pixels); a bigger one is refused before it is decoded. */
export const MAX_PHOTO_PIXELS = 4096 * 4096;

export class PhotoDecodeError extends Error {}

/** RGBA pixels of a baseline or progressive JPEG (jpeg-js), with limits so a crafted file cannot exhaust memory. */
export function decodeJpeg(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PHOTO_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
    if (img.width < 32 || img.height < 32) throw new PhotoDecodeError(`the photo is too small (${img.width}x${img.height}); at least 32x32 pixels`);
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    if (e instanceof PhotoDecodeError) throw e;
    throw new PhotoDecodeError(`not a readable JPEG photo: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export class FaceModels {
  private loaded: Promise<{ detector: FaceDetector; embedding: FaceEmbedding }> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `dir`: the verified model files (models/files), including tfjs-wasm/. */
  constructor(private readonly dir: string) {}

  private load() {
    this.loaded ??= (async () => {
      await initTf({ wasmBase: path.join(this.dir, 'tfjs-wasm') + path.sep });
      const source = folderModels(this.dir);
      // The full-range detector also finds a smaller face, so a photo with a second person further back is refused.
      const detector = await FaceDetector.load(source, { modelType: 'full', maxFaces: 5, minScore: 0.6 });
      const embedding = await FaceEmbedding.load(source);
      return { detector, embedding };
    })();
    this.loaded.catch(() => {
      this.loaded = null; // try again on the next photo
    });
    return this.loaded;
  }

  /** Faces in a JPEG, and the descriptor of the one face (null when none or several). Throws PhotoDecodeError for a bad file. */
  describePhoto(bytes: Uint8Array): Promise<PhotoFaces> {
    const run = this.queue.then(async () => {
      const image = decodeJpeg(bytes);
      const { detector, embedding } = await this.load();
      const frame = frameTensor(image);
      try {
        const faces = await detector.detect(frame);
        const descriptor = faces.length === 1 ? await embedding.describe(frame, faces[0]!.box) : null;
        return { faces: faces.length, descriptor, width: image.width, height: image.height };
      } finally {
        frame.dispose();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
