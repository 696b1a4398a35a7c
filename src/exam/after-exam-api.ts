/**
 * The candidate's requests after the exam, with the exam link's token as the bearer (the
 * link keeps working for this): their documents (rules 18, 19, 22) and their appeal (rules 20-23).
 */
import type { AppealErrorBody, AppealFileType, AppealView, CandidateAppealState } from '../shared/appeal';
import type { IssuedDocumentView } from '../shared/procedure-api';

export class AfterExamError extends Error {
  constructor(
    readonly status: number,
    readonly body: AppealErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

async function call<T>(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // A body that is not JSON: handled below as a failure with the status.
  const payload = (await res.json().catch(() => null)) as { data: T } | { error: AppealErrorBody } | null;
  if (!payload || 'error' in payload) throw new AfterExamError(res.status, payload && 'error' in payload ? payload.error : null);
  return payload.data;
}

export const myDocuments = (token: string) => call<IssuedDocumentView[]>(token, '/api/exam/documents');
export const myAppeal = (token: string) => call<CandidateAppealState>(token, '/api/exam/appeal');
export const fileAppeal = (token: string, body: { text: string; files: Array<{ name: string; type: AppealFileType; data: string }> }) =>
  call<AppealView>(token, '/api/exam/appeal', { method: 'POST', body });

/** Downloads a document's PDF in `language` (fetched with the bearer, saved through a temporary link). */
export async function downloadDocument(
  token: string,
  doc: Pick<IssuedDocumentView, 'id' | 'kind' | 'number'>,
  language: 'kk' | 'ru',
): Promise<void> {
  const res = await fetch(`/api/exam/documents/${encodeURIComponent(doc.id)}?lang=${language}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new AfterExamError(res.status, null);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${doc.kind}-${doc.number}-${language}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
