/**
 * The browser's side of the per-second signals (src/shared/signal-seconds.ts). Fed by the proctoring engine
 * on every analysed frame and audio buffer (the same SignalSink the control room's ring uses), it closes each second
 * into one aggregate (most faces, mean head turn and tilt, loudest level, highest speech probability, frames
 * analysed) and hands over SIGNAL_BATCH_SECONDS of them at a time, to be logged as one 'signals.seconds' entry.
 */
import { SIGNAL_BATCH_SECONDS, type SecondSample } from '../shared/signal-seconds';
import type { SignalSink } from './signal-samples';

interface Open {
  t: number;
  frames: number;
  faces: number | null;
  yawSum: number;
  yawN: number;
  pitchSum: number;
  pitchN: number;
  levelDb: number | null;
  speech: number | null;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

export class SignalSeconds implements SignalSink {
  private open: Open | null = null;
  private done: SecondSample[] = [];
  private held = false;

  constructor(
    private readonly onBatch: (samples: SecondSample[]) => void,
    private readonly batch = SIGNAL_BATCH_SECONDS,
  ) {}

  /** While held (the exam is being submitted, or has ended), readings are not aggregated. */
  hold(on: boolean): void {
    this.held = on;
    if (on) this.open = null;
  }

  frame(t: number, faces: number, yawDeg: number | null, pitchDeg: number | null): void {
    const s = this.second(t);
    if (!s) return;
    s.frames += 1;
    s.faces = Math.max(s.faces ?? 0, clamp(Math.round(faces), 0, 20));
    if (yawDeg !== null && Number.isFinite(yawDeg)) ((s.yawSum += clamp(yawDeg, -180, 180)), (s.yawN += 1));
    if (pitchDeg !== null && Number.isFinite(pitchDeg)) ((s.pitchSum += clamp(pitchDeg, -180, 180)), (s.pitchN += 1));
  }

  audio(t: number, levelDb: number, speech: number | null): void {
    const s = this.second(t);
    if (!s) return;
    if (Number.isFinite(levelDb)) s.levelDb = Math.max(s.levelDb ?? -200, clamp(levelDb, -200, 20));
    if (speech !== null && Number.isFinite(speech)) s.speech = Math.max(s.speech ?? 0, clamp(speech, 0, 1));
  }

  /** Hands over what is complete (and, with `all`, the second still open): at the end of the exam. */
  flush(all = true): void {
    if (all && this.open) this.close();
    if (this.done.length) this.onBatch(this.done.splice(0));
  }

  private second(t: number): Open | null {
    if (this.held || !Number.isFinite(t) || t < 0) return null;
    const at = Math.floor(t / 1000) * 1000;
    if (this.open && at < this.open.t) return null; // a late reading of a closed second is dropped
    if (this.open && at > this.open.t) this.close();
    this.open ??= { t: at, frames: 0, faces: null, yawSum: 0, yawN: 0, pitchSum: 0, pitchN: 0, levelDb: null, speech: null };
    return this.open;
  }

  private close(): void {
    const o = this.open!;
    this.open = null;
    this.done.push({
      t: o.t,
      faces: o.faces,
      yaw: o.yawN ? r1(o.yawSum / o.yawN) : null,
      pitch: o.pitchN ? r1(o.pitchSum / o.pitchN) : null,
      levelDb: o.levelDb === null ? null : r1(o.levelDb),
      speech: o.speech === null ? null : Math.round(o.speech * 100) / 100,
      fps: Math.min(120, o.frames),
    });
    if (this.done.length >= this.batch) this.onBatch(this.done.splice(0));
  }
}

/** One engine sink feeding several (the per-second aggregates always; the control room's ring while a proctor asks). */
export class TeeSink implements SignalSink {
  ring: SignalSink | null = null;
  constructor(private readonly always: SignalSink) {}
  frame(t: number, faces: number, yawDeg: number | null, pitchDeg: number | null): void {
    this.always.frame(t, faces, yawDeg, pitchDeg);
    this.ring?.frame(t, faces, yawDeg, pitchDeg);
  }
  audio(t: number, levelDb: number, speech: number | null): void {
    this.always.audio(t, levelDb, speech);
    this.ring?.audio(t, levelDb, speech);
  }
}
