/**
 * The candidate runtime: owns the connection, the devices, the window watchers and the
 * event outbox, and starts or stops them as the exam moves on. Screens call these
 * actions; they never touch sockets or getUserMedia themselves.
 */
import { BREAK_REASON } from '../shared/accommodations';
import { Camera } from '../devices/camera';
import { EnvironmentWatch } from '../devices/environment';
import { MediaStartError } from '../devices/media-errors';
import { Microphone } from '../devices/microphone';
import { ExamScreen } from '../devices/screen';
import {
  CandidateConnection,
  RequestError,
  type CandidateCommand,
  type CandidateResult,
  type RequestArgs,
} from '../session/candidate-connection';
import { Recorder } from '../devices/recorder';
import { Delivery, type ProducedKind } from '../session/delivery';
import type { EvidenceItem } from '../session/evidence-uploads';
import type { ExamLanguage } from '../shared/programme';
import type { EnvSignal } from '../proctoring/signals';
import type { ClientEventData, ClientEventType, ExamSnapshot } from '../shared/protocol';
import { applySnapshot, examStore, restorePendingAnswers } from '../stores/exam-store';
import { setUiLanguage } from '../ui/i18n/i18n';
import { LiveCamera } from '../session/live-camera';
import { SignalRing } from '../session/signal-samples';
import { SignalSeconds, TeeSink } from '../session/signal-seconds';
import { encodeSeconds } from '../shared/signal-seconds';
import { ThumbnailLane } from '../session/thumbnail-lane';
import type { ThumbRequest } from '../shared/control-room';
import type { Incident } from '../shared/incidents';
import { readExamLink, type ExamLink } from './exam-link';
import { FINISHED_STATUSES } from '../shared/limits';
import { reinstatedState, reinstatementNote } from './proctor-actions';
import { ProctoringEngine } from './proctoring-engine';
import { clientErrorReporter } from './client-errors';
import { EvalRecording } from './engine-instrumentation';
import { recalledBaseline, tabStorage } from './head-baseline-memory';

export const camera = new Camera();
export const microphone = new Microphone();
const screen = new ExamScreen();
/** Rules 2.8.5 and 14: the camera + microphone recording, from consent to the end of the exam. */
const recorder = new Recorder();
const environment = new EnvironmentWatch();

/** Background failures go to the centre as client.error events (the proctor sees them). */
export const reportFailure = clientErrorReporter((data) => logEvent('client.error', data));

/** Set before the page loads by `npm run eval`, the benches and the lossless browser test only (see below). */
const evaluating = typeof localStorage !== 'undefined' && localStorage.getItem('tanu.eval') === '1';
/** What they read of the engine (window.tanuEval.engine); the product runs without it. */
const evalRecording: EvalRecording | null = evaluating ? new EvalRecording((): number | null => engine.droppedFrames()) : null;

export const engine = new ProctoringEngine(
  {
    report: (type, data) => {
      if (type === 'incident.close') warnedIncidentClosed(data.incident);
      logEvent(type, data);
    },
    evidence: (item) => delivery.queueEvidence(item),
    decided: (decision, snapshotUrl) => {
      const view = { incident: decision.incident, rule: decision.rule, snapshotUrl };
      if (decision.kind === 'warn') return examStore.setState({ warning: view });
      examStore.setState({ warning: null, ending: { kind: decision.kind === 'terminate' ? 'terminated' : 'suspended', ...view } });
      // The exam is over for this candidate: open incidents are closed and reported, and the centre confirms.
      stopProctoring();
    },
    status: (status) => {
      if (status.phase === 'failed' && examStore.getState().proctoring.phase !== 'failed')
        logEvent('proctoring.failed', { message: (status.error ?? '').slice(0, 500) });
      examStore.setState({ proctoring: status });
    },
    ready: (info) => logEvent('proctoring.ready', info),
    failed: (operation, error) => reportFailure(operation, error),
  },
  evalRecording,
);
let connection: CandidateConnection | null = null;

