/** The candidate's neutral head pose (head-baseline.ts) and head.away judged from it (readings.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import { appliedBaseline, BASELINE_MIN_POSES, neutralPose } from './head-baseline';
import { headAway } from './readings';
import type { HeadPose } from './signals';

const pose = (yawDeg: number, pitchDeg: number, from?: 'keypoints'): HeadPose => ({
  yawDeg,
  pitchDeg,
  rollDeg: 0,
  ...(from ? { from } : {}),
});
const limits = DEFAULT_PROCTORING.head; // 30° yaw, 20° pitch

describe('the neutral pose from the identity step', () => {
  it('is the median of the mesh poses, so a glance aside while it is taken does not move it', () => {
    const seen = [
      pose(14, -12),
      pose(15, -11),
      null,
      pose(13, -13),
      pose(40, 0),
      pose(14, -12),
      pose(16, -10),
      pose(14, -12),
      pose(80, 0, 'keypoints'),
    ];
    expect(neutralPose(seen)).toEqual({ yawDeg: 14, pitchDeg: -12 });
  });

  it(`needs ${BASELINE_MIN_POSES} mesh poses; keypoint yaws (no pitch) and missing poses do not count`, () => {
    expect(neutralPose([pose(1, 1), pose(2, 2), pose(3, 3), pose(4, 4)])).toBeNull();
    expect(neutralPose([pose(1, 1), pose(2, 2), pose(3, 3), pose(4, 4), pose(5, 5, 'keypoints'), null])).toBeNull();
    expect(neutralPose([pose(1, 1), pose(2, 2), pose(3, 3), pose(4, 4), pose(5, 5)])).toEqual({ yawDeg: 3, pitchDeg: 3 });
  });

  it('moves the centre by at most half of each limit', () => {
    expect(appliedBaseline({ yawDeg: 14, pitchDeg: -12 }, limits)).toEqual({ yawDeg: 14, pitchDeg: -10 });
    expect(appliedBaseline({ yawDeg: -40, pitchDeg: 25 }, limits)).toEqual({ yawDeg: -15, pitchDeg: 10 });
  });
});

describe('head.away judged from the neutral pose', () => {
  const config = DEFAULT_PROCTORING;
  it('a low webcam: looking up at the screen is the norm, looking down at the desk is away', () => {
    const baseline = { yawDeg: 2, pitchDeg: -15 }; // applied as -10
    // At the screen (pitch -14): away from the camera axis by the absolute limit? No; and not from the baseline either.
    expect(headAway(pose(2, -14), config, baseline)?.holds).toBe(false);
    // Down at the desk, 12° below the camera axis: only 12° absolute, but 22° below this candidate's screen.
    expect(headAway(pose(2, 12), config)?.holds).toBe(false);
    const down = headAway(pose(2, 12), config, baseline)!;
    expect(down.holds).toBe(true);
    expect(down.detail).toEqual({ yawDeg: 2, pitchDeg: 12, baseYawDeg: 2, basePitchDeg: -10 });
  });

  it('a camera beside the screen: the turn to the screen is the norm; the ceiling holds', () => {
    const baseline = { yawDeg: 25, pitchDeg: 0 }; // applied as 15
    expect(headAway(pose(40, 0), config)?.holds).toBe(true); // from the camera axis: away
    expect(headAway(pose(40, 0), config, baseline)?.holds).toBe(false); // 25° from this candidate's screen
    expect(headAway(pose(46, 0), config, baseline)?.holds).toBe(true); // 31°: away; never beyond 1.5 x the limit
    expect(headAway(pose(-16, 0), config, baseline)?.holds).toBe(true); // the other way: 31° from the screen
  });

  it('a profile seen only by the keypoints is judged on its yaw from the baseline, with no pitch', () => {
    const baseline = { yawDeg: 14, pitchDeg: -12 };
    expect(headAway(pose(40, 0, 'keypoints'), config, baseline)?.holds).toBe(false);
    const profile = headAway(pose(84, 0, 'keypoints'), config, baseline)!;
    expect(profile.holds).toBe(true);
    expect(profile.detail).toEqual({ yawDeg: 84, poseFrom: 'keypoints', baseYawDeg: 14, basePitchDeg: -10 });
  });
});
