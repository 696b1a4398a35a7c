/**
 * The commission's calls to the centre (src/server/procedure-routes.ts), bodies checked with the shared zod schemas before they are sent.
 */
import {
  drawProtocolBodySchema,
  practicalBodySchema,
  signBodySchema,
  type PracticalBody,
  type ProcedureDetail,
  type ProcedureSummary,
} from '../shared/procedure-api';

export class ProcedureCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
    readonly itemIds?: string[],
  ) {
    super(message);
  }
}

async function call<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ProcedureCallError(0, 'offline', 'no connection');
  }
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as
    { data: T } | { error: { code: string; message: string; reason?: string; itemIds?: string[] } };
  if ('error' in payload)
    throw new ProcedureCallError(res.status, payload.error.code, payload.error.message, payload.error.reason, payload.error.itemIds);
  return payload.data;
}

const base = (sessionId: string) => `/api/procedures/${encodeURIComponent(sessionId)}`;

export const procedureApi = {
  list: (token: string) => call<ProcedureSummary[]>('/api/procedures', token),
  detail: (token: string, sessionId: string) => call<ProcedureDetail>(base(sessionId), token),
  practical: (token: string, sessionId: string, body: PracticalBody) =>
    call<ProcedureDetail>(`${base(sessionId)}/practical`, token, { method: 'PUT', body: practicalBodySchema.parse(body) }),
  draw: (token: string, sessionId: string, memberIds: string[]) =>
    call<ProcedureDetail>(`${base(sessionId)}/protocol`, token, { method: 'POST', body: drawProtocolBodySchema.parse({ memberIds }) }),
  sign: (token: string, sessionId: string, protocolNumber: string) =>
    call<ProcedureDetail & { issueError: { code: string; reason?: string } | null }>(`${base(sessionId)}/signatures`, token, {
      method: 'POST',
      body: signBodySchema.parse({ protocolNumber }),
    }),
  issue: (token: string, sessionId: string) => call<unknown>(`${base(sessionId)}/issue`, token, { method: 'POST', body: {} }),
  me: (token: string) => call<{ userId?: string; role: string }>('/api/staff/me', token),
};

/** A PDF from the centre (it is drawn on request, which takes a moment); refused answers become a ProcedureCallError. */
export async function fetchPdf(path: string, token: string): Promise<Blob> {
  // No response at all: reported just below as 'offline'.
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
  if (!res) throw new ProcedureCallError(0, 'offline', 'no connection');
  if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('application/pdf')) {
    // A body that is not JSON: the status stands for the error.
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; reason?: string } } | null;
    throw new ProcedureCallError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText, body?.error?.reason);
  }
  return res.blob();
}