/** Everything for the centre goes through one durable outbox (IndexedDB), drained in order per kind. */
const delivery = new Delivery({
  connection: () => connection,
  examStatus: () => examStore.getState().snapshot?.status ?? null,
  consented: () => examStore.getState().snapshot?.prestart.consent != null,
  answerSaved: (questionId, rev) => markAnswer(questionId, rev, 'saved'),
  closed: () => void connection?.request('exam:resume').then(received, (e: unknown) => reportFailure('resume', e)),
  status: (s, quota) =>
    examStore.setState((st) => ({
      uploads: {
        ...st.uploads,
        items: s.items,
        bytes: s.bytes,
        chunks: s.kinds.chunk.items,
        answers: s.kinds.answer.items,
        dropped: s.kinds.event.dropped + s.kinds.answer.dropped + s.kinds.chunk.dropped + s.kinds.evidence.dropped,
        storageError: s.storageError,
        quota,
      },
    })),
  produced: (kind, key) => produced?.(kind, key),
});
let answerRev = Date.now(); // revisions only grow, also across reloads

/* What the proctor's control room asks of this browser. */
/** The readings for the proctor's charts, fed by the engine only while a proctor asks for them. */
const signalRing = new SignalRing();
/** The whole session's signals, one aggregate per second, logged in batches for the reviewer's charts. */
const examFinished = () => FINISHED_STATUSES.includes(examStore.getState().snapshot?.status ?? 'issued');
const signalSeconds = new SignalSeconds((samples) => {
  if (!examFinished()) logEvent('signals.seconds', encodeSeconds(samples)); // the centre takes none after the end
});
const signalTee = new TeeSink(signalSeconds);
engine.signalSink = signalTee;
/** Live thumbnails, sent volatile (dropped when the link is busy, never queued in the outbox). */
const thumbnails = new ThumbnailLane({
  stream: () => camera.mediaStream,
  send: (frame) => void connection?.volatile('thumb:frame', frame),
  samples: () => signalRing.drain(),
  collectSignals: (on) => {
    signalRing.reset();
    signalTee.ring = on ? signalRing : null;
  },
});
/** The centre's last request for thumbnails: kept so the lane starts again when the devices come back on. */
let thumbRequest: ThumbRequest = { intervalMs: 0, signals: false };
/** The live camera (WebRTC) to the proctor who opened it. */
const live = new LiveCamera({
  send: (signal) => void connection?.request('live:signal', { signal }).catch((e: unknown) => reportFailure('live_video', e)),
  camera: () => camera.mediaStream,
  microphone: () => microphone.mediaStream,
  watching: (on) => examStore.setState({ liveWatching: on }),
});
/** 'reinstated' notes already acted on by this page (the note stays in snapshots until it is read). */
const handledReinstatements = new Set<string>();
const examRunning = () => {
  const status = examStore.getState().snapshot?.status;
  return status === 'issued' || status === 'in_progress';
};

const TOKEN_KEY = 'tanu.examToken';

/**
 * `npm run eval`, the bench and the lossless browser test read from the page. Only they set this flag
 * (before the page loads); the data is this browser's own sensor readings and its own record of what
 * it queued for the centre, nothing from the centre.
 */
let produced: ((kind: ProducedKind, key: string) => void) | null = null;
if (evaluating) {
  // The lossless test compares what this browser produced (stored locally, kept across reloads) with what the centre holds.
  const PRODUCED_KEY = 'tanu.produced';
  produced = (kind, key) => {
    const log = JSON.parse(localStorage.getItem(PRODUCED_KEY) ?? '{"event":[],"answer":[],"chunk":[]}') as Record<ProducedKind, string[]>;
    log[kind].push(key);
    localStorage.setItem(PRODUCED_KEY, JSON.stringify(log));
  };
  Object.assign(window, {
    tanuEval: {
      engine: evalRecording,
      camera,
      microphone,
      outbox: () => delivery.box.status(),
      uploads: () => examStore.getState().uploads,
      sessionId: () => examStore.getState().snapshot?.sessionId ?? null,
      recorder,
    },
  });
}

