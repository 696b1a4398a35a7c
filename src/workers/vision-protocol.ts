/**
 * Messages between the main thread (VisionClient) and the vision worker. The worker owns every
 * model; the main thread only grabs frames and receives plain FrameSignals.
 *
 * Every DETECT is answered by exactly one RESULT, so the client always knows when the worker is
 * free again. A model that fails is reported by ERROR (once per distinct message and model, at
 * most every ERROR_REPEAT_MS) and listed in RESULT.failed for that frame; the other models go on.
 */
import type { FrameSignals, ObjectSignal } from '../proctoring/signals';
import type { ProctoringConfig } from '../shared/proctoring-config';

export const VISION_MODELS = ['faces', 'landmarks', 'pose', 'objects'] as const;
export type VisionModel = (typeof VISION_MODELS)[number];

/** The part of a programme's proctoring settings the worker uses. */
export type VisionConfig = Pick<ProctoringConfig, 'analysisFps' | 'face' | 'body' | 'objects'>;

export interface VisionOptions {
  /**
   * Turn models off (e.g. no landmarks during the room scan). All on by default. With 'faces' off,
   * signals.faces is always empty: not a reading, so face incidents must not be judged then.
   */
  enabled?: Partial<Record<VisionModel, boolean>>;
  /**
   * Face counting:
   * - 'both' (default): the short-range detector (5 ms) on every frame, the full-range one
   *   (17 ms; also made for a person further back) every fullRangeEveryMs, and at once when the
   *   short-range count changes. The count is the larger of the two while the full-range result
   *   is at most fullRangeFreshMs old.
   * - 'full': the full-range detector on every frame (the old pipeline).
   * - 'short': the short-range detector only.
   */
  faceModel?: 'both' | 'full' | 'short';
  /**
   * 'both': the full-range detector runs when this long has passed since its last run (default 400 ms; with a side worker on the next pose
   * frame).
   */
  fullRangeEveryMs?: number;
  /** 'both': a full-range result counts for this long (default 600 ms: one interval plus a few frames of slack). */
  fullRangeFreshMs?: number;
  /**
   * Run pose and objects in a second worker beside the frame pipeline (default true; only where a
   * worker can start workers), so on two cores they never hold up a frame: neither is waited for.
   * Pose (~25-40 ms) is sent at the start of a frame and its keypoints are reported with the next
   * frame (one frame, ~70 ms, after the one they were found on); objects (CenterNet and SSDLite,
   * ~200-500 ms) with a later frame (~0.2-0.5 s after). false: both run in the vision worker.
   */
  sideWorker?: boolean;
  /** Evidence snapshot: at most one every this many ms (default 500; 0 = never). */
  snapshotEveryMs?: number;
  /** Snapshot width in pixels (height follows the frame's aspect; default 320). */
  snapshotWidth?: number;
  /** JPEG quality 0..1 (default 0.7). */
  snapshotQuality?: number;
  /**
   * Rule 2.8.6: load the face descriptor (faceres, ~7 MB) after the other models, so DETECT with
   * `describe` can return the descriptor of the one face (identity step, re-verification). Default false.
   */
  identity?: boolean;
}

export const DEFAULT_VISION_OPTIONS: Required<Omit<VisionOptions, 'enabled'>> & { enabled: Record<VisionModel, boolean> } = {
  enabled: { faces: true, landmarks: true, pose: true, objects: true },
  faceModel: 'both',
  fullRangeEveryMs: 400,
  fullRangeFreshMs: 600,
  sideWorker: true,
  snapshotEveryMs: 500,
  snapshotWidth: 320,
  snapshotQuality: 0.7,
  identity: false,
};

export type VisionSettings = typeof DEFAULT_VISION_OPTIONS;

/** `current` with the options that are set (undefined keeps the current value; `enabled` merges per model). */
export function withOptions<S extends VisionSettings>(current: S, options: VisionOptions): S {
  const { enabled, ...rest } = options;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...current, ...defined, enabled: { ...current.enabled, ...enabled } };
}

/**
 * FrameSignals.ms as the vision worker fills it: the per-model keys, plus
 * - facesFull: the full-range face detector, on the frames it ran ('both' mode; `faces` is then the short-range one),
 * - pixels: camera frame → tensor (the worker's per-frame overhead),
 * - with the side worker: pose and objects are their run times there, reported with the frame
 *   their results arrive with (not part of that frame's `total`).
 */
export type VisionFrameMs = FrameSignals['ms'] & {
  facesFull?: number;
  pixels?: number;
  /** the face descriptor, on frames that asked for it */ identity?: number;
};

export const ERROR_REPEAT_MS = 10_000;

