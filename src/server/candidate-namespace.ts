/**
 * socket.io /candidate: one connection per exam session, authenticated by the one-time
 * exam token from the link. A newer connection for the same session (a reload, another
 * tab) replaces the older one, which is told so and disconnected.
 */
import type { Namespace, Socket } from 'socket.io';
import { candidateCommands, type CandidateCommands, type CommandHandlers } from '../shared/commands';
import type { CandidateClientToServer, CandidateServerToClient } from '../shared/protocol';
import type { LiveClosedReason, RtcSignal, SignalSample, ThumbRequest } from '../shared/control-room';
import { hashToken } from './auth';
import type { BreakService } from './break-service';
import type { ControlRoomService } from './control-room-service';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import type { IdentityService } from './identity-service';
import type { PrestartService } from './prestart-service';
import type { ProctoringService } from './proctoring-service';
import type { RecordingService } from './recording-service';
import { answerUnknownEvents, bindCommands, tokenAuth, type Logger } from './socket-command';
import type { Store } from './store/store';

export type CandidateSocket = Socket<CandidateClientToServer, CandidateServerToClient, Record<string, never>, { sessionId: string }>;
export type CandidateNamespace = Namespace<CandidateClientToServer, CandidateServerToClient, Record<string, never>, { sessionId: string }>;

export type CandidateNamespaceDeps = Parameters<typeof attachCandidateNamespace>[1];

/** The handler of every /candidate command for one session (the table in shared/commands.ts fixes names, payloads and results). */
export function candidateCommandHandlers(sessionId: string, deps: CandidateNamespaceDeps): CommandHandlers<CandidateCommands> {
  const { exams, proctoring } = deps;
  return {
    'exam:resume': () => exams.snapshot(sessionId),
    'exam:choose-language': (p) => exams.chooseLanguage(sessionId, p.language),
    'exam:start': () => exams.start(sessionId),
    'exam:navigate': (p) => exams.navigate(sessionId, p.index),
    'answer:save': (p) => exams.saveAnswer(sessionId, p),
    'exam:submit': () => exams.submit(sessionId),
    'exam:break': (p) => (p.action === 'start' ? deps.breaks.start(sessionId) : deps.breaks.end(sessionId, 'candidate')),
    'event:log': async (e) => {
      await proctoring.checkReport(sessionId, e); // Incident times bounded to the session before anything is stored
      const logged = await exams.logClientEvent(sessionId, e);
      // Acknowledged only after the centre has judged it (rule 13), so a crash in between means a resend, judged then.
      await proctoring.judgeReport(sessionId, e);
      return logged;
    },
    'evidence:upload': (p) => proctoring.storeEvidence(sessionId, p),
    'recording:chunk': (p) => deps.recordings.storeChunk(sessionId, p),
    'recording:status': () => deps.recordings.status(sessionId),
    // The steps before the first question (src/server/prestart-service.ts).
    'check:upload': (p) => deps.prestart.probe(sessionId, p.bytes),
    'exam:system-check': (p) => deps.prestart.systemCheck(sessionId, p),
    'exam:consent': (p) => deps.prestart.consent(sessionId, p),
    'room-scan:report': (p) => deps.prestart.roomScan(sessionId, p),
    // Rule 2.8.6: the centre compares the live face with the reference (src/server/identity-service.ts).
    'identity:verify': (p) => deps.identity.verify(sessionId, p),
    'identity:check': (p) => deps.identity.check(sessionId, p.jpeg),
    // Rule 11: the assistant the accommodations allow, identified after the candidate (src/server/assistant-identity.ts).
    'identity:assistant': (p) => deps.identity.identifyAssistant(sessionId, p.jpeg),

    // The proctor's notes, the live thumbnail lane and the live camera's signalling.
    'note:ack': async (p) => {
      await deps.controlRoom.acknowledge(sessionId, p.id, p.reply?.trim() || null);
      return exams.snapshot(sessionId);
    },
    // Sent volatile by the browser; the ack is optional (a thumbnail nobody asked for is dropped, never an error).
    'thumb:frame': (p) => ({ relayed: deps.live.frame(sessionId, p.jpeg, p.samples ?? []) }),
    'live:signal': async (p) => {
      if (!deps.live.signal(sessionId, p.signal)) throw new ExamError('conflict', 'no proctor has the live camera open');
      return { ok: true as const };
    },
  };
}

