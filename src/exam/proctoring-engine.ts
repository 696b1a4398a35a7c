/**
 * The candidate's proctoring engine (DESIGN §3): camera frames go to the vision worker,
 * microphone buffers to the audio worker, window and device changes come from the watchers;
 * the pure incident tracker settles them into incidents and the same rule 13 / rule 11 policy
 * the centre runs decides at once what the candidate is told. Every incident is reported
 * (with its evidence snapshot) whatever the decision; the centre judges it again.
 *
 * Nothing here runs a model on the main thread: per frame the main thread only hands an
 * ImageBitmap to the worker and the resulting numbers to the tracker.
 */
import type { HeadBaseline } from '../proctoring/head-baseline';
import { IncidentTracker, type IncidentUpdate } from '../proctoring/incident-tracker';
import { pitchOf, type AudioSignals, type EnvSignal, type FrameSignals } from '../proctoring/signals';
import type { Incident } from '../shared/incidents';
import { applyPolicy, dismissIncident, excuseIncident, isWatched, type PolicyDecision, type PolicyState } from '../shared/policy';
import type { ProctoringConfig } from '../shared/proctoring-config';
import type { ClientOperation } from '../shared/protocol';
import { sha256Hex, type EvidenceItem } from '../session/evidence-uploads';
import { SnapshotUrls } from './snapshot-urls';
import type { EngineInstrumentation } from './engine-instrumentation';
import type { SignalSink } from '../session/signal-samples';
import type { ProctoringStatus } from '../stores/exam-store';
import { stallLimit } from '../devices/time-limit';
import { AudioClient } from '../workers/audio-client';
import { VisionClient, type DescribeResult } from '../workers/vision-client';

/**
 * Rule 2.8.6: a photo sent to the centre, which describes it and compares it with the reference
 * (identity:check); matched or not. `jpeg` is the frame the engine saw one face in (null: none could be encoded).
 */
export type IdentityCheck = (jpeg: Uint8Array | null) => Promise<{ matched: boolean }>;
/** Every analysed frame's signals, and a JPEG of that frame while a listener asked for photos. */
export type FrameListener = (signals: FrameSignals, photo: Blob | null) => void;

export type EngineStatus = ProctoringStatus;

export interface EngineOutput {
  /** An incident opened or closed: goes to the outbox, in order. */
  report(type: 'incident.open' | 'incident.close', data: { incident: Incident; evidenceSha256?: string }): void;
  evidence(item: EvidenceItem): void;
  /** The policy decided something the candidate must be told (warning, termination, suspension). */
  decided(decision: Exclude<PolicyDecision, { kind: 'none' }>, snapshotUrl: string | null): void;
  status(status: EngineStatus): void;
  ready(info: { backend: string; msToReady: number; models: string[] }): void;
  /** Something in the background failed that nobody on the page can act on (client-errors.ts). */
  failed(operation: ClientOperation, error: unknown): void;
}

const MODEL_BASE = '/models/';
const TICK_MS = 500;
/**
 * Loading may take minutes on a slow line but may not stand still: with no progress and no
 * answer from either worker for this long, loading has failed and the candidate is told (with Retry).
 */
