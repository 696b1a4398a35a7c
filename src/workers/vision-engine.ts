/**
 * The vision pipeline without the worker plumbing (so Node tests run it on real frames):
 * loads the detectors and runs them on each analysed frame, timing each model. A model that
 * fails to load or run is reported and skipped; the rest go on.
 *
 * Costs (Chromium wasm, two cores): short-range faces 5 ms, face mesh 8 ms, full-range faces
 * 17 ms, pose 25 ms, objects 131 ms for CenterNet plus ~80 ms for SSDLite. Every frame runs the
 * face count (short-range detector in the default 'both' mode) and, when there is a face, the face
 * mesh (head pose). Which heavy model (full-range faces, pose, objects) runs on which frame, and
 * where, is frame-schedule.ts's pure plan; this class carries it out. With a side worker
 * (EngineServices.side, the browser's default) pose and objects run there, in parallel with this
 * realm, and no frame waits for them: pose's keypoints join the next frame, objects' findings a
 * later one (see vision-side.ts).
 *
 * The face count ('both') is the larger of the short-range count and the last full-range count
 *   while that is at most options.fullRangeFreshMs old; the faces are the short-range ones plus,
 *   when the full-range run found more, those of its faces that overlap them least.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FaceDetector } from '../detectors/face-detector';
import { FaceEmbedding } from '../detectors/face-embedding';
import { FaceLandmarks } from '../detectors/face-landmarks';
import { ObjectDetector } from '../detectors/object-detector';
import { keypointsFrom, PoseDetector, poseInput } from '../detectors/pose-detector';
import { now, type ModelSource, type ProgressFn } from '../detectors/tf-backend';
import { warmUp } from './warm-up';
import type { FaceSignal, FrameSignals, HeadPose, Keypoint, ObjectSignal } from '../proctoring/signals';
import { iou } from '../proctoring/box';
import { headPoseOrKeypoints } from '../proctoring/face-keypoints-yaw';
import type { SideModels } from './vision-side';
import { messageOf } from './serve-worker';
import {
  EARLY_FULL_RANGE_GAP_MS,
  endFrame,
  heavyJob,
  initialFrameSchedule,
  objectsSettled,
  startFrame,
  type FramePlacements,
  type FrameScheduleRules,
  type Placement,
} from './frame-schedule';
import {
  DEFAULT_VISION_OPTIONS,
  ERROR_REPEAT_MS,
  VISION_MODELS,
  withOptions,
  type SideModel,
  type VisionConfig,
  type VisionFrameMs,
  type VisionModel,
  type VisionOptions,
} from './vision-protocol';

export interface EngineEvents {
  onProgress?(loaded: number, total: number, model: VisionModel): void;
  /** A model failed (rate-limited: the same message for the same model at most every ERROR_REPEAT_MS). */
  onError?(model: VisionModel, message: string): void;
}

export interface EngineServices {
  /** Run pose and objects there instead of in this realm (the vision worker passes its side worker). */
  side?: SideModels;
}

export interface FrameAnalysis {
  signals: FrameSignals;
  /** Models due on this frame that failed or are not loaded. */
  failed: VisionModel[];
  /** Asked for (analyse's `describe`): the one face's descriptor, or null with the reason. */
  identity?: { descriptor: Float32Array; ms: number } | { descriptor: null; error: string };
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

interface FullRangeRun {
  t: number;
  faces: FaceSignal[];
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
  private schedule = initialFrameSchedule();
  private lastFullRange: FullRangeRun | null = null;
  /** Side worker: the models loaded there. */
  private readonly sideReady = new Set<SideModel>();
  /** Side models that could not load there and run in this realm instead. */
  private readonly notBeside = new Set<SideModel>();
  /** Side worker: a pose request under way, and its answer waiting for the next frame. */
  private poseInFlight = false;
  private poseDone: { keypoints: Keypoint[]; ms: number } | { error: string } | null = null;
  /** Side worker: an objects answer waiting for the next frame. */
  private objectsDone: { objects: ObjectSignal[]; ms: number } | { error: string } | null = null;
  /** Rule 2.8.6: the face descriptor, loaded after the other models when options.identity is on. */
  private embedding: Promise<FaceEmbedding> | null = null;

  private constructor(
    private readonly source: ModelSource,
    private config: VisionConfig,
    private readonly events: EngineEvents,
    private readonly services: EngineServices,
  ) {}

