/**
 * The live thumbnails lane: while the centre asks for it ('thumbs:set' with
 * intervalMs > 0), every intervalMs a small still of the camera (160×120 JPEG, quality lowered
 * until it fits MAX_THUMB_BYTES), with the proctoring readings since the last one when `signals`
 * is set, goes out through a send function the caller makes VOLATILE: a frame is dropped when the
 * link is busy, so it never delays answers, events or recording chunks (they go through the
 * durable outbox). Frames are never stored or retried. Nothing runs at import time.
 */
import type { SignalSample, ThumbRequest } from '../shared/control-room';
import { MAX_THUMB_BYTES } from '../shared/limits';

export { MAX_THUMB_BYTES };
export const THUMB_WIDTH = 160;
export const THUMB_HEIGHT = 120;
/** Qualities tried in turn; a 160×120 camera still is ~4-8 KB at the first. */
export const JPEG_QUALITIES = [0.7, 0.55, 0.4, 0.3, 0.2, 0.1] as const;
/** The centre asks for 1 s at the fastest; anything faster is slowed to this. */
const MIN_INTERVAL_MS = 500;

/** The first encoding, from the highest quality down, that fits `maxBytes`; null when even the lowest does not. */
export async function encodeWithinLimit(
  encode: (quality: number) => Promise<Uint8Array | null>,
  maxBytes = MAX_THUMB_BYTES,
  qualities: readonly number[] = JPEG_QUALITIES,
): Promise<Uint8Array | null> {
  for (const quality of qualities) {
    const bytes = await encode(quality);
    if (!bytes) return null;
    if (bytes.byteLength <= maxBytes) return bytes;
  }
  return null;
}

/** The centred part of a source that has the target's aspect ratio (cover, no distortion): sx, sy, sw, sh. */
export function coverCrop(srcW: number, srcH: number, dstW = THUMB_WIDTH, dstH = THUMB_HEIGHT): [number, number, number, number] {
  if (srcW <= 0 || srcH <= 0) return [0, 0, 0, 0];
  const target = dstW / dstH;
  if (srcW / srcH > target) {
    const w = srcH * target;
    return [(srcW - w) / 2, 0, w, srcH];
  }
  const h = srcW / target;
  return [0, (srcH - h) / 2, srcW, h];
}

/**
 * When the repeating stills begin after the first one: somewhere from half an interval to one and a
 * half. A proctor opening the control room asks 30 candidates at once; started together, their stills
 * stayed in step and arrived as one burst every interval (a 60–120 ms task on the proctor's page every
 * 4 s, measured with bench:control-room). Each lane's own phase spreads them over the interval; the
 * half-interval floor keeps the second still clear of the centre's frame-rate gate (LiveWatch).
 */
export function repeatPhaseMs(intervalMs: number, random: number = Math.random()): number {
  return Math.round(intervalMs * (0.5 + Math.min(Math.max(random, 0), 1)));
}

/** What the lane needs from the runtime. */
export interface ThumbnailLaneDeps {
  /** The camera's live stream (owned by devices/camera.ts; never stopped here). */
  stream(): MediaStream | null;
  /** Volatile emit of 'thumb:frame'. */
  send(frame: { jpeg: Uint8Array; samples?: SignalSample[] }): void;
  /** The readings since the last frame (the engine's ring), at most 30. */
  samples(): SignalSample[];
  /** Readings are being collected only while asked for (cheap either way). */
  collectSignals?(on: boolean): void;
}

export class ThumbnailLane {
  /** The phase's timeout, then the interval (both cleared by stop). */
  private timer: ReturnType<typeof setInterval> | null = null;
  private request: ThumbRequest = { intervalMs: 0, signals: false };
  private video: HTMLVideoElement | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private busy = false;

  constructor(private readonly deps: ThumbnailLaneDeps) {}

  get running(): boolean {
    return this.timer !== null;
  }

  /** The centre's request: how often (0 = stop) and whether to add the readings. */
  set(request: ThumbRequest): void {
    this.stop();
    if (!(request.intervalMs > 0)) return;
    this.request = { intervalMs: Math.max(MIN_INTERVAL_MS, request.intervalMs), signals: request.signals };
    this.deps.collectSignals?.(request.signals);
    if (request.signals) this.deps.samples(); // start the readings from now
    const intervalMs = this.request.intervalMs;
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => void this.capture(), intervalMs);
      void this.capture();
    }, repeatPhaseMs(intervalMs));
    void this.capture(); // the first still at once: the proctor has just looked
  }

  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
    }
    this.timer = null;
    this.deps.collectSignals?.(false);
    if (this.video) {
      this.video.pause();
      this.video.srcObject = null;
    }
    this.video = null;
    this.canvas = null;
  }

  private async capture(): Promise<void> {
    const stream = this.deps.stream();
    if (this.busy || !stream?.active) return;
    this.busy = true;
    try {
      const jpeg = await this.still(stream);
      if (!jpeg || !this.timer) return;
      this.deps.send(this.request.signals ? { jpeg, samples: this.deps.samples() } : { jpeg });
    } catch {
      /* a missed thumbnail is not worth a word: the next one comes in intervalMs */
    } finally {
      this.busy = false;
    }
  }

  /** One camera still, drawn on a 160×120 canvas and encoded as small as needed. */
  private async still(stream: MediaStream): Promise<Uint8Array | null> {
    if (!this.video || this.video.srcObject !== stream) {
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      // A muted inline video plays without a gesture; frames are awaited below either way.
      await video.play().catch(() => undefined);
      this.video = video;
    }
    const video = this.video;
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth) return null;
    const canvas = (this.canvas ??= Object.assign(document.createElement('canvas'), { width: THUMB_WIDTH, height: THUMB_HEIGHT }));
    const context = canvas.getContext('2d');
    if (!context) return null;
    const [sx, sy, sw, sh] = coverCrop(video.videoWidth, video.videoHeight);
    context.drawImage(video, sx, sy, sw, sh, 0, 0, THUMB_WIDTH, THUMB_HEIGHT);
    return encodeWithinLimit(
      (quality) =>
        new Promise<Uint8Array | null>((resolve) =>
          canvas.toBlob(
            (blob) => {
              // A frame that cannot be read is a thumbnail skipped (null); the next one is taken on time.
              if (blob)
                void blob.arrayBuffer().then(
                  (b) => resolve(new Uint8Array(b)),
                  () => resolve(null),
                );
              else resolve(null);
            },
            'image/jpeg',
            quality,
          ),
        ),
    );
  }
}
