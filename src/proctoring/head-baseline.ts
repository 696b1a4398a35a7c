/**
 * A candidate's own neutral head pose (pure). A webcam below or beside the screen reads a candidate who looks at the
 * screen as turned: the face mesh reads the fixtures' frontal faces at ~14° of yaw, and a low laptop camera reads
 * everyone as looking up. The identity step sees the candidate looking at the screen; the median of the mesh poses
 * there is their neutral pose, and head.away is judged against it instead of against the camera axis.
 *
 * The programme's limits stay the ceiling: the baseline moves the centre by at most half of each limit, so a
 * candidate who looks away while the baseline is taken gains little, and no pose beyond 1.5 times a limit is ever
 * accepted; a camera further off than that is not a set-up to adjust for.
 */
import type { HeadPose } from './signals';

export interface HeadBaseline {
  yawDeg: number;
  pitchDeg: number;
}

/** Fewest mesh poses a baseline is taken from (about half a second of frames). */
export const BASELINE_MIN_POSES = 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The median yaw and pitch of the face mesh's poses (keypoint yaws have no pitch: left out); null with too few. */
export function neutralPose(poses: ReadonlyArray<HeadPose | null>): HeadBaseline | null {
  const mesh = poses.filter(
    (p): p is HeadPose => p !== null && p.from !== 'keypoints' && Number.isFinite(p.yawDeg) && Number.isFinite(p.pitchDeg),
  );
  if (mesh.length < BASELINE_MIN_POSES) return null;
  return { yawDeg: median(mesh.map((p) => p.yawDeg)), pitchDeg: median(mesh.map((p) => p.pitchDeg)) };
}

const clamp = (v: number, limit: number) => Math.min(limit, Math.max(-limit, v));

/** The baseline as applied under the programme's limits: each part within half its limit. */
export function appliedBaseline(baseline: HeadBaseline, limits: { maxYawDeg: number; maxPitchDeg: number }): HeadBaseline {
  return { yawDeg: clamp(baseline.yawDeg, limits.maxYawDeg / 2), pitchDeg: clamp(baseline.pitchDeg, limits.maxPitchDeg / 2) };
}
