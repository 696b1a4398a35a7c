/**
 * What the centre reads from a photo (rule 2.8.6), run inside the face worker
 * (face-worker.ts), never on the server's event loop: the JPEG's header is checked against the
 * pixel cap BEFORE decoding (jpeg-header.ts), the photo decoded with jpeg-js under the same cap,
 * then the face detector, the face descriptor and the face mesh's yaw, with the same detector code
 * and model files as the candidate's vision worker (models/files, see models/manifest.json) on the
 * same tfjs wasm backend, so a photo on file and a live face are described by one computation.
 * The models are loaded on the first photo (~9 MB; ~1 s), never at start-up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import { FaceDetector } from '../detectors/face-detector';
import { FaceEmbedding } from '../detectors/face-embedding';
import { FaceLandmarks } from '../detectors/face-landmarks';
import { frameTensor, initTf, type ModelSource } from '../detectors/tf-backend';
import { MAX_IMAGE_PIXELS, readJpegHeader } from './jpeg-header';

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
export const folderModels =
  (dir: string): ModelSource =>
  (name) =>
    fileModelHandler(path.join(dir, name));

/** What a photo shows: how many faces, the descriptor of the face when there is exactly one, and its yaw. */
export interface PhotoFaces {
  faces: number;
  descriptor: Float32Array | null;
  /** Head yaw of the one face from the face mesh (degrees, head-pose.ts), null when none or not asked. */
  yawDeg: number | null;
  width: number;
  height: number;
}

/** The most bytes of one image the centre decodes (a reference upload is at most 2 MB; socket photos 96 KB). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** Why an image was refused: 'invalid' (not a decodable JPEG, too small) or 'too_large' (pixels or bytes). */
export class PhotoDecodeError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid' | 'too_large' = 'invalid',
  ) {
    super(message);
  }
}

/** RGBA pixels of a baseline or progressive JPEG: header and byte size checked first, then jpeg-js under the same cap. */
export function decodeJpeg(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  if (bytes.byteLength > MAX_IMAGE_BYTES)
    throw new PhotoDecodeError(`the image is ${bytes.byteLength} bytes; at most ${MAX_IMAGE_BYTES}`, 'too_large');
  const header = readJpegHeader(bytes);
  if (!header.ok)
    throw new PhotoDecodeError(header.code === 'invalid' ? `not a readable JPEG photo: ${header.reason}` : header.reason, header.code);
  if (header.width < 32 || header.height < 32)
    throw new PhotoDecodeError(`the photo is too small (${header.width}x${header.height}); at least 32x32 pixels`);
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 64,
    });
    if (img.width !== header.width || img.height !== header.height) throw new Error('the decoded size differs from the header');
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    throw new PhotoDecodeError(`not a readable JPEG photo: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export class FaceAnalyser {
  private loaded: Promise<{ detector: FaceDetector; embedding: FaceEmbedding }> | null = null;
  private mesh: Promise<FaceLandmarks> | null = null;

  /** `dir`: the verified model files (models/files), including tfjs-wasm/. */
  constructor(private readonly dir: string) {}

  private async init(): Promise<void> {
    await initTf({ wasmBase: path.join(this.dir, 'tfjs-wasm') + path.sep });
  }

  private load() {
    this.loaded ??= (async () => {
      await this.init();
      const source = folderModels(this.dir);
      // The full-range detector also finds a smaller face, so a photo with a second person further back is refused.
      const detector = await FaceDetector.load(source, { modelType: 'full', maxFaces: 5, minScore: 0.6 });
      const embedding = await FaceEmbedding.load(source);
      return { detector, embedding };
    })();
    this.loaded.catch(() => (this.loaded = null)); // try again on the next photo
    return this.loaded;
  }

  private loadMesh() {
    this.mesh ??= this.init().then(() => FaceLandmarks.load(folderModels(this.dir)));
    this.mesh.catch(() => (this.mesh = null));
    return this.mesh;
  }

  /** Faces in a JPEG, the descriptor of the one face (null when none or several), and its yaw when `yaw` is asked. */
  async describePhoto(bytes: Uint8Array, options: { yaw?: boolean } = {}): Promise<PhotoFaces> {
    const image = decodeJpeg(bytes);
    const { detector, embedding } = await this.load();
    const frame = frameTensor(image);
    try {
      const faces = await detector.detect(frame);
      const descriptor = faces.length === 1 ? await embedding.describe(frame, faces[0]!.box) : null;
      let yawDeg: number | null = null;
      if (descriptor && options.yaw) {
        const mesh = await (await this.loadMesh()).detect(frame, { tracking: false });
        yawDeg = mesh?.head.yawDeg ?? null;
      }
      return { faces: faces.length, descriptor, yawDeg, width: image.width, height: image.height };
    } finally {
      frame.dispose();
    }
  }

  /** That the bytes are a JPEG image within the caps that decodes in full (evidence); its size. */
  checkImage(bytes: Uint8Array): { width: number; height: number } {
    const { width, height } = decodeJpeg(bytes);
    return { width, height };
  }
}
