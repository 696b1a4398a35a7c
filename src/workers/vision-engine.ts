/**
 * The vision pipeline without the worker plumbing (so Node tests run it on real frames):
 * loads the detectors and runs them on each analysed frame, timing each model. A model that
 * fails to load or run is reported and skipped; the rest go on.
 *
 * Schedule (the costs are Chromium wasm on two cores: short-range faces 5 ms, face mesh 8 ms,
 * full-range faces 17 ms, pose 25 ms, objects 131 ms):
 * - every frame: the face count (short-range detector in the default 'both' mode) and, when
 *   there is a face, the face mesh (head pose);
 * - at most ONE heavy model per frame, so no frame pays for two: in this order of priority
 *   1. the full-range face detector when the short-range count changed since its last run (a
 *      person came or left: its older count must not linger),
 *   2. objects, when config.objects.intervalSec has passed (only when they run in this realm;
 *      with a RemoteObjects they run beside the pipeline and are not a heavy model here),
 *   3. pose, once config.body.everyNthFrame frames have passed since it last ran (a frame taken
 *      by another model delays it by one frame),
 *   4. the full-range face detector, once options.fullRangeEveryMs has passed.
 * - face count ('both'): the larger of the short-range count and the last full-range count
 *   while that is at most options.fullRangeFreshMs old; the faces are the short-range ones plus,
 *   when the full-range run found more, those of its faces that overlap them least.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FaceDetector } from '../detectors/face-detector';
import { FaceLandmarks } from '../detectors/face-landmarks';
import { ObjectDetector } from '../detectors/object-detector';
import { PoseDetector } from '../detectors/pose-detector';
import { now, type ModelSource, type ProgressFn } from '../detectors/tf-backend';
import type { Box, FaceSignal, FrameSignals, HeadPose, Keypoint, ObjectSignal } from '../proctoring/signals';
import type { RemoteObjects, RemoteObjectsResult } from './vision-objects';
import { DEFAULT_VISION_OPTIONS, ERROR_REPEAT_MS, VISION_MODELS, type VisionConfig, type VisionFrameMs, type VisionModel, type VisionOptions } from './vision-protocol';

export interface EngineEvents {
  onProgress?(loaded: number, total: number, model: VisionModel): void;
  /** A model failed (rate-limited: the same message for the same model at most every ERROR_REPEAT_MS). */
  onError?(model: VisionModel, message: string): void;
}

export interface EngineServices {
  /** Run the objects model there instead of in this realm (the vision worker passes its objects worker). */
  objects?: RemoteObjects;
}

export interface FrameAnalysis {
  signals: FrameSignals;
  /** Models due on this frame that failed or are not loaded. */
  failed: VisionModel[];
}

interface Detectors {
  /** The per-frame face counter: short range ('both', 'short') or full range ('full'). */
  faces?: FaceDetector;
  /** 'both': the full-range detector on its own schedule. */
  facesFull?: FaceDetector;
  landmarks?: FaceLandmarks;
  pose?: PoseDetector;
  objects?: ObjectDetector;
}

type HeavyJob = 'facesFull' | 'objects' | 'pose';

interface FullRangeRun {
  t: number;
  faces: FaceSignal[];
  /** The short-range count on the frame it ran. */
  shortCount: number;
}

/** A full-range run triggered by a change of the short-range count waits at least this long after the last one (a flickering count must not run it on every frame). */
const EARLY_FULL_RANGE_GAP_MS = 200;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/**
 * The short-range faces, topped up to the full-range count with the full-range faces that
 * overlap the short-range ones least (those are the faces the short-range detector missed).
 */
export function mergeFaceCounts(short: FaceSignal[], full: FaceSignal[]): FaceSignal[] {
  if (full.length <= short.length) return short;
  const overlap = (f: FaceSignal) => Math.max(0, ...short.map((s) => iou(s.box, f.box)));
  const extra = [...full].sort((a, b) => overlap(a) - overlap(b)).slice(0, full.length - short.length);
  return [...short, ...extra];
}

