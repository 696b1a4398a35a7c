/**
 * Main-thread side of the vision path: grabs camera frames at the programme's analysis rate as
 * VideoFrames (or ImageBitmaps scaled to at most 640 px wide where the camera is wider, or where
 * there is no WebCodecs), transfers them to the vision worker and hands back its
 * FrameSignals with the evidence snapshot. The main thread never runs a model. While the worker
 * is busy with a frame, new frames are dropped (and counted), never queued, so the analysis
 * always works on the newest picture and cannot fall behind; a tick dropped that way is made up
 * by grabbing the newest frame as soon as the worker is free, so one slow frame (a pose frame,
 * say) costs no analysed frame when the average keeps up with the rate.
 */
import type { FrameSignals } from '../proctoring/signals';
import {
  transferablesOf,
  type FromVisionWorker,
  type ToVisionWorker,
  type VisionConfig,
  type VisionModel,
  type VisionOptions,
} from './vision-protocol';

export interface VisionReady {
  backend: string;
  /** From INIT to all models loaded and warmed up, in the worker. */
  msToReady: number;
  /** The models that loaded (VisionModel names). */
  models: string[];
}

export interface VisionClientError {
  /** The model concerned; absent when the worker or backend failed. */
  model?: VisionModel;
  message: string;
  /** true: no frame can be analysed any more (backend or face detector down, worker crashed). */
  fatal: boolean;
}

export interface VisionClientCallbacks {
  /** Model loading: `loaded` of `total` models (fractional while one downloads). */
  onProgress?(progress: { loaded: number; total: number; model: VisionModel }): void;
  onReady?(info: VisionReady): void;
  /**
   * One analysed frame. Frames on which the face detector failed are not delivered (their empty
   * face list would read as "nobody there"); onError reports the failure instead. `meta.failed`
   * lists other models that failed on this frame (their field is null).
   */
  onSignals(
    signals: FrameSignals,
    snapshot: Blob | null,
    meta: {
      failed: VisionModel[];
      dropped: number;
      /** A JPEG of this very frame, while photos are asked for (setFramePhotos). */ photo?: Blob | null;
    },
  ): void;
  onError?(error: VisionClientError): void;
  /** For tests: make the worker some other way. */
  createWorker?: () => Worker;
}

export interface VisionStartOptions {
  config: VisionConfig;
  /** Where model files are served (default '/models/'). */
  modelBase?: string;
  /** Folder of the tfjs wasm binaries (default `${modelBase}tfjs-wasm/`). */
  wasmBase?: string;
  options?: VisionOptions;
  /** Frames are scaled down to at most this width before they are sent (default 640). */
  maxWidth?: number;
}

/**
 * The video's current frame as a WebCodecs VideoFrame, or null where there is none: it only
 * references the decoded camera frame (~0 ms), where createImageBitmap(video) converts it to RGB
 * on this thread (4 ms for 640x480 here, 13 ms with the CPU busy); the worker converts it instead.
 */
function cameraFrame(video: HTMLVideoElement, t: number): VideoFrame | null {
  if (typeof VideoFrame === 'undefined') return null;
  try {
    return new VideoFrame(video, { timestamp: t * 1000 });
  } catch {
    return null; // e.g. no frame decoded yet: createImageBitmap reports that
  }
}

const createVisionWorker = () => new Worker(new URL('./vision.worker.ts', import.meta.url), { type: 'module', name: 'tanu-vision' });
const slash = (s: string) => (s.endsWith('/') ? s : `${s}/`);

/**
 * The face descriptor of one analysed frame, or why there is none (no face, several, model unavailable),
 * with a JPEG of that very frame (null where it could not be encoded) and the frame's yaw.
 */
export type DescribeResult = ({ descriptor: Float32Array; faces: 1 } | { descriptor: null; faces: number; error: string }) & {
  photo: Blob | null;
  yawDeg: number | null;
};

