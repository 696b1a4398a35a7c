import { describe, expect, it } from 'vitest';
import { systemCheckSchema } from '../shared/protocol';
import {
  judgeSystemCheck,
  SYSTEM_CHECK_THRESHOLDS as T,
  toReport,
  uploadKbps,
  type CheckReason,
  type SystemCheckMeasurements,
} from './system-check-verdict';
import { GOOD_LAPTOP } from './test-snapshot';

const GOOD = GOOD_LAPTOP;

function reasons(m: SystemCheckMeasurements): Record<string, CheckReason> {
  return Object.fromEntries(judgeSystemCheck(m).map((i) => [i.item, i.reason]));
}

describe('judgeSystemCheck', () => {
  it('a good computer passes every item, and the report is valid for the centre', () => {
    const items = judgeSystemCheck(GOOD);
    expect(items.map((i) => [i.item, i.ok])).toEqual([
      ['browser', true],
      ['camera', true],
      ['microphone', true],
      ['network', true],
      ['models', true],
      ['storage', true],
    ]);
    const report = toReport(items);
    expect(report.ok).toBe(true);
    expect(systemCheckSchema.safeParse(report).success).toBe(true);
    expect(report.items.find((i) => i.item === 'camera')!.detail).toMatchObject({ width: 640, height: 480, fps: 30 });
  });

  const cases: Array<[name: string, change: Partial<SystemCheckMeasurements>, item: string, reason: CheckReason]> = [
    ['no MediaRecorder with WebM', { browser: { ...GOOD.browser, mediaRecorderWebm: false } }, 'browser', 'unsupported'],
    ['no IndexedDB (private mode in some browsers)', { browser: { ...GOOD.browser, indexedDb: false } }, 'browser', 'unsupported'],
    ['camera permission refused', { camera: { failure: 'denied', width: null, height: null, fps: null } }, 'camera', 'denied'],
    ['no camera connected', { camera: { failure: 'missing', width: null, height: null, fps: null } }, 'camera', 'missing'],
    ['camera gives no settings', { camera: { failure: null, width: null, height: null, fps: null } }, 'camera', 'failed'],
    ['320×240 camera', { camera: { failure: null, width: 320, height: 240, fps: 30 } }, 'camera', 'low_resolution'],
    ['one pixel short in height', { camera: { failure: null, width: 640, height: T.minHeight - 1, fps: 30 } }, 'camera', 'low_resolution'],
    ['10 fps camera', { camera: { failure: null, width: 1280, height: 720, fps: 10 } }, 'camera', 'low_fps'],
    ['microphone not opened because the camera failed', { microphone: { failure: 'skipped', peakDbfs: null } }, 'microphone', 'skipped'],
    ['microphone refused', { microphone: { failure: 'denied', peakDbfs: null } }, 'microphone', 'denied'],
    [
      'the camera request unanswered past its limit',
      { camera: { failure: 'timeout', width: null, height: null, fps: null } },
      'camera',
      'timeout',
    ],
    ['no sound output (Firefox never starts the audio)', { microphone: { failure: 'no_sound', peakDbfs: null } }, 'microphone', 'no_sound'],
    ['no AudioWorklet in this browser', { browser: { ...GOOD.browser, audioWorklet: false } }, 'browser', 'unsupported'],
    ['digital silence', { microphone: { failure: null, peakDbfs: -100 } }, 'microphone', 'silent'],
    ['just below the silence bound', { microphone: { failure: null, peakDbfs: T.minPeakDbfs - 0.1 } }, 'microphone', 'silent'],
    ['centre unreachable', { network: { offline: true, kbps: null, rttMs: null } }, 'network', 'offline'],
    ['slow upload', { network: { offline: false, kbps: T.minUploadKbps - 1, rttMs: 80 } }, 'network', 'slow'],
    ['models failed to load', { models: { state: 'failed', msToReady: null } }, 'models', 'failed'],
    ['models not started without devices', { models: { state: 'skipped', msToReady: null } }, 'models', 'skipped'],
    ['disk almost full', { storage: { freeMb: 150 } }, 'storage', 'full'],
  ];
  it.each(cases)('%s → %s %s', (_name, change, name, reason) => {
    const items = judgeSystemCheck({ ...GOOD, ...change });
    expect(reasons({ ...GOOD, ...change })[name]).toBe(reason);
    // Only that item fails; the whole check fails with it.
    expect(items.filter((i) => !i.ok).map((i) => i.item)).toEqual([name]);
    expect(toReport(items).ok).toBe(false);
    expect(systemCheckSchema.safeParse(toReport(items)).success).toBe(true);
  });

  it('the thresholds themselves pass (minimums are inclusive)', () => {
    const atLimits: SystemCheckMeasurements = {
      ...GOOD,
      camera: { failure: null, width: T.minWidth, height: T.minHeight, fps: T.minFps },
      microphone: { failure: null, peakDbfs: T.minPeakDbfs },
      network: { offline: false, kbps: T.minUploadKbps, rttMs: 100 },
      storage: { freeMb: T.minFreeMb },
    };
    expect(toReport(judgeSystemCheck(atLimits)).ok).toBe(true);
  });

  it('a browser that does not report its storage is not refused for it', () => {
    expect(reasons({ ...GOOD, storage: { freeMb: null } }).storage).toBe('ok');
  });

  it('names the missing browser features', () => {
    const browser = judgeSystemCheck({ ...GOOD, browser: { ...GOOD.browser, webAssembly: false, workers: false } })[0]!;
    expect(browser.detail.missing).toBe('webAssembly, workers');
  });
});

describe('uploadKbps', () => {
  it('is total bits over total time', () => {
    expect(
      uploadKbps([
        { bytes: 64 * 1024, ms: 100 },
        { bytes: 64 * 1024, ms: 300 },
      ]),
    ).toBeCloseTo((128 * 1024 * 8) / 400, 6);
  });
  it('a 300 kbps line fails the 400 kbps bound: 64 KB takes ~1.75 s', () => {
    expect(uploadKbps([{ bytes: 65_536, ms: 1_748 }])!).toBeLessThan(T.minUploadKbps);
  });
  it('no probe, no figure', () => {
    expect(uploadKbps([])).toBeNull();
  });
});
