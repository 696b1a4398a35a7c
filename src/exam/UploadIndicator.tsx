/**
 * A small indicator on the test screen of what is still on its way to the centre. The
 * live region announces only when the state changes (all saved, answers waiting, uploading the
 * recording, offline, storage full); the figures beside it are read on demand, not announced.
 */
import { useStore } from 'zustand';
import { examStore, type UploadStatus } from '../stores/exam-store';
import type { ConnectionStatus } from '../session/candidate-connection';
import { useT } from '../ui/i18n/i18n';

export type UploadState = 'saved' | 'answers' | 'uploading' | 'offline' | 'storage';

/** The recording normally has a chunk or two in flight: only more than this is worth showing as a backlog. */
export const QUIET_BACKLOG_BYTES = 1024 * 1024;
const QUIET_BACKLOG_ITEMS = 3;

export function uploadState(u: UploadStatus, connection: ConnectionStatus): UploadState {
  if (u.storageError) return 'storage';
  if (connection !== 'online') return 'offline';
  if (u.answers > 0) return 'answers';
  if (u.bytes > QUIET_BACKLOG_BYTES || u.items > QUIET_BACKLOG_ITEMS) return 'uploading';
  return 'saved';
}

export function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

export function UploadIndicator() {
  const t = useT();
  const uploads = useStore(examStore, (s) => s.uploads);
  const connection = useStore(examStore, (s) => s.connection);
  const state = uploadState(uploads, connection);
  const summary = {
    saved: t('uploads.saved'),
    answers: t('uploads.answers', { count: uploads.answers }),
    uploading: t('uploads.uploading'),
    offline: t('uploads.offline'),
    storage: t('uploads.storageFull'),
  }[state];
  return (
    <div className={`uploads uploads-${state}`} data-testid="uploads" data-state={state} data-items={uploads.items}>
      <p role="status" className="uploads-summary">
        {summary}
      </p>
      {uploads.items > 0 ? (
        <p className="uploads-detail">{t('uploads.waiting', { count: uploads.items, mb: megabytes(uploads.bytes) })}</p>
      ) : null}
    </div>
  );
}