export class VisionEngine {
  private readonly detectors: Detectors = {};
  private readonly loading = new Map<VisionModel, Promise<void>>();
  private readonly lastError = new Map<string, number>();
  private options = { ...DEFAULT_VISION_OPTIONS, enabled: { ...DEFAULT_VISION_OPTIONS.enabled } };
  private framesSincePose = Infinity;
  private lastObjectsT: number | null = null;
  private lastFullRange: FullRangeRun | null = null;
  /** Remote objects: a run in flight, and a finished one waiting for the next frame. */
  private objectsInFlight = false;
  private objectsDone: { result: RemoteObjectsResult } | { error: string } | null = null;
  private remoteObjectsReady = false;

  private constructor(
    private readonly source: ModelSource,
    private config: VisionConfig,
    private readonly events: EngineEvents,
    private readonly services: EngineServices,
  ) {}

  /** Loads every enabled model in turn (progress per model), then runs each once on a blank frame. Never throws for a model. */
  static async create(source: ModelSource, config: VisionConfig, options: VisionOptions = {}, events: EngineEvents = {}, services: EngineServices = {}): Promise<VisionEngine> {
    const engine = new VisionEngine(source, config, events, services);
    engine.applyOptions(options);
    const wanted = VISION_MODELS.filter((m) => engine.options.enabled[m]);
    // A remote objects model loads in parallel with the others (another core); its progress counts last.
    let remoteFraction = 0;
    let remoteShown = false;
    const remoteProgress = (f: number) => {
      remoteFraction = Math.min(1, Math.max(0, f));
      if (remoteShown) events.onProgress?.(wanted.length - 1 + remoteFraction, wanted.length, 'objects');
    };
    const remote = wanted.includes('objects') && services.objects ? engine.load('objects', remoteProgress) : null;
    for (const [i, model] of wanted.entries()) {
      events.onProgress?.(i, wanted.length, model);
      if (model === 'objects' && remote) {
        remoteShown = true;
        events.onProgress?.(i + remoteFraction, wanted.length, model);
        await remote;
        events.onProgress?.(i + 1, wanted.length, model);
        continue;
      }
      await engine.load(model, (f) => events.onProgress?.(i + Math.min(1, Math.max(0, f)), wanted.length, model));
    }
    return engine;
  }

  /** Models loaded and usable. */
  get models(): VisionModel[] {
    return VISION_MODELS.filter((m) => (m === 'objects' && this.services.objects ? this.remoteObjectsReady : this.detectors[m] !== undefined));
  }

  setOptions(config?: Partial<VisionConfig>, options?: VisionOptions): void {
    if (config) this.config = { ...this.config, ...config };
    const faceModel = this.options.faceModel;
    if (options) this.applyOptions(options);
    if (this.options.faceModel !== faceModel) {
      // Another face-count scheme needs other detectors: load them again (frames list faces as failed meanwhile).
      this.detectors.faces?.dispose();
      this.detectors.facesFull?.dispose();
      delete this.detectors.faces;
      delete this.detectors.facesFull;
      this.lastFullRange = null;
    }
    this.detectors.faces?.setMinScore(this.config.face.minScore);
    this.detectors.facesFull?.setMinScore(this.config.face.minScore);
    const objectOptions = { minScore: this.config.objects.minScore, allow: this.config.objects.allow };
    this.detectors.objects?.setOptions(objectOptions);
    this.services.objects?.setOptions(objectOptions);
    // A model switched on later loads in the background; until then frames list it as failed.
    for (const m of VISION_MODELS) if (this.options.enabled[m] && !this.models.includes(m) && !this.loading.has(m)) void this.load(m);
  }