/**
 * The token arrives in the link's fragment (#t=…); it is moved to sessionStorage and removed from the address bar.
 * A link whose token was cut short is 'invalid', never silently the tab's earlier exam.
 */
export function takeToken(): ExamLink {
  const link = readExamLink(window.location.hash, sessionStorage.getItem(TOKEN_KEY));
  if (link.kind === 'token' && link.fromAddress) {
    sessionStorage.setItem(TOKEN_KEY, link.token);
    history.replaceState(null, '', window.location.pathname);
  }
  return link;
}

function received(snapshot: ExamSnapshot): void {
  // Revisions must keep growing even if this computer's clock went back since the last save.
  for (const a of Object.values(snapshot.answers)) answerRev = Math.max(answerRev, a.rev);
  applySnapshot(snapshot, Date.now());
  delivery.events.setNextSeq(snapshot.nextSeq);
  if (snapshot.language) setUiLanguage(snapshot.language);
  proctorChanges(snapshot);
  engine.syncPolicy(snapshot.proctoring.policy);
  engine.setOnBreak(snapshot.status === 'in_progress' && snapshot.paused?.reason === BREAK_REASON);
  if (snapshot.status === 'in_progress') engine.arm();
  if (snapshot.status !== 'in_progress' && snapshot.status !== 'issued') stopProctoring();
  else {
    startRecording();
    // Thumbnails asked for before this snapshot came (or before a reinstatement) start now, with the camera on.
    if (thumbRequest.intervalMs > 0 && camera.mediaStream && !thumbnails.running) thumbnails.set(thumbRequest);
  }
}

/**
 * What a proctor changed. A reinstated exam drops this browser's own ending and warning,
 * and the candidate turns the devices on again (proctoring and the recording restart); a warning
 * whose incident the proctor dismissed is withdrawn; the proctor's 'end' note is kept for the ended screen.
 */
function proctorChanges(snapshot: ExamSnapshot): void {
  const reinstated = reinstatementNote(snapshot, handledReinstatements);
  if (reinstated) {
    handledReinstatements.add(reinstated.id);
    signalSeconds.hold(false);
    examStore.setState((s) => ({ ...reinstatedState(s, camera.mediaStream !== null && microphone.mediaStream !== null), endNote: null }));
  }
  const warned = examStore.getState().warning?.incident.id;
  if (warned && snapshot.proctoring.policy.dismissed?.includes(warned)) examStore.setState({ warning: null });
  const end =
    snapshot.status === 'terminated' || snapshot.status === 'suspended' ? snapshot.notes?.find((n) => n.kind === 'end') : undefined;
  if (end) examStore.setState({ endNote: end });
}

/** The warned incident ended: its countdown (rule 13's grace) stops on the warning. */
function warnedIncidentClosed(incident: Incident): void {
  examStore.setState((s) =>
    s.warning && s.warning.incident.id === incident.id
      ? { warning: { ...s.warning, incident: { ...s.warning.incident, end: incident.end } } }
      : {},
  );
}

export function logEvent<K extends ClientEventType>(type: K, data?: ClientEventData[K]): void {
  delivery.logEvent(type, data);
}

function flush(): Promise<void> {
  return delivery.flush();
}

/**
 * Rules 2.8.5 and 14: recording runs from consent (or a running exam, after a reload) with the
 * devices on, until the exam ends. A new run (after a reload) begins with its own WebM header.
 */
function startRecording(): void {
  const snapshot = examStore.getState().snapshot;
  if (!snapshot || recorder.recording || !camera.mediaStream || !microphone.mediaStream) return;
  if (!(snapshot.prestart?.consent || snapshot.status === 'in_progress')) return;
  const started = recorder.start(camera.mediaStream, microphone.mediaStream, snapshot.proctoring.config.recordingKbps ?? 300, (chunk) =>
    delivery.queueChunk(chunk),
  );
  examStore.setState((s) => ({ uploads: { ...s.uploads, recorder: started ? 'recording' : 'failed' } }));
  if (!started) console.warn(`[tanu] the exam is not recorded: ${recorder.error}`);
}

