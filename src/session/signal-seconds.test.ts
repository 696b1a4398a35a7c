import { describe, expect, it } from 'vitest';
import { decodeSeconds, encodeSeconds, signalSecondsSchema } from '../shared/signal-seconds';
import type { SecondSample } from '../shared/signal-seconds';
import { SignalSeconds, TeeSink } from './signal-seconds';

const T = 1_750_000_000_000;

describe('SignalSeconds', () => {
  it('closes each second into one aggregate: most faces, mean yaw and pitch, loudest level, highest speech, frames', () => {
    const batches: SecondSample[][] = [];
    const s = new SignalSeconds((b) => batches.push(b), 2);
    s.frame(T + 100, 1, 10, -4);
    s.audio(T + 150, -50, 0.1);
    s.frame(T + 400, 2, 20, -6);
    s.audio(T + 500, -30, 0.7);
    s.frame(T + 900, 1, null, null);
    s.frame(T + 1_200, 0, null, null); // the next second closes the first
    s.audio(T + 2_050, -60, null); // and this one the second: a batch of 2
    expect(batches).toEqual([
      [
        { t: T, faces: 2, yaw: 15, pitch: -5, levelDb: -30, speech: 0.7, fps: 3 },
        { t: T + 1_000, faces: 0, yaw: null, pitch: null, levelDb: null, speech: null, fps: 1 },
      ],
    ]);
    s.frame(T + 1_500, 3, 0, 0); // late: its second is closed
    s.flush();
    expect(batches[1]).toEqual([{ t: T + 2_000, faces: null, yaw: null, pitch: null, levelDb: -60, speech: null, fps: 0 }]);
    expect(batches.every((b) => signalSecondsSchema.safeParse(encodeSeconds(b)).success)).toBe(true);
  });

  it('while held (the exam being submitted or ended) nothing is aggregated; released, it goes on', () => {
    const got: SecondSample[][] = [];
    const s = new SignalSeconds((b) => got.push(b), 1);
    s.frame(0, 1, 0, 0);
    s.hold(true); // the open second is dropped with the hold, and nothing new opens
    s.frame(1_000, 1, 0, 0);
    s.frame(2_000, 1, 0, 0);
    s.flush();
    expect(got).toEqual([]);
    s.hold(false);
    s.frame(3_000, 2, 0, 0);
    s.flush();
    expect(got.flat().map((x) => [x.t, x.faces])).toEqual([[3_000, 2]]);
  });

  it('clamps what the centre would refuse', () => {
    const got: SecondSample[][] = [];
    const s = new SignalSeconds((b) => got.push(b), 1);
    s.frame(T, 50, 500, -500);
    s.audio(T, 99, 3);
    s.flush();
    expect(got[0]![0]).toEqual({ t: T, faces: 20, yaw: 180, pitch: -180, levelDb: 20, speech: 1, fps: 1 });
    expect(signalSecondsSchema.safeParse(encodeSeconds(got[0]!)).success).toBe(true);
  });

  it('the tee feeds the ring only while one is set', () => {
    const seen: string[] = [];
    const sink = (name: string) => ({ frame: () => void seen.push(`${name}:frame`), audio: () => void seen.push(`${name}:audio`) });
    const tee = new TeeSink(sink('always'));
    tee.frame(T, 1, 0, 0);
    tee.ring = sink('ring');
    tee.audio(T, -40, null);
    expect(seen).toEqual(['always:frame', 'always:audio', 'ring:audio']);
  });
});

describe('signalSecondsSchema', () => {
  const ok: SecondSample = { t: T, faces: 1, yaw: 0, pitch: 0, levelDb: -40, speech: 0.1, fps: 10 };
  const worst: SecondSample = { t: T, faces: 20, yaw: -179.9, pitch: -179.9, levelDb: -199.9, speech: 0.99, fps: 120 };
  it('round-trips, and 60 worst-case seconds fit a log entry (4 KB)', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...worst, t: T + i * 2_000 }));
    const wire = encodeSeconds(many);
    expect(signalSecondsSchema.safeParse(wire).success).toBe(true);
    expect(decodeSeconds(wire)).toEqual(many);
    expect(JSON.stringify(wire).length).toBeLessThan(4096);
  });
  it('refuses out-of-range values, unordered seconds, too many, and extra fields', () => {
    const enc = (xs: SecondSample[]) => encodeSeconds(xs);
    expect(signalSecondsSchema.safeParse(enc([ok])).success).toBe(true);
    expect(signalSecondsSchema.safeParse(enc([{ ...ok, fps: 500 }])).success).toBe(false);
    expect(signalSecondsSchema.safeParse({ t0: T + 5, s: [[0, 1, 0, 0, -40, 0.1, 10]] }).success).toBe(false);
    expect(signalSecondsSchema.safeParse(enc([ok, ok])).success).toBe(false);
    expect(signalSecondsSchema.safeParse(enc(Array.from({ length: 61 }, (_, i) => ({ ...ok, t: T + i * 1000 })))).success).toBe(false);
    expect(signalSecondsSchema.safeParse({ ...enc([ok]), extra: 1 }).success).toBe(false);
    expect(signalSecondsSchema.safeParse({ t0: T, s: [] }).success).toBe(false);
  });
});
