/**
 * The proctoring signals of the whole session, one aggregate per second, for the reviewer's charts. The
 * browser already computes them on every analysed frame and audio buffer (the control room's live charts); it sends
 * the per-second aggregates in the session log in batches ('signals.seconds', durable like every client event), so a
 * 2-hour session is 7,200 small rows, bounded and validated here.
 */
import { z } from 'zod';

/** Seconds per logged batch (the browser sends a batch when this many are complete) and the most one entry may hold. */
export const SIGNAL_BATCH_SECONDS = 30;
export const MAX_SECONDS_PER_ENTRY = 60;

export interface SecondSample {
  /** The second's start, browser clock, ms (a multiple of 1000). */
  t: number;
  /** Most faces seen in a frame of that second. */
  faces: number | null;
  /** Mean head turn and tilt, degrees. */
  yaw: number | null;
  pitch: number | null;
  /** Loudest sound level, dBFS. */
  levelDb: number | null;
  /** Highest speech probability, 0..1. */
  speech: number | null;
  /** Frames analysed in that second. */
  fps: number;
}

const num = (min: number, max: number) => z.number().finite().min(min).max(max).nullable();
/**
 * On the wire (a log entry's data is at most 4 KB): the first second's time and one tuple per second,
 * [seconds after t0, faces, yaw, pitch, levelDb, speech, fps]; 60 of them take about 2 KB.
 */
const secondTuple = z.tuple([
  z.number().int().min(0).max(3_600),
  num(0, 20),
  num(-180, 180),
  num(-180, 180),
  num(-200, 20),
  num(0, 1),
  z.number().int().min(0).max(120),
]);
export const signalSecondsSchema = z
  .object({
    t0: z
      .number()
      .int()
      .min(0)
      .refine((t) => t % 1000 === 0, 'a whole second'),
    s: z.array(secondTuple).min(1).max(MAX_SECONDS_PER_ENTRY),
  })
  .strict()
  .refine((d) => d.s.every((x, i) => i === 0 || x[0] > d.s[i - 1]![0]), 'seconds in ascending order, each once');
export type SignalSecondsData = z.infer<typeof signalSecondsSchema>;

export function encodeSeconds(samples: readonly SecondSample[]): SignalSecondsData {
  const t0 = samples[0]?.t ?? 0;
  return { t0, s: samples.map((x) => [Math.round((x.t - t0) / 1000), x.faces, x.yaw, x.pitch, x.levelDb, x.speech, x.fps]) };
}

export function decodeSeconds(d: SignalSecondsData): SecondSample[] {
  return d.s.map(([dt, faces, yaw, pitch, levelDb, speech, fps]) => ({ t: d.t0 + dt * 1000, faces, yaw, pitch, levelDb, speech, fps }));
}

/** The samples of a session's log entries, in time order, each second once (a resent batch overlaps). */
export function secondsOfLog(entries: ReadonlyArray<{ data: unknown }>): SecondSample[] {
  const bySecond = new Map<number, SecondSample>();
  for (const e of entries) {
    const parsed = signalSecondsSchema.safeParse(e.data);
    if (parsed.success) for (const s of decodeSeconds(parsed.data)) bySecond.set(s.t, s);
  }
  return [...bySecond.values()].sort((a, b) => a.t - b.t);
}
