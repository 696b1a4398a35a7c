/**
 * Forbidden objects (rule 12): CenterNet (MobileNetV3) from human-models, centernet.json.
 * Input [1, 512, 512, 3] float 0..255 (the frame stretched to a square); output
 * 'tower_0/detections' [1, 100, 6] = x1, y1, x2, y2, score, class with boxes in input pixels
 * (0..512) and COCO 0-based classes. Classes are mapped to incidents via OBJECT_CLASSES and
 * filtered by score and the programme's allow-list.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { OBJECT_CLASSES, type ObjectIncident } from '../shared/incidents';
import type { ObjectSignal } from '../proctoring/signals';
import { loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';
import { iou } from '../proctoring/box';

const INPUT = 512;
const OUTPUT = 'tower_0/detections';

const INCIDENT_BY_CLASS = new Map<number, ObjectIncident>(
  (Object.entries(OBJECT_CLASSES) as Array<[ObjectIncident, number]>).map(([incident, cocoClass]) => [cocoClass, incident]),
);

export interface ObjectOptions {
  minScore: number;
  /** Rule-12 classes the programme allows: never reported. */
  allow: readonly string[];
}

/** One raw detection, any COCO class (for tests and tuning). */
export interface RawObject {
  cocoClass: number;
  score: number;
  box: { x: number; y: number; w: number; h: number };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));


/**
 * Raw COCO detections → rule-12 signals: mapped via OBJECT_CLASSES, at or above minScore, not
 * allowed, best first. CenterNet has no non-max suppression, so a box overlapping a better one
 * of the same type (IoU > 0.5) is the same object and is dropped.
 */
export function toObjectSignals(raw: readonly RawObject[], options: ObjectOptions): ObjectSignal[] {
  const objects: ObjectSignal[] = [];
  for (const r of [...raw].sort((a, b) => b.score - a.score)) {
    const type = INCIDENT_BY_CLASS.get(r.cocoClass);
    if (!type || r.score < options.minScore || options.allow.includes(type)) continue;
    if (objects.some((o) => o.type === type && iou(o.box, r.box) > 0.5)) continue;
    objects.push({ type, score: r.score, box: r.box });
  }
  return objects;
}

export class ObjectDetector {
  private constructor(
    private readonly model: GraphModel,
    private options: ObjectOptions,
  ) {}

  static async load(models: ModelSource, options: ObjectOptions, onProgress?: ProgressFn): Promise<ObjectDetector> {
    return new ObjectDetector(await loadGraph(models, MODEL_FILES.objects, onProgress), options);
  }

  setOptions(options: Partial<ObjectOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Every detection of any class at or above `minScore`, best first, boxes in frame fractions. */
  async detectRaw(frame: tf.Tensor3D, minScore = 0.05): Promise<RawObject[]> {
    // No control flow in this graph: the synchronous execute() runs it (executeAsync only warns).
    const output = tf.tidy(() => {
      const input = tf.image.resizeBilinear(tf.expandDims(tf.cast(frame, 'float32'), 0) as tf.Tensor4D, [INPUT, INPUT]);
      return this.model.execute(input, OUTPUT) as tf.Tensor;
    });
    try {
      const values = await output.data();
      const found: RawObject[] = [];
      for (let i = 0; i + 5 < values.length; i += 6) {
        const score = values[i + 4]!;
        if (score < minScore) continue;
        const x1 = clamp01(values[i]! / INPUT);
        const y1 = clamp01(values[i + 1]! / INPUT);
        const x2 = clamp01(values[i + 2]! / INPUT);
        const y2 = clamp01(values[i + 3]! / INPUT);
        found.push({ cocoClass: Math.round(values[i + 5]!), score, box: { x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1) } });
      }
      return found.sort((a, b) => b.score - a.score);
    } finally {
      output.dispose();
    }
  }

  /** Forbidden objects in the frame (not disposed here), above the programme's score, minus its allow-list. */
  async detect(frame: tf.Tensor3D): Promise<ObjectSignal[]> {
    return toObjectSignals(await this.detectRaw(frame, this.options.minScore), this.options);
  }

  dispose(): void {
    this.model.dispose();
  }
}
