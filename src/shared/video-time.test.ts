import { describe, expect, it } from 'vitest';
import { browserSkewMs, logToVideo, recordingRuns, videoDuration, videoToLog, type ChunkTiming } from './video-time';

const T = 1_750_000_000_000;
/** A run of `n` 2-second chunks from `start`, numbered from `seq`. */
const run = (seq: number, start: number, n: number): ChunkTiming[] =>
  Array.from({ length: n }, (_, i) => ({ seq: seq + i, startedAt: start + i * 2_000, durationMs: 2_000, header: i === 0 }));

describe('recordingRuns and logToVideo', () => {
  it('one run: log time minus the recording start', () => {
    const runs = recordingRuns(run(1, T, 30));
    expect(runs).toEqual([{ logStart: T, videoStart: 0, durationSec: 60 }]);
    expect(logToVideo(runs, T + 12_345)).toBeCloseTo(12.345);
    expect(logToVideo(runs, T - 5_000)).toBe(0); // before consent
    expect(logToVideo(runs, T + 600_000)).toBe(60); // after the end
  });

  it('a reload gap: the second run starts at its wall-clock distance, a moment in the gap goes to the next run', () => {
    const chunks = [...run(1, T, 30), ...run(31, T + 60_000 + 25_000, 10)];
    const runs = recordingRuns(chunks);
    expect(runs).toEqual([
      { logStart: T, videoStart: 0, durationSec: 60 },
      { logStart: T + 85_000, videoStart: 85, durationSec: 20 },
    ]);
    expect(logToVideo(runs, T + 90_000)).toBeCloseTo(90);
    expect(logToVideo(runs, T + 70_000)).toBe(85); // the page was reloading
    expect(videoDuration(runs)).toBe(105);
    expect(videoToLog(runs, 90)).toBe(T + 90_000);
  });

  it('a run whose clock overlaps the earlier one follows right after it (as the centre builds the file)', () => {
    const runs = recordingRuns([...run(1, T, 10), ...run(11, T + 15_000, 5)]);
    expect(runs[1]).toEqual({ logStart: T + 15_000, videoStart: 20, durationSec: 10 });
    expect(logToVideo(runs, T + 16_000)).toBeCloseTo(21);
  });

  it('a missing chunk inside a run leaves no gap; chunks before the first header are left out; order does not matter', () => {
    const chunks = run(1, T, 10).filter((c) => c.seq !== 5);
    const runs = recordingRuns([...chunks].reverse());
    expect(runs).toEqual([{ logStart: T, videoStart: 0, durationSec: 20 }]);
    const headless = recordingRuns([{ seq: 1, startedAt: T - 4_000, durationMs: 2_000, header: false }, ...run(2, T, 3)]);
    expect(headless).toEqual([{ logStart: T, videoStart: 0, durationSec: 6 }]);
  });

  it('no recording: null', () => {
    expect(logToVideo([], T)).toBeNull();
    expect(videoToLog([], 1)).toBeNull();
  });
});

describe('browserSkewMs', () => {
  it('is the median of client time minus receive time over client events', () => {
    const events = [
      { origin: 'client', at: 1_000, clientAt: 1_300 },
      { origin: 'client', at: 2_000, clientAt: 2_250 },
      { origin: 'client', at: 3_000, clientAt: 9_000 }, // sent late from the outbox
      { origin: 'server', at: 4_000, clientAt: null },
    ];
    expect(browserSkewMs(events)).toBe(300);
    expect(browserSkewMs([])).toBe(0);
  });
});
