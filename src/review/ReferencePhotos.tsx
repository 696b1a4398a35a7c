/**
 * Reference photos for identity (rule 2.8.6), for admins and reviewers: which candidates have
 * one, upload a JPEG (the centre refuses a photo without exactly one face, and says so), and look
 * at the photo on file. Proctors do not get this page, candidates never get the photo.
 */
import { errorCodeText } from '../ui/error-text';
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { api, ApiError } from '../session/staff-api';
import type { Response } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { useT } from '../ui/i18n/i18n';

interface CandidateReference {
  id: string;
  name: string;
  reference: { source: 'file' | 'enrolled'; sha256: string; bytes: number; storedAt: number } | null;
}

async function uploadPhoto(token: string, candidateId: string, file: Blob): Promise<void> {
  const res = await fetch(`/api/candidates/${encodeURIComponent(candidateId)}/reference-photo`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' },
    body: file,
  });
  const payload = (await res.json().catch(() => ({ error: { code: 'internal', message: res.statusText } }))) as Response<unknown>;
  if ('error' in payload) throw new ApiError(res.status, payload.error.message, payload.error.code);
}

async function photoUrl(token: string, candidateId: string): Promise<string | null> {
  const res = await fetch(`/api/candidates/${encodeURIComponent(candidateId)}/reference-photo`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.ok ? URL.createObjectURL(await res.blob()) : null;
}

function CandidateRow(props: { candidate: CandidateReference; token: string; onSaved: () => void }) {
  const t = useT();
  const { candidate, token } = props;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  useEffect(() => () => (photo ? URL.revokeObjectURL(photo) : undefined), [photo]);
  const inputId = `reference-${candidate.id}`;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('photo');
    if (!(file instanceof Blob) || file.size === 0) return;
    setBusy(true);
    uploadPhoto(token, candidate.id, file)
      .then(
        () => {
          setMessage({ ok: true, text: t('reference.saved') });
          setPhoto(null);
          props.onSaved();
        },
        (err: unknown) =>
          setMessage({ ok: false, text: t('reference.error', { reason: errorCodeText(t, err instanceof ApiError ? err.code : 'other') }) }),
      )
      .finally(() => setBusy(false));
  };
  const status = candidate.reference
    ? t(candidate.reference.source === 'file' ? 'reference.file' : 'reference.enrolled')
    : t('reference.none');
  return (
    <tr>
      <th scope="row">{candidate.name}</th>
      <td data-testid="reference-status">{status}</td>
      <td>
        <form onSubmit={submit} className="reference-upload">
          <label htmlFor={inputId}>{t('reference.choose', { name: candidate.name })}</label>
          <input id={inputId} name="photo" type="file" accept="image/jpeg" required />
          <button type="submit" disabled={busy}>
            {t('reference.upload')}
          </button>
        </form>
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'} data-testid="reference-message">
            {message.text}
          </p>
        ) : null}
      </td>
      <td>
        {candidate.reference ? (
          photo ? (
            <img src={photo} alt={t('reference.photoOf', { name: candidate.name })} width={120} />
          ) : (
            <button type="button" onClick={() => void photoUrl(token, candidate.id).then(setPhoto)}>
              {t('reference.show')}
            </button>
          )
        ) : null}
      </td>
    </tr>
  );
}

export function ReferencePhotos() {
  const t = useT();
  const token = useStore(staffStore, (s) => s.auth?.token);
  const [candidates, setCandidates] = useState<CandidateReference[] | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (token) api<CandidateReference[]>('/api/candidates', token).then(setCandidates, () => setCandidates([]));
  }, [token, version]);
  if (!token || !candidates) return null;
  return (
    <section aria-labelledby="reference-title" className="card" data-testid="reference-photos">
      <h2 id="reference-title">{t('reference.title')}</h2>
      <p className="hint">{t('reference.intro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('reference.candidate')}</th>
            <th scope="col">{t('reference.status')}</th>
            <th scope="col">{t('reference.upload')}</th>
            <th scope="col">{t('reference.show')}</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <CandidateRow key={c.id} candidate={c} token={token} onSaved={() => setVersion((v) => v + 1)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
