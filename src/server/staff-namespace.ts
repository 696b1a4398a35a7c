/**
 * socket.io /staff: the proctors' control room. A staff session token is required; a
 * candidate's exam token is not one and is refused. Every command is for proctors and admins
 * (reviewers work over REST); each is validated, answered once, and logged where it acts.
 */
import type { Namespace, Socket } from 'socket.io';
import { staffCommands, type CommandHandlers, type StaffCommands } from '../shared/commands';
import type { IceServer, StaffActor } from '../shared/control-room';
import type { StaffClientToServer, StaffRole, StaffServerToClient } from '../shared/protocol';
import { hashToken } from './auth';
import type { Clock } from './clock';
import type { ControlRoomService } from './control-room-service';
import { ExamError, type ExamService } from './exam-service';
import { LIVE_ROOM, type LiveFeed } from './live-feed';
import type { LiveWatch, WatchChange } from './live-watch';
import { answerUnknownEvents, bindCommands, tokenAuth, type Logger } from './socket-command';
import type { Store } from './store/store';

export interface StaffData {
  userId: string;
  role: StaffRole;
  name: string;
  tokenHash: string;
}
/** Between the centre's nodes: changes to who watches whom (live-watch.ts). */
export interface StaffInterServerEvents {
  watch: (change: WatchChange) => void;
  /** A programme's proctoring settings changed on another node. */
  programme: (programmeId: string) => void;
  /** Another node asks what this node's staff sockets watch (it joined, or mends its replica). */
  'watch-sync': (reply: (changes: WatchChange[]) => void) => void;
}
export type StaffNamespace = Namespace<StaffClientToServer, StaffServerToClient, StaffInterServerEvents, StaffData>;
export type StaffSocket = Socket<StaffClientToServer, StaffServerToClient, StaffInterServerEvents, StaffData>;

export const LIVE_DASHBOARD_ROLES: readonly StaffRole[] = ['proctor', 'admin'];

export interface StaffNamespaceDeps {
  store: Store;
  clock: Clock;
  feed: LiveFeed;
  exams: ExamService;
  controlRoom: ControlRoomService;
  watch: LiveWatch;
  iceServers: IceServer[];
  log: Logger;
  /** Relay to the candidate's browser of a session. */
  toCandidate: {
    liveStart(sessionId: string, iceServers: IceServer[]): boolean;
    liveSignal(sessionId: string, signal: unknown): boolean;
    liveStop(sessionId: string): void;
  };
  /** A proctor closed the live camera (or left): log it. */
  /** Logs live.closed; resolves once it is stored. */
  liveClosed(sessionId: string, view: { by: StaffActor; openedAt: number }, reason: string): Promise<void>;
}

/** The handler of every /staff command for one proctor's socket (the table in shared/commands.ts fixes names, payloads and results). */
export function staffCommandHandlers(nsp: StaffNamespace, socket: StaffSocket, deps: StaffNamespaceDeps): CommandHandlers<StaffCommands> {
  const { clock, feed, controlRoom, watch } = deps;
  const actor = (): StaffActor => ({ userId: socket.data.userId, name: socket.data.name, role: socket.data.role });
  /** Every control-room command is a proctor's (or an admin's) act: reviewers are refused. */
  const proctorOnly = () => {
    if (!LIVE_DASHBOARD_ROLES.includes(socket.data.role)) throw new ExamError('forbidden', 'the control room is for proctors');
  };

  return {
    'dashboard:subscribe': async () => {
      proctorOnly();
      // Join first: an update racing the snapshot then arrives twice (the client keys by id) rather than never.
      await socket.join(LIVE_ROOM);
      return feed.snapshot(actor());
    },
    'cards:watch': async (p) => {
      proctorOnly();
      return { watching: watch.watch(socket.id, p.sessionIds, p.detail) };
    },
    'session:detail': async (p) => {
      proctorOnly();
      return controlRoom.detail(p.sessionId);
    },
    'incident:decide': async (p) => {
      proctorOnly();
      return controlRoom.decide(actor(), p);
    },
    'proctor:act': async (p) => {
      proctorOnly();
      await controlRoom.act(actor(), p.sessionId, p.action);
      return feed.liveSession(await deps.exams.session(p.sessionId));
    },
    'live:open': async (p) => {
      proctorOnly();
      const session = await deps.exams.session(p.sessionId);
      if (session.status !== 'issued' && session.status !== 'in_progress')
        throw new ExamError('conflict', 'the exam has ended: there is no live camera');
      const previous = watch.openLive(p.sessionId, { staffSocketId: socket.id, by: actor(), openedAt: clock.now() });
      if (previous) {
        nsp.to(previous.staffSocketId).emit('live:closed', { sessionId: p.sessionId, reason: 'another proctor opened this camera' });
        void deps.liveClosed(p.sessionId, previous, 'taken over');
      }
      if (!deps.toCandidate.liveStart(p.sessionId, deps.iceServers)) {
        watch.closeLive(p.sessionId, socket.id);
        throw new ExamError('conflict', 'the candidate is not connected');
      }
      await deps.exams.logServerEvent(p.sessionId, 'live.opened', { by: actor() });
      return { iceServers: deps.iceServers };
    },
    'live:signal': async (p) => {
      proctorOnly();
      if (watch.liveViewer(p.sessionId)?.staffSocketId !== socket.id) throw new ExamError('conflict', 'open the live camera first');
      if (!deps.toCandidate.liveSignal(p.sessionId, p.signal)) throw new ExamError('conflict', 'the candidate is not connected');
      return { ok: true as const };
    },
    'live:close': async (p) => {
      proctorOnly();
      const view = watch.closeLive(p.sessionId, socket.id);
      if (view) {
        deps.toCandidate.liveStop(p.sessionId);
        await deps.liveClosed(p.sessionId, view, 'closed by the proctor');
      }
      return { ok: true as const };
    },
  };
}

export function attachStaffNamespace(nsp: StaffNamespace, deps: StaffNamespaceDeps): void {
  const { store, clock, log, watch } = deps;

  nsp.use(
    tokenAuth<StaffSocket>(log, 'staff log-in', 1, async (token, socket) => {
      const tokenHash = hashToken(token);
      const user = await store.findStaffSession(tokenHash, clock.now());
      if (!user) return 'unauthorised: staff log-in required';
      socket.data.userId = user.id;
      socket.data.role = user.role;
      socket.data.name = user.displayName;
      socket.data.tokenHash = tokenHash;
      return null;
    }),
  );

  nsp.on('connection', (socket: StaffSocket) => {
    bindCommands(socket, staffCommands, log, staffCommandHandlers(nsp, socket, deps));

    answerUnknownEvents(socket as never);
    socket.on('disconnect', () => {
      watch.forget(socket.id);
      for (const sessionId of watch.liveViewsOf(socket.id)) {
        const view = watch.closeLive(sessionId, socket.id);
        if (!view) continue;
        deps.toCandidate.liveStop(sessionId);
        void deps.liveClosed(sessionId, view, 'the proctor left');
      }
    });
  });
}

/** Log-out or expiry: the user's sockets stop receiving anything at once. */
export async function disconnectStaff(nsp: StaffNamespace, match: (data: StaffData) => boolean): Promise<number> {
  let n = 0;
  for (const socket of await nsp.fetchSockets()) {
    if (!match(socket.data)) continue;
    socket.emit('staff:logged-out');
    socket.disconnect(true);
    n++;
  }
  return n;
}
