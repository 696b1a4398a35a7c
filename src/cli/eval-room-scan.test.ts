/** The labelled turn `npm run eval -- --room-scan` scores the browser's heading against (labels.json yaw_deg_by_s). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../testing/mjpeg';
import { headingErrors, labelledYaw, type RoomScanLabel } from './eval-room-scan';

const labels = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'labels.json'), 'utf8')) as { files: Record<string, RoomScanLabel> };
const full = labels.files['room-scan-full.mjpeg']!;
const partial = labels.files['room-scan-partial.mjpeg']!;

describe('labelled yaw of the looping room-scan clips', () => {
  it('the full turn keeps growing through the loop; the partial one goes out and back and repeats', () => {
    expect(labelledYaw(full, 0)).toBe(0);
    expect(labelledYaw(full, 10.5)).toBeCloseTo(126.1, 1);
    expect(labelledYaw(full, 29.99)).toBeCloseTo(360, 0);
    expect(labelledYaw(full, 40)).toBeCloseTo(360 + 120.1, 1);
    expect(labelledYaw(partial, 10)).toBeCloseTo(119.7, 1);
    expect(labelledYaw(partial, 25)).toBeCloseTo(60.1, 1);
  });

  it('scores the heading since the first frame of the scan, on measured frames only', () => {
    const camera = 1_000_000;
    const at = (sec: number) => camera + sec * 1000;
    const frames = [
      { t: at(5), headingDeg: 0, status: 'start' as const, ms: 1 },
      { t: at(6), headingDeg: 12.5, status: 'ok' as const, ms: 1 },
      { t: at(7), headingDeg: 99, status: 'low_texture' as const, ms: 1 },
      { t: at(8), headingDeg: 35, status: 'ok' as const, ms: 1 },
    ];
    const errors = headingErrors({ frames }, camera, full);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBe(0);
    expect(errors[1]).toBeCloseTo(0.5, 5);
    expect(errors[2]).toBeCloseTo(1.1, 5); // labelled 96.1 - 60 = 36.1
  });
});