export function connect(token: string): void {
  connection?.close();
  void delivery.open(token).then((answers) => {
    for (const a of answers) answerRev = Math.max(answerRev, a.rev);
    restorePendingAnswers(answers);
    return flush();
  });
  connection = new CandidateConnection(token, {
    status: (status) => examStore.setState({ connection: status }),
    state: received,
    replaced: () => {
      stopProctoring();
      examStore.setState({ replaced: true });
    },
    refused: (reason) => examStore.setState({ refusal: reason }),
    connected: () => {
      live.stop(); // a new link: the proctor opens the live camera again if still watching
      connection
        ?.request('exam:resume')
        .then(async (s) => {
          received(s);
          await delivery.syncRecording().catch((e: unknown) => reportFailure('recording_sync', e));
          return flush();
        })
        .catch((e: unknown) => reportFailure('resume', e));
    },
  });
  connection.on('thumbs:set', (request) => {
    thumbRequest = request;
    if (request.intervalMs > 0 && examRunning()) thumbnails.set(request);
    else thumbnails.stop();
  });
  connection.on('live:start', (request) => {
    if (examRunning()) void live.start(request.iceServers ?? []);
  });
  connection.on('live:signal', (signal) => void live.signal(signal));
  connection.on('live:stop', () => live.stop());
}

/** The candidate read a proctor's note (and may reply); the centre answers with the new snapshot. */
export async function acknowledgeNote(id: string, reply?: string): Promise<void> {
  received(await call('note:ack', reply === undefined ? { id } : { id, reply }));
}