/**
 * Identity photos (rule 2.8.6): the centre finds the face, its descriptor and its yaw in
 * the photos itself, so each photo must be the frame the browser read, at a size the centre takes
 * (at most MAX_IDENTITY_PHOTO_BYTES; 320 px at 0.8 is ~15-30 KB).
 */
export const IDENTITY_PHOTO = { width: 320, quality: 0.8 } as const;

/** Main thread → worker. */
export type ToVisionWorker =
  | {
      type: 'INIT';
      /** Where models/manifest names are served, e.g. '/models/'. */
      modelBase: string;
      /** Folder of tfjs-backend-wasm*.wasm, e.g. '/models/tfjs-wasm/'. */
      wasmBase: string;
      config: VisionConfig;
      options?: VisionOptions;
    }
  /**
   * One frame (transferred; the worker closes it): a VideoFrame of the camera when it needs no
   * scaling (its RGB conversion then happens in the worker), else a scaled ImageBitmap.
   * `t` = capture time, ms since the epoch.
   */
  | {
      type: 'DETECT';
      frame: ImageBitmap | VideoFrame;
      t: number;
      /** Also compute the face descriptor of this frame (options.identity); the RESULT then carries this frame's photo too. */
      describe?: boolean;
      /** Also return a JPEG of this exact frame (IDENTITY_PHOTO), so a photo goes with the yaw and faces read from it (rule 2.8.6). */
      photo?: boolean;
    }
  | { type: 'SET_OPTIONS'; config?: Partial<VisionConfig>; options?: VisionOptions }
  | { type: 'DISPOSE' };

/** Worker → main thread. */
export type FromVisionWorker =
  /** Model loading: `loaded` of `total` models done (fractional while one downloads), `model` the one in progress. */
  | { type: 'PROGRESS'; loaded: number; total: number; model: VisionModel }
  /** Models loaded and warmed up; `models` are the ones that work. */
  | { type: 'READY'; backend: string; msToReady: number; models: VisionModel[] }
  /**
   * The answer to one DETECT. `failed`: models that should have run on this frame but failed or
   * are not loaded; when it includes 'faces', `signals.faces` is empty for that reason, not because
   * nobody is there.
   */
  | {
      type: 'RESULT';
      signals: FrameSignals;
      snapshot?: Blob;
      failed: VisionModel[];
      /**
       * Only when the DETECT asked to `describe`: the 1024-value descriptor of the one face, or null
       * (no face, several faces, or the descriptor model unavailable: `describeError` says which).
       */
      descriptor?: Float32Array | null;
      describeError?: string;
      /**
       * Only when the DETECT asked for a `photo` (or to `describe`): a JPEG of the very frame these
       * signals were read from (IDENTITY_PHOTO), or absent when it could not be encoded.
       */
      photo?: Blob;
    }
  /** A model failed to load or to run (model set), or the worker itself failed (fatal). */
  | { type: 'ERROR'; model?: VisionModel; message: string; fatal?: boolean }
  | { type: 'DISPOSED' };

/** The frame a DETECT message transfers. */
export const transferablesOf = (msg: ToVisionWorker): Transferable[] => (msg.type === 'DETECT' ? [msg.frame] : []);

/** The models that may run in the side worker (vision-side.worker.ts), beside the frame pipeline. */
export type SideModel = 'pose' | 'objects';

/** Vision worker → side worker. */
export type ToSideWorker =
  | { type: 'INIT'; modelBase: string; wasmBase: string }
  | { type: 'LOAD'; model: SideModel; objects: { minScore: number; allow: readonly string[] } }
  /** Pose on MoveNet's letterboxed [192, 192, 3] int32 input (transferred). */
  | { type: 'POSE'; id: number; pixels: Int32Array }
  /** Objects on one frame's [height, width, 3] RGB pixels (transferred). */
  | { type: 'OBJECTS'; id: number; pixels: Int32Array | Float32Array; shape: [number, number, number] }
  | { type: 'SET_OPTIONS'; objects: { minScore: number; allow: readonly string[] } }
  | { type: 'DISPOSE' };

/** Side worker → vision worker. */
export type FromSideWorker =
  | { type: 'PROGRESS'; model: SideModel; fraction: number }
  | { type: 'READY'; model: SideModel }
  /** Loading failed: this model does not run there. */
  | { type: 'LOAD_FAILED'; model: SideModel; message: string }
  /** Busy loading after READY (the second object model): the frames send no pose meanwhile (it would wait and time out). */
  | { type: 'BUSY'; busy: boolean }
  /** The answer to POSE: MoveNet's raw output (17 x y, x, score in input fractions); `ms` is the run time there. */
  | { type: 'POSE_RESULT'; id: number; values: Float32Array; ms: number }
  | { type: 'OBJECTS_RESULT'; id: number; objects: ObjectSignal[]; ms: number }
  | { type: 'FAILED'; id: number; message: string };
