/**
 * The theory result (rule 15), with the retake notice (rule 19) and, on failure, how to reach the centre; below it
 * the procedure's state, the documents and the appeal (rules 18-23) when the page has the exam link.
 */
import { useStore } from 'zustand';
import { examStore } from '../stores/exam-store';
import { CentreContact } from '../ui/components/CentreContact';
import { AfterExam } from './AfterExam';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { formatPercent } from '../ui/number-format';

export function ResultScreen({ token }: { token?: string | null }) {
  const t = useT();
  const language = useUiLanguage();
  const result = useStore(examStore, (s) => s.snapshot?.result)!;
  const reference = useStore(examStore, (s) => s.snapshot?.reference);
  const contact = useStore(examStore, (s) => s.snapshot?.contact);
  return (
    <>
      <section aria-labelledby="result-title" className="card" data-testid="result">
        <h1 id="result-title">{t('result.title')}</h1>
        {result.finishedBy === 'timeout' ? <p>{t('submit.timeout')}</p> : null}
        <p className="score" data-testid="score">
          {t('result.score', { correct: result.correct, total: result.total, percent: formatPercent(result.percent, language) })}
        </p>
        <p className={result.admitted ? 'ok' : 'error'} data-testid="decision" data-admitted={String(result.admitted)}>
          {result.admitted ? t('result.admitted') : t('result.failed')}
        </p>
        {result.admitted ? null : <p data-testid="retake">{t('result.retake')}</p>}
        {token ? null : <p>{t('result.appeal')}</p>}
        {result.admitted ? null : <CentreContact reference={reference} contact={contact} />}
      </section>
      {token ? <AfterExam token={token} /> : null}
    </>
  );
}