async function call<K extends CandidateCommand>(command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>> {
  if (!connection) throw new RequestError('offline', 'not connected');
  examStore.setState({ busy: true });
  try {
    return await connection.request(command, ...args);
  } finally {
    examStore.setState({ busy: false });
  }
}

/** A step before the exam (system check report, consent, room scan); the centre answers with the new snapshot. */
export async function sendPrestartStep<K extends 'exam:system-check' | 'exam:consent' | 'room-scan:report'>(
  command: K,
  ...args: RequestArgs<K>
): Promise<ExamSnapshot> {
  const snapshot: ExamSnapshot = await call(command, ...args);
  received(snapshot);
  return snapshot;
}

/** One upstream bandwidth probe, acked by the centre once the bytes have arrived. */
export function uploadProbe(bytes: Uint8Array, timeoutMs = 8_000): Promise<{ bytes: number }> {
  if (!connection?.connected) return Promise.reject(new RequestError('offline', 'not connected'));
  return connection.request('check:upload', { bytes }, timeoutMs);
}

/** For step modules of their own (identity-runtime.ts): a command through this connection, and a snapshot it returned applied. */
export const sendCommand = call;
export const applyExamSnapshot = received;
/** Evidence from a step module (room-scan-runtime.ts: a rule 12 object seen during the scan), through the same outbox lane. */
export function queueEvidence(item: EvidenceItem): void {
  delivery.queueEvidence(item);
}
/** The same without marking the page busy: for background calls during the exam (identity re-checks). */
export function sendInBackground<K extends CandidateCommand>(command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>> {
  return connection ? connection.request(command, ...args) : Promise.reject(new RequestError('offline', 'not connected'));
}

export async function chooseLanguage(language: ExamLanguage): Promise<void> {
  received(await call('exam:choose-language', { language }));
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
    startRecording();
    if (thumbRequest.intervalMs > 0 && examRunning() && !thumbnails.running) thumbnails.set(thumbRequest);
  } catch (err) {
    const failure = err instanceof MediaStartError ? err : new MediaStartError('failed', String(err));
    const s = examStore.getState();
    examStore.setState({
      camera: s.camera === 'on' ? 'on' : 'failed',
      microphone: 'failed',
      deviceFailure: { kind: failure.failure, detail: failure.detail },
    });
    logEvent(s.camera === 'on' ? 'device.mic' : 'device.camera', {
      state: failure.failure === 'denied' ? 'denied' : failure.failure === 'missing' ? 'missing' : 'off',
    });
  }
}

/** Models load while the candidate reads the briefing; incidents count only once the exam runs (arm()). */
function startEngine(): void {
  const snapshot = examStore.getState().snapshot;
  if (!snapshot || !camera.mediaStream || !microphone.mediaStream) return;
  // After a reload the identity step is not taken again: the neutral pose it took comes back from this tab's storage.
  const recalled = recalledBaseline(tabStorage(), snapshot.sessionId);
  if (recalled) engine.setHeadBaseline(recalled);
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
  received(await call('exam:start'));
  watchScreen();
  void flush(); // chunks recorded since consent wait for the start
}

/** After a reload into a running exam, watching resumes without a new start. */
export function resumeWatching(): void {
  watchScreen();
  examStore.setState({ fullscreenLost: !screen.isFullscreen });
}

export async function returnToFullscreen(): Promise<void> {
  if (await screen.enterFullscreen()) examStore.setState({ fullscreenLost: false });
}

function markAnswer(questionId: string, rev: number, state: 'saved' | 'pending'): void {
  examStore.setState((s) => {
    const current = s.answers[questionId];
    if (!current || current.rev !== rev) return {}; // a newer choice superseded this one
    return { answers: { ...s.answers, [questionId]: { ...current, state } } };
  });
}

/** The choice is kept locally first (pending), then sent through the outbox; the centre keeps the newest rev. */
export function chooseOptions(questionId: string, optionIds: string[]): void {
  if (examStore.getState().snapshot?.paused) return; // No answering while the proctor has paused the exam
  const rev = ++answerRev;
  examStore.setState((s) => ({ answers: { ...s.answers, [questionId]: { optionIds, rev, state: 'pending' } } }));
  delivery.queueAnswer({ questionId, optionIds, rev });
}

export function goTo(index: number): void {
  if (examStore.getState().snapshot?.paused) return;
  examStore.setState({ currentIndex: index });
  connection?.request('exam:navigate', { index }).catch((e: unknown) => reportFailure('navigate', e));
}

/** The candidate's own break starts or ends (the centre decides, by the accommodations and its clock). */
export async function takeBreak(action: 'start' | 'end'): Promise<void> {
  received(await call('exam:break', { action }));
}

export async function submitExam(): Promise<void> {
  signalSeconds.flush(); // the last seconds' signals go in the log before the exam ends
  signalSeconds.hold(true); // and none after: the centre takes no event after the end
  // Answers and events first (the centre takes neither after the end); the recording backlog drains after the exam.
  await delivery.settleBeforeSubmit();
  try {
    received(await call('exam:submit'));
  } finally {
    delivery.submitDone();
    // Still running (the submit failed, or a proctor reinstates the exam later): the signals go on being logged.
    if (!examFinished()) signalSeconds.hold(false);
  }
  examStore.setState({ confirmingSubmit: false });
}

export function stopProctoring(): void {
  // The last chunk is handed over before the tracks stop; the queue keeps draining after the exam.
  if (recorder.recording) {
    void recorder.stop().then(() => {
      examStore.setState((s) => ({ uploads: { ...s.uploads, recorder: 'stopped' } }));
      return flush();
    });
  }
  engine.stop();
  thumbnails.stop();
  live.stop();
  environment.unwatch();
  screen.unwatch();
  camera.stop();
  microphone.stop();
  // The devices are off now: if a proctor reinstates the exam, the candidate turns them on again.
  examStore.setState((s) => ({ camera: s.camera === 'on' ? 'idle' : s.camera, microphone: s.microphone === 'on' ? 'idle' : s.microphone }));
  void screen.exitFullscreen();
}

/** From the rule 13 warning: back to full screen (the click lets it be requested), and the dialog closes. */
export async function returnToFullscreenAndDismiss(): Promise<void> {
  const back = returnToFullscreen(); // requested first, inside the click
  dismissWarning();
  await back;
}