export function attachCandidateNamespace(
  nsp: CandidateNamespace,
  deps: {
    store: Store;
    clock: Clock;
    exams: ExamService;
    proctoring: ProctoringService;
    recordings: RecordingService;
    prestart: PrestartService;
    identity: IdentityService;
    controlRoom: ControlRoomService;
    breaks: BreakService;
    log: Logger;
    connections: Map<string, CandidateSocket>;
    onPresence: (sessionId: string) => void;
    /** The live view. */
    live: {
      /** What the browser should send now (thumbnails, signals), on (re)connection. */
      request(sessionId: string): ThumbRequest;
      /** The candidate's link dropped or a new one replaced it: an open live camera is closed, with the reason. */
      linkChanged(sessionId: string, reason: LiveClosedReason): void;
      /** A thumbnail (and signals) from the browser; returns how many proctors it went to. */
      frame(sessionId: string, jpeg: Uint8Array, samples: SignalSample[]): number;
      /** WebRTC signalling from the browser to the proctor who opened the camera; false when nobody has. */
      signal(sessionId: string, signal: RtcSignal): boolean;
    };
  },
): void {
  const { store, clock, exams, log, connections } = deps;

  nsp.use(
    tokenAuth<CandidateSocket>(log, 'exam token', 20, async (token, socket) => {
      const session = await store.findSessionByTokenHash(hashToken(token));
      if (!session) return 'unauthorised: unknown exam token';
      // An unused link expires; a finished exam keeps its link only to show the result.
      if (session.status === 'issued' && clock.now() >= session.tokenExpiresAt) return 'expired: this exam link has expired';
      socket.data.sessionId = session.id;
      return null;
    }),
  );

  nsp.on('connection', (socket: CandidateSocket) => {
    const sessionId = socket.data.sessionId;
    const previous = connections.get(sessionId);
    connections.set(sessionId, socket);
    if (previous && previous.id !== socket.id) {
      previous.emit('session:replaced');
      previous.disconnect(true);
      // Who took over, for the proctor: another tab, a reload, or another computer with the same link.
      const userAgent = String(socket.handshake.headers['user-agent'] ?? '').slice(0, 200);
      void exams
        .logServerEvent(sessionId, 'session.replaced', { address: socket.handshake.address, userAgent })
        .catch((e) => log('error', 'log replace', e));
    }
    deps.live.linkChanged(sessionId, 'the candidate reconnected');
    void socket.join(`session:${sessionId}`); // the in-memory and Redis-streams adapters join at once
    const thumbs = deps.live.request(sessionId);
    if (thumbs.intervalMs > 0) socket.emit('thumbs:set', thumbs);
    void exams
      .logServerEvent(sessionId, 'session.connected', { transport: socket.conn.transport.name })
      .catch((e) => log('error', 'log connect', e));
    deps.onPresence(sessionId);

    bindCommands(socket, candidateCommands, log, candidateCommandHandlers(sessionId, deps));

    answerUnknownEvents(socket as never);
    socket.on('disconnect', (reason) => {
      if (connections.get(sessionId) === socket) connections.delete(sessionId);
      else return; // replaced by a newer connection: not a disconnection of the candidate
      void exams.logServerEvent(sessionId, 'session.disconnected', { reason }).catch((e) => log('error', 'log disconnect', e));
      deps.live.linkChanged(sessionId, 'the candidate lost the connection');
      deps.onPresence(sessionId);
    });
  });
}
