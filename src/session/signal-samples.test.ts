import { describe, expect, it } from 'vitest';
import { signalSampleSchema } from '../shared/control-room';
import { MAX_SAMPLES, SignalRing, thinEvenly } from './signal-samples';

describe('thinEvenly', () => {
  it.each<[number, number, number[]]>([
    [5, 10, [0, 1, 2, 3, 4]],
    [10, 5, [1, 3, 5, 7, 9]],
    [10, 3, [3, 6, 9]],
    [10, 1, [9]],
    [10, 0, []],
  ])('%i items to at most %i', (n, max, expected) => {
    expect(thinEvenly([...Array(n).keys()], max)).toEqual(expected);
  });
  it('keeps the order, the newest and no duplicates', () => {
    const out = thinEvenly([...Array(97).keys()], 30);
    expect(out).toHaveLength(30);
    expect(out.at(-1)).toBe(96);
    expect([...out].sort((a, b) => a - b)).toEqual(out);
    expect(new Set(out).size).toBe(30);
  });
});

describe('SignalRing', () => {
  it('a frame carries the loudest audio heard since the previous frame', () => {
    const ring = new SignalRing();
    ring.audio(1_000, -60, 0.1);
    ring.audio(1_040, -30.04, 0.8);
    ring.audio(1_060, -50, 0.2);
    ring.frame(1_066.6, 1, 12.345, -3.21);
    ring.frame(1_133, 0, null, null);
    expect(ring.drain()).toEqual([
      { t: 1_067, faces: 1, yaw: 12.3, pitch: -3.2, levelDb: -30, speech: 0.8 },
      { t: 1_133, faces: 0, yaw: null, pitch: null, levelDb: null, speech: null },
    ]);
    expect(ring.size).toBe(0);
  });

  it('audio alone (no frames) still makes a sample once a second', () => {
    const ring = new SignalRing();
    for (let t = 10_000; t <= 12_500; t += 100) ring.audio(t, -40, null);
    const out = ring.drain();
    expect(out.map((s) => s.t)).toEqual([11_000, 12_000]);
    expect(out.every((s) => s.faces === null && s.levelDb === -40)).toBe(true);
  });

  it('is bounded: the oldest go when it is full, and a drain gives at most 30, the newest last', () => {
    const ring = new SignalRing(50);
    for (let i = 0; i < 200; i++) ring.frame(i * 66, 1, 0, 0);
    expect(ring.size).toBe(50);
    const out = ring.drain();
    expect(out).toHaveLength(MAX_SAMPLES);
    expect(out.at(-1)!.t).toBe(199 * 66);
    expect(out[0]!.t).toBeGreaterThanOrEqual(150 * 66);
    expect(ring.drain()).toEqual([]);
  });

  it('clamps to what the centre accepts', () => {
    const ring = new SignalRing();
    ring.audio(0, -500, 1.5);
    ring.frame(5, 42, 400, Number.NaN);
    ring.audio(2_000, 99, -1);
    for (const sample of ring.drain()) expect(signalSampleSchema.safeParse(sample).success, JSON.stringify(sample)).toBe(true);
  });
});
