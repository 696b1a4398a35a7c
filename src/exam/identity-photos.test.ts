import { describe, expect, it } from 'vitest';
import { keepTurnPhotos, NO_TURN_PHOTOS, type TurnPhotos } from './identity-photos';

const run = (frames: Array<{ faces: number; yawDeg: number | null; photo: string | null }>): TurnPhotos<string> =>
  frames.reduce<TurnPhotos<string>>((held, f) => keepTurnPhotos(held, f), NO_TURN_PHOTOS);

describe('keepTurnPhotos (rule 2.8.6: the photos the centre judges the turn on)', () => {
  it('keeps the very frames of the most negative and the most positive yaw of a turn', () => {
    const yaws = [14, 10, 2, -6, -13, -9, 0, 12, 24, 27, 21, 15];
    const held = run(yaws.map((yawDeg, i) => ({ faces: 1, yawDeg, photo: `frame-${i}` })));
    expect(held).toEqual({ min: { yawDeg: -13, photo: 'frame-4' }, max: { yawDeg: 27, photo: 'frame-9' } });
  });

  it('a frame with no face, several faces, no yaw or no photo never becomes an extreme', () => {
    const held = run([
      { faces: 1, yawDeg: 5, photo: 'a' },
      { faces: 2, yawDeg: -30, photo: 'two' },
      { faces: 0, yawDeg: null, photo: 'none' },
      { faces: 1, yawDeg: null, photo: 'no-mesh' },
      { faces: 1, yawDeg: 40, photo: null },
    ]);
    expect(held).toEqual({ min: { yawDeg: 5, photo: 'a' }, max: { yawDeg: 5, photo: 'a' } });
  });

  it('a still picture gives one yaw: both kept photos show no turn (the centre then refuses it)', () => {
    const held = run(Array.from({ length: 30 }, (_, i) => ({ faces: 1, yawDeg: 13.5, photo: `still-${i}` })));
    expect(held.min!.yawDeg).toBe(13.5);
    expect(held.max!.yawDeg).toBe(13.5);
  });
});
