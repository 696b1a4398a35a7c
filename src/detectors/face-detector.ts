/**
 * Face count (face.absent / face.multiple): MediaPipe BlazeFace on tfjs with human-models'
 * facemesh-detection-full.json (full range: 192x192 input, one 48x48 anchor grid, also finds a
 * smaller face further back) or facemesh-detection-short.json (128x128, 896 anchors, faces
 * within ~2 m).
 *
 * The pipeline is MediaPipe's face_detection_{full,short}_range graph, as
 * @tensorflow-models/face-detection 1.0.3 runs it: letterbox to the model's square input in
 * [-1, 1] (resized before it is padded: the same pixels, without a full-size copy), decode the [1, N, 17] output (score logit, box
 * centre/size, 6 keypoints) against SSD
 * anchors, sigmoid, non-max suppression at IoU 0.3. It is written here instead of imported:
 * that package's ESM build has a static `import { FaceDetection } from '@mediapipe/face_detection'`
 * (a non-module script) which Vite's bundler rejects, and its estimateFaces() drops the scores.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { FACE_KEYPOINTS, type FaceSignal } from '../proctoring/signals';
import { clamp01, iou } from '../proctoring/box';
import { fromLetterbox, letterbox, letterboxOf, loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';

export interface FaceDetectorOptions {
  /** 'full' (default) or 'short' range model. */
  modelType?: 'full' | 'short';
  /** Most faces reported (non-max suppression keeps the best). */
  maxFaces?: number;
  /** Faces below this score are dropped. */
  minScore?: number;
}

interface Variant {
  file: string;
  input: number;
  /** Anchor grids: stride and anchors per cell (MediaPipe's SsdAnchorsCalculator with fixed anchor size). */
  grids: Array<{ stride: number; perCell: number }>;
}

const VARIANTS: Record<'full' | 'short', Variant> = {
  full: { file: MODEL_FILES.faceDetectorFull, input: 192, grids: [{ stride: 4, perCell: 1 }] },
  // strides [8, 16, 16, 16], each layer with its interpolated-scale anchor: 2 per cell, then 3 x 2.
  short: {
    file: MODEL_FILES.faceDetectorShort,
    input: 128,
    grids: [
      { stride: 8, perCell: 2 },
      { stride: 16, perCell: 6 },
    ],
  },
};

const OUTPUT = 'Identity:0';
const VALUES_PER_ANCHOR = 17; // logit, x, y, w, h, 6 x (x, y)
const IOU_THRESHOLD = 0.3;
const SCORE_CLIP = 100;

/** Anchor centres in input fractions (all anchors have size 1: the box values are in input pixels). */
export function createAnchors(variant: Variant): Float32Array {
  const centres: number[] = [];
  for (const { stride, perCell } of variant.grids) {
    const cells = Math.ceil(variant.input / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++) for (let a = 0; a < perCell; a++) centres.push((x + 0.5) / cells, (y + 0.5) / cells);
  }
  return Float32Array.from(centres);
}

export class FaceDetector {
  private readonly anchors: Float32Array;

  private constructor(
    private readonly model: GraphModel,
    private readonly variant: Variant,
    private readonly maxFaces: number,
    private minScore: number,
  ) {
    this.anchors = createAnchors(variant);
    const rows = model.outputs[0]?.shape?.[1];
    if (typeof rows === 'number' && rows > 0 && rows * 2 !== this.anchors.length) {
      throw new Error(`face detector: model has ${rows} anchors, expected ${this.anchors.length / 2} (wrong model file?)`);
    }
  }

  static async load(models: ModelSource, options: FaceDetectorOptions = {}, onProgress?: ProgressFn): Promise<FaceDetector> {
    const variant = VARIANTS[options.modelType ?? 'full'];
    const model = await loadGraph(models, variant.file, onProgress);
    try {
      return new FaceDetector(model, variant, options.maxFaces ?? 5, options.minScore ?? 0.6);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  setMinScore(minScore: number): void {
    this.minScore = minScore;
  }

  /** Faces in an [h, w, 3] frame tensor (not disposed here), best first, boxes and keypoints in frame fractions. */
  async detect(frame: tf.Tensor3D): Promise<FaceSignal[]> {
    const [height, width] = frame.shape;
    const size = this.variant.input;
    const box = letterboxOf(width, height, size);
    const output = tf.tidy(() => this.model.execute(tf.sub(tf.div(letterbox(frame, box), 127.5), 1), OUTPUT) as tf.Tensor);
    let raw: Float32Array;
    try {
      raw = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }

    // Decode the anchors that pass the score floor (logit test avoids a sigmoid per anchor).
    const minLogit = Math.log(this.minScore / (1 - this.minScore));
    const candidates: FaceSignal[] = [];
    const count = Math.min(this.anchors.length / 2, raw.length / VALUES_PER_ANCHOR);
    for (let i = 0; i < count; i++) {
      const o = i * VALUES_PER_ANCHOR;
      const logit = Math.min(SCORE_CLIP, Math.max(-SCORE_CLIP, raw[o]!));
      if (logit < minLogit) continue;
      const cx = raw[o + 1]! / size + this.anchors[2 * i]!;
      const cy = raw[o + 2]! / size + this.anchors[2 * i + 1]!;
      const w = raw[o + 3]! / size;
      const h = raw[o + 4]! / size;
      if (w <= 0 || h <= 0) continue;
      // Square-input fractions → frame fractions (undo the letterbox).
      const from = fromLetterbox(box, cx - w / 2, cy - h / 2);
      const to = fromLetterbox(box, cx + w / 2, cy + h / 2);
      const x0 = clamp01(from.x);
      const y0 = clamp01(from.y);
      const x1 = clamp01(to.x);
      const y1 = clamp01(to.y);
      if (x1 <= x0 || y1 <= y0) continue;
      // The 6 keypoints, offsets from the anchor in input pixels like the box centre (FACE_KEYPOINTS order).
      const keypoints = FACE_KEYPOINTS.map((_, k) => {
        const kx = raw[o + 5 + 2 * k]! / size + this.anchors[2 * i]!;
        const ky = raw[o + 6 + 2 * k]! / size + this.anchors[2 * i + 1]!;
        const p = fromLetterbox(box, kx, ky);
        return { x: p.x, y: p.y };
      });
      candidates.push({ score: 1 / (1 + Math.exp(-logit)), box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, keypoints });
    }

    candidates.sort((a, b) => b.score - a.score);
    const faces: FaceSignal[] = [];
    for (const c of candidates) {
      if (faces.length >= this.maxFaces) break;
      if (faces.every((f) => iou(f.box, c.box) <= IOU_THRESHOLD)) faces.push(c);
    }
    return faces;
  }

  dispose(): void {
    this.model.dispose();
  }
}
