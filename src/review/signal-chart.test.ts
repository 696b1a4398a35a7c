import { describe, expect, it } from 'vitest';
import type { SecondSample } from '../shared/signal-seconds';
import { columns, pathOf, rangeOf } from './signal-chart';

const T = 1_750_000_000_000;
const s = (i: number, faces: number | null): SecondSample => ({
  t: T + i * 1000,
  faces,
  yaw: null,
  pitch: null,
  levelDb: null,
  speech: null,
  fps: 5,
});

describe('signal chart', () => {
  it('one column per pixel with the min and max of its samples; empty columns break the line', () => {
    const samples = [s(0, 1), s(1, 2), s(2, 0), s(3, null), s(6, 1), s(7, 1)];
    const g = { width: 4, from: T, to: T + 8_000 };
    expect(columns(samples, 'faces', g)).toEqual([
      { x: 0, lo: 1, hi: 2, first: T, last: T + 1_000 },
      { x: 1, lo: 0, hi: 0, first: T + 2_000, last: T + 2_000 },
      { x: 3, lo: 1, hi: 1, first: T + 6_000, last: T + 7_000 },
    ]);
    // Seconds 3–5 sent nothing: the line breaks there; the last column stands alone and is drawn as a dash.
    expect(pathOf(columns(samples, 'faces', g), { ...g, height: 10, min: 0, max: 2 })).toBe('M0.5 5.0L0.5 0.0L1.5 10.0M3.5 5.0h1');
  });

  it('a short session: columns far apart in pixels but a second apart in time are joined', () => {
    const samples = [s(0, 1), s(1, 1), s(2, 2)];
    const g = { width: 800, from: T, to: T + 2_000, height: 10, min: 0, max: 2 };
    expect(pathOf(columns(samples, 'faces', g), g)).toBe('M0.5 5.0L400.5 5.0L799.5 0.0');
  });

  it('a 2-hour session becomes at most one column per pixel, quickly', () => {
    const samples = Array.from({ length: 7_200 }, (_, i) => s(i, i % 3));
    const started = performance.now();
    const cols = columns(samples, 'faces', { width: 800, from: T, to: T + 7_200_000 });
    const path = pathOf(cols, { width: 800, height: 60, from: T, to: T + 7_200_000, min: 0, max: 2 });
    const ms = performance.now() - started;
    expect(cols).toHaveLength(800);
    expect(path.length).toBeLessThan(30_000);
    expect(ms).toBeLessThan(100);
  });

  it('ranges: fixed for angles, sound and speech; counts from 0 to at least a floor', () => {
    expect(rangeOf('yaw', [])).toEqual({ min: -90, max: 90 });
    expect(rangeOf('faces', [s(0, 4)])).toEqual({ min: 0, max: 4 });
    expect(rangeOf('fps', [s(0, 1)])).toEqual({ min: 0, max: 10 });
  });
});
