/**
 * Rule 11: the second part of the identity step for a candidate whose accommodations allow an
 * assistant. After the candidate's own identity is confirmed, the assistant (named from the
 * accommodations) sits in front of the camera alone and one photo goes to the centre, which decides
 * (src/server/assistant-identity.ts): accepted, the page moves on with the centre's snapshot; refused,
 * the candidate is told why in plain words and the tries left. The candidate never sees a figure.
 */
import { useEffect, useRef, useState } from 'react';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import { RequestError } from '../session/candidate-connection';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { useCandidateRuntime } from './runtime-context';

type Refusal = 'samePerson' | 'noFace' | 'severalFaces' | 'error';
type View = { kind: 'intro' } | { kind: 'busy' } | { kind: 'accepted' } | { kind: 'refused'; why: Refusal } | { kind: 'locked' };

const CAPTURE_REFUSAL: Record<'no_face' | 'several_faces' | 'camera', Refusal> = {
  no_face: 'noFace',
  several_faces: 'severalFaces',
  camera: 'error',
};

export function AssistantIdentity(props: { name: string; attempts: number; ready: boolean }) {
  const rt = useCandidateRuntime();
  const t = useT();
  const [view, setView] = useState<View>({ kind: 'intro' });
  const abort = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    if (view.kind === 'refused' || view.kind === 'locked') heading.current?.focus();
  }, [view.kind]);
  const attemptsLeft = Math.max(0, MAX_IDENTITY_ATTEMPTS - props.attempts);
  const locked = view.kind === 'locked' || attemptsLeft === 0;

  async function take() {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setView({ kind: 'busy' });
    const capture = await rt.identity.captureAssistant(controller.signal);
    if (controller.signal.aborted) return;
    if (!capture.ok) return setView({ kind: 'refused', why: CAPTURE_REFUSAL[capture.failure] });
    try {
      const result = await rt.identity.identifyAssistant(capture.jpeg);
      setView(result.accepted ? { kind: 'accepted' } : { kind: 'refused', why: 'samePerson' });
    } catch (e) {
      if (e instanceof RequestError && e.code === 'too_many') return setView({ kind: 'locked' });
      // The centre found no single face in the photo: the same advice as the browser's own.
      if (e instanceof RequestError && e.code === 'invalid')
        return setView({ kind: 'refused', why: e.reason === 'several_faces' ? 'severalFaces' : 'noFace' });
      setView({ kind: 'refused', why: 'error' });
    }
  }

  return (
    <section aria-labelledby="assistant-title" data-testid="assistant-identity">
      <h2 id="assistant-title" ref={heading} tabIndex={-1}>
        {t('assistant.title')}
      </h2>
      <p>{t('assistant.intro', { name: props.name })}</p>
      <p role="status" aria-live="polite" data-testid="assistant-status">
        {view.kind === 'busy' ? t('assistant.sending') : view.kind === 'accepted' ? `✓ ${t('assistant.accepted')}` : ''}
      </p>
      {locked ? (
        <p role="alert" className="error" data-testid="assistant-locked">
          {t('assistant.locked')}
        </p>
      ) : null}
      {view.kind === 'refused' && !locked ? (
        <div role="alert" className="error" data-testid="assistant-refused" data-reason={view.why}>
          <p>{t(`assistant.${view.why}` as MessageKey)}</p>
          <p>{t('identity.attemptsLeft', { n: attemptsLeft })}</p>
        </div>
      ) : null}
      {locked || view.kind === 'busy' || view.kind === 'accepted' ? null : (
        <button type="button" className="big" disabled={!props.ready} onClick={() => void take()} data-testid="assistant-take">
          {view.kind === 'intro' ? t('assistant.take') : t('identity.tryAgain')}
        </button>
      )}
    </section>
  );
}
