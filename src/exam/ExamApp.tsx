/**
 * The candidate's page: picks the screen from the exam phase. Over every screen: the proctor's
 * notes, while a proctor watches the live camera a small indicator saying so, and the
 * text size and contrast switch (rule 11), which starts from the candidate's accommodations.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { examStore } from '../stores/exam-store';
import { CentreContact } from '../ui/components/CentreContact';
import { ConnectionBadge } from '../ui/components/ConnectionBadge';
import { DisplaySwitch } from '../ui/components/DisplaySwitch';
import { setDisplayDefaults, useDisplayOnPage } from '../ui/display-store';
import { useT } from '../ui/i18n/i18n';
import { browserFeatures } from '../devices/system-check';
import { judgeBrowser } from '../shared/browser-support';
import { UnsupportedBrowser } from './UnsupportedBrowser';
import { examPhase } from './phase';
import { EndedByProctoring } from './ProctoringNotices';
import { ProctorNoteDialog } from './ProctorNoteDialog';
import { RescheduleNotice } from './RescheduleNotice';
import { SickLeaveForm } from './SickLeaveForm';
import { ResultScreen } from './ResultScreen';
import { AfterExam } from './AfterExam';
import { ConsentStep } from './ConsentStep';
import { IdentityStep } from './IdentityStep';
import { RoomScanStep } from './RoomScanStep';
import { BriefingStep, DevicesStep, LanguageStep } from './StartSteps';
import { SystemCheckStep } from './SystemCheckStep';
import { TestScreen } from './TestScreen';
import { useCandidateRuntime } from './runtime-context';

const BEFORE_EXAM: ReadonlySet<string> = new Set(['language', 'system-check', 'devices', 'consent', 'identity', 'room-scan', 'briefing']);
/** Where an unsupported browser is stopped: anywhere before the exam (a running or finished exam keeps its own screens). */
const BEFORE_EXAM_OR_CONNECTING: ReadonlySet<string> = new Set([...BEFORE_EXAM, 'connecting']);

export function ExamApp() {
  const rt = useCandidateRuntime();
  const t = useT();
  const [link] = useState(() => rt.takeToken());
  // Judged once, on the first screen, before the candidate spends any time here.
  const [browser] = useState(() => judgeBrowser(navigator.userAgent, browserFeatures()));
  const token = link.kind === 'token' ? link.token : null;
  const state = useStore(examStore);
  const phase = examPhase(state);
  useEffect(() => {
    if (!token) return;
    rt.connect(token);
    // The proctor sees that this candidate cannot start here, and why (the outbox delivers it once connected).
    if (!browser.ok)
      rt.logEvent('browser.unsupported', {
        browser: browser.browser.name,
        version: browser.browser.version,
        reason: browser.reason,
        missing: browser.missing,
      });
  }, [rt, token, browser]);
  const accommodations = state.snapshot?.accommodations ?? null;
  useEffect(() => setDisplayDefaults(accommodations), [accommodations]);
  useDisplayOnPage();

  let body;
  if (link.kind === 'invalid')
    body = (
      <p role="alert" className="card error" data-testid="link-invalid">
        {t('exam.invalidLink')}
      </p>
    );
  else if (!token)
    body = (
      <p role="alert" className="card error">
        {t('exam.noToken')}
      </p>
    );
  else if (phase === 'refused')
    body = (
      <div className="card">
        <p role="alert" className="error" data-testid="refused">
          {/* The centre's reason is English for the log; the candidate reads it in words of the interface. */}
          {state.refusal?.startsWith('expired') ? t('exam.expired') : t('exam.invalidLink')}
        </p>
        {state.snapshot ? <CentreContact reference={state.snapshot.reference} contact={state.snapshot.contact} /> : null}
        {/* A link ended because the exam was moved (rules 7, 11) says to when. */}
        <RescheduleNotice token={token} />
      </div>
    );
  else if (phase === 'replaced')
    body = (
      <div role="alert" className="card">
        <p>{t('exam.replaced')}</p>
        <button type="button" onClick={() => window.location.reload()}>
          {t('exam.reload')}
        </button>
      </div>
    );
  else if (!browser.ok && BEFORE_EXAM_OR_CONNECTING.has(phase)) body = <UnsupportedBrowser verdict={browser} />;
  else if (phase === 'connecting')
    body = (
      <p className="card" role="status">
        {t('common.loading')}
      </p>
    );
  else if (phase === 'language') body = <LanguageStep />;
  else if (phase === 'system-check') body = <SystemCheckStep />;
  else if (phase === 'devices') body = <DevicesStep />;
  else if (phase === 'consent') body = <ConsentStep />;
  else if (phase === 'identity') body = <IdentityStep />;
  else if (phase === 'room-scan') body = <RoomScanStep />;
  else if (phase === 'briefing') body = <BriefingStep />;
  else if (phase === 'test') body = <TestScreen />;
  else if (phase === 'result') body = <ResultScreen token={token} />;
  else if (phase === 'ended')
    body = (
      <>
        <EndedByProctoring />
        {/* An exam ended for a violation (rule 13) is a failed procedure too: its documents and the appeal below. */}
        {state.snapshot?.status === 'terminated' ? <AfterExam token={token} /> : null}
        {state.snapshot?.status === 'suspended' ? <RescheduleNotice token={token} /> : null}
      </>
    );
  else
    body = (
      <div className="card">
        <p role="status">{t(`status.${state.snapshot?.status ?? 'expired'}`)}</p>
        {state.snapshot ? <CentreContact reference={state.snapshot.reference} contact={state.snapshot.contact} /> : null}
      </div>
    );
  const showNotes = state.snapshot !== null && phase !== 'refused' && phase !== 'replaced';

  return (
    <div className="page exam" data-phase={phase}>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <span className="tagline">{t('app.tagline')}</span>
        <span role="status" className="live-status">
          {state.liveWatching ? (
            <span className="badge live" data-testid="live-indicator">
              <span className="live-dot" aria-hidden="true" />
              {t('live.watching')}
            </span>
          ) : null}
        </span>
        {/* Once the exam is over there is nothing to keep connected for: no "connection lost" after a normal submit. */}
        {token && phase !== 'result' && phase !== 'ended' && phase !== 'closed' ? <ConnectionBadge status={state.connection} /> : null}
        <DisplaySwitch />
      </header>
      <main>
        {body}
        {/* Rule 7: before the exam starts, an ill candidate sends the certificate from here (collapsed until opened). */}
        {token && BEFORE_EXAM.has(phase) ? <SickLeaveForm token={token} /> : null}
      </main>
      {showNotes ? <ProctorNoteDialog /> : null}
    </div>
  );
}
