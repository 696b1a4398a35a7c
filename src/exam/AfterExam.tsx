/**
 * The candidate's result page after the exam (the exam link opened again): where the
 * procedure stands in plain words, the documents to download in Kazakh or Russian (rules 18, 19, 22),
 * and the appeal (rules 20-23): the form with its last day, or "the period closed on …", or the
 * appeal's number, state and decision.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import {
  APPEAL_FILE_MAX_BYTES,
  APPEAL_FILE_TYPES,
  APPEAL_FILES_MAX,
  APPEAL_TEXT_MAX,
  APPEAL_TEXT_MIN,
  type AppealFileType,
} from '../shared/appeal-limits';
import type { AppealView, CandidateAppealState } from '../shared/appeal';
import type { IssuedDocumentView } from '../shared/procedure-api';
import { formatDay } from '../ui/day-format';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { AfterExamError, downloadDocument, fileAppeal, myAppeal, myDocuments } from './after-exam-api';
import { fileToBase64 } from '../ui/file-base64';

const SIZE_MB = APPEAL_FILE_MAX_BYTES / (1024 * 1024);
const CANDIDATE_DOCS = ['recognition', 'failure-notice', 'appeal-decision'] as const;

function DocumentRow({ token, doc }: { token: string; doc: IssuedDocumentView }) {
  const t = useT();
  const lang = useUiLanguage();
  const [failed, setFailed] = useState(false);
  const get = (language: 'kk' | 'ru') => {
    setFailed(false);
    downloadDocument(token, doc, language).catch(() => setFailed(true));
  };
  return (
    <li data-testid={`document-${doc.kind}`}>
      <strong>{t(`doc.kind.${doc.kind}` as MessageKey)}</strong>
      <br />
      <span className="hint">{t('doc.meta', { number: doc.number, date: formatDay(doc.issuedOn, lang) })}</span>
      <div className="actions">
        <button type="button" onClick={() => get('kk')} data-testid={`download-${doc.kind}-kk`}>
          {t('doc.download', { language: t('lang.kk') })}
        </button>
        <button type="button" onClick={() => get('ru')} data-testid={`download-${doc.kind}-ru`}>
          {t('doc.download', { language: t('lang.ru') })}
        </button>
      </div>
      {failed ? (
        <p role="alert" className="error">
          {t('doc.downloadFailed')}
        </p>
      ) : null}
    </li>
  );
}

function AppealForm({ token, closesOn, onFiled }: { token: string; closesOn: string; onFiled: () => void }) {
  const t = useT();
  const lang = useUiLanguage();
  const textId = useId();
  const filesId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = String(form.get('text') ?? '').trim();
    const chosen = (form.getAll('files') as File[]).filter((f) => f.size > 0);
    if (text.length < APPEAL_TEXT_MIN) return setError(t('appeal.error.text', { min: APPEAL_TEXT_MIN }));
    if (
      chosen.length > APPEAL_FILES_MAX ||
      chosen.some((f) => f.size > APPEAL_FILE_MAX_BYTES || !(APPEAL_FILE_TYPES as readonly string[]).includes(f.type))
    ) {
      return setError(t('appeal.error.files', { count: APPEAL_FILES_MAX, size: SIZE_MB }));
    }
    setBusy(true);
    setError(null);
    try {
      const files = await Promise.all(
        chosen.map(async (f) => ({ name: f.name.slice(0, 120), type: f.type as AppealFileType, data: await fileToBase64(f) })),
      );
      await fileAppeal(token, { text, files });
      onFiled();
    } catch (err) {
      const body = err instanceof AfterExamError ? err.body : null;
      if (body?.reason === 'file_type') setError(t('appeal.error.file_type', { index: (body.fileIndex ?? 0) + 1 }));
      else if (body?.reason === 'appeal_closed' || body?.reason === 'already_appealed')
        onFiled(); // the page reloads its state and says why
      else setError(t('appeal.error.other'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="appeal-form" noValidate>
      <p data-testid="appeal-until">
        <strong>{t('appeal.until', { date: formatDay(closesOn, lang) })}</strong>
      </p>
      <label htmlFor={textId}>{t('appeal.text')}</label>
      <textarea id={textId} name="text" rows={6} maxLength={APPEAL_TEXT_MAX} required aria-describedby={`${textId}-hint`} />
      <span id={`${textId}-hint`} className="hint">
        {t('appeal.textHint', { min: APPEAL_TEXT_MIN, max: APPEAL_TEXT_MAX })}
      </span>
      <label htmlFor={filesId}>{t('appeal.files')}</label>
      <input id={filesId} name="files" type="file" multiple accept={APPEAL_FILE_TYPES.join(',')} aria-describedby={`${filesId}-hint`} />
      <span id={`${filesId}-hint`} className="hint">
        {t('appeal.filesHint', { count: APPEAL_FILES_MAX, size: SIZE_MB })}
      </span>
      {error ? (
        <p role="alert" className="error" data-testid="appeal-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('appeal.sending') : t('appeal.submit')}
      </button>
    </form>
  );
}

function AppealStatus({ appeal }: { appeal: AppealView }) {
  const t = useT();
  const lang = useUiLanguage();
  const d = appeal.decision;
  return (
    <div data-testid="appeal-status" data-decision={d?.decision ?? 'pending'}>
      <p>
        <strong>{t('appeal.number', { number: appeal.number, date: formatDay(appeal.registeredOn, lang) })}</strong>
      </p>
      <h3>{t('appeal.yourText')}</h3>
      <p className="appeal-text">{appeal.text}</p>
      {appeal.files.length ? <p className="hint">{t('appeal.yourFiles', { names: appeal.files.map((f) => f.name).join(', ') })}</p> : null}
      {d ? (
        <div role="status">
          <p className={d.decision === 'upheld' ? 'ok' : 'error'} data-testid="appeal-decision">
            <strong>{t('appeal.decisionLabel', { decision: t(d.decision === 'upheld' ? 'appeal.upheld' : 'appeal.rejected') })}</strong>
          </p>
          <p>{t('appeal.decidedOn', { date: formatDay(d.decidedOn, lang) })}</p>
          <p>{t('appeal.reasons', { reasons: d.reasons })}</p>
        </div>
      ) : appeal.deadline.due !== null ? (
        <p role="status">{t('appeal.pending', { date: formatDay(appeal.deadline.due, lang) })}</p>
      ) : null}
    </div>
  );
}

export function AfterExam({ token }: { token: string }) {
  const t = useT();
  const lang = useUiLanguage();
  const [docs, setDocs] = useState<IssuedDocumentView[] | null>(null);
  const [appeal, setAppeal] = useState<CandidateAppealState | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    Promise.all([myDocuments(token), myAppeal(token)]).then(
      ([d, a]) => {
        setDocs(d.filter((x) => (CANDIDATE_DOCS as readonly string[]).includes(x.kind)));
        setAppeal(a);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [token]);
  useEffect(load, [load]);

  if (failed)
    return (
      <p role="alert" className="card error">
        {t('after.loadFailed')}
      </p>
    );
  if (!docs || !appeal)
    return (
      <p className="card" role="status">
        {t('common.loading')}
      </p>
    );
  const has = (kind: string) => docs.some((d) => d.kind === kind);
  const upheld = appeal.appeal?.decision?.decision === 'upheld';
  const state: MessageKey =
    upheld && has('recognition')
      ? 'after.state.upheld'
      : has('recognition')
        ? 'after.state.passed'
        : has('failure-notice')
          ? 'after.state.failed'
          : 'after.state.waiting';
  return (
    <>
      <section className="card" aria-labelledby="after-title" data-testid="after-exam">
        <h2 id="after-title">{t('after.title')}</h2>
        <p data-testid="procedure-state">{t(state)}</p>
        <h3>{t('after.documents')}</h3>
        {docs.length ? (
          <ul className="documents">
            {docs.map((d) => (
              <DocumentRow key={d.id} token={token} doc={d} />
            ))}
          </ul>
        ) : (
          <p className="hint">{t('after.noDocuments')}</p>
        )}
      </section>
      {appeal.ineligible === 'passed' ? null : (
        <section className="card" aria-labelledby="appeal-title" data-testid="appeal">
          <h2 id="appeal-title">{t('appeal.title')}</h2>
          {appeal.appeal ? (
            <AppealStatus appeal={appeal.appeal} />
          ) : appeal.ineligible === 'appeal_closed' && appeal.closesOn ? (
            <p data-testid="appeal-closed">{t('appeal.closed', { date: formatDay(appeal.closesOn, lang) })}</p>
          ) : appeal.ineligible === 'calendar' ? (
            <p role="alert">{t('appeal.calendar')}</p>
          ) : appeal.ineligible === null && appeal.closesOn ? (
            <AppealForm token={token} closesOn={appeal.closesOn} onFiled={load} />
          ) : (
            <p>{t('appeal.notYet')}</p>
          )}
        </section>
      )}
    </>
  );
}