export class VisionClient {
  private worker: Worker | null = null;
  private ready: Promise<VisionReady> | null = null;
  private video: HTMLVideoElement | null = null;
  private ownsVideo = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  private grabbing = false;
  private config: VisionConfig | null = null;
  private maxWidth = 640;
  private disposed = false;
  private dropped = 0;
  /** A tick was dropped while the worker was busy: grab as soon as it is free (at most one such frame per dropped tick). */
  private owed = false;
  private sent = 0;
  /** Rule 2.8.6: callers waiting for the descriptor of the next analysed frame; `inFlight` = the DETECT sent carries describe. */
  private describeWaiters: Array<(r: DescribeResult) => void> = [];
  private describeInFlight = false;
  /** Rule 2.8.6: every frame sent asks for a photo of itself (the identity step follows the turn on them). */
  private framePhotos = false;

  constructor(private readonly callbacks: VisionClientCallbacks) {}

  /** Frames skipped because the worker was still busy with the previous one. */
  get droppedFrames(): number {
    return this.dropped;
  }

  /** Frames sent to the worker. */
  get sentFrames(): number {
    return this.sent;
  }

  /**
   * Loads the models (once per client) and starts analysing `source` at config.analysisFps.
   * Resolves when the worker is ready; rejects if it cannot analyse at all.
   */
  async start(source: HTMLVideoElement | MediaStream, start: VisionStartOptions): Promise<VisionReady> {
    if (this.disposed) throw new Error('VisionClient is disposed');
    this.stop();
    this.config = start.config;
    this.maxWidth = start.maxWidth ?? 640;
    const info = await this.ensureWorker(start);
    if (this.disposed) throw new Error('VisionClient is disposed');
    this.send({ type: 'SET_OPTIONS', config: start.config, ...(start.options ? { options: start.options } : {}) });
    await this.attach(source);
    const fps = Math.min(30, Math.max(0.5, start.config.analysisFps));
    this.timer = setInterval(() => void this.grab(), 1000 / fps);
    return info;
  }

  /** New settings for the running analysis (e.g. a programme's thresholds, models on or off). */
  setOptions(config?: Partial<VisionConfig>, options?: VisionOptions): void {
    if (config && this.config) this.config = { ...this.config, ...config };
    this.send({ type: 'SET_OPTIONS', ...(config ? { config } : {}), ...(options ? { options } : {}) });
  }

