/**
 * The candidate's composition root: `createCandidateRuntime(deps)` builds the proctoring engine, the
 * outbox, the proctor's lanes and the step modules from the devices, the connection, the tab's storage
 * and the clock it is given (browser-runtime.ts gives the real ones), and returns the actions the
 * screens call; screens get it through React context (runtime-context.ts) and never touch sockets or
 * getUserMedia themselves. Nothing happens until it is called: no device, no subscription, no global.
 */
import { BREAK_REASON } from '../shared/accommodations';
import { MediaStartError } from '../devices/media-errors';
import {
  RequestError,
  type CandidateCommand,
  type CandidateConnection,
  type CandidateResult,
  type RequestArgs,
} from '../session/candidate-connection';
import { Delivery } from '../session/delivery';
import type { ExamLanguage } from '../shared/programme';
import type { EnvSignal } from '../proctoring/signals';
import type { ClientEventData, ClientEventType, ExamSnapshot } from '../shared/protocol';
import { applySnapshot, examStore, restorePendingAnswers } from '../stores/exam-store';
import { setUiLanguage } from '../ui/i18n/i18n';
import type { Incident } from '../shared/incidents';
import { readExamLink, type ExamLink } from './exam-link';
import { FINISHED_STATUSES } from '../shared/limits';
import { reinstatedState, reinstatementNote } from './proctor-actions';
import { ProctoringEngine } from './proctoring-engine';
import { clientErrorReporter } from './client-errors';
import { recalledBaseline } from './head-baseline-memory';
import { createControlRoomLanes } from './control-room-lanes';
import { createIdentitySteps } from './identity-runtime';
import { createRoomScan } from './room-scan-runtime';
import { createSystemCheck } from './system-check-run';
import type { CandidateCore, CandidateRuntimeDeps, PrestartCommand } from './runtime-parts';

const TOKEN_KEY = 'tanu.examToken';

const SCREEN_SIGNALS: Partial<Record<ClientEventType, EnvSignal>> = {
  'env.focus_lost': { t: 0, kind: 'focus', on: false },
  'env.focus_back': { t: 0, kind: 'focus', on: true },
  'env.tab_hidden': { t: 0, kind: 'tab_visible', on: false },
  'env.tab_visible': { t: 0, kind: 'tab_visible', on: true },
  'env.fullscreen_exit': { t: 0, kind: 'fullscreen', on: false },
  'env.fullscreen_enter': { t: 0, kind: 'fullscreen', on: true },
};

export type CandidateRuntime = ReturnType<typeof createCandidateRuntime>;

