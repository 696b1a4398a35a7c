/**
 * Which heavy model runs on which analysed frame: pure state + time → jobs, so the schedule is
 * tested like the incident tracker (frame-schedule.test.ts) and VisionEngine only carries it out.
 *
 * A frame is planned in three steps, at the three moments the engine can act:
 * 1. `startFrame`, before the face models: whether this frame's pose input goes to the side worker
 *    (pose then runs there while the face models run here; its keypoints join the next frame);
 * 2. `heavyJob`, once the short-range face count is known: the ONE heavy model this realm runs on
 *    the frame (full-range faces, objects or pose), so no frame pays for two;
 * 3. `endFrame`, after the frame's work: whether a copy of the frame goes to the side worker for
 *    objects (only right after a pose frame, when the side worker is idle, so objects never make a
 *    pose wait behind them); `objectsSettled` when that run ends.
 *
 * Heavy-job priority in this realm (`heavyJob`):
 * 1. the full-range face detector on its first frame, when its last count is too old to use (after
 *    a gap in the frames), when the clock went back, and when the short-range count changed since
 *    its last run (a person came or left: its older count must not linger), at most every
 *    `earlyFullRangeGapMs` so a flickering count cannot run it on every frame;
 * 2. objects, when due and they run here;
 * 3. pose, when due and it runs here (a frame taken by another model delays it by one);
 * 4. the periodic full-range check, once `fullRangeEveryMs` has passed; with pose in the side
 *    worker, on a frame that sent no pose, so the two never compete for the two cores at once.
 *
 * Measured in the exam (npm run eval, recording on, 2 cores): the frames that waited for pose set
 * the 95th percentile (p95 90-101 ms, p50 33-37); with pose no longer waited for, p95 71 ms, p50 24.
 */

/**
 * Where a heavy model runs: not at all, in this realm, in the side worker, or there once it has loaded (frames list it as failed
 * meanwhile).
 */
export type Placement = 'off' | 'here' | 'beside' | 'beside-loading';

export interface FramePlacements {
  pose: Placement;
  objects: Placement;
  /** The full-range face detector is wanted (face model 'both') and loaded. */
  fullRange: boolean;
}

export interface FrameScheduleRules {
  /** Pose once this many frames have passed since it last ran (config.body.everyNthFrame; at least 1). */
  poseEveryNthFrame: number;
  /** Objects once this much time has passed since their last run (config.objects.intervalSec). */
  objectsEveryMs: number;
  /** The periodic full-range check (options.fullRangeEveryMs). */
  fullRangeEveryMs: number;
  /** A full-range count older than this is not used, and is taken again first (options.fullRangeFreshMs). */
  fullRangeFreshMs: number;
  /** A full-range run triggered by a change of the short-range count waits at least this long after the last one. */
  earlyFullRangeGapMs: number;
}

export const EARLY_FULL_RANGE_GAP_MS = 200;

export interface FrameScheduleState {
  /** Frames since pose last ran (or was tried); Infinity before the first. */
  framesSincePose: number;
  /** Frame time of the last objects run (also of a failed one: a failing slow model must not run on every frame). */
  lastObjectsT: number | null;
  /** The last full-range run: its frame time and the short-range count on that frame. */
  fullRange: { t: number; shortCount: number } | null;
  /** An objects run is under way in the side worker. */
  objectsInFlight: boolean;
}

export const initialFrameSchedule = (): FrameScheduleState => ({
  framesSincePose: Infinity,
  lastObjectsT: null,
  fullRange: null,
  objectsInFlight: false,
});

export type HeavyJob = 'facesFull' | 'objects' | 'pose';

/** 'send': run it in the side worker on this frame; 'unavailable': it was due but has not loaded there (list it as failed). */
export type BesideStep = 'send' | 'unavailable' | null;

const besidePlaced = (p: Placement) => p === 'beside' || p === 'beside-loading';

function poseDue(s: FrameScheduleState, rules: FrameScheduleRules): boolean {
  return s.framesSincePose >= Math.max(1, rules.poseEveryNthFrame);
}

