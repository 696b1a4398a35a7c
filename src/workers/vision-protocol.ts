/**
 * Messages between the main thread (VisionClient) and the vision worker. The worker owns every
 * model; the main thread only grabs frames and receives plain FrameSignals.
 *
 * Every DETECT is answered by exactly one RESULT, so the client always knows when the worker is
 * free again. A model that fails is reported by ERROR (once per distinct message and model, at
 * most every ERROR_REPEAT_MS) and listed in RESULT.failed for that frame; the other models go on.
 */
import type { FrameSignals } from '../proctoring/signals';
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
  /** Face-count detector range: 'full' (default, also finds a person further back) or 'short'. */
  faceModel?: 'full' | 'short';
  /** Evidence snapshot: at most one every this many ms (default 500; 0 = never). */
  snapshotEveryMs?: number;
  /** Snapshot width in pixels (height follows the frame's aspect; default 320). */
  snapshotWidth?: number;
  /** JPEG quality 0..1 (default 0.7). */
  snapshotQuality?: number;
}

export const DEFAULT_VISION_OPTIONS: Required<Omit<VisionOptions, 'enabled'>> & { enabled: Record<VisionModel, boolean> } = {
  enabled: { faces: true, landmarks: true, pose: true, objects: true },
  faceModel: 'full',
  snapshotEveryMs: 500,
  snapshotWidth: 320,
  snapshotQuality: 0.7,
};

export const ERROR_REPEAT_MS = 10_000;

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
  /** One frame (transferred; the worker closes it). `t` = capture time, ms since the epoch. */
  | { type: 'DETECT'; frame: ImageBitmap; t: number }
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
  | { type: 'RESULT'; signals: FrameSignals; snapshot?: Blob; failed: VisionModel[] }
  /** A model failed to load or to run (model set), or the worker itself failed (fatal). */
  | { type: 'ERROR'; model?: VisionModel; message: string; fatal?: boolean }
  | { type: 'DISPOSED' };

/** The ImageBitmaps a DETECT message transfers. */
export const transferablesOf = (msg: ToVisionWorker): Transferable[] => (msg.type === 'DETECT' ? [msg.frame] : []);
