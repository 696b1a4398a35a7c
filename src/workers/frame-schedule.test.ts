import { describe, expect, it } from 'vitest';
import {
  endFrame,
  heavyJob,
  initialFrameSchedule,
  objectsSettled,
  startFrame,
  type FramePlacements,
  type FrameScheduleRules,
  type FrameScheduleState,
  type HeavyJob,
} from './frame-schedule';

const RULES: FrameScheduleRules = {
  poseEveryNthFrame: 3,
  objectsEveryMs: 1500,
  fullRangeEveryMs: 1000,
  fullRangeFreshMs: 1500,
  earlyFullRangeGapMs: 200,
};
const BESIDE: FramePlacements = { pose: 'beside', objects: 'beside', fullRange: true };
const HERE: FramePlacements = { pose: 'here', objects: 'here', fullRange: true };

interface Frame {
  t: number;
  /** Objects were running in the side worker when the frame started. */
  sideBusy: boolean;
  poseSent: boolean;
  poseUnavailable: boolean;
  job: HeavyJob | null;
  objectsSent: boolean;
  objectsUnavailable: boolean;
}

/**
 * Runs the schedule over `frames` frames every `frameMs`, as VisionEngine does; the side worker is
 * busy for `objectsMs` after objects are sent (then they settle), and faces(i) is frame i's short-range count.
 */
function simulate(opts: {
  where: FramePlacements;
  frames: number;
  frameMs?: number;
  objectsMs?: number;
  faces?: (i: number) => number | null;
  rules?: FrameScheduleRules;
}): Frame[] {
  const { where, frames, frameMs = 66, objectsMs = 400, faces = () => 1, rules = RULES } = opts;
  let s: FrameScheduleState = initialFrameSchedule();
  let objectsUntil = -Infinity;
  const out: Frame[] = [];
  for (let i = 0; i < frames; i++) {
    const t = 1000 + i * frameMs;
    if (s.objectsInFlight && t >= objectsUntil) s = objectsSettled(s);
    const start = startFrame(s, where, rules, s.objectsInFlight);
    const heavy = heavyJob(start.state, where, rules, t, faces(i), start.pose === 'send');
    const end = endFrame(heavy.state, where, rules, t, heavy.state.objectsInFlight);
    s = end.state;
    if (end.objects === 'send') objectsUntil = t + objectsMs;
    out.push({
      t,
      sideBusy: start.state.objectsInFlight,
      poseSent: start.pose === 'send',
      poseUnavailable: start.pose === 'unavailable',
      job: heavy.job,
      objectsSent: end.objects === 'send',
      objectsUnavailable: end.objects === 'unavailable',
    });
  }
  return out;
}

const indexes = (frames: Frame[], pick: (f: Frame) => boolean) => frames.flatMap((f, i) => (pick(f) ? [i] : []));

describe('frame schedule, pose and objects in the side worker (the browser)', () => {
  const run = simulate({ where: BESIDE, frames: 150 });

  it('runs at most one heavy model per frame in this realm, and never pose or objects here', () => {
    expect(run.every((f) => f.job === null || f.job === 'facesFull')).toBe(true);
  });

  it('sends pose every third frame while the side worker is free, and waits a frame while objects run there', () => {
    const poses = indexes(run, (f) => f.poseSent);
    const gaps = poses.slice(1).map((p, i) => p - poses[i]!);
    expect(poses[0]).toBe(0);
    expect(new Set(gaps)).toEqual(new Set([3, 7])); // 3 frames, or until objects (400 ms = 7 frames) are done
    expect(poses.every((p) => !run[p]!.sideBusy)).toBe(true);
    expect(run.filter((f) => f.sideBusy).length).toBeGreaterThan(20); // the case arises
  });

  it('sends objects only on a pose frame (the side worker is idle right after pose), every 1.5 s at most', () => {
    const objects = indexes(run, (f) => f.objectsSent);
    expect(objects.length).toBeGreaterThanOrEqual(5);
    for (const i of objects) expect(run[i]!.poseSent).toBe(true);
    const times = objects.map((i) => run[i]!.t);
    for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(1500);
    expect(times[0]).toBe(1000); // the first frame
  });

  it('puts the periodic full-range check on frames that send no pose, so the two never share the cores', () => {
    const fulls = indexes(run, (f) => f.job === 'facesFull');
    expect(fulls[0]).toBe(0); // the first frame takes a count (pose is sent there too)
    expect(fulls.length).toBeGreaterThanOrEqual(9); // ~every 1 s over 10 s
    for (const i of fulls.slice(1)) expect(run[i]!.poseSent).toBe(false);
    const times = fulls.map((i) => run[i]!.t);
    for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeLessThanOrEqual(1500); // never older than fresh
  });
});

