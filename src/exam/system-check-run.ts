/**
 * The system check (the first step before the exam), run: turns the camera and microphone on (the proctoring models start loading
 * then), measures each item, judges it (system-check-verdict.ts) and reports the whole check to
 * the centre, which logs it for the proctor ('system.checked'). A failed check is reported at once.
 */
import { browserFeatures, cameraSettings, freeStorageMb, microphonePeak, uploadProbes } from '../devices/system-check';
import { withinTime } from '../devices/time-limit';
import { examStore } from '../stores/exam-store';
import type { CandidateCore } from './runtime-parts';
import { judgeSystemCheck, toReport, uploadKbps, type CheckedItem, type SystemCheckMeasurements } from './system-check-verdict';

async function measureNetwork(uploadProbe: CandidateCore['uploadProbe']): Promise<SystemCheckMeasurements['network']> {
  try {
    const { rttMs, probes } = await uploadProbes((bytes) => uploadProbe(bytes));
    return { offline: false, kbps: uploadKbps(probes), rttMs };
  } catch {
    return { offline: true, kbps: null, rttMs: null };
  }
}

/**
 * Resolves when the proctoring engine is ready or has failed (it starts loading once both devices are
 * on). The engine fails by itself when loading stands still (MODELS_STALL_LIMIT_MS); this outer limit
 * covers an engine that never began, so the check always ends with a verdict.
 */
const MODELS_LIMIT_MS = 10 * 60_000;

function modelsSettled(): Promise<SystemCheckMeasurements['models']> {
  const t0 = performance.now();
  let stop: () => void = () => undefined;
  const settled = new Promise<SystemCheckMeasurements['models']>((resolve) => {
    const check = (): boolean => {
      const phase = examStore.getState().proctoring.phase;
      if (phase !== 'ready' && phase !== 'failed') return false;
      resolve({ state: phase, msToReady: phase === 'ready' ? performance.now() - t0 : null });
      return true;
    };
    if (check()) return;
    stop = examStore.subscribe(() => {
      if (check()) stop();
    });
  });
  return withinTime(settled, MODELS_LIMIT_MS, 'the proctoring models').catch(() => {
    stop();
    return { state: 'failed' as const, msToReady: null };
  });
}

export type SystemCheck = ReturnType<typeof createSystemCheck>;

/** The system check on the runtime's devices and connection. */
export function createSystemCheck(core: CandidateCore) {
  async function runSystemCheck(progress: (items: CheckedItem[]) => void): Promise<CheckedItem[]> {
    const browser = browserFeatures();
    await core.enableDevices();
    const state = examStore.getState();
    const cameraFailure = state.camera === 'on' ? null : (state.deviceFailure?.kind ?? 'failed');
    const micFailure =
      state.microphone === 'on' ? null : state.camera === 'on' ? (state.deviceFailure?.kind ?? 'failed') : ('skipped' as const);
    const devicesOn = !cameraFailure && !micFailure;
    const [peakDbfs, network, storage, models] = await Promise.all([
      micFailure ? Promise.resolve(null) : microphonePeak(() => core.microphone.level()),
      measureNetwork(core.uploadProbe),
      // The browser cannot tell its free storage: the check shows it as unknown.
      freeStorageMb().catch(() => null),
      devicesOn ? modelsSettled() : Promise.resolve({ state: 'skipped' as const, msToReady: null }),
    ]);
    const measured: SystemCheckMeasurements = {
      browser,
      camera: { failure: cameraFailure, ...cameraSettings(core.camera.mediaStream) },
      microphone: { failure: micFailure, peakDbfs },
      network,
      models,
      storage: { freeMb: storage },
    };
    const items = judgeSystemCheck(measured);
    progress(items);
    // A failed check goes to the centre at once (the proctor sees why); a passed one when the candidate continues.
    if (!items.every((i) => i.ok))
      await core.sendPrestartStep('exam:system-check', toReport(items)).catch((e: unknown) => core.reportFailure('system_check_report', e));
    return items;
  }

  /**
   * The candidate continues after a passed check: the centre records it and the next step opens.
   * If the centre does not take it, the network item turns red (the connection is the problem now).
   */
  async function confirmSystemCheck(items: CheckedItem[]): Promise<CheckedItem[] | null> {
    try {
      await core.sendPrestartStep('exam:system-check', toReport(items));
      return null;
    } catch {
      return items.map((i) =>
        i.item === 'network' ? { ...i, ok: false, reason: 'offline' as const, detail: { ...i.detail, reason: 'offline' } } : i,
      );
    }
  }

  return { runSystemCheck, confirmSystemCheck };
}
