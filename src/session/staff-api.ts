/** Staff side of the wire: REST calls with the staff bearer token, and the /staff live socket. */
import { io, type Socket } from 'socket.io-client';
import type { QueueItem, RtcSignal, SignalSample } from '../shared/control-room';
import type { LocalisedText } from '../shared/programme';
import type { PayloadIn, ResultOf, StaffCommands } from '../shared/commands';
import type {
  DashboardSnapshot,
  FeedEvent,
  LiveSession,
  ProtocolError,
  Response,
  StaffClientToServer,
  StaffRole,
  StaffServerToClient,
} from '../shared/protocol';

export interface StaffAuth {
  token: string;
  role: StaffRole;
  displayName: string;
  username: string;
  expiresAt: number;
  /** The centre's time zone: staff screens show dates and times in it. */
  timeZone?: string;
}

export class ApiError extends Error {
  /** The centre's error code (screens translate the code, the English message is for logs). */
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = 'internal',
  ) {
    super(message);
  }
}

export async function api<T>(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as Response<T>;
  if ('error' in payload) throw new ApiError(res.status, payload.error.message, payload.error.code);
  return payload.data;
}

/** An incident's evidence snapshot as an object URL for an <img>; null while the centre does not have it (yet). */
export async function evidenceUrl(token: string, sessionId: string, incidentId: string): Promise<string | null> {
  const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/evidence/${encodeURIComponent(incidentId)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

export function login(username: string, password: string): Promise<StaffAuth> {
  return api<StaffAuth>('/api/staff/login', null, { method: 'POST', body: { username, password } });
}

export interface LiveHandlers {
  snapshot(s: DashboardSnapshot): void;
  session(s: LiveSession): void;
  event(e: FeedEvent): void;
  status(online: boolean): void;
  refused(message: string): void;
  /* The control room's pushes (optional: the plain dashboard does without) */
  queueItem?(item: QueueItem): void;
  thumb?(frame: { sessionId: string; jpeg: ArrayBuffer | Uint8Array; at: number }): void;
  signals?(batch: { sessionId: string; samples: SignalSample[] }): void;
  liveSignal?(message: { sessionId: string; signal: RtcSignal }): void;
  liveClosed?(message: { sessionId: string; reason: string }): void;
  loggedOut?(): void;
  /** After every (re)subscribe: the place to send 'cards:watch' again. */
  subscribed?(): void;
}

/** A command the centre refused, with its code (e.g. 'conflict') and its own words. */
export class CommandError extends Error {
  constructor(
    readonly code: ProtocolError['code'] | 'timeout' | 'offline',
    message: string,
  ) {
    super(message);
  }
}

type Command = keyof StaffClientToServer;
type Reply<E extends Command> = ResultOf<StaffCommands[E]>;

/** The live /staff socket: close it, or send a command and get its acknowledged data (or a CommandError). */
export interface StaffLink {
  close(): void;
  send<E extends Command>(event: E, payload: PayloadIn<StaffCommands[E]>, timeoutMs?: number): Promise<Reply<E>>;
}

/** Connects to the live dashboard and re-subscribes after every reconnect (the snapshot fills any gap). */
export function connectControlRoom(token: string, handlers: LiveHandlers, scope: 'mine' | 'all' = 'all'): StaffLink {
  const socket: Socket<StaffServerToClient, StaffClientToServer> = io('/staff', { auth: { token } });
  socket.on('connect', () => {
    handlers.status(true);
    socket.timeout(10_000).emit('dashboard:subscribe', { scope }, (err: Error | null, res: Response<DashboardSnapshot>) => {
      if (err) return;
      if ('error' in res) handlers.refused(res.error.message);
      else {
        handlers.snapshot(res.data);
        handlers.subscribed?.();
      }
    });
  });
  socket.on('disconnect', () => handlers.status(false));
  socket.on('connect_error', (err) => {
    handlers.status(false);
    if (err.message.startsWith('unauthorised')) {
      socket.close();
      handlers.refused(err.message);
    }
  });
  socket.on('session:update', handlers.session);
  socket.on('feed:event', handlers.event);
  if (handlers.queueItem) socket.on('queue:item', handlers.queueItem);
  if (handlers.thumb) socket.on('thumb', handlers.thumb);
  if (handlers.signals) socket.on('signals', handlers.signals);
  if (handlers.liveSignal) socket.on('live:signal', handlers.liveSignal);
  if (handlers.liveClosed) socket.on('live:closed', handlers.liveClosed);
  if (handlers.loggedOut) socket.on('staff:logged-out', handlers.loggedOut);
  return {
    close: () => socket.close(),
    send: <E extends Command>(event: E, payload: PayloadIn<StaffCommands[E]>, timeoutMs = 10_000) =>
      new Promise<Reply<E>>((resolve, reject) => {
        if (!socket.connected) {
          reject(new CommandError('offline', 'not connected to the centre'));
          return;
        }
        // The event maps type each command's ack; here one generic path serves them all.
        const timed = socket.timeout(timeoutMs);
        const emit = timed.emit as unknown as (e: string, p: unknown, cb: (err: Error | null, res: Response<Reply<E>>) => void) => void;
        emit.call(timed, event, payload, (err, res) => {
          if (err) reject(new CommandError('timeout', err.message));
          else if ('error' in res) reject(new CommandError(res.error.code, res.error.message));
          else resolve(res.data);
        });
      }),
  };
}

/** The plain live dashboard: only a way to close it. */
export function connectLive(token: string, handlers: LiveHandlers): () => void {
  const link = connectControlRoom(token, handlers);
  return () => link.close();
}

/* ------------------------------ REST for the control room ------------------------------ */

/** Any JPEG the centre serves to staff, as an object URL (the caller revokes it); null while the centre does not have it. */
export async function jpegUrl(token: string, path: string): Promise<string | null> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

/** Rule 2.8.6: the centre's reference photo of the candidate (proctors, while the session is live). */
export function identityReferenceUrl(token: string, sessionId: string): Promise<string | null> {
  return jpegUrl(token, `/api/sessions/${encodeURIComponent(sessionId)}/identity/reference`);
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  assigned: number;
  limit: number;
}

export interface Roster {
  candidates: Array<{ id: string; name: string }>;
  programmes: Array<{ id: string; code: string; profession: LocalisedText; durationMinutes: number }>;
}

export type Assignment = { proctorId: string | null; sessionIds: string[] } | { proctorId: string; programmeId: string; day: string };

export const staffUsers = (token: string) => api<StaffUser[]>('/api/staff-users', token);
export const roster = (token: string) => api<Roster>('/api/roster', token);
export const assign = (token: string, body: Assignment) => api<{ assigned: number }>('/api/assignments', token, { method: 'POST', body });
