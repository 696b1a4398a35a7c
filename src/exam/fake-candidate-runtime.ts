/**
 * A candidate runtime for the screens' component tests (*.dom.test.tsx): no device, no link, no
 * model. Every action a screen calls is recorded with its arguments, in order, and answers what the
 * test gave for it (by default: done at once). The exam's state is the real store, set by the test.
 */
import type { CandidateRuntime } from './candidate-runtime';

type Steps = 'identity' | 'roomScan' | 'systemCheck';
type Fn = (...args: never[]) => unknown;
type Actions = { [K in keyof CandidateRuntime as CandidateRuntime[K] extends Fn ? K : never]: CandidateRuntime[K] };

/** What a test answers instead of the default, per action; the step modules' actions under their own name. */
export type FakeAnswers = Partial<Actions> & { [K in Steps]?: Partial<CandidateRuntime[K]> };

export interface FakeCandidateRuntime {
  runtime: CandidateRuntime;
  /** Every call, as [name, ...arguments]; a step module's action is named 'identity.captureIdentity' and so on. */
  calls: unknown[][];
  /** The arguments of each call of one action. */
  argsOf(name: string): unknown[][];
}

const STEP_ACTIONS: Record<Steps, string[]> = {
  identity: ['captureIdentity', 'verifyIdentity', 'checkIdentity', 'captureAssistant', 'identifyAssistant'],
  roomScan: ['runRoomScan', 'sendRoomScanReport'],
  systemCheck: ['runSystemCheck', 'confirmSystemCheck'],
};
/** Actions that answer with a promise (the screens chain on them); the rest answer nothing. */
const ASYNC = new Set([
  'sendCommand',
  'sendInBackground',
  'sendPrestartStep',
  'enableDevices',
  'uploadProbe',
  'acknowledgeNote',
  'chooseLanguage',
  'startExam',
  'returnToFullscreen',
  'returnToFullscreenAndDismiss',
  'takeBreak',
  'submitExam',
  ...Object.values(STEP_ACTIONS).flat(),
]);
const ACTIONS = [
  'now',
  'sendCommand',
  'sendInBackground',
  'applySnapshot',
  'sendPrestartStep',
  'logEvent',
  'queueEvidence',
  'reportFailure',
  'enableDevices',
  'uploadProbe',
  'takeToken',
  'connect',
  'acknowledgeNote',
  'chooseLanguage',
  'retryProctoring',
  'dismissWarning',
  'startExam',
  'resumeWatching',
  'returnToFullscreen',
  'returnToFullscreenAndDismiss',
  'chooseOptions',
  'goTo',
  'takeBreak',
  'submitExam',
  'stopProctoring',
  'dispose',
];

export function fakeCandidateRuntime(answers: FakeAnswers = {}): FakeCandidateRuntime {
  const calls: unknown[][] = [];
  const given = answers as Record<string, unknown>;
  const action = (name: string, answer: unknown) => {
    const impl = typeof answer === 'function' ? (answer as (...args: unknown[]) => unknown) : null;
    return (...args: unknown[]) => {
      calls.push([name, ...args]);
      if (impl) return impl(...args);
      return ASYNC.has(name.split('.').pop()!) ? Promise.resolve(undefined) : undefined;
    };
  };
  const runtime: Record<string, unknown> = {
    camera: { mediaStream: null, label: 'fake camera' },
    microphone: { mediaStream: null, level: () => -60 },
    storage: null,
    instrumentation: {},
  };
  for (const name of ACTIONS) runtime[name] = action(name, given[name]);
  for (const [step, names] of Object.entries(STEP_ACTIONS)) {
    const over = (given[step] ?? {}) as Record<string, unknown>;
    runtime[step] = Object.fromEntries(names.map((n) => [n, action(`${step}.${n}`, over[n])]));
  }
  return {
    runtime: runtime as unknown as CandidateRuntime,
    calls,
    argsOf: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)),
  };
}
