/**
 * What the candidate runtime (candidate-runtime.ts) hands to its step modules (identity, room scan,
 * system check) and what it is built from. A separate file so that the steps and the runtime that
 * composes them never import each other.
 */
import type { Camera } from '../devices/camera';
import type { EnvironmentWatch } from '../devices/environment';
import type { Microphone } from '../devices/microphone';
import type { Recorder } from '../devices/recorder';
import type { ExamScreen } from '../devices/screen';
import type {
  CandidateCommand,
  CandidateConnection,
  CandidateResult,
  ConnectionHandlers,
  RequestArgs,
} from '../session/candidate-connection';
import type { Delivery, ProducedKind } from '../session/delivery';
import type { EvidenceItem } from '../session/evidence-uploads';
import type { ClientEventData, ClientEventType, ExamSnapshot } from '../shared/protocol';
import type { ReportFailure } from './client-errors';
import type { EngineInstrumentation } from './engine-instrumentation';
import type { ProctoringEngine } from './proctoring-engine';
import type { RoomScanEvalRun } from './room-scan-eval';

/** One owner per device (rule 2.8.5's camera and microphone, the screen, the recording, the window's surroundings). */
export interface CandidateDevices {
  camera: Camera;
  microphone: Microphone;
  screen: ExamScreen;
  recorder: Recorder;
  environment: EnvironmentWatch;
}

/**
 * What an evaluation or a benchmark watches (`npm run eval`, `bench`, `bench:browsers` and the lossless browser test);
 * the product passes none, and the runtime keeps nothing for them.
 */
export interface CandidateInstrumentation {
  /** Given to the proctoring engine (EvalRecording). */
  engine?: EngineInstrumentation;
  /** Every item the outbox stored locally, for comparing with what the centre holds. */
  produced?(kind: ProducedKind, key: string): void;
  /** Each room-scan attempt, filled in as it runs. */
  roomScan?(run: RoomScanEvalRun): void;
  /** The runtime's parts, once built (the eval page exposes what it reads of them). */
  attach?(parts: { engine: ProctoringEngine; delivery: Delivery; devices: CandidateDevices }): void;
}

/** The steps before the exam whose command the centre answers with the new snapshot. */
export type PrestartCommand = 'exam:system-check' | 'exam:consent' | 'room-scan:report';

export type OpenConnection = (token: string, handlers: ConnectionHandlers) => CandidateConnection;

export interface CandidateRuntimeDeps {
  devices: CandidateDevices;
  /** Opens the link to the centre for an exam token (a socket.io CandidateConnection in the browser). */
  connection: OpenConnection;
  /** This tab's storage: the exam token and the neutral head pose are kept in it across a reload. Null: not kept. */
  storage: Storage | null;
  /** Milliseconds since the epoch (Date.now in the browser). */
  clock: () => number;
  instrumentation?: CandidateInstrumentation;
}

/** The part of the runtime the step modules use. */
export interface CandidateCore {
  readonly camera: Camera;
  readonly microphone: Microphone;
  readonly engine: ProctoringEngine;
  readonly storage: Storage | null;
  readonly instrumentation: CandidateInstrumentation;
  now(): number;
  /** A command through the connection, the page marked busy meanwhile. */
  sendCommand<K extends CandidateCommand>(command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>>;
  /** The same without marking the page busy: for background calls during the exam (identity re-checks). */
  sendInBackground<K extends CandidateCommand>(command: K, ...args: RequestArgs<K>): Promise<CandidateResult<K>>;
  /** A snapshot a command returned, applied as if the centre had pushed it. */
  applySnapshot(snapshot: ExamSnapshot): void;
  /** A step before the exam (system check report, consent, room scan); the centre answers with the new snapshot. */
  sendPrestartStep<K extends PrestartCommand>(command: K, ...args: RequestArgs<K>): Promise<ExamSnapshot>;
  logEvent<K extends ClientEventType>(type: K, data?: ClientEventData[K]): void;
  /** Evidence (a snapshot of what the camera saw) through the outbox's evidence lane. */
  queueEvidence(item: EvidenceItem): void;
  reportFailure: ReportFailure;
  enableDevices(): Promise<void>;
  /** One upstream bandwidth probe, acked by the centre once the bytes have arrived. */
  uploadProbe(bytes: Uint8Array, timeoutMs?: number): Promise<{ bytes: number }>;
}
