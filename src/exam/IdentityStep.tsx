/**
 * Identity before the exam (rule 2.8.6): the live preview with a face outline, plain prompts
 * (look at the camera, turn left, now right) in a live region for screen readers, a progress bar,
 * then the centre's verdict: verified (the page moves on with the snapshot), or not matched with
 * what to do and the tries left. The work is in identity-runtime.ts; the comparison at the centre.
 * After the last failed try a proctor decides: approved, the centre marks the identity
 * verified and the page moves on by itself; rejected, the path ends here. Locked, the page says
 * how to reach the centre, with the session reference. Rule 11: a candidate whose
 * accommodations allow an assistant stays here after being verified until the assistant is
 * identified too (AssistantIdentity.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import { examStore } from '../stores/exam-store';
import { CentreContact } from '../ui/components/CentreContact';
import { SelfView } from '../ui/components/SelfView';
import { useT } from '../ui/i18n/i18n';
import { RequestError } from '../session/candidate-connection';
import { type CaptureFailure, type CaptureProgress } from './identity-runtime';
import { AssistantIdentity } from './AssistantIdentity';
import { ProctoringLoading } from './ProctoringNotices';
import { StepProgress } from './StepProgress';
import { useCandidateRuntime } from './runtime-context';

type View =
  | { kind: 'intro' }
  | { kind: 'running'; progress: CaptureProgress }
  | { kind: 'sending' }
  | { kind: 'verified'; enrolled: boolean }
  | { kind: 'failed'; failure: CaptureFailure }
  | { kind: 'mismatch' }
  | { kind: 'error' };

export function IdentityStep() {
  const rt = useCandidateRuntime();
  const t = useT();
  const identity = useStore(examStore, (s) => s.snapshot?.prestart.identity);
  const ready = useStore(examStore, (s) => s.proctoring.phase === 'ready');
  const reference = useStore(examStore, (s) => s.snapshot?.reference);
  const contact = useStore(examStore, (s) => s.snapshot?.contact);
  const assistant = useStore(examStore, (s) => s.snapshot?.accommodations?.assistant ?? null);
  const assistantTries = useStore(examStore, (s) => s.snapshot?.prestart.assistant?.attempts ?? 0);
  const [view, setView] = useState<View>({ kind: 'intro' });
  const [locked, setLocked] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    // A verdict moves the focus back to the top, so a screen reader reads the outcome and what to do.
    if (view.kind !== 'running' && view.kind !== 'sending' && view.kind !== 'intro') heading.current?.focus();
  }, [view.kind]);

  if (!identity) return null;
  const attemptsLeft = Math.max(0, MAX_IDENTITY_ATTEMPTS - identity.attempts);
  const rejected = identity.verifiedAt === null && identity.decision === 'rejected';
  const isLocked = locked || rejected || (identity.verifiedAt === null && attemptsLeft === 0);
  // Verified (now, or before a reload): the candidate's own part is done; an assistant allowed is next (rule 11).
  const verified = view.kind === 'verified' || identity.verifiedAt !== null;

  async function run() {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setView({ kind: 'running', progress: { prompt: 'look', progress: 0 } });
    const outcome = await rt.identity.captureIdentity((progress) => setView({ kind: 'running', progress }), controller.signal);
    if (controller.signal.aborted) return;
    const capture = outcome.capture;
    if (!capture) return setView({ kind: 'failed', failure: outcome.ok ? 'camera' : outcome.failure });
    setView({ kind: 'sending' });
    try {
      // A failed liveness is sent as well: the centre logs and counts the try, and never verifies it.
      const result = await rt.identity.verifyIdentity(capture);
      if (!outcome.ok) setView({ kind: 'failed', failure: outcome.failure });
      // The centre judged the turn from the photos: a turn it did not see is said as such, not as another face.
      else if (!result.liveness) setView({ kind: 'failed', failure: 'timeout' });
      else setView(result.matched ? { kind: 'verified', enrolled: result.reference === 'enrolled' } : { kind: 'mismatch' });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'too_many') return setLocked(true);
      if (!outcome.ok) return setView({ kind: 'failed', failure: outcome.failure });
      // The centre found no usable face in a photo (none, several, unreadable): the same advice as the browser's own.
      if (e instanceof RequestError && e.code === 'invalid')
        return setView({ kind: 'failed', failure: e.reason === 'several_faces' ? 'several_faces' : 'no_face' });
      setView({ kind: 'error' });
    }
  }

  const prompt = view.kind === 'running' ? t(`identity.${view.progress.prompt}`) : view.kind === 'sending' ? t('identity.done') : '';
  const percent = view.kind === 'running' ? Math.round(view.progress.progress * 100) : view.kind === 'sending' ? 100 : 0;
  const busy = view.kind === 'running' || view.kind === 'sending';

  return (
    <section aria-labelledby="identity-title" className="card" data-testid="identity-step">
      <StepProgress current="identity" />
      <h1 id="identity-title" ref={heading} tabIndex={-1}>
        {t('identity.title')}
      </h1>
      <p>{t('identity.intro')}</p>
      {identity.hasReference ? null : <p className="hint">{t('identity.noReference')}</p>}
      <div className="preview identity-preview">
        <div className="face-frame">
          <SelfView stream={rt.camera.mediaStream} label={t('devices.preview')} className="preview-video" />
          <div className="face-outline" aria-hidden="true" />
        </div>
      </div>
      {ready ? null : <ProctoringLoading />}
      <p role="status" aria-live="polite" className="identity-prompt" data-testid="identity-prompt">
        {prompt}
      </p>
      {busy ? <progress max={100} value={percent} aria-label={t('identity.progress')} aria-valuetext={`${percent}%`} /> : null}
      {isLocked ? (
        <div data-testid="identity-locked" data-decision={identity.decision ?? 'pending'}>
          <p role="alert" className="error">
            {rejected ? t('identity.rejected') : t('identity.locked')}
          </p>
          <CentreContact reference={reference} contact={contact} />
        </div>
      ) : null}
      {verified ? (
        <p role="status" className="ok" data-testid="identity-verified">
          ✓ {t(view.kind === 'verified' && view.enrolled ? 'identity.enrolled' : 'identity.verified')}
        </p>
      ) : null}
      {verified && assistant ? <AssistantIdentity name={assistant.name} attempts={assistantTries} ready={ready} /> : null}
      {!verified && (view.kind === 'mismatch' || view.kind === 'failed' || view.kind === 'error') ? (
        <div role="alert" className="error" data-testid="identity-failed">
          <p>
            {view.kind === 'mismatch'
              ? t('identity.notMatched')
              : view.kind === 'failed'
                ? t(`identity.failed.${view.failure}`)
                : t('identity.error')}
          </p>
          {view.kind === 'mismatch' ? <p>{t('identity.tips')}</p> : null}
          {isLocked ? null : <p data-testid="identity-attempts">{t('identity.attemptsLeft', { n: attemptsLeft })}</p>}
        </div>
      ) : null}
      {isLocked || verified || busy ? null : (
        <button type="button" className="big" disabled={!ready} onClick={() => void run()} data-testid="identity-start">
          {view.kind === 'intro' ? t('identity.start') : t('identity.tryAgain')}
        </button>
      )}
    </section>
  );
}