  async analyse(frame: tf.Tensor3D, t: number): Promise<FrameAnalysis> {
    const start = now();
    const ms: VisionFrameMs = { total: 0 };
    const failed: VisionModel[] = [];
    const enabled = this.options.enabled;
    const both = this.options.faceModel === 'both';

    let faces: FaceSignal[] = [];
    if (enabled.faces) faces = (await this.run('faces', ms, failed, (d) => d.detect(frame))) ?? [];
    const facesKnown = enabled.faces && !failed.includes('faces');

    // The one heavy model of this frame.
    const job = this.heavyJob(t, facesKnown ? faces.length : null);
    if (job !== 'pose') this.framesSincePose++;
    if (job === 'facesFull') {
      const full = await this.timed('faces', 'facesFull', ms, (d) => d.detect(frame));
      // A failed run still counts as a run for the schedule (no retry on every frame), but adds no faces.
      this.lastFullRange = { t, faces: full?.value ?? [], shortCount: faces.length };
    }
    if (both && facesKnown && this.lastFullRange && t - this.lastFullRange.t <= this.options.fullRangeFreshMs) {
      faces = mergeFaceCounts(faces, this.lastFullRange.faces);
    }

    let head: HeadPose | null = null;
    const landmarks = this.detectors.landmarks;
    if (enabled.landmarks && landmarks && faces.length === 0 && facesKnown) landmarks.reset();
    else if (enabled.landmarks) head = (await this.run('landmarks', ms, failed, async (d) => (await d.detect(frame))?.head ?? null)) ?? null;

    let pose: Keypoint[] | null = null;
    if (job === 'pose') {
      this.framesSincePose = 1;
      pose = (await this.run('pose', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    let objects: ObjectSignal[] | null = null;
    if (this.services.objects) objects = this.remoteObjects(frame, t, ms, failed);
    else if (job === 'objects') {
      this.lastObjectsT = t; // also after a failure: a failing slow model must not run on every frame
      objects = (await this.run('objects', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    ms.total = now() - start;
    return { signals: { t, faces, head, pose, objects, ms }, failed };
  }

  dispose(): void {
    for (const key of ['faces', 'facesFull', 'landmarks', 'pose', 'objects'] as const) {
      try {
        this.detectors[key]?.dispose();
      } catch {
        // disposing a half-broken model must not stop the others
      }
      delete this.detectors[key];
    }
    this.services.objects?.dispose();
    this.remoteObjectsReady = false;
  }

  /** Which heavy model (if any) this frame runs; `shortCount` is this frame's face count, null when unknown. */
  private heavyJob(t: number, shortCount: number | null): HeavyJob | null {
    const enabled = this.options.enabled;
    const full = this.lastFullRange;
    const fullUsable = enabled.faces && this.options.faceModel === 'both' && this.detectors.facesFull !== undefined && shortCount !== null;
    if (fullUsable && full && shortCount !== full.shortCount && t - full.t >= EARLY_FULL_RANGE_GAP_MS) return 'facesFull';
    const objectsDue = this.lastObjectsT === null || t - this.lastObjectsT >= this.config.objects.intervalSec * 1000;
    if (enabled.objects && !this.services.objects && objectsDue) return 'objects';
    if (enabled.pose && this.framesSincePose >= Math.max(1, this.config.body.everyNthFrame)) return 'pose';
    if (fullUsable && (!full || t - full.t >= this.options.fullRangeEveryMs)) return 'facesFull';
    return null;
  }

  /**
   * Objects beside the pipeline: a finished run is reported with this frame; when objects are
   * due and none is in flight, a copy of this frame's pixels goes out.
   */
  private remoteObjects(frame: tf.Tensor3D, t: number, ms: VisionFrameMs, failed: VisionModel[]): ObjectSignal[] | null {
    const remote = this.services.objects!;
    let objects: ObjectSignal[] | null = null;
    const done = this.objectsDone;
    this.objectsDone = null;
    if (done && 'result' in done) {
      objects = done.result.objects;
      ms.objects = done.result.ms;
    } else if (done) {
      failed.push('objects');
      this.report('objects', done.error);
    }
    const due = this.lastObjectsT === null || t - this.lastObjectsT >= this.config.objects.intervalSec * 1000;
    if (!this.options.enabled.objects || !due || this.objectsInFlight) return objects;
    this.lastObjectsT = t;
    if (!this.remoteObjectsReady) {
      failed.push('objects');
      return objects;
    }
    this.objectsInFlight = true;
    const pixels = frame.dataSync() as Int32Array | Float32Array; // a copy: the frame tensor is freed after this call
    remote.detect(pixels, frame.shape as [number, number, number]).then(
      (result) => {
        this.objectsDone = { result };
      },
      (e: unknown) => {
        this.objectsDone = { error: messageOf(e) };
      },
    ).finally(() => {
      this.objectsInFlight = false;
    });
    return objects;
  }

  private applyOptions(options: VisionOptions): void {
    const { enabled, ...rest } = options;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this.options = { ...this.options, ...defined, enabled: { ...this.options.enabled, ...enabled } };
  }

  /** Runs one model on the frame, timing it; a failure is reported and listed, never thrown. */
  private async run<M extends VisionModel, R>(model: M, ms: VisionFrameMs, failed: VisionModel[], fn: (d: NonNullable<Detectors[M]>) => Promise<R>): Promise<R | undefined> {
    const detector = this.detectors[model];
    if (!detector) {
      failed.push(model);
      return undefined;
    }
    const result = await this.timed(model, model, ms, fn);
    if (!result) failed.push(model);
    return result?.value;
  }

  /** Times one detector into ms[key] (only on success: a timing means the model worked); failures are reported as `model`, never thrown. */
  private async timed<K extends keyof Detectors, R>(model: VisionModel, key: K, ms: VisionFrameMs, fn: (d: NonNullable<Detectors[K]>) => Promise<R>): Promise<{ value: R } | null> {
    const detector = this.detectors[key];
    if (!detector) return null;
    const start = now();
    try {
      const value = await fn(detector as NonNullable<Detectors[K]>);
      ms[key] = now() - start;
      return { value };
    } catch (e) {
      this.report(model, key === 'facesFull' ? `full-range face detector: ${messageOf(e)}` : messageOf(e));
      return null;
    }
  }

  private load(model: VisionModel, onProgress?: ProgressFn): Promise<void> {
    const existing = this.loading.get(model);
    if (existing) return existing;
    const promise = (async () => {
      try {
        await this.loadOne(model, onProgress);
      } catch (e) {
        this.report(model, `could not load: ${messageOf(e)}`);
      } finally {
        this.loading.delete(model);
      }
    })();
    this.loading.set(model, promise);
    return promise;
  }

  private async loadOne(model: VisionModel, onProgress?: ProgressFn): Promise<void> {
    const { source, config } = this;
    if (model === 'objects' && this.services.objects) {
      await this.services.objects.load(onProgress);
      this.remoteObjectsReady = true;
      return;
    }
    const blank = tf.zeros([240, 320, 3], 'int32') as tf.Tensor3D;
    try {
      switch (model) {
        case 'faces': {
          const mode = this.options.faceModel;
          const faceDetector = async (modelType: 'full' | 'short', progress?: ProgressFn) => {
            const d = await FaceDetector.load(source, { modelType, minScore: config.face.minScore, maxFaces: 5 }, progress);
            await d.detect(blank); // warm-up: the first call allocates and compiles
            return d;
          };
          // The short-range model is ~0.2 of the bytes of the pair.
          this.detectors.faces = await faceDetector(mode === 'full' ? 'full' : 'short', onProgress && ((f) => onProgress(mode === 'both' ? 0.2 * f : f)));
          if (mode === 'both') {
            try {
              this.detectors.facesFull = await faceDetector('full', onProgress && ((f) => onProgress(0.2 + 0.8 * f)));
            } catch (e) {
              // The short-range count still works: report and go on without the full-range check.
              this.report('faces', `full-range face detector could not load (counting with the short-range one only): ${messageOf(e)}`);
            }
          }
          return;
        }
        case 'landmarks': {
          const d = await FaceLandmarks.load(source, onProgress);
          await d.detect(blank, { tracking: false });
          this.detectors.landmarks = d;
          return;
        }
        case 'pose': {
          const d = await PoseDetector.load(source, onProgress);
          await d.detect(blank);
          this.detectors.pose = d;
          return;
        }
        case 'objects': {
          const d = await ObjectDetector.load(source, { minScore: config.objects.minScore, allow: config.objects.allow }, onProgress);
          await d.detect(blank);
          this.detectors.objects = d;
          return;
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