  /**
   * The face descriptor of the next analysed frame (needs options.identity). Resolves with null
   * and the reason when that frame has no face or several; rejects when analysis is not running or
   * no answer comes in time (the first call may wait for the descriptor model, ~7 MB, to load).
   */
  describeNextFrame(timeoutMs = 30_000): Promise<DescribeResult> {
    if (!this.timer) return Promise.reject(new Error('the camera analysis is not running'));
    return new Promise<DescribeResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.describeWaiters = this.describeWaiters.filter((w) => w !== waiter);
        reject(new Error('no analysed frame in time'));
      }, timeoutMs);
      const waiter = (r: DescribeResult) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.describeWaiters.push(waiter);
    });
  }

  /** From now on every analysed frame comes with a JPEG of itself (meta.photo), or no longer. */
  setFramePhotos(on: boolean): void {
    this.framePhotos = on;
  }

  /** Stops grabbing frames; the worker keeps its models for a later start(). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.owed = false;
    if (this.video && this.ownsVideo) {
      this.video.pause();
      this.video.srcObject = null;
    }
    this.video = null;
    this.ownsVideo = false;
  }

  /** Stops, frees the models and ends the worker. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.postMessage({ type: 'DISPOSE' } satisfies ToVisionWorker);
      setTimeout(() => worker.terminate(), 1000); // let it free its wasm memory first
    }
  }

  private ensureWorker(start: VisionStartOptions): Promise<VisionReady> {
    if (this.ready) return this.ready;
    const worker = (this.callbacks.createWorker ?? createVisionWorker)();
    this.worker = worker;
    const modelBase = slash(start.modelBase ?? '/models/');
    this.ready = new Promise<VisionReady>((resolve, reject) => {
      let settled = false;
      const fail = (error: VisionClientError) => {
        this.callbacks.onError?.(error);
        if (error.fatal && !settled) {
          settled = true;
          reject(new Error(error.message));
        }
      };
      worker.onmessage = (event: MessageEvent<FromVisionWorker>) => {
        const msg = event.data;
        switch (msg.type) {
          case 'PROGRESS':
            this.callbacks.onProgress?.({ loaded: msg.loaded, total: msg.total, model: msg.model });
            return;
          case 'READY': {
            const info = { backend: msg.backend, msToReady: msg.msToReady, models: msg.models };
            this.callbacks.onReady?.(info);
            if (!settled) {
              settled = true;
              resolve(info);
            }
            return;
          }
          case 'RESULT':
            this.busy = false;
            if (this.describeInFlight) {
              this.describeInFlight = false;
              const waiters = this.describeWaiters;
              this.describeWaiters = [];
              const faces = msg.signals.faces.length;
              const frame = { photo: msg.photo ?? null, yawDeg: msg.signals.head?.yawDeg ?? null };
              const result: DescribeResult = msg.descriptor
                ? { descriptor: msg.descriptor, faces: 1, ...frame }
                : { descriptor: null, faces, error: msg.describeError ?? 'no descriptor', ...frame };
              for (const w of waiters) w(result);
            }
            if (this.owed) {
              // A tick found the worker busy: take the newest frame now rather than idle until the next tick.
              this.owed = false;
              void this.grab();
            }
            if (msg.failed.includes('faces')) return;
            this.callbacks.onSignals(msg.signals, msg.snapshot ?? null, {
              failed: msg.failed,
              dropped: this.dropped,
              ...(msg.photo ? { photo: msg.photo } : {}),
            });
            return;
          case 'ERROR':
            fail({ ...(msg.model ? { model: msg.model } : {}), message: msg.message, fatal: msg.fatal === true });
            return;
          case 'DISPOSED':
            return;
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        this.busy = false;
        fail({ message: `vision worker: ${event.message || 'failed to start'}`, fatal: true });
      };
    });
    this.send({
      type: 'INIT',
      modelBase,
      wasmBase: slash(start.wasmBase ?? `${modelBase}tfjs-wasm/`),
      config: start.config,
      ...(start.options ? { options: start.options } : {}),
    });
    return this.ready;
  }

  private async attach(source: HTMLVideoElement | MediaStream): Promise<void> {
    if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) {
      this.video = source;
      return;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = source as MediaStream;
    this.video = video;
    this.ownsVideo = true;
    await video.play().catch(() => undefined); // a muted inline video may play without a gesture; grab() waits for data anyway
  }

  private async grab(): Promise<void> {
    const video = this.video;
    if (!video || !this.worker || video.readyState < 2 || video.videoWidth === 0) return;
    if (this.busy || this.grabbing) {
      this.dropped++;
      this.owed = true;
      return;
    }
    this.grabbing = true;
    try {
      const scale = Math.min(1, this.maxWidth / video.videoWidth);
      const resizeWidth = Math.max(1, Math.round(video.videoWidth * scale));
      const resizeHeight = Math.max(1, Math.round(video.videoHeight * scale));
      const t = Date.now();
      const frame =
        (scale === 1 && cameraFrame(video, t)) ||
        (await createImageBitmap(video, scale < 1 ? { resizeWidth, resizeHeight, resizeQuality: 'low' } : {}));
      if (!this.worker || this.video !== video) {
        frame.close();
        return;
      }
      this.busy = true;
      this.sent++;
      const describe = this.describeWaiters.length > 0;
      this.describeInFlight = describe;
      this.send({ type: 'DETECT', frame, t, ...(describe ? { describe } : {}), ...(this.framePhotos ? { photo: true } : {}) });
    } catch (e) {
      this.callbacks.onError?.({ message: `camera frame: ${e instanceof Error ? e.message : String(e)}`, fatal: false });
    } finally {
      this.grabbing = false;
    }
  }

  private send(msg: ToVisionWorker): void {
    this.worker?.postMessage(msg, transferablesOf(msg));
  }
}
