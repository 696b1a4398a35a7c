/**
 * A real centre for tests: SQLite file in a temp folder, the demo seed, the server on a
 * random port, a clock the test can move, and real socket.io / HTTP clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { SeedQuestion } from '../shared/programme';
import { resolveProctoring, type ProctoringConfig } from '../shared/proctoring-config';
import type {
  CandidateClientToServer,
  CandidateServerToClient,
  ExamSnapshot,
  Response,
  StaffClientToServer,
  StaffServerToClient,
} from '../shared/protocol';
import { DEFAULT_CONFIG, type CentreConfig } from '../server/centre-config';
import { createCentreServer, type CentreServer } from '../server/centre-server';
import { PROJECT_ROOT } from '../server/config';
import { FaceModels } from '../server/face-models';
import type { LogVerdict } from '../server/event-chain';
import { checkpointFile, LogAnchor, loadLogSecret } from '../server/log-anchor';
import type { RenderDocument } from '../server/document-issuer';
import { seedDemo } from '../server/seed';
import { testDatabase, type TestDatabase } from './test-database';
import type { Store } from '../server/store/store';
import { takePrestartSteps } from './prestart-steps';

export const TEST_PASSWORD = 'test-password-1';

export class TestClock {
  constructor(private offsetMs = 0) {}
  now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface Harness {
  url: string;
  store: Store;
  /** The database beside the store, on the engine under test (tampering tests, digests). */
  database: TestDatabase;
  clock: TestClock;
  centre: CentreServer;
  dataDir: string;
  candidateId: string;
  programmeId: string;
  issueToken(): Promise<{ token: string; sessionId: string; url: string }>;
  /** The demo programme's questions with their key, by id (what a test needs to answer right or wrong). */
  questionBank(): Promise<Map<string, SeedQuestion>>;
  candidate(token: string): Promise<CandidateSocket>;
  staffToken(username: 'proctor' | 'reviewer' | 'admin' | 'chair' | 'member' | 'appeal'): Promise<string>;
  staff(token: string): Promise<StaffSocket>;
  http<T = unknown>(method: string, route: string, token?: string | null, body?: unknown): Promise<{ status: number; body: Response<T> }>;
  /** Switches steps before the exam on or off for the demo programme (merged into its saved settings). */
  setSteps(steps: Partial<ProctoringConfig['steps']>): Promise<void>;
  /**
   * Takes every step the programme requires through the real socket commands (system check
   * report, consent to the current Appendix 1 text in the exam language, identity by enrolment, a full
   * room scan), so that exam:start is accepted. The language must be chosen first.
   */
  passPrestart(socket: CandidateSocket): Promise<ExamSnapshot>;
  /** The session's log checked with the centre's key and checkpoints ('intact', 'rewritten' or 'truncated'). */
  verifyLog(sessionId: string): Promise<LogVerdict & { badCheckpointLines: number }>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export type CandidateSocket = Socket<CandidateServerToClient, CandidateClientToServer>;
export type StaffSocket = Socket<StaffServerToClient, StaffClientToServer>;

/**
 * One face worker for every centre a test file starts: its models (tfjs wasm, the detector, faceres) load once per
 * file instead of once per test. Idle, the worker does not keep the process alive.
 */
let faceModels: FaceModels | null = null;
function sharedFaceModels(): FaceModels {
  faceModels ??= new FaceModels(path.join(PROJECT_ROOT, 'models', 'files'));
  return faceModels;
}

/** dataDir: reuse a folder (a restart); it is removed on close unless keepData is passed to close(). */
/** config: settings to override (short timeouts, other rate limits). */
/** render: the documents' renderer in place of the centre's own worker (a test that makes one fail). */
export async function startHarness(
  options: { withApp?: boolean; dataDir?: string; config?: Partial<CentreConfig>; render?: RenderDocument } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'tanu-test-'));
  const logKey = loadLogSecret(dataDir, undefined);
  const database = testDatabase(dataDir);
  const store = await database.open({ logKey });
  await seedDemo(store, dataDir, TEST_PASSWORD);
  const clock = new TestClock();
  const anchor = new LogAnchor(logKey, checkpointFile(dataDir), clock.now);
  let url = 'http://127.0.0.1:0';
  const centre = createCentreServer({
    store,
    clock,
    anchor,
    ...(options.config?.modelsDir === undefined ? { faces: sharedFaceModels() } : {}),
    ...(options.render ? { render: options.render } : {}),
    config: {
      ...DEFAULT_CONFIG,
      sweepIntervalMs: 200,
      get publicUrl() {
        return url;
      },
      staticDir: options.withApp ? path.join(PROJECT_ROOT, 'dist') : null,
      modelsDir: options.withApp ? path.join(PROJECT_ROOT, 'models', 'files') : null,
      recordingsDir: path.join(dataDir, 'recordings'),
      ...options.config,
    },
  });
  url = (await centre.listen(0)).url;
  const [candidate] = await store.listCandidates();
  const [programme] = await store.listProgrammes();
  const sockets: Socket[] = [];

  const open = <S extends Socket>(nsp: string, token: string): Promise<S> =>
    new Promise((resolve, reject) => {
      const socket = connectSocket(`${url}${nsp}`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      }) as S;
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    });

  const harness: Harness = {
    url,
    store,
    database,
    clock,
    centre,
    dataDir,
    candidateId: candidate!.id,
    programmeId: programme!.id,
    issueToken: () => centre.issueExamLink(candidate!.id, programme!.id),
    questionBank: async () => new Map((await store.getQuestions(programme!.id)).map((q) => [q.id, q])),
    candidate: (token) => open<CandidateSocket>('/candidate', token),
    staff: (token) => open<StaffSocket>('/staff', token),
    async staffToken(username) {
      const res = await harness.http<{ token: string }>('POST', '/api/staff/login', null, { username, password: TEST_PASSWORD });
      if (!('data' in res.body)) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return res.body.data.token;
    },
    async http(method, route, token, body) {
      const res = await fetch(`${url}${route}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async setSteps(steps) {
      const saved = (await store.getProgramme(programme!.id))!.proctoring ?? {};
      const overrides = { ...saved, steps: { ...(saved.steps ?? {}), ...steps } };
      resolveProctoring(overrides); // refuse a bad switch here, as the admin route would
      await store.setProgrammeProctoring(programme!.id, overrides);
      centre.exams.forgetProctoringConfig(programme!.id);
    },
    async verifyLog(sessionId) {
      return anchor.verify(await store.listEvents(sessionId), sessionId);
    },
    passPrestart: (socket) => takePrestartSteps(socket),
    async close(closeOptions) {
      sockets.forEach((s) => s.close());
      await centre.close();
      await store.close();
      if (!closeOptions?.keepData) {
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return harness;
}

/** emit with an ack, as a promise; rejects after a timeout so a missing ack fails the test. */
export function request<T>(socket: Socket, event: string, payload: unknown = {}, timeoutMs = 5_000): Promise<Response<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Response<T>>;
}

export function data<T>(response: Response<T>): T {
  if ('error' in response) throw new Error(`expected data, got error ${response.error.code}: ${response.error.message}`);
  return response.data;
}

/** Resolves with the first event of that name that satisfies the predicate. */
export function nextEvent<T>(
  socket: Socket,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Polls until the condition holds (or fails the test after the timeout). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
