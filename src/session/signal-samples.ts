/**
 * The proctoring readings for the proctor's drill-down charts, kept cheaply: a bounded
 * ring the proctoring engine feeds on every analysed frame and audio buffer. A frame's sample
 * carries the loudest audio heard since the previous frame (so a short shout is not lost between
 * frames); audio heard while no frame comes (the camera analysis stalled) still makes a sample
 * once a second. The thumbnail lane drains what arrived since its last frame, thinned evenly to
 * at most MAX_SAMPLES, values rounded and clamped to what the centre accepts.
 */
import type { SignalSample } from '../shared/control-room';

/** At most this many samples go with one thumbnail (the centre's limit). */
export const MAX_SAMPLES = 30;
const AUDIO_ONLY_AFTER_MS = 1_000;

const round = (v: number, step: number) => Math.round(v / step) * step;
const clamp = (v: number | null, min: number, max: number, step: number): number | null =>
  v === null || !Number.isFinite(v) ? null : Number(round(Math.min(max, Math.max(min, v)), step).toFixed(2));

/** The engine's side: what it hands over per frame and per audio buffer. */
export interface SignalSink {
  frame(t: number, faces: number, yawDeg: number | null, pitchDeg: number | null): void;
  audio(t: number, levelDb: number, speech: number | null): void;
}

export class SignalRing implements SignalSink {
  private readonly items: (SignalSample | null)[];
  private next = 0;
  private count = 0;
  private peakDb: number | null = null;
  private peakSpeech: number | null = null;
  /** When the last sample was made (or audio began to be heard); null after a clear. */
  private lastPushAt: number | null = null;

  constructor(readonly capacity = 120) {
    this.items = new Array<SignalSample | null>(capacity).fill(null);
  }

  /** Samples waiting to be drained. */
  get size(): number {
    return this.count;
  }

  frame(t: number, faces: number, yawDeg: number | null, pitchDeg: number | null): void {
    this.push({
      t: Math.max(0, Math.round(t)),
      faces: clamp(faces, 0, 20, 1),
      yaw: clamp(yawDeg, -180, 180, 0.1),
      pitch: clamp(pitchDeg, -180, 180, 0.1),
      levelDb: clamp(this.peakDb, -200, 20, 0.1),
      speech: clamp(this.peakSpeech, 0, 1, 0.01),
    });
    this.peakDb = null;
    this.peakSpeech = null;
  }

  audio(t: number, levelDb: number, speech: number | null): void {
    if (Number.isFinite(levelDb)) this.peakDb = this.peakDb === null ? levelDb : Math.max(this.peakDb, levelDb);
    if (speech !== null && Number.isFinite(speech)) this.peakSpeech = this.peakSpeech === null ? speech : Math.max(this.peakSpeech, speech);
    this.lastPushAt ??= t;
    if (t - this.lastPushAt < AUDIO_ONLY_AFTER_MS) return;
    this.push({
      t: Math.max(0, Math.round(t)),
      faces: null,
      yaw: null,
      pitch: null,
      levelDb: clamp(this.peakDb, -200, 20, 0.1),
      speech: clamp(this.peakSpeech, 0, 1, 0.01),
    });
    this.peakDb = null;
    this.peakSpeech = null;
  }

  private push(sample: SignalSample): void {
    this.items[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
    this.lastPushAt = sample.t;
  }

  /** Everything since the last drain (oldest first), thinned evenly to at most `max` keeping the newest; the ring is emptied. */
  drain(max = MAX_SAMPLES): SignalSample[] {
    const all: SignalSample[] = [];
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(this.next - this.count + i + this.capacity) % this.capacity];
      if (item) all.push(item);
    }
    this.clear();
    return thinEvenly(all, max);
  }

  clear(): void {
    this.items.fill(null);
    this.count = 0;
  }

  /** Forget everything, the audio peaks too (a new request for readings starts afresh). */
  reset(): void {
    this.clear();
    this.peakDb = null;
    this.peakSpeech = null;
    this.lastPushAt = null;
  }
}

/** At most `max` items of a list, evenly spread over it, always with the last one. */
export function thinEvenly<T>(items: readonly T[], max: number): T[] {
  if (max <= 0) return [];
  if (items.length <= max) return [...items];
  const out: T[] = [];
  const step = items.length / max;
  // Counted back from the newest so the last item is always kept.
  for (let i = max - 1; i >= 0; i--) out.push(items[items.length - 1 - Math.floor(i * step)]!);
  return out;
}