  /**
   * Loads every enabled model in turn (progress per model), then runs each once on a blank frame.
   * Never throws for a model. Models of the side worker load there, also in turn: loading them in
   * parallel with the others saturated both cores for seconds, and a camera starved that long
   * (Chromium's file camera, at least) fell behind the clock for good.
   */
  static async create(
    source: ModelSource,
    config: VisionConfig,
    options: VisionOptions = {},
    events: EngineEvents = {},
    services: EngineServices = {},
  ): Promise<VisionEngine> {
    const engine = new VisionEngine(source, config, events, services);
    engine.applyOptions(options);
    const wanted = VISION_MODELS.filter((m) => engine.options.enabled[m]);
    for (const [i, model] of wanted.entries()) {
      events.onProgress?.(i, wanted.length, model);
      await engine.load(model, (f) => events.onProgress?.(i + Math.min(1, Math.max(0, f)), wanted.length, model));
    }
    engine.loadEmbedding(); // in the background: proctoring is ready without it
    return engine;
  }

  /** Models loaded and usable. */
  get models(): VisionModel[] {
    return VISION_MODELS.filter((m) => (this.runsBeside(m) ? this.sideReady.has(m as SideModel) : this.detectors[m] !== undefined));
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
      this.schedule = { ...this.schedule, fullRange: null };
    }
    this.detectors.faces?.setMinScore(this.config.face.minScore);
    this.detectors.facesFull?.setMinScore(this.config.face.minScore);
    const objectOptions = { minScore: this.config.objects.minScore, allow: this.config.objects.allow };
    this.detectors.objects?.setOptions(objectOptions);
    this.services.side?.setObjectOptions(objectOptions);
    this.loadEmbedding();
    // A model switched on later loads in the background; until then frames list it as failed.
    for (const m of VISION_MODELS) if (this.options.enabled[m] && !this.models.includes(m) && !this.loading.has(m)) void this.load(m);
  }

  /** Starts loading the face descriptor once, when options.identity asks for it (a failed load is tried again on the next describe). */
  private loadEmbedding(): void {
    if (!this.options.identity || this.embedding) return;
    const loading = FaceEmbedding.load(this.source).then(async (e) => {
      await warmUp((blank) => e.describe(blank, { x: 0.25, y: 0.25, w: 0.5, h: 0.5 }));
      return e;
    });
    loading.catch(() => {
      if (this.embedding === loading) this.embedding = null;
    });
    this.embedding = loading;
  }

  /** The descriptor of the one face of the frame (identity step and re-verification, rule 2.8.6). */
  private async describeFace(frame: tf.Tensor3D, faces: FaceSignal[]): Promise<NonNullable<FrameAnalysis['identity']>> {
    if (faces.length !== 1) return { descriptor: null, error: faces.length === 0 ? 'no face' : 'several faces' };
    this.loadEmbedding();
    if (!this.embedding) return { descriptor: null, error: 'the face descriptor is not enabled (options.identity)' };
    try {
      const embedding = await this.embedding;
      const start = now();
      const descriptor = await embedding.describe(frame, faces[0]!.box);
      return { descriptor, ms: now() - start };
    } catch (e) {
      return { descriptor: null, error: `face descriptor: ${messageOf(e)}` };
    }
  }