export function createCandidateRuntime(deps: CandidateRuntimeDeps) {
  const { devices, clock, storage } = deps;
  const { camera, microphone, screen, recorder, environment } = devices;
  const instrumentation = deps.instrumentation ?? {};
  let connection: CandidateConnection | null = null;

  /** Background failures go to the centre as client.error events (the proctor sees them). */
  const reportFailure = clientErrorReporter((data) => logEvent('client.error', data), clock);

  const engine = new ProctoringEngine(
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
    instrumentation.engine ?? null,
  );

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
    ...(instrumentation.produced ? { produced: instrumentation.produced } : {}),
  });
  let answerRev = clock(); // revisions only grow, also across reloads

  const examFinished = () => FINISHED_STATUSES.includes(examStore.getState().snapshot?.status ?? 'issued');
  const examRunning = () => {
    const status = examStore.getState().snapshot?.status;
    return status === 'issued' || status === 'in_progress';
  };
  /** What the proctor's control room asks of this browser: thumbnails, charts, the live camera, the per-second signals. */
  const lanes = createControlRoomLanes({
    engine,
    camera,
    microphone,
    connection: () => connection,
    logSeconds: (data) => {
      if (!examFinished()) logEvent('signals.seconds', data); // the centre takes none after the end
    },
    examRunning,
    reportFailure,
  });
  /** 'reinstated' notes already acted on by this page (the note stays in snapshots until it is read). */
  const handledReinstatements = new Set<string>();

  /**
   * The token arrives in the link's fragment (#t=…); it is moved to the tab's storage and removed from the address bar.
   * A link whose token was cut short is 'invalid', never silently the tab's earlier exam.
   */
  function takeToken(): ExamLink {
    const link = readExamLink(window.location.hash, storage?.getItem(TOKEN_KEY) ?? null);
    if (link.kind === 'token' && link.fromAddress) {
      storage?.setItem(TOKEN_KEY, link.token);
      history.replaceState(null, '', window.location.pathname);
    }
    return link;
  }

  function received(snapshot: ExamSnapshot): void {
    // Revisions must keep growing even if this computer's clock went back since the last save.
    for (const a of Object.values(snapshot.answers)) answerRev = Math.max(answerRev, a.rev);
    applySnapshot(snapshot, clock());
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
      lanes.resumeThumbnails();
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
      lanes.signalSeconds.hold(false);
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

  function logEvent<K extends ClientEventType>(type: K, data?: ClientEventData[K]): void {
    delivery.logEvent(type, data);
  }

  const flush = (): Promise<void> => delivery.flush();

  /**
   * Rules 2.8.5 and 14: recording runs from consent (or a running exam, after a reload) with the
   * devices on, until the exam ends. A new run (after a reload) begins with its own WebM header.
   */
  function startRecording(): void {
    const snapshot = examStore.getState().snapshot;
    if (!snapshot || recorder.recording || !camera.mediaStream || !microphone.mediaStream) return;
    if (!(snapshot.prestart?.consent || snapshot.status === 'in_progress')) return;
    const { recordingKbps, recordingChunkSec } = snapshot.proctoring.config;
    const started = recorder.start(
      camera.mediaStream,
      microphone.mediaStream,
      recordingKbps,
      (chunk) => delivery.queueChunk(chunk),
      recordingChunkSec * 1000,
    );
    examStore.setState((s) => ({ uploads: { ...s.uploads, recorder: started ? 'recording' : 'failed' } }));
    if (!started) console.warn(`[tanu] the exam is not recorded: ${recorder.error}`);
  }

  function connect(token: string): void {
    connection?.close();
    void delivery.open(token).then((answers) => {
      for (const a of answers) answerRev = Math.max(answerRev, a.rev);
      restorePendingAnswers(answers);
      return flush();
    });
    connection = deps.connection(token, {
      status: (status) => examStore.setState({ connection: status }),
      state: received,
      replaced: () => {
        stopProctoring();
        examStore.setState({ replaced: true });
      },
      refused: (reason) => examStore.setState({ refusal: reason }),
      connected: () => {
        lanes.live.stop(); // a new link: the proctor opens the live camera again if still watching
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
    lanes.listen(connection);
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

  async function sendPrestartStep<K extends PrestartCommand>(command: K, ...args: RequestArgs<K>): Promise<ExamSnapshot> {
    const snapshot: ExamSnapshot = await call(command, ...args);
    received(snapshot);
    return snapshot;
  }

  function sendInBackground<K extends CandidateCommand>(command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>> {
    return connection ? connection.request(command, ...args) : Promise.reject(new RequestError('offline', 'not connected'));
  }

  function uploadProbe(bytes: Uint8Array, timeoutMs = 8_000): Promise<{ bytes: number }> {
    if (!connection?.connected) return Promise.reject(new RequestError('offline', 'not connected'));
    return connection.request('check:upload', { bytes }, timeoutMs);
  }

  async function enableDevices(): Promise<void> {
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
      lanes.resumeThumbnails();
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
    const recalled = recalledBaseline(storage, snapshot.sessionId);
    if (recalled) engine.setHeadBaseline(recalled);
    void engine.start(camera.mediaStream, microphone.mediaStream, snapshot.proctoring.config, snapshot.proctoring.policy).then(() => {
      if (examStore.getState().snapshot?.status === 'in_progress') engine.arm();
    });
  }

  function watchScreen(): void {
    screen.watch((type) => {
      if (type === 'env.fullscreen_exit') examStore.setState({ fullscreenLost: true });
      if (type === 'env.fullscreen_enter') examStore.setState({ fullscreenLost: false });
      logEvent(type);
      const signal = SCREEN_SIGNALS[type];
      if (signal) engine.env({ ...signal, t: clock() });
    });
    environment.watch(camera.label, (signal) => engine.env(signal));
  }

  const dismissWarning = (): void => examStore.setState({ warning: null });

  async function returnToFullscreen(): Promise<void> {
    if (await screen.enterFullscreen()) examStore.setState({ fullscreenLost: false });
  }

  function markAnswer(questionId: string, rev: number, state: 'saved' | 'pending'): void {
    examStore.setState((s) => {
      const current = s.answers[questionId];
      if (!current || current.rev !== rev) return {}; // a newer choice superseded this one
      return { answers: { ...s.answers, [questionId]: { ...current, state } } };
    });
  }

  function stopProctoring(): void {
    // The last chunk is handed over before the tracks stop; the queue keeps draining after the exam.
    if (recorder.recording) {
      void recorder.stop().then(() => {
        examStore.setState((s) => ({ uploads: { ...s.uploads, recorder: 'stopped' } }));
        return flush();
      });
    }
    engine.stop();
    lanes.stop();
    environment.unwatch();
    screen.unwatch();
    camera.stop();
    microphone.stop();
    // The devices are off now: if a proctor reinstates the exam, the candidate turns them on again.
    examStore.setState((s) => ({
      camera: s.camera === 'on' ? 'idle' : s.camera,
      microphone: s.microphone === 'on' ? 'idle' : s.microphone,
    }));
    void screen.exitFullscreen();
  }

  const unsubscribeDevices = [
    camera.subscribe((state) => {
      if (state !== 'lost') return;
      examStore.setState({ camera: 'lost' });
      logEvent('device.camera', { state: 'lost' });
      engine.env({ t: clock(), kind: 'camera', on: false });
    }),
    microphone.subscribe((state) => {
      if (state !== 'lost') return;
      examStore.setState({ microphone: 'lost' });
      logEvent('device.mic', { state: 'lost' });
      engine.env({ t: clock(), kind: 'microphone', on: false });
    }),
  ];

  const core: CandidateCore = {
    camera,
    microphone,
    engine,
    storage,
    instrumentation,
    now: clock,
    sendCommand: call,
    sendInBackground,
    applySnapshot: received,
    sendPrestartStep,
    logEvent,
    queueEvidence: (item) => delivery.queueEvidence(item),
    reportFailure,
    enableDevices,
    uploadProbe,
  };
  const identity = createIdentitySteps(core);
  // During the exam the engine re-verifies the person every identityCheckSec (rule 2.8.6) through the centre.
  engine.setIdentityCheck((photo) => identity.checkIdentity(photo));
  instrumentation.attach?.({ engine, delivery, devices });

  return {
    ...core,
    identity,
    roomScan: createRoomScan(core),
    systemCheck: createSystemCheck(core),
    takeToken,
    connect,

    /** The candidate read a proctor's note (and may reply); the centre answers with the new snapshot. */
    async acknowledgeNote(id: string, reply?: string): Promise<void> {
      received(await call('note:ack', reply === undefined ? { id } : { id, reply }));
    },
    async chooseLanguage(language: ExamLanguage): Promise<void> {
      received(await call('exam:choose-language', { language }));
    },
    /** Retry after the models failed to load (the briefing offers it). */
    retryProctoring: startEngine,
    dismissWarning,
    /** Start pressed (a user gesture, so full screen may be requested). */
    async startExam(): Promise<void> {
      await screen.enterFullscreen();
      received(await call('exam:start'));
      watchScreen();
      void flush(); // chunks recorded since consent wait for the start
    },
    /** After a reload into a running exam, watching resumes without a new start. */
    resumeWatching(): void {
      watchScreen();
      examStore.setState({ fullscreenLost: !screen.isFullscreen });
    },
    returnToFullscreen,
    /** From the rule 13 warning: back to full screen (the click lets it be requested), and the dialog closes. */
    async returnToFullscreenAndDismiss(): Promise<void> {
      const back = returnToFullscreen(); // requested first, inside the click
      dismissWarning();
      await back;
    },
    /** The choice is kept locally first (pending), then sent through the outbox; the centre keeps the newest rev. */
    chooseOptions(questionId: string, optionIds: string[]): void {
      if (examStore.getState().snapshot?.paused) return; // No answering while the proctor has paused the exam
      const rev = ++answerRev;
      examStore.setState((s) => ({ answers: { ...s.answers, [questionId]: { optionIds, rev, state: 'pending' } } }));
      delivery.queueAnswer({ questionId, optionIds, rev });
    },
    goTo(index: number): void {
      if (examStore.getState().snapshot?.paused) return;
      examStore.setState({ currentIndex: index });
      connection?.request('exam:navigate', { index }).catch((e: unknown) => reportFailure('navigate', e));
    },
    /** The candidate's own break starts or ends (the centre decides, by the accommodations and its clock). */
    async takeBreak(action: 'start' | 'end'): Promise<void> {
      received(await call('exam:break', { action }));
    },
    async submitExam(): Promise<void> {
      lanes.signalSeconds.flush(); // the last seconds' signals go in the log before the exam ends
      lanes.signalSeconds.hold(true); // and none after: the centre takes no event after the end
      // Answers and events first (the centre takes neither after the end); the recording backlog drains after the exam.
      await delivery.settleBeforeSubmit();
      try {
        received(await call('exam:submit'));
      } finally {
        delivery.submitDone();
        // Still running (the submit failed, or a proctor reinstates the exam later): the signals go on being logged.
        if (!examFinished()) lanes.signalSeconds.hold(false);
      }
      examStore.setState({ confirmingSubmit: false });
    },
    stopProctoring,
    /** Everything off and the link closed (a page that goes away, or a test that ends). */
    dispose(): void {
      stopProctoring();
      for (const unsubscribe of unsubscribeDevices) unsubscribe();
      connection?.close();
      connection = null;
    },
  };
}
