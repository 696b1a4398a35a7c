/**
 * Forbidden objects (rule 12) from two models whose findings are fused (object-fusion.ts):
 * - CenterNet (MobileNetV3) from human-models, centernet.json. Input [1, 512, 512, 3] float 0..255 (the
 *   frame stretched to a square); output 'tower_0/detections' [1, 100, 6] = x1, y1, x2, y2, score, class
 *   with boxes in input pixels (0..512) and COCO 0-based classes.
 * - SSDLite MobileNetV2 (ssd-detector.ts), which sees a phone held in a hand that CenterNet alone scores
 *   too low; the two agreeing is what finds it.
 * Classes are mapped to incidents via OBJECT_CLASSES and filtered by score and the programme's allow-list.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { OBJECT_CLASSES } from '../shared/incidents';
import { clamp01 } from '../proctoring/box';
import type { ObjectSignal } from '../proctoring/signals';
import { loadGraph, MODEL_FILES, type ModelSource, type ProgressFn } from './tf-backend';
import { AGREEMENT, fuseObjects, type ObjectOptions, type RawObject } from './object-fusion';
import { SsdDetector } from './ssd-detector';

export type { ObjectOptions, RawObject } from './object-fusion';

const INPUT = 512;
const OUTPUT = 'tower_0/detections';
/** The classes either model is asked about when fusing: the rule-12 ones. */
const RULE_12_CLASSES: ReadonlySet<number> = new Set(Object.values(OBJECT_CLASSES));
/** CenterNet's topology and weights are ~0.2 of the bytes of the pair (SSDLite's are 18 MB). */
const FIRST_SHARE = 0.2;

export interface ObjectLoadOptions {
  /**
   * 'wait' (default): load() returns with both models. 'later': load() returns with CenterNet alone, and the caller
   * loads SSDLite (~80% of the bytes) with loadSecond() when it suits; until then objects come from CenterNet alone.
   * Proctoring is ready seconds sooner that way (measured in the eval: ready 7.6 s with CenterNet alone, 13.6 s
   * waiting for both).
   */
  second?: 'wait' | 'later';
}

export class ObjectDetector {
  private second: SsdDetector | null = null;
  /** Why the second model could not load (loadSecond), until detect() has reported it once. */
  private secondFailure: string | null = null;
  private disposed = false;

  private constructor(
    private readonly model: GraphModel,
    private options: ObjectOptions,
  ) {}

  static async load(
    models: ModelSource,
    options: ObjectOptions,
    onProgress?: ProgressFn,
    load: ObjectLoadOptions = {},
  ): Promise<ObjectDetector> {
    if (load.second === 'later') return new ObjectDetector(await loadGraph(models, MODEL_FILES.objects, onProgress), options);
    const model = await loadGraph(models, MODEL_FILES.objects, onProgress && ((f) => onProgress(FIRST_SHARE * f)));
    const detector = new ObjectDetector(model, options);
    try {
      detector.second = await SsdDetector.load(models, onProgress && ((f) => onProgress(FIRST_SHARE + (1 - FIRST_SHARE) * f)));
      return detector;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /**
   * Loads and warms up the second model (after load(..., { second: 'later' })). Never rejects: a failure is thrown
   * once by the next detect(), so the proctor sees it, and objects go on with CenterNet alone.
   */
  async loadSecond(models: ModelSource): Promise<void> {
    if (this.second) return;
    try {
      const second = await SsdDetector.load(models);
      const blank = tf.zeros([240, 320, 3], 'float32') as tf.Tensor3D;
      try {
        await second.detectRaw(blank, 1); // warm-up: the first run allocates and compiles
      } finally {
        blank.dispose();
      }
      if (this.disposed) second.dispose();
      else this.second = second;
    } catch (e) {
      this.secondFailure = e instanceof Error ? e.message : String(e);
    }
  }

  setOptions(options: Partial<ObjectOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** CenterNet alone: every detection of any class at or above `minScore`, best first, boxes in frame fractions. */
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
        found.push({
          cocoClass: Math.round(values[i + 5]!),
          score,
          box: { x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1) },
        });
      }
      return found.sort((a, b) => b.score - a.score);
    } finally {
      output.dispose();
    }
  }

  /** SSDLite alone, rule-12 classes only (for tests and tuning; [] while it is not loaded). */
  async detectRawSecond(frame: tf.Tensor3D, minScore = 0.05): Promise<RawObject[]> {
    return this.second ? this.second.detectRaw(frame, minScore, RULE_12_CLASSES) : [];
  }

  /** Forbidden objects in the frame (not disposed here): both models, fused, above the programme's score, minus its allow-list. */
  async detect(frame: tf.Tensor3D): Promise<ObjectSignal[]> {
    const failure = this.secondFailure;
    if (failure !== null) {
      this.secondFailure = null; // reported once (a failed objects run the proctor sees); CenterNet goes on alone
      throw new Error(`the second object model (SSDLite) could not load, objects go on with CenterNet alone: ${failure}`);
    }
    // Low enough for an agreement to form, whatever the programme's minimum (fuseObjects applies that).
    const floor = Math.min(this.options.minScore, AGREEMENT.minEach);
    const first = (await this.detectRaw(frame, floor)).filter((o) => RULE_12_CLASSES.has(o.cocoClass));
    const second = await this.detectRawSecond(frame, floor);
    return fuseObjects(first, second, this.options);
  }

  dispose(): void {
    this.disposed = true;
    this.model.dispose();
    this.second?.dispose();
    this.second = null;
  }
}