  async analyse(frame: tf.Tensor3D, t: number, request: { describe?: boolean } = {}): Promise<FrameAnalysis> {
    const start = now();
    const ms: VisionFrameMs = { total: 0 };
    const failed: VisionModel[] = [];
    const enabled = this.options.enabled;
    const both = this.options.faceModel === 'both';
    const objects = this.objectsArrived(ms, failed);
    const poseEarlier = this.poseArrived(ms, failed);

    // Pose beside: sent first, so it runs while the face models run here.
    const poseBeside = this.runsBeside('pose') ? this.startPoseBeside(frame, failed) : null;

    let faces: FaceSignal[] = [];
    if (enabled.faces) faces = (await this.run('faces', ms, failed, (d) => d.detect(frame))) ?? [];
    const facesKnown = enabled.faces && !failed.includes('faces');

    // The one heavy model of this frame in this realm.
    const planned = heavyJob(this.schedule, this.placements(), this.rules(), t, facesKnown ? faces.length : null, poseBeside !== null);
    this.schedule = planned.state;
    const job = planned.job;
    if (job === 'facesFull') {
      const full = await this.timed('faces', 'facesFull', ms, (d) => d.detect(frame));
      // A failed run adds no faces (the schedule counts it as a run: no retry on every frame).
      this.lastFullRange = { t, faces: full?.value ?? [] };
    }
    const lastFull = this.lastFullRange;
    if (both && facesKnown && lastFull && t >= lastFull.t && t - lastFull.t <= this.options.fullRangeFreshMs) {
      faces = mergeFaceCounts(faces, lastFull.faces);
    }

    let head: HeadPose | null = null;
    const landmarks = this.detectors.landmarks;
    if (enabled.landmarks && landmarks && faces.length === 0 && facesKnown) landmarks.reset();
    else if (enabled.landmarks)
      head = (await this.run('landmarks', ms, failed, async (d) => (await d.detect(frame))?.head ?? null)) ?? null;
    // A face the detector sees but the mesh cannot fit (a full profile): its yaw from the detector's keypoints.
    if (enabled.landmarks && facesKnown && faces.length > 0) head = headPoseOrKeypoints(head, faces, frame.shape[1] / frame.shape[0]);

    let pose: Keypoint[] | null = poseEarlier;
    if (poseBeside) {
      this.poseInFlight = true;
      void poseBeside.then((r) => {
        this.poseDone = r;
        this.poseInFlight = false;
      });
    } else if (job === 'pose') {
      pose = (await this.run('pose', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    let found: ObjectSignal[] | null = objects;
    if (this.runsBeside('objects')) this.startObjectsBeside(frame, t, failed);
    else if (job === 'objects') {
      found = (await this.run('objects', ms, failed, (d) => d.detect(frame))) ?? null;
    }

    const identity = request.describe && facesKnown ? await this.describeFace(frame, faces) : undefined;
    if (identity && 'ms' in identity) ms.identity = identity.ms;

    ms.total = now() - start;
    return identity
      ? { signals: { t, faces, head, pose, objects: found, ms }, failed, identity }
      : { signals: { t, faces, head, pose, objects: found, ms }, failed };
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
    // Disposing: a descriptor that never loaded has nothing to free.
    void this.embedding?.then(
      (e) => e.dispose(),
      () => undefined,
    );
    this.embedding = null;
    this.services.side?.dispose();
    this.sideReady.clear();
  }

  /** Pose and objects run in the side worker when there is one. */
  private runsBeside(model: VisionModel): boolean {
    return this.services.side !== undefined && (model === 'pose' || model === 'objects') && !this.notBeside.has(model);
  }

  /** Where each heavy model runs now, for the frame schedule. */
  private placements(): FramePlacements {
    const { enabled } = this.options;
    const place = (model: 'pose' | 'objects'): Placement => {
      if (!enabled[model]) return 'off';
      if (!this.runsBeside(model)) return 'here';
      return this.sideReady.has(model) ? 'beside' : 'beside-loading';
    };
    const fullRange = enabled.faces && this.options.faceModel === 'both' && this.detectors.facesFull !== undefined;
    return { pose: place('pose'), objects: place('objects'), fullRange };
  }

  private rules(): FrameScheduleRules {
    return {
      poseEveryNthFrame: this.config.body.everyNthFrame,
      objectsEveryMs: this.config.objects.intervalSec * 1000,
      fullRangeEveryMs: this.options.fullRangeEveryMs,
      fullRangeFreshMs: this.options.fullRangeFreshMs,
      earlyFullRangeGapMs: EARLY_FULL_RANGE_GAP_MS,
    };
  }

  /** Side worker, pose due: sends this frame's pose input (null when not due, or waiting for the side worker). */
  private startPoseBeside(
    frame: tf.Tensor3D,
    failed: VisionModel[],
  ): Promise<{ keypoints: Keypoint[]; ms: number } | { error: string }> | null {
    const side = this.services.side!;
    const step = startFrame(this.schedule, this.placements(), this.rules(), side.busy);
    this.schedule = step.state;
    if (step.pose === 'unavailable') failed.push('pose');
    if (step.pose !== 'send') return null;
    const { pixels, box } = poseInput(frame);
    return side.pose(pixels).then(
      (r) => ({ keypoints: keypointsFrom(r.values, box), ms: r.ms }),
      (e: unknown) => ({ error: messageOf(e) }),
    );
  }

  /** Side worker: the keypoints of the pose sent with an earlier frame (null when none arrived), reported with this frame. */
  private poseArrived(ms: VisionFrameMs, failed: VisionModel[]): Keypoint[] | null {
    const done = this.poseDone;
    this.poseDone = null;
    if (!done) return null;
    if ('error' in done) {
      failed.push('pose');
      this.report('pose', done.error);
      return null;
    }
    ms.pose = done.ms;
    return done.keypoints;
  }

  /** Side worker: objects found since the last frame (null when none arrived), reported with this frame. */
  private objectsArrived(ms: VisionFrameMs, failed: VisionModel[]): ObjectSignal[] | null {
    const done = this.objectsDone;
    this.objectsDone = null;
    if (!done) return null;
    if ('error' in done) {
      failed.push('objects');
      this.report('objects', done.error);
      return null;
    }
    ms.objects = done.ms;
    return done.objects;
  }

  /**
   * Side worker, objects due: a copy of this frame's pixels goes there, right after a pose run
   * (the side worker is idle then, and is again before the next pose is due). Nothing waits for it.
   */
  private startObjectsBeside(frame: tf.Tensor3D, t: number, failed: VisionModel[]): void {
    const side = this.services.side!;
    // Busy with this frame's own pose only: objects queue behind it there (a pose is sent only to an idle side worker).
    const step = endFrame(this.schedule, this.placements(), this.rules(), t, side.busy && !this.poseInFlight);
    this.schedule = step.state;
    if (step.objects === 'unavailable') failed.push('objects');
    if (step.objects !== 'send') return;
    const pixels = frame.dataSync() as Int32Array | Float32Array; // a copy: the frame tensor is freed after this frame
    side
      .objects(pixels, frame.shape as [number, number, number])
      .then(
        (r) => {
          this.objectsDone = r;
        },
        (e: unknown) => {
          this.objectsDone = { error: messageOf(e) };
        },
      )
      .finally(() => {
        this.schedule = objectsSettled(this.schedule);
      });
  }

  private applyOptions(options: VisionOptions): void {
    this.options = withOptions(this.options, options);
  }

  /** Runs one model on the frame, timing it; a failure is reported and listed, never thrown. */
  private async run<M extends VisionModel, R>(
    model: M,
    ms: VisionFrameMs,
    failed: VisionModel[],
    fn: (d: NonNullable<Detectors[M]>) => Promise<R>,
  ): Promise<R | undefined> {
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
  private async timed<K extends keyof Detectors, R>(
    model: VisionModel,
    key: K,
    ms: VisionFrameMs,
    fn: (d: NonNullable<Detectors[K]>) => Promise<R>,
  ): Promise<{ value: R } | null> {
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
    if (this.runsBeside(model)) {
      try {
        await this.services.side!.load(model as SideModel, onProgress);
        this.sideReady.add(model as SideModel);
        return;
      } catch (e) {
        // E.g. the side worker could not start: this model runs here instead, between frames.
        this.notBeside.add(model as SideModel);
        this.report(model, `could not load in the side worker (${messageOf(e)}): loading it in the vision worker`);
      }
    }
    switch (model) {
      case 'faces': {
        const mode = this.options.faceModel;
        const faceDetector = async (modelType: 'full' | 'short', progress?: ProgressFn) => {
          const d = await FaceDetector.load(source, { modelType, minScore: config.face.minScore, maxFaces: 5 }, progress);
          await warmUp((blank) => d.detect(blank));
          return d;
        };
        // The short-range model is ~0.2 of the bytes of the pair.
        this.detectors.faces = await faceDetector(
          mode === 'full' ? 'full' : 'short',
          onProgress && ((f) => onProgress(mode === 'both' ? 0.2 * f : f)),
        );
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
        await warmUp((blank) => d.detect(blank, { tracking: false }));
        this.detectors.landmarks = d;
        return;
      }
      case 'pose': {
        const d = await PoseDetector.load(source, onProgress);
        await warmUp((blank) => d.detect(blank));
        this.detectors.pose = d;
        return;
      }
      case 'objects': {
        const objectOptions = { minScore: config.objects.minScore, allow: config.objects.allow };
        const d = await ObjectDetector.load(source, objectOptions, onProgress);
        await warmUp((blank) => d.detect(blank));
        this.detectors.objects = d;
        return;
      }
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
