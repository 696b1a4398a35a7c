/**
 * A signal over the whole session drawn as one SVG path, however long the session: the samples are put in
 * one bucket per pixel column and each column draws the range (min to max) seen in it, joined to the next; a
 * column without samples breaks the line. A 2-hour session (7,200 seconds) becomes at most `width` columns.
 */
import type { SecondSample } from '../shared/signal-seconds';

export type SignalKey = 'faces' | 'yaw' | 'pitch' | 'levelDb' | 'speech' | 'fps';

export interface ChartGeometry {
  width: number;
  height: number;
  /** Time span drawn, browser clock ms. */
  from: number;
  to: number;
  /** Value range drawn (values outside are clamped). */
  min: number;
  max: number;
}

export interface Column {
  x: number;
  lo: number;
  hi: number;
  /** Times of its first and last sample, ms. */
  first: number;
  last: number;
}

/** Samples further apart than this are not joined (the browser sent nothing in between: the page was away). */
export const JOIN_WITHIN_MS = 2_000;

/** The columns of one signal: min and max of the samples in each pixel column that has any. */
export function columns(samples: readonly SecondSample[], key: SignalKey, g: Pick<ChartGeometry, 'width' | 'from' | 'to'>): Column[] {
  const span = Math.max(1, g.to - g.from);
  const out = new Map<number, Column>();
  for (const s of samples) {
    const v = s[key];
    if (v === null || v === undefined) continue;
    const x = Math.min(g.width - 1, Math.max(0, Math.floor(((s.t - g.from) / span) * g.width)));
    const c = out.get(x);
    if (c) {
      c.lo = Math.min(c.lo, v);
      c.hi = Math.max(c.hi, v);
      c.first = Math.min(c.first, s.t);
      c.last = Math.max(c.last, s.t);
    } else out.set(x, { x, lo: v, hi: v, first: s.t, last: s.t });
  }
  return [...out.values()].sort((a, b) => a.x - b.x);
}

/**
 * The SVG path of the columns: a vertical stroke per column, joined to the next when their samples are close in time; a lone column is a
 * short dash.
 */
export function pathOf(cols: readonly Column[], g: ChartGeometry): string {
  const y = (v: number) => {
    const f = (Math.min(g.max, Math.max(g.min, v)) - g.min) / Math.max(1e-9, g.max - g.min);
    return (g.height - f * g.height).toFixed(1);
  };
  const parts: string[] = [];
  cols.forEach((c, i) => {
    const x = c.x + 0.5;
    const prev = cols[i - 1];
    const next = cols[i + 1];
    const joinedBefore = prev !== undefined && c.first - prev.last <= JOIN_WITHIN_MS;
    const joinedAfter = next !== undefined && next.first - c.last <= JOIN_WITHIN_MS;
    parts.push(`${joinedBefore ? 'L' : 'M'}${x} ${y(c.lo)}`);
    if (c.hi !== c.lo) parts.push(`L${x} ${y(c.hi)}`);
    else if (!joinedBefore && !joinedAfter) parts.push('h1');
  });
  return parts.join('');
}

/** The range a chart shows: fixed for angles, sound and speech; from 0 to at least a sensible top for counts. */
export function rangeOf(key: SignalKey, samples: readonly SecondSample[]): { min: number; max: number } {
  const top = (k: 'faces' | 'fps', floor: number) => Math.max(floor, ...samples.map((s) => s[k] ?? 0));
  switch (key) {
    case 'faces':
      return { min: 0, max: top('faces', 2) };
    case 'fps':
      return { min: 0, max: top('fps', 10) };
    case 'yaw':
    case 'pitch':
      return { min: -90, max: 90 };
    case 'levelDb':
      return { min: -100, max: 0 };
    case 'speech':
      return { min: 0, max: 1 };
  }
}