export const MODELS_STALL_LIMIT_MS = 90_000;

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ProctoringEngine {
  private tracker: IncidentTracker<Blob> | null = null;
  private headBaseline: HeadBaseline | null = null;
  private config: ProctoringConfig | null = null;
  private policy: PolicyState | null = null;
  /** The candidate's own break is on: what begins now is reported, never judged (the centre does the same). */
  private onBreak = false;
  private vision: VisionClient | null = null;
  private audio: AudioClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Reports are handled one after another so opens and closes reach the outbox in the tracker's order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly frameTimes: number[] = [];
  private readonly frameMs: number[] = [];
  private statusNow: EngineStatus = { phase: 'idle', progress: 0, fps: 0, frameMs: 0, error: null };
  private readonly snapshots = new SnapshotUrls();
  private identityCheck: IdentityCheck | null = null;
  private lastIdentityCheckAt: number | null = null;
  private checkingIdentity = false;
  private readonly frameListeners = new Set<FrameListener>();
  /** Listeners that asked for a photo of every frame (the identity step). */
  private readonly photoListeners = new Set<FrameListener>();
  /** The readings for the proctor's charts, set only while a proctor asks for them (a few numbers per frame). */
  signalSink: SignalSink | null = null;

  /** `instrumentation`: what an evaluation or a bench watches (the candidate runtime passes one only for them). */
  constructor(
    private readonly out: EngineOutput,
    private readonly instrumentation: EngineInstrumentation | null = null,
  ) {}

  get status(): EngineStatus {
    return this.statusNow;
  }

  private setStatus(patch: Partial<EngineStatus>): void {
    this.statusNow = { ...this.statusNow, ...patch };
    this.out.status(this.statusNow);
  }

  /** Loads the models and starts analysing both streams; safe to call again after stop(). */
  async start(camera: MediaStream, microphone: MediaStream, config: ProctoringConfig, policy: PolicyState): Promise<void> {
    this.stop();
    this.config = config;
    this.policy = policy;
    this.setStatus({ phase: 'loading', progress: 0, error: null });
    const started = performance.now();
    let visionProgress = 0;
    let audioProgress = 0;
    const stall = stallLimit(MODELS_STALL_LIMIT_MS, 'loading the proctoring models');
    const progress = () => {
      stall.touch();
      this.setStatus({ progress: Math.min(1, visionProgress * 0.85 + audioProgress * 0.15) });
    };

    const vision = new VisionClient({
      onProgress: (p) => {
        visionProgress = p.total > 0 ? p.loaded / p.total : 0;
        progress();
      },
      onSignals: (signals, snapshot, meta) => this.frame(signals, snapshot, meta.photo ?? null),
      onError: (e) => this.env({ t: Date.now(), kind: 'model_failed', model: e.model ?? 'vision', message: e.message }),
    });
    const audio = new AudioClient({
      onProgress: (p) => {
        audioProgress = p.total > 0 ? p.loaded / p.total : 0;
        progress();
      },
      onSignals: (list) => list.forEach((s) => this.sound(s)),
      modelBase: MODEL_BASE,
      onError: (e) => this.env({ t: Date.now(), kind: 'model_failed', model: e.model ?? 'audio', message: e.message }),
    });
    this.vision = vision;
    this.audio = audio;
    vision.setFramePhotos(this.photoListeners.size > 0);
    try {
      const [v] = await Promise.race([
        Promise.all([
          vision
            .start(camera, { config, modelBase: MODEL_BASE, options: { identity: config.steps.identity } })
            .finally(() => stall.touch()),
          audio.start(microphone).finally(() => stall.touch()),
        ]),
        stall.expired,
      ]);
      stall.stop();
      if (this.vision !== vision) return; // stopped while loading
      const msToReady = Math.round(performance.now() - started);
      this.instrumentation?.ready(msToReady);
      this.setStatus({ phase: 'ready', progress: 1 });
      this.out.ready({ backend: v.backend, msToReady, models: v.models.concat('silero-vad') });
      this.timer = setInterval(() => this.tick(), TICK_MS);
    } catch (err) {
      stall.stop();
      if (this.vision !== vision) return;
      const message = err instanceof Error ? err.message : String(err);
      this.setStatus({ phase: 'failed', error: message });
      this.env({ t: Date.now(), kind: 'model_failed', model: 'engine', message });
    }
  }

  /** The exam is running: from now on signals become incidents (before, the models only warm up). */
  arm(): void {
    if (this.tracker || !this.config || this.statusNow.phase !== 'ready') return;
    this.tracker = new IncidentTracker<Blob>(this.config, randomId);
    this.tracker.setHeadBaseline(this.headBaseline);
    this.instrumentation?.armed(Date.now());
    this.lastIdentityCheckAt = null; // the first re-verification comes at the start, then every identityCheckSec
  }

  /**
   * The candidate's neutral head pose, taken in the identity step (head-baseline.ts): head.away is judged from it.
   * Kept in memory only: after a reload the identity step is not repeated and head.away goes by the camera axis.
   */
  setHeadBaseline(baseline: HeadBaseline | null): void {
    this.headBaseline = baseline;
    this.tracker?.setHeadBaseline(baseline);
  }

  /** Rule 2.8.6: how the engine asks the centre to compare (set once by the identity runtime). */
  setIdentityCheck(check: IdentityCheck): void {
    this.identityCheck = check;
  }

  /**
   * Every analysed frame's signals (the identity step follows faces and yaw); with `photos`, each
   * comes with a JPEG of that very frame (rule 2.8.6: the centre judges the turn on the frames the
   * browser read). Returns the unsubscribe.
   */
  onFrame(listener: FrameListener, options: { photos?: boolean } = {}): () => void {
    this.frameListeners.add(listener);
    if (options.photos) this.photoListeners.add(listener);
    this.vision?.setFramePhotos(this.photoListeners.size > 0);
    return () => {
      this.frameListeners.delete(listener);
      this.photoListeners.delete(listener);
      this.vision?.setFramePhotos(this.photoListeners.size > 0);
    };
  }

  /** The descriptor of the one face of the next analysed frame (rejects when the camera analysis is not running). */
  describeFace(): Promise<DescribeResult> {
    return this.vision ? this.vision.describeNextFrame() : Promise.reject(new Error('the camera analysis is not running'));
  }

  /**
   * Re-verification (rule 2.8.6): every config.identityCheckSec while the exam runs, when the
   * camera shows one face, a photo goes to the centre, which describes and compares it. The centre
   * decides face.mismatch (repeated mismatches there, judged by rule 13, its warning
   * comes back as the policy state), so the answer here is only recorded. A frame with no face or
   * several is skipped (face.absent / face.multiple cover those), so is a check the centre could
   * not answer (offline, or over its rate limit).
   */
  private async reverify(now: number): Promise<void> {
    const config = this.config;
    const check = this.identityCheck;
    if (!config?.steps.identity || !check || !this.tracker || this.checkingIdentity) return;
    if (this.lastIdentityCheckAt !== null && now - this.lastIdentityCheckAt < config.identityCheckSec * 1000) return;
    this.checkingIdentity = true;
    this.lastIdentityCheckAt = now;
    try {
      const described = await this.describeFace();
      if (!described.descriptor) {
        this.instrumentation?.identityChecked({ t: now, matched: null, skipped: described.error });
        return;
      }
      // The photo of the very frame seen with one face goes to the centre, which describes it itself.
      const result = await check(described.photo ? new Uint8Array(await described.photo.arrayBuffer()) : null);
      this.instrumentation?.identityChecked({ t: Date.now(), matched: result.matched });
    } catch (e) {
      this.instrumentation?.identityChecked({ t: now, matched: null, skipped: e instanceof Error ? e.message : String(e) });
      this.out.failed('identity_check', e); // the centre did not answer the re-check: the proctor is told
    } finally {
      this.checkingIdentity = false;
    }
  }

  /**
   * The break started or ended (the centre's snapshot says so). When it ends, what is still open
   * (the candidate not back yet) is closed and seen afresh, so it is judged from the break's end.
   */
  setOnBreak(onBreak: boolean): void {
    if (this.onBreak && !onBreak && this.tracker) this.handle(this.tracker.closeAll(Date.now()));
    this.onBreak = onBreak;
  }

  /** The centre's view of rule 13 wins: a warning it recorded (e.g. before a reload) is known here too. */
  syncPolicy(policy: PolicyState): void {
    if (!this.policy) return;
    // What a proctor dismissed never counts here either; a warning it had earned is withdrawn.
    for (const id of policy.dismissed ?? []) if (!this.policy.dismissed?.includes(id)) this.policy = dismissIncident(this.policy, id).state;
    if (policy.outcome !== this.policy.outcome || (policy.warning && !this.policy.warning)) {
      this.policy = { ...this.policy, outcome: policy.outcome, warning: policy.warning ?? this.policy.warning };
    }
  }

  env(signal: EnvSignal): void {
    if (this.tracker) this.handle(this.tracker.env(signal));
  }

  /** Camera frames the vision worker had no time for (it takes the newest frame when it is free). */
  droppedFrames(): number | null {
    return this.vision?.droppedFrames ?? null;
  }

  private frame(signals: FrameSignals, snapshot: Blob | null, photo: Blob | null = null): void {
    const now = performance.now();
    this.instrumentation?.frame(signals);
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && now - this.frameTimes[0]! > 3_000) this.frameTimes.shift();
    this.frameMs.push(signals.ms.total);
    if (this.frameMs.length > 90) this.frameMs.shift();
    this.signalSink?.frame(signals.t, signals.faces.length, signals.head?.yawDeg ?? null, pitchOf(signals.head));
    for (const listener of this.frameListeners) listener(signals, this.photoListeners.has(listener) ? photo : null);
    if (this.tracker) this.handle(this.tracker.frame(signals, snapshot ?? undefined));
  }

  private sound(signals: AudioSignals): void {
    this.instrumentation?.sound(signals);
    this.signalSink?.audio(signals.t, signals.levelDb, signals.speechProbability);
    if (this.tracker) this.handle(this.tracker.audio(signals));
  }

  private tick(): void {
    const now = Date.now();
    if (this.tracker) {
      this.handle(this.tracker.tick(now));
      // Still going on: a technical fault may pass its time (rule 11), a warned violation may outlast the grace (rule 13).
      for (const incident of this.tracker.open()) if (this.policy && isWatched(this.policy, incident)) this.judge(incident, now);
      void this.reverify(now);
    }
    const sorted = this.frameMs.slice(-90).sort((a, b) => a - b);
    this.setStatus({ fps: this.frameTimes.length / 3, frameMs: sorted[Math.floor(sorted.length / 2)] ?? 0 });
  }

  private handle(updates: IncidentUpdate<Blob>[]): void {
    for (const update of updates)
      this.chain = this.chain.then(() => this.report(update)).catch((e: unknown) => this.out.failed('incident_report', e));
  }

  private async report(update: IncidentUpdate<Blob>): Promise<void> {
    const { incident } = update;
    this.instrumentation?.incident(update.kind, incident);
    if (update.kind === 'close') {
      this.out.report('incident.close', { incident });
      this.judge(incident, Date.now());
      this.snapshots.closed(incident.id);
      return;
    }
    let evidenceSha256: string | undefined;
    if (update.evidence) {
      const jpeg = new Uint8Array(await update.evidence.arrayBuffer());
      evidenceSha256 = await sha256Hex(jpeg);
      this.out.evidence({ incidentId: incident.id, sha256: evidenceSha256, jpeg });
      this.snapshots.add(incident.id, update.evidence);
    }
    this.out.report('incident.open', evidenceSha256 ? { incident, evidenceSha256 } : { incident });
    this.judge(incident, Date.now());
  }

  private judge(incident: Incident, now: number): void {
    if (!this.policy || !this.config) return;
    if (this.onBreak && !this.policy.judged.includes(incident.id)) {
      this.policy = excuseIncident(this.policy, incident.id);
      return;
    }
    const { state, decision } = applyPolicy(this.policy, incident, this.config, now);
    this.policy = state;
    if (decision.kind !== 'none') this.out.decided(decision, this.snapshots.show(incident.id));
  }

  /** Closes open incidents (end of exam), stops the workers. */
  stop(): void {
    if (this.tracker) this.handle(this.tracker.closeAll(Date.now()));
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.vision?.dispose();
    this.audio?.dispose();
    this.vision = null;
    this.audio = null;
    this.tracker = null;
    if (this.statusNow.phase !== 'idle') this.setStatus({ phase: 'idle', progress: 0 });
  }
}
