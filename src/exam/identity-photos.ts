/**
 * Which photos of the head turn go to the centre (rule 2.8.6). Pure: frames in, the two
 * kept photos out. The centre reads the yaw in each photo itself and wants the turn both ways
 * (turnsPass in src/shared/identity.ts), so the photos must be the very frames whose yaw was the
 * most negative and the most positive of the attempt: each analysed frame comes from the vision
 * worker with a JPEG of itself (vision-protocol.ts, DETECT `photo`), and a frame is kept only while
 * it is the extreme of its side. A photo taken later from the camera would show wherever the head
 * had moved on to by then (the analysis takes ~0.1-0.3 s), which is why this is done per frame.
 */

export interface TurnPhoto<P> {
  yawDeg: number;
  photo: P;
}

export interface TurnPhotos<P> {
  /** The frame with the most negative yaw seen so far (one face in view). */
  min: TurnPhoto<P> | null;
  /** The frame with the most positive yaw seen so far (one face in view). */
  max: TurnPhoto<P> | null;
}

export const NO_TURN_PHOTOS: TurnPhotos<never> = { min: null, max: null };

/** The kept photos after one analysed frame: only a frame with one face, a yaw and a photo can replace an extreme. */
export function keepTurnPhotos<P>(held: TurnPhotos<P>, frame: { faces: number; yawDeg: number | null; photo: P | null }): TurnPhotos<P> {
  const { faces, yawDeg, photo } = frame;
  if (faces !== 1 || yawDeg === null || photo === null) return held;
  const min = !held.min || yawDeg < held.min.yawDeg ? { yawDeg, photo } : held.min;
  const max = !held.max || yawDeg > held.max.yawDeg ? { yawDeg, photo } : held.max;
  return min === held.min && max === held.max ? held : { min, max };
}
