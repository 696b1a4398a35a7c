/**
 * The theory test: one question at a time, a question map, the countdown, submit with confirmation.
 * While the proctor has paused the exam a notice covers the questions, every input is
 * disabled and the countdown stands still.
 */
import { BREAK_REASON } from '../shared/accommodations';
import { BreakControls } from './BreakControls';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { CandidateQuestion } from '../shared/protocol';
import { examStore, type LocalAnswer } from '../stores/exam-store';
import { Dialog } from '../ui/components/Dialog';
import { SelfView } from '../ui/components/SelfView';
import { useT } from '../ui/i18n/i18n';
import { errorCode } from './client-errors';
import { clientReasonKey } from '../ui/event-text';
import { ProctoringBadge, WarningDialog } from './ProctoringNotices';
import { UploadIndicator } from './UploadIndicator';
import { isViolation } from '../shared/policy';
import { formatClock } from '../ui/time-format';
import { useNow } from '../ui/use-now';
import { examTimeLeftMs } from './proctor-actions';
import { useCandidateRuntime } from './runtime-context';

const ANNOUNCE_AT_MINUTES = new Set([30, 10, 5, 1]);

function Countdown() {
  const rt = useCandidateRuntime();
  const t = useT();
  const deadlineAt = useStore(examStore, (s) => s.snapshot?.deadlineAt ?? null);
  const paused = useStore(examStore, (s) => s.snapshot?.paused ?? null);
  const offset = useStore(examStore, (s) => s.clockOffsetMs);
  const now = useNow(250);
  const [announcement, setAnnouncement] = useState('');
  const submitted = useRef(false);
  const left = examTimeLeftMs({ deadlineAt, paused }, now, offset);
  const minutes = left === null ? null : Math.ceil(left / 60_000);
  useEffect(() => {
    if (minutes !== null && ANNOUNCE_AT_MINUTES.has(minutes)) setAnnouncement(t('test.timeLeftAnnounce', { minutes }));
  }, [minutes, t]);
  useEffect(() => {
    if (left === 0 && !paused && !submitted.current) {
      submitted.current = true; // the server submits on its own too; this only makes it immediate
      void rt.submitExam().catch((e: unknown) => rt.reportFailure('submit', e));
    }
  }, [rt, left, paused]);
  if (left === null) return null;
  return (
    <div className={`countdown${left < 5 * 60_000 ? ' low' : ''}${paused ? ' paused' : ''}`} data-paused={paused ? 'true' : undefined}>
      <span className="label">{t('test.timeLeft')}</span>
      <time data-testid="countdown" aria-hidden="true">
        {formatClock(left)}
      </time>
      {/* Rule 11: a screen reader reads the time left in minutes when asked, and is told only at 30, 10, 5 and 1 minutes. */}
      <span className="visually-hidden" data-testid="countdown-minutes">
        {t('common.minutes', { n: minutes ?? 0 })}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}

function QuestionView(props: {
  question: CandidateQuestion;
  index: number;
  total: number;
  answer: LocalAnswer | undefined;
  disabled: boolean;
}) {
  const rt = useCandidateRuntime();
  const t = useT();
  const { question, answer } = props;
  const chosen = new Set(answer?.optionIds ?? []);
  const toggle = (optionId: string, checked: boolean) => {
    if (question.kind === 'single') return rt.chooseOptions(question.id, [optionId]);
    const next = new Set(chosen);
    if (checked) next.add(optionId);
    else next.delete(optionId);
    rt.chooseOptions(
      question.id,
      question.options.map((o) => o.id).filter((id) => next.has(id)),
    );
  };
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!props.disabled) heading.current?.focus();
  }, [question.id, props.disabled]);
  return (
    <fieldset className="question" data-testid="question" data-question-id={question.id} disabled={props.disabled}>
      <legend>
        {/* Rule 11: the question itself is the heading, so a screen reader reads it whole when focus moves to it. */}
        <h2 ref={heading} tabIndex={-1}>
          <span className="question-number">{t('test.question', { n: props.index + 1, total: props.total })}</span>
          <span className="question-text">{question.text}</span>
        </h2>
        <span className="hint">{question.kind === 'single' ? t('test.single') : t('test.multiple')}</span>
      </legend>
      {question.options.map((o) => (
        <label key={o.id} className={`option${chosen.has(o.id) ? ' chosen' : ''}`}>
          <input
            type={question.kind === 'single' ? 'radio' : 'checkbox'}
            name={`q-${question.id}`}
            value={o.id}
            checked={chosen.has(o.id)}
            onChange={(e) => toggle(o.id, e.target.checked)}
          />
          <span>{o.text}</span>
        </label>
      ))}
      <p className="save-state" aria-live="polite" data-testid="save-state" data-state={answer?.state ?? 'none'}>
        {answer ? (answer.state === 'saved' ? t('test.saved') : answer.state === 'saving' ? t('test.saving') : t('test.pending')) : ''}
      </p>
    </fieldset>
  );
}