function objectsDue(s: FrameScheduleState, rules: FrameScheduleRules, t: number): boolean {
  const last = s.lastObjectsT;
  return last === null || t < last || t - last >= rules.objectsEveryMs;
}

/** Step 1, before the face models: does this frame's pose go to the side worker? `sideBusy`: a request is running or waiting there. */
export function startFrame(
  s: FrameScheduleState,
  where: FramePlacements,
  rules: FrameScheduleRules,
  sideBusy: boolean,
): { state: FrameScheduleState; pose: BesideStep } {
  if (!besidePlaced(where.pose)) return { state: s, pose: null };
  if (!poseDue(s, rules)) return { state: { ...s, framesSincePose: s.framesSincePose + 1 }, pose: null };
  if (where.pose === 'beside-loading') return { state: { ...s, framesSincePose: 1 }, pose: 'unavailable' };
  if (sideBusy) return { state: s, pose: null }; // objects are running there: pose on the next frame
  return { state: { ...s, framesSincePose: 1 }, pose: 'send' };
}

/**
 * Step 2: the one heavy model of this frame in this realm. `shortCount` is the frame's short-range
 * face count (null when unknown: the face detector failed or is off), `poseSent` whether step 1 sent pose.
 */
export function heavyJob(
  s: FrameScheduleState,
  where: FramePlacements,
  rules: FrameScheduleRules,
  t: number,
  shortCount: number | null,
  poseSent: boolean,
): { state: FrameScheduleState; job: HeavyJob | null } {
  const job = pickHeavyJob(s, where, rules, t, shortCount, poseSent);
  let state = s;
  if (job === 'pose') state = { ...state, framesSincePose: 1 };
  else if (!besidePlaced(where.pose)) state = { ...state, framesSincePose: state.framesSincePose + 1 };
  if (job === 'objects') state = { ...state, lastObjectsT: t };
  // A failed run still counts as a run for the schedule (no retry on every frame).
  if (job === 'facesFull') state = { ...state, fullRange: { t, shortCount: shortCount ?? 0 } };
  return { state, job };
}

function pickHeavyJob(
  s: FrameScheduleState,
  where: FramePlacements,
  rules: FrameScheduleRules,
  t: number,
  shortCount: number | null,
  poseSent: boolean,
): HeavyJob | null {
  const full = s.fullRange;
  const fullAge = full ? t - full.t : Infinity;
  const fullUsable = where.fullRange && shortCount !== null;
  const countChanged = full !== null && shortCount !== full.shortCount && fullAge >= rules.earlyFullRangeGapMs;
  if (fullUsable && (!full || fullAge < 0 || fullAge > rules.fullRangeFreshMs || countChanged)) return 'facesFull';
  if (where.objects === 'here' && objectsDue(s, rules, t)) return 'objects';
  if (where.pose === 'here' && poseDue(s, rules)) return 'pose';
  const poseFramesBeside = where.pose === 'beside';
  if (fullUsable && fullAge >= rules.fullRangeEveryMs && !(poseFramesBeside && poseSent)) return 'facesFull';
  return null;
}

/** Step 3, after the frame's work: does a copy of this frame go to the side worker for objects? */
export function endFrame(
  s: FrameScheduleState,
  where: FramePlacements,
  rules: FrameScheduleRules,
  t: number,
  sideBusy: boolean,
): { state: FrameScheduleState; objects: BesideStep } {
  if (!besidePlaced(where.objects) || !objectsDue(s, rules, t) || s.objectsInFlight) return { state: s, objects: null };
  // Right after a pose run: the side worker is idle now and stays so until the next pose is due.
  if (sideBusy || (where.pose === 'beside' && s.framesSincePose !== 1)) return { state: s, objects: null };
  if (where.objects === 'beside-loading') return { state: { ...s, lastObjectsT: t }, objects: 'unavailable' };
  return { state: { ...s, lastObjectsT: t, objectsInFlight: true }, objects: 'send' };
}

/** The side worker's objects run ended (found, failed or timed out). */
export const objectsSettled = (s: FrameScheduleState): FrameScheduleState => ({ ...s, objectsInFlight: false });
