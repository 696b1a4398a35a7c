import { describe, expect, it } from 'vitest';
import { coverCrop, encodeWithinLimit, JPEG_QUALITIES, MAX_THUMB_BYTES, repeatPhaseMs } from './thumbnail-lane';

describe('encodeWithinLimit: JPEG quality lowered until the still fits', () => {
  const sizes = (bytesAt: (q: number) => number | null) => {
    const tried: number[] = [];
    const encode = async (q: number) => {
      tried.push(q);
      const n = bytesAt(q);
      return n === null ? null : new Uint8Array(n);
    };
    return { tried, encode };
  };

  it('the first quality that fits, from the highest down', async () => {
    const { tried, encode } = sizes((q) => Math.round(q * 40_000));
    const out = await encodeWithinLimit(encode);
    expect(out!.byteLength).toBeLessThanOrEqual(MAX_THUMB_BYTES);
    expect(tried).toEqual([0.7, 0.55, 0.4, 0.3]);
  });

  it('one try when the first fits', async () => {
    const { tried, encode } = sizes(() => 5_000);
    expect((await encodeWithinLimit(encode))!.byteLength).toBe(5_000);
    expect(tried).toEqual([JPEG_QUALITIES[0]]);
  });

  it('none when even the lowest quality is too big, or the encoder fails', async () => {
    expect(await encodeWithinLimit(sizes(() => MAX_THUMB_BYTES + 1).encode)).toBeNull();
    const failing = sizes(() => null);
    expect(await encodeWithinLimit(failing.encode)).toBeNull();
    expect(failing.tried).toHaveLength(1);
  });
});

describe('coverCrop: the centred 4:3 part of the camera picture', () => {
  it.each<[number, number, [number, number, number, number]]>([
    [640, 480, [0, 0, 640, 480]],
    [1280, 720, [160, 0, 960, 720]],
    [480, 640, [0, 140, 480, 360]],
    [0, 0, [0, 0, 0, 0]],
  ])('%i×%i', (w, h, crop) => expect(coverCrop(w, h)).toEqual(crop));
});

describe('repeatPhaseMs: lanes asked together repeat out of step', () => {
  it("from half an interval to one and a half, so the second still clears the centre's gate", () => {
    expect(repeatPhaseMs(4_000, 0)).toBe(2_000);
    expect(repeatPhaseMs(4_000, 0.5)).toBe(4_000);
    expect(repeatPhaseMs(4_000, 1)).toBe(6_000);
    expect(repeatPhaseMs(4_000, -3)).toBe(2_000);
    expect(repeatPhaseMs(4_000, 7)).toBe(6_000);
  });
  it('thirty lanes asked at once are spread over the whole interval', () => {
    const phases = Array.from({ length: 30 }, (_, i) => repeatPhaseMs(4_000, (i + 0.5) / 30) % 4_000);
    const quarters = [0, 1, 2, 3].map((q) => phases.filter((p) => Math.floor(p / 1_000) === q).length);
    expect(Math.min(...quarters)).toBeGreaterThanOrEqual(7);
  });
});
