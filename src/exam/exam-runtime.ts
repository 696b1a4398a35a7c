/**
 * The candidate runtime: owns the connection, the devices, the window watchers and the
 * event outbox, and starts or stops them as the exam moves on. Screens call these
 * actions; they never touch sockets or getUserMedia themselves.
 */
import { Camera } from '../devices/camera';
import { EnvironmentWatch } from '../devices/environment';
import { MediaStartError } from '../devices/media-errors';
import { Microphone } from '../devices/microphone';
import { ExamScreen } from '../devices/screen';
import { CandidateConnection, RequestError } from '../session/candidate-connection';
import { EventOutbox } from '../session/event-outbox';
import { EvidenceUploads } from '../session/evidence-uploads';
import type { ExamLanguage } from '../shared/programme';
import type { EnvSignal } from '../proctoring/signals';
import type { ClientEvent, ClientEventType, ExamSnapshot } from '../shared/protocol';
import { applySnapshot, examStore } from '../stores/exam-store';
import { setUiLanguage } from '../ui/i18n/i18n';
import { ProctoringEngine } from './proctoring-engine';

export const camera = new Camera();
export const microphone = new Microphone();
const screen = new ExamScreen();
const outbox = new EventOutbox();
const evidence = new EvidenceUploads();
const environment = new EnvironmentWatch();

export const engine = new ProctoringEngine({
  report: (type, data) => logEvent(type, data),
  evidence: (item) => {
    evidence.push(item);
    void flush();
  },
  decided: (decision, snapshotUrl) => {
    const view = { incident: decision.incident, rule: decision.rule, snapshotUrl };
    if (decision.kind === 'warn') return examStore.setState({ warning: view });
    examStore.setState({ warning: null, ending: { kind: decision.kind === 'terminate' ? 'terminated' : 'suspended', ...view } });
    // The exam is over for this candidate: open incidents are closed and reported, and the centre confirms.
    stopProctoring();
  },
  status: (status) => {
    if (status.phase === 'failed' && examStore.getState().proctoring.phase !== 'failed') logEvent('proctoring.failed', { message: (status.error ?? '').slice(0, 500) });
    examStore.setState({ proctoring: status });
  },
  ready: (info) => logEvent('proctoring.ready', info),
});
let connection: CandidateConnection | null = null;
let answerRev = Date.now(); // revisions only grow, also across reloads

const TOKEN_KEY = 'tanu.examToken';

/**
 * `npm run eval` and the bench read the engine's samples from the page. Only they set this flag
 * (before the page loads); the data is this browser's own sensor readings, nothing from the centre.
 */
if (typeof localStorage !== 'undefined' && localStorage.getItem('tanu.eval') === '1') {
  engine.samples = [];
  Object.assign(window, { tanuEval: { engine, camera, microphone } });
}

