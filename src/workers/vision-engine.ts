/**
 * The vision pipeline without the worker plumbing (so Node tests run it on real frames):
 * loads the detectors, and per analysed frame runs
 * - the face detector and the face mesh (head pose) on every frame,
 * - pose on every config.body.everyNthFrame-th frame,
 * - objects when config.objects.intervalSec has passed since they last ran,
 * timing each model. A model that fails to load or run is reported and skipped; the rest go on.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FaceDetector } from '../detectors/face-detector';
import { FaceLandmarks } from '../detectors/face-landmarks';
import { ObjectDetector } from '../detectors/object-detector';
import { PoseDetector } from '../detectors/pose-detector';
import { now, type ModelSource, type ProgressFn } from '../detectors/tf-backend';
import type { FaceSignal, FrameSignals, HeadPose, Keypoint, ObjectSignal } from '../proctoring/signals';
import { DEFAULT_VISION_OPTIONS, ERROR_REPEAT_MS, VISION_MODELS, type VisionConfig, type VisionModel, type VisionOptions } from './vision-protocol';

export interface EngineEvents {
  onProgress?(loaded: number, total: number, model: VisionModel): void;
  /** A model failed (rate-limited: the same message for the same model at most every ERROR_REPEAT_MS). */
  onError?(model: VisionModel, message: string): void;
}

export interface FrameAnalysis {
  signals: FrameSignals;
  /** Models due on this frame that failed or are not loaded. */
  failed: VisionModel[];
}

