/**
 * The second step before the exam, Appendix 1: consent to the processing of personal data and to recording. The
 * text is shown in the exam language; the centre records its version and SHA-256 with the time.
 * Declining explains that the exam cannot go on and whom to contact. No consent, no exam.
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import { CURRENT_CONSENT } from '../shared/consent';
import { consentEdition } from './plain-figures';
import { examStore } from '../stores/exam-store';
import { CentreContact } from '../ui/components/CentreContact';
import { useT } from '../ui/i18n/i18n';
import { StepProgress } from './StepProgress';
import { useCandidateRuntime } from './runtime-context';

export function ConsentStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const language = useStore(examStore, (s) => s.snapshot?.language ?? 'ru');
  const busy = useStore(examStore, (s) => s.busy);
  const reference = useStore(examStore, (s) => s.snapshot?.reference);
  const contact = useStore(examStore, (s) => s.snapshot?.contact);
  const [checked, setChecked] = useState(false);
  const [declined, setDeclined] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (declined)
    return (
      <section aria-labelledby="consent-declined-title" className="card" data-testid="consent-declined">
        <h1 id="consent-declined-title">{t('consent.declinedTitle')}</h1>
        <p role="alert">{t('consent.declined')}</p>
        <CentreContact reference={reference} contact={contact} />
        <button type="button" onClick={() => setDeclined(false)}>
          {t('consent.reconsider')}
        </button>
      </section>
    );

  const agree = () => {
    setError(null);
    rt.sendPrestartStep('exam:consent', { version: CURRENT_CONSENT.version, textSha256: CURRENT_CONSENT.sha256[language], language }).catch(
      (e: Error) => setError(e.message),
    );
  };

  return (
    <section aria-labelledby="consent-title" className="card" data-testid="consent">
      <StepProgress current="consent" />
      <h1 id="consent-title">{t('consent.title')}</h1>
      <p>{t('consent.intro')}</p>
      <div className="consent-text" role="document" aria-label={t('consent.textLabel')} lang={language} tabIndex={0}>
        {CURRENT_CONSENT.text[language].map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </div>
      <p className="hint">{t('consent.version', { edition: consentEdition(CURRENT_CONSENT.version) })}</p>
      <p>
        <label className="checkbox">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="consent-checkbox" />
          {t('consent.checkbox')}
        </label>
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" className="big primary" disabled={!checked || busy} onClick={agree}>
          {t('consent.agree')}
        </button>
        <button type="button" className="big" onClick={() => setDeclined(true)}>
          {t('consent.decline')}
        </button>
      </div>
    </section>
  );
}
