/** Staff side of the wire: REST calls with the staff bearer token, and the /staff live socket. */
import { io, type Socket } from 'socket.io-client';
import type { DashboardSnapshot, FeedEvent, LiveSession, Response, StaffClientToServer, StaffRole, StaffServerToClient } from '../shared/protocol';

export interface StaffAuth {
  token: string;
  role: StaffRole;
  displayName: string;
  username: string;
  expiresAt: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as Response<T>;
  if ('error' in payload) throw new ApiError(res.status, payload.error.message);
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
}

/** Connects to the live dashboard and re-subscribes after every reconnect (the snapshot fills any gap). */
export function connectLive(token: string, handlers: LiveHandlers): () => void {
  const socket: Socket<StaffServerToClient, StaffClientToServer> = io('/staff', { auth: { token } });
  socket.on('connect', () => {
    handlers.status(true);
    socket.timeout(10_000).emit('dashboard:subscribe', {}, (err: Error | null, res: Response<DashboardSnapshot>) => {
      if (err) return;
      if ('error' in res) handlers.refused(res.error.message);
      else handlers.snapshot(res.data);
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
  return () => socket.close();
}