/** The token arrives in the link's fragment (#t=…); it is moved to sessionStorage and removed from the address bar. */
export function takeToken(): string | null {
  const match = /[#&]t=([A-Za-z0-9_-]{20,200})/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const RETRY_MS = 2_000;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

/** Something did not go through while connected (a lost ack): try again shortly rather than waiting for a reconnect. */
function retrySoon(): void {
  retryTimer ??= setTimeout(() => {
    retryTimer = null;
    void flush();
  }, RETRY_MS);
}

function received(snapshot: ExamSnapshot): void {
  // Revisions must keep growing even if this computer's clock went back since the last save.
  for (const a of Object.values(snapshot.answers)) answerRev = Math.max(answerRev, a.rev);
  applySnapshot(snapshot, Date.now());
  outbox.setNextSeq(snapshot.nextSeq);
  if (snapshot.language) setUiLanguage(snapshot.language);
  engine.syncPolicy(snapshot.proctoring.policy);
  if (snapshot.status === 'in_progress') engine.arm();
  if (snapshot.status !== 'in_progress' && snapshot.status !== 'issued') stopProctoring();
}

export function logEvent(type: ClientEventType, data?: unknown): void {
  outbox.push(type, data);
  void flush();
}

async function flush(): Promise<void> {
  const c = connection;
  if (!c?.connected) return;
  await outbox.drain(
    (event: ClientEvent) => c.request('event:log', event),
    (err) => (err instanceof RequestError && err.code === 'conflict' ? 'renumber' : err instanceof RequestError && err.code === 'invalid' ? 'drop' : 'retry'),
  );
  await evidence.drain(
    (item) => c.request('evidence:upload', item),
    (err) => (err instanceof RequestError && (err.code === 'invalid' || err.code === 'conflict') ? 'drop' : 'retry'),
  );
  if (outbox.size > 0 || evidence.size > 0) retrySoon();
  const pending = Object.entries(examStore.getState().answers).filter(([, a]) => a.state === 'pending');
  for (const [questionId, a] of pending) void sendAnswer(questionId, a.optionIds, a.rev);
}

export function connect(token: string): void {
  connection?.close();
  connection = new CandidateConnection(token, {
    status: (status) => examStore.setState({ connection: status }),
    state: received,
    replaced: () => {
      stopProctoring();
      examStore.setState({ replaced: true });
    },
    refused: (reason) => examStore.setState({ refusal: reason }),
    connected: () => {
      connection
        ?.request<ExamSnapshot>('exam:resume')
        .then((s) => {
          received(s);
          return flush();
        })
        .catch(() => undefined);
    },
  });
}

async function call<T>(command: Parameters<CandidateConnection['request']>[0], payload?: unknown): Promise<T> {
  if (!connection) throw new RequestError('offline', 'not connected');
  examStore.setState({ busy: true });
  try {
    return await connection.request<T>(command, payload);
  } finally {
    examStore.setState({ busy: false });
  }
}

export async function chooseLanguage(language: ExamLanguage): Promise<void> {
  received(await call<ExamSnapshot>('exam:choose-language', { language }));
}

export async function enableDevices(): Promise<void> {
  // Back into a running exam (after a reload): this click is the gesture full screen needs, so ask at once.
  if (examStore.getState().snapshot?.status === 'in_progress') void screen.enterFullscreen();
  examStore.setState({ camera: 'starting', microphone: 'starting', deviceFailure: null });
  try {
    await camera.start();
    examStore.setState({ camera: 'on' });
    logEvent('device.camera', { state: 'on', label: camera.label.slice(0, 200) });
    await microphone.start();
    examStore.setState({ microphone: 'on' });
    logEvent('device.mic', { state: 'on' });
    startEngine();
  } catch (err) {
    const failure = err instanceof MediaStartError ? err : new MediaStartError('failed', String(err));
    const s = examStore.getState();
    examStore.setState({
      camera: s.camera === 'on' ? 'on' : 'failed',
      microphone: 'failed',
      deviceFailure: { kind: failure.failure, detail: failure.detail },
    });
    logEvent(s.camera === 'on' ? 'device.mic' : 'device.camera', { state: failure.failure === 'denied' ? 'denied' : failure.failure === 'missing' ? 'missing' : 'off' });
  }
}

/** Models load while the candidate reads the briefing; incidents count only once the exam runs (arm()). */
function startEngine(): void {
  const snapshot = examStore.getState().snapshot;
  if (!snapshot || !camera.mediaStream || !microphone.mediaStream) return;
  void engine.start(camera.mediaStream, microphone.mediaStream, snapshot.proctoring.config, snapshot.proctoring.policy).then(() => {
    if (examStore.getState().snapshot?.status === 'in_progress') engine.arm();
  });
}

/** Retry after the models failed to load (the briefing offers it). */
export function retryProctoring(): void {
  startEngine();
}

export function dismissWarning(): void {
  examStore.setState({ warning: null });
}

camera.subscribe((state) => {
  if (state !== 'lost') return;
  examStore.setState({ camera: 'lost' });
  logEvent('device.camera', { state: 'lost' });
  engine.env({ t: Date.now(), kind: 'camera', on: false });
});
microphone.subscribe((state) => {
  if (state !== 'lost') return;
  examStore.setState({ microphone: 'lost' });
  logEvent('device.mic', { state: 'lost' });
  engine.env({ t: Date.now(), kind: 'microphone', on: false });
});

const SCREEN_SIGNALS: Partial<Record<ClientEventType, EnvSignal>> = {
  'env.focus_lost': { t: 0, kind: 'focus', on: false },
  'env.focus_back': { t: 0, kind: 'focus', on: true },
  'env.tab_hidden': { t: 0, kind: 'tab_visible', on: false },
  'env.tab_visible': { t: 0, kind: 'tab_visible', on: true },
  'env.fullscreen_exit': { t: 0, kind: 'fullscreen', on: false },
  'env.fullscreen_enter': { t: 0, kind: 'fullscreen', on: true },
};

function watchScreen(): void {
  screen.watch((type) => {
    if (type === 'env.fullscreen_exit') examStore.setState({ fullscreenLost: true });
    if (type === 'env.fullscreen_enter') examStore.setState({ fullscreenLost: false });
    logEvent(type);
    const signal = SCREEN_SIGNALS[type];
    if (signal) engine.env({ ...signal, t: Date.now() });
  });
  environment.watch(camera.label, (signal) => engine.env(signal));
}

/** Start pressed (a user gesture, so full screen may be requested). */
export async function startExam(): Promise<void> {
  await screen.enterFullscreen();
  received(await call<ExamSnapshot>('exam:start'));
  watchScreen();
}

/** After a reload into a running exam, watching resumes without a new start. */
export function resumeWatching(): void {
  watchScreen();
  examStore.setState({ fullscreenLost: !screen.isFullscreen });
}

export async function returnToFullscreen(): Promise<void> {
  if (await screen.enterFullscreen()) examStore.setState({ fullscreenLost: false });
}

async function sendAnswer(questionId: string, optionIds: string[], rev: number): Promise<void> {
  const c = connection;
  const mark = (state: 'saved' | 'saving' | 'pending') =>
    examStore.setState((s) => {
      const current = s.answers[questionId];
      if (!current || current.rev !== rev) return {}; // a newer choice superseded this one
      return { answers: { ...s.answers, [questionId]: { ...current, state } } };
    });
  if (!c?.connected) return mark('pending');
  mark('saving');
  try {
    await c.request('answer:save', { questionId, optionIds, rev });
    mark('saved');
  } catch (err) {
    if (err instanceof RequestError && err.code === 'closed') return void c.request<ExamSnapshot>('exam:resume').then(received, () => undefined);
    mark('pending');
    if (c.connected) retrySoon();
  }
}

export function chooseOptions(questionId: string, optionIds: string[]): void {
  const rev = ++answerRev;
  examStore.setState((s) => ({ answers: { ...s.answers, [questionId]: { optionIds, rev, state: 'pending' } } }));
  void sendAnswer(questionId, optionIds, rev);
}

export function goTo(index: number): void {
  examStore.setState({ currentIndex: index });
  connection?.request('exam:navigate', { index }).catch(() => undefined);
}

export async function submitExam(): Promise<void> {
  await flush();
  received(await call<ExamSnapshot>('exam:submit'));
  examStore.setState({ confirmingSubmit: false });
}

export function stopProctoring(): void {
  engine.stop();
  environment.unwatch();
  screen.unwatch();
  camera.stop();
  microphone.stop();
  void screen.exitFullscreen();
}
