/** The admin console's REST calls: like staff-api's, but an error keeps its code and field codes for the UI to translate. */
import type { AdminError } from '../shared/admin';

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: AdminError & { reason?: string },
  ) {
    super(error.code);
  }
}

export async function adminApi<T>(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as
    { data: T } | { error: AdminError };
  if ('error' in payload) throw new AdminApiError(res.status, payload.error);
  return payload.data;
}

/** A JPEG as the candidate's reference photo; the centre checks it shows exactly one face. */
export async function uploadReferencePhoto(token: string, candidateId: string, jpeg: Blob): Promise<void> {
  const res = await fetch(`/api/candidates/${encodeURIComponent(candidateId)}/reference-photo`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' },
    body: jpeg,
  });
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as
    { data: unknown } | { error: AdminError };
  if ('error' in payload) throw new AdminApiError(res.status, payload.error);
}

export async function referencePhotoUrl(token: string, candidateId: string): Promise<string | null> {
  const res = await fetch(`/api/candidates/${encodeURIComponent(candidateId)}/reference-photo`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.ok ? URL.createObjectURL(await res.blob()) : null;
}

/** The code to translate for a failed call: the finer reason when the centre gave one. */
export const errorCode = (e: unknown): string => (e instanceof AdminApiError ? (e.error.reason ?? e.error.code) : 'network');