export function TestScreen() {
  const rt = useCandidateRuntime();
  const t = useT();
  const snapshot = useStore(examStore, (s) => s.snapshot)!;
  const index = useStore(examStore, (s) => s.currentIndex);
  const answers = useStore(examStore, (s) => s.answers);
  const confirming = useStore(examStore, (s) => s.confirmingSubmit);
  const fullscreenLost = useStore(examStore, (s) => s.fullscreenLost);
  const busy = useStore(examStore, (s) => s.busy);
  /** Why the last Submit failed (a request's code), shown in the dialog until the next try. */
  const [submitError, setSubmitError] = useState<string | null>(null);
  const submit = () => {
    setSubmitError(null);
    rt.submitExam().catch((e: unknown) => setSubmitError(errorCode(e)));
  };
  const paused = snapshot.paused ?? null;
  const config = snapshot.proctoring.config;
  useEffect(() => rt.resumeWatching(), [rt]);
  const questions = snapshot.questions;
  const question = questions[index];
  const answered = questions.filter((q) => (answers[q.id]?.optionIds.length ?? 0) > 0).length;
  if (!question) return null;
  return (
    <div className="test">
      <div className="test-bar">
        <Countdown />
        <p data-testid="answered-count">{t('test.answered', { answered, total: questions.length })}</p>
        <ProctoringBadge />
        <UploadIndicator />
        <SelfView stream={rt.camera.mediaStream} label={t('devices.preview')} />
      </div>
      {fullscreenLost ? (
        <div role="alert" className="banner">
          {isViolation(config, 'env.fullscreen_exit')
            ? t('test.fullscreenLostRule', { seconds: config.incidents['env.fullscreen_exit'].afterSec })
            : t('test.fullscreenLost')}{' '}
          <button type="button" onClick={() => void rt.returnToFullscreen()}>
            {t('test.fullscreenReturn')}
          </button>
        </div>
      ) : null}
      {/* The candidate's own breaks (a break covers the questions like a pause, with its own words). */}
      <BreakControls />
      {paused && paused.reason !== BREAK_REASON ? (
        <div role="alert" className="banner paused-notice" data-testid="paused">
          <h2>{t('paused.title')}</h2>
          <p data-testid="paused-reason">{t('paused.reason', { reason: paused.reason })}</p>
          <p>{t('paused.body')}</p>
        </div>
      ) : null}
      <div className={`test-body${paused ? ' paused' : ''}`} inert={paused ? true : undefined}>
        <QuestionView question={question} index={index} total={questions.length} answer={answers[question.id]} disabled={paused !== null} />
        <nav aria-label={t('test.navigation')} className="question-map">
          <ol>
            {questions.map((q, i) => {
              const done = (answers[q.id]?.optionIds.length ?? 0) > 0;
              return (
                <li key={q.id}>
                  <button
                    type="button"
                    className={`${done ? 'done' : ''}${i === index ? ' current' : ''}`}
                    aria-current={i === index ? 'step' : undefined}
                    aria-label={t('test.goTo', { n: i + 1, state: done ? t('test.stateAnswered') : t('test.stateEmpty') })}
                    disabled={paused !== null}
                    onClick={() => rt.goTo(i)}
                  >
                    {i + 1}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
      </div>
      <div className="button-row">
        <button type="button" disabled={index === 0 || paused !== null} onClick={() => rt.goTo(index - 1)}>
          {t('test.prev')}
        </button>
        <button type="button" disabled={index >= questions.length - 1 || paused !== null} onClick={() => rt.goTo(index + 1)}>
          {t('test.next')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={paused !== null}
          onClick={() => {
            setSubmitError(null);
            examStore.setState({ confirmingSubmit: true });
          }}
        >
          {t('test.submit')}
        </button>
      </div>
      <Dialog
        open={confirming && paused === null}
        labelledBy="submit-title"
        onCancel={() => examStore.setState({ confirmingSubmit: false })}
      >
        <h2 id="submit-title">{t('submit.title')}</h2>
        <p>{t('submit.body', { answered, total: questions.length })}</p>
        {answered < questions.length ? <p className="warning">{t('submit.unanswered', { count: questions.length - answered })}</p> : null}
        {submitError ? (
          <p className="error" role="alert" data-testid="submit-error">
            {t('submit.failed', { reason: t(clientReasonKey(submitError)) })}
          </p>
        ) : null}
        <div className="button-row">
          <button type="button" autoFocus onClick={() => examStore.setState({ confirmingSubmit: false })}>
            {t('submit.back')}
          </button>
          <button type="button" className="primary" disabled={busy} onClick={submit}>
            {t('submit.confirm')}
          </button>
        </div>
      </Dialog>
      <WarningDialog />
    </div>
  );
}