describe('frame schedule, everything in this realm (no side worker)', () => {
  const run = simulate({ where: HERE, frames: 150 });

  it('gives each frame at most one heavy model, objects before pose', () => {
    expect(run[0]!.job).toBe('facesFull');
    expect(run[1]!.job).toBe('objects');
    expect(run[2]!.job).toBe('pose'); // due since frame 0, delayed by the two frames taken
    expect(run.every((f) => !f.poseSent && !f.objectsSent)).toBe(true);
  });

  it('runs pose every third frame unless another model takes the frame', () => {
    const poses = indexes(run, (f) => f.job === 'pose');
    const gaps = poses.slice(1).map((p, i) => p - poses[i]!);
    expect(Math.min(...gaps)).toBe(3);
    expect(Math.max(...gaps)).toBe(4);
    // Every delayed pose was delayed by a frame that ran another model.
    poses.slice(1).forEach((p, i) => {
      if (p - poses[i]! === 4) expect(run[p - 1]!.job).not.toBeNull();
    });
  });

  it('runs objects every 1.5 s and the periodic full-range check every 1 s', () => {
    const objects = indexes(run, (f) => f.job === 'objects').map((i) => run[i]!.t);
    const fulls = indexes(run, (f) => f.job === 'facesFull').map((i) => run[i]!.t);
    for (let k = 1; k < objects.length; k++) expect(objects[k]! - objects[k - 1]!).toBeGreaterThanOrEqual(1500);
    for (let k = 1; k < objects.length; k++) expect(objects[k]! - objects[k - 1]!).toBeLessThan(1500 + 2 * 66 + 1);
    for (let k = 1; k < fulls.length; k++) expect(fulls[k]! - fulls[k - 1]!).toBeGreaterThanOrEqual(1000);
  });
});

describe('frame schedule, the full-range detector', () => {
  it('runs early when the short-range count changes, but not more often than every 200 ms', () => {
    // The count flickers 2, 1, 2, 1, … from frame 20 on: a person half in view.
    const run = simulate({ where: BESIDE, frames: 60, faces: (i) => (i < 20 ? 1 : 2 - (i % 2)) });
    const fulls = indexes(run, (f) => f.job === 'facesFull');
    const early = fulls.filter((i) => i >= 20);
    // Soon after the change (at most the 200 ms gap after the last run, and a frame whose count differs).
    expect(run[early[0]!]!.t - run[20]!.t).toBeLessThanOrEqual(200 + 66);
    const times = early.map((i) => run[i]!.t);
    for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(200);
    expect(early.length).toBeGreaterThan(7); // it keeps checking while the count flickers
  });

  it('takes a fresh count after a gap in the frames and when the clock goes back', () => {
    const where = BESIDE;
    let s = heavyJob(initialFrameSchedule(), where, RULES, 1000, 1, false).state;
    expect(s.fullRange).toEqual({ t: 1000, shortCount: 1 });
    expect(heavyJob(s, where, RULES, 1100, 1, false).job).toBeNull();
    expect(heavyJob(s, where, RULES, 1000 + 1501, 1, false).job).toBe('facesFull'); // too old to use
    expect(heavyJob(s, where, RULES, 900, 1, false).job).toBe('facesFull'); // clock went back
    s = heavyJob(s, where, RULES, 1100, 1, false).state;
    expect(heavyJob(s, where, RULES, 2100, 1, true).job).toBeNull(); // periodic, but pose was sent on this frame
    expect(heavyJob(s, where, RULES, 2100, 1, false).job).toBe('facesFull');
  });

  it('never runs when the face count is unknown or the detector is not there', () => {
    const s = initialFrameSchedule();
    expect(heavyJob(s, BESIDE, RULES, 1000, null, true).job).toBeNull();
    expect(heavyJob(s, { ...BESIDE, fullRange: false }, RULES, 1000, 1, true).job).toBeNull();
  });
});

describe('frame schedule, models still loading in the side worker', () => {
  it('lists pose and objects as unavailable when due, at their own pace, until they load', () => {
    const run = simulate({ where: { pose: 'beside-loading', objects: 'beside-loading', fullRange: true }, frames: 30 });
    expect(indexes(run, (f) => f.poseUnavailable)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(indexes(run, (f) => f.objectsUnavailable).map((i) => run[i]!.t - 1000)).toEqual([0, 1518]);
    expect(run.some((f) => f.poseSent || f.objectsSent)).toBe(false);
  });

  it('sends objects on any frame once pose is not beside (off)', () => {
    const where: FramePlacements = { pose: 'off', objects: 'beside', fullRange: true };
    const s = heavyJob(initialFrameSchedule(), where, RULES, 1000, 1, false).state;
    expect(endFrame(s, where, RULES, 1000, false).objects).toBe('send');
    expect(endFrame(s, where, RULES, 1000, true).objects).toBeNull(); // the side worker is busy (loading)
  });

  it('sends no second objects run while one is in flight, and one once it settles and is due', () => {
    const where: FramePlacements = { pose: 'off', objects: 'beside', fullRange: false };
    const sent = endFrame(initialFrameSchedule(), where, RULES, 1000, false).state;
    expect(sent.objectsInFlight).toBe(true);
    expect(endFrame(sent, where, RULES, 5000, false).objects).toBeNull();
    expect(endFrame(objectsSettled(sent), where, RULES, 2000, false).objects).toBeNull(); // not due yet
    expect(endFrame(objectsSettled(sent), where, RULES, 2500, false).objects).toBe('send');
  });
});