interface Detectors {
  faces?: FaceDetector;
  landmarks?: FaceLandmarks;
  pose?: PoseDetector;
  objects?: ObjectDetector;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class VisionEngine {
  private readonly detectors: Detectors = {};
  private readonly loading = new Map<VisionModel, Promise<void>>();
  private readonly lastError = new Map<string, number>();
  private options = { ...DEFAULT_VISION_OPTIONS, enabled: { ...DEFAULT_VISION_OPTIONS.enabled } };
  private frameIndex = 0;
  private lastObjectsT: number | null = null;

  private constructor(
    private readonly source: ModelSource,
    private config: VisionConfig,
    private readonly events: EngineEvents,
  ) {}

  /** Loads every enabled model in turn (progress per model), then runs each once on a blank frame. Never throws for a model. */
  static async create(source: ModelSource, config: VisionConfig, options: VisionOptions = {}, events: EngineEvents = {}): Promise<VisionEngine> {
    const engine = new VisionEngine(source, config, events);
    engine.applyOptions(options);
    const wanted = VISION_MODELS.filter((m) => engine.options.enabled[m]);
    for (const [i, model] of wanted.entries()) {
      events.onProgress?.(i, wanted.length, model);
      await engine.load(model, (f) => events.onProgress?.(i + Math.min(1, Math.max(0, f)), wanted.length, model));
    }
    return engine;
  }

  /** Models loaded and usable. */
  get models(): VisionModel[] {
    return VISION_MODELS.filter((m) => this.detectors[m] !== undefined);
  }

  setOptions(config?: Partial<VisionConfig>, options?: VisionOptions): void {
    if (config) this.config = { ...this.config, ...config };
    if (options) this.applyOptions(options);
    this.detectors.faces?.setMinScore(this.config.face.minScore);
    this.detectors.objects?.setOptions({ minScore: this.config.objects.minScore, allow: this.config.objects.allow });
    // A model switched on later loads in the background; until then frames list it as failed.
    for (const m of VISION_MODELS) if (this.options.enabled[m] && !this.detectors[m] && !this.loading.has(m)) void this.load(m);
  }

  async analyse(frame: tf.Tensor3D, t: number): Promise<FrameAnalysis> {
    const start = now();
    const ms: FrameSignals['ms'] = { total: 0 };
    const failed: VisionModel[] = [];
    const enabled = this.options.enabled;
    this.frameIndex++;

    let faces: FaceSignal[] = [];
    if (enabled.faces) faces = (await this.run('faces', ms, failed, (d) => d.detect(frame))) ?? [];

    let head: HeadPose | null = null;
    const landmarks = this.detectors.landmarks;
    if (enabled.landmarks && landmarks && faces.length === 0 && !failed.includes('faces')) landmarks.reset();
    else if (enabled.landmarks) head = (await this.run('landmarks', ms, failed, async (d) => (await d.detect(frame))?.head ?? null)) ?? null;

    let pose: Keypoint[] | null = null;
    if (enabled.pose && (this.frameIndex - 1) % Math.max(1, this.config.body.everyNthFrame) === 0) {
      pose = (await this.run('pose', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    let objects: ObjectSignal[] | null = null;
    if (enabled.objects && (this.lastObjectsT === null || t - this.lastObjectsT >= this.config.objects.intervalSec * 1000)) {
      this.lastObjectsT = t; // also after a failure: a failing slow model must not run on every frame
      objects = (await this.run('objects', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    ms.total = now() - start;
    return { signals: { t, faces, head, pose, objects, ms }, failed };
  }

  dispose(): void {
    for (const m of VISION_MODELS) {
      try {
        this.detectors[m]?.dispose();
      } catch {
        // disposing a half-broken model must not stop the others
      }
      delete this.detectors[m];
    }
  }

  private applyOptions(options: VisionOptions): void {
    const { enabled, ...rest } = options;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this.options = { ...this.options, ...defined, enabled: { ...this.options.enabled, ...enabled } };
  }

  /** Runs one model on the frame, timing it; a failure is reported and listed, never thrown. */
  private async run<M extends VisionModel, R>(model: M, ms: FrameSignals['ms'], failed: VisionModel[], fn: (d: NonNullable<Detectors[M]>) => Promise<R>): Promise<R | undefined> {
    const detector = this.detectors[model];
    if (!detector) {
      failed.push(model);
      return undefined;
    }
    const start = now();
    try {
      const result = await fn(detector as NonNullable<Detectors[M]>);
      ms[model] = now() - start; // only on success: a timing means the model worked on this frame
      return result;
    } catch (e) {
      failed.push(model);
      this.report(model, messageOf(e));
      return undefined;
    }
  }

  private load(model: VisionModel, onProgress?: ProgressFn): Promise<void> {
    const existing = this.loading.get(model);
    if (existing) return existing;
    const promise = (async () => {
      try {
        const detector = await this.loadOne(model, onProgress);
        this.detectors[model] = detector as never;
      } catch (e) {
        this.report(model, `could not load: ${messageOf(e)}`);
      } finally {
        this.loading.delete(model);
      }
    })();
    this.loading.set(model, promise);
    return promise;
  }

  private async loadOne(model: VisionModel, onProgress?: ProgressFn) {
    const { source, config } = this;
    const blank = tf.zeros([240, 320, 3], 'int32') as tf.Tensor3D;
    try {
      switch (model) {
        case 'faces': {
          const d = await FaceDetector.load(source, { modelType: this.options.faceModel, minScore: config.face.minScore, maxFaces: 5 }, onProgress);
          await d.detect(blank); // warm-up: the first call allocates and compiles
          return d;
        }
        case 'landmarks': {
          const d = await FaceLandmarks.load(source, onProgress);
          await d.detect(blank, { tracking: false });
          return d;
        }
        case 'pose': {
          const d = await PoseDetector.load(source, onProgress);
          await d.detect(blank);
          return d;
        }
        case 'objects': {
          const d = await ObjectDetector.load(source, { minScore: config.objects.minScore, allow: config.objects.allow }, onProgress);
          await d.detect(blank);
          return d;
        }
      }
    } finally {
      blank.dispose();
    }
  }

  private report(model: VisionModel, message: string): void {
    const key = `${model}\u0000${message}`;
    const t = now();
    const last = this.lastError.get(key);
    if (last !== undefined && t - last < ERROR_REPEAT_MS) return;
    this.lastError.set(key, t);
    this.events.onError?.(model, message);
  }
}
