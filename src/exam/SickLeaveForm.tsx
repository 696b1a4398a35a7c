/**
 * Rule 7 on the candidate's own exam link, before the exam: "I am ill and cannot sit it", with the
 * sick-leave certificate (a photo or a PDF). The centre opens a reschedule task for the admin, who sets
 * the new date (rule 6's notice then shows here and on the old link). Once filed, the form gives way
 * to the notice; the candidate may still sit the exam if they recover, until the centre moves it.
 */
import { useId, useState, type FormEvent } from 'react';
import { CERTIFICATE_TYPES, MAX_CERTIFICATE_BYTES } from '../shared/reschedule';
import { COMMENT_MAX } from '../shared/limits';
import { FilePicker } from '../ui/components/FilePicker';
import { fileToBase64 } from '../ui/file-base64';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { RescheduleNoticeText, useRescheduleNotice } from './RescheduleNotice';

const SIZE_MB = MAX_CERTIFICATE_BYTES / (1024 * 1024);

/** What the centre's refusal means to the candidate (its reason codes, never its English message). */
function refusalKey(status: number, reason: unknown): MessageKey {
  if (status === 413 || reason === 'too_large') return 'sick.error.too_large';
  if (reason === 'empty_file' || reason === 'not_a_certificate_file') return 'sick.error.file';
  if (reason === 'not_reschedulable') return 'sick.error.too_late';
  return 'sick.error.other';
}

export function SickLeaveForm({ token }: { token: string }) {
  const t = useT();
  const noteId = useId();
  const fileId = useId();
  const [version, setVersion] = useState(0);
  const notice = useRescheduleNotice(token, version);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (notice) return <RescheduleNoticeText notice={notice} />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    const file = form.get('certificate');
    if (!note) return setError(t('sick.error.note'));
    if (!(file instanceof File) || file.size === 0 || !(CERTIFICATE_TYPES as readonly string[]).includes(file.type))
      return setError(t('sick.error.file'));
    if (file.size > MAX_CERTIFICATE_BYTES) return setError(t('sick.error.too_large', { size: SIZE_MB }));
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/exam/sick-leave', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ note, certificate: await fileToBase64(file) }),
      });
      // A body that is not JSON: the status stands for the error.
      const body = (await res.json().catch(() => null)) as { error?: { reason?: string } } | null;
      // Filed now, or filed before (an open task): either way the notice below says where it stands.
      if (res.ok || body?.error?.reason === 'task_open') setVersion((v) => v + 1);
      else setError(t(refusalKey(res.status, body?.error?.reason), { size: SIZE_MB }));
    } catch {
      setError(t('sick.error.other'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card sick-leave" data-testid="sick-leave">
      <summary>{t('sick.title')}</summary>
      <p>{t('sick.explain')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={noteId}>{t('sick.note')}</label>
        <textarea id={noteId} name="note" rows={3} maxLength={COMMENT_MAX} required />
        <FilePicker
          id={fileId}
          name="certificate"
          label={t('sick.file')}
          accept={CERTIFICATE_TYPES.join(',')}
          describedBy={`${fileId}-hint`}
        />
        <span id={`${fileId}-hint`} className="hint">
          {t('sick.fileHint', { size: SIZE_MB })}
        </span>
        <button type="submit" disabled={busy}>
          {busy ? t('sick.sending') : t('sick.submit')}
        </button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
    </details>
  );
}
