/**
 * One session as a reviewer reads it: the recording with the log as a track under it (and the identity
 * step and room scan as chapters), the incidents with their snapshots, the identity photos with their figures, the
 * credibility score and the verdict, and the full log in the centre's time zone with its verified hash chain.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../session/staff-api';
import type { Credibility } from '../shared/credibility';
import type { ExamResult, FeedEvent, LiveSession } from '../shared/protocol';
import type { SessionVerdict } from '../shared/review-verdict';
import { describeEvent } from '../ui/event-text';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { RecordingPlayer } from './RecordingPlayer';
import { centreDateTime, centreZone, figure } from '../ui/centre-time-format';
import { IdentityEvidence, IncidentEvidence } from './ReviewEvidence';
import { chapters, trackMarks, type TrackMark } from './timeline-marks';
import { CredibilityPanel, VerdictPanel } from './VerdictPanel';
import { SignalCharts } from './SignalCharts';
import { browserSkewMs, logToVideo, recordingRuns, type ChunkTiming } from '../shared/video-time';
import './review.css';
import { useCentreZone } from '../stores/centre-zone';

export interface ReviewDetail {
  session: LiveSession;
  candidate: { name: string; iin: string; email: string | null } | null;
  result: ExamResult | null;
  log: { events: number; verified: boolean; firstBrokenIndex: number | null };
  verdict: SessionVerdict | null;
  credibility: Credibility;
}

export function SessionReview(props: { sessionId: string; token: string; onBack(): void }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [detail, setDetail] = useState<ReviewDetail | null>(null);
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [chunks, setChunks] = useState<ChunkTiming[]>([]);
  const [error, setError] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const { sessionId, token } = props;

  useEffect(() => {
    let gone = false;
    Promise.all([
      api<ReviewDetail>(`/api/sessions/${sessionId}`, token),
      api<FeedEvent[]>(`/api/sessions/${sessionId}/events`, token),
      api<{ chunks: ChunkTiming[] }>(`/api/sessions/${sessionId}/recording/chunks`, token).then(
        (r) => r.chunks,
        () => [],
      ),
    ]).then(
      ([d, e, c]) => {
        if (gone) return;
        setDetail(d);
        setEvents(e);
        setChunks(c);
      },
      () => !gone && setError(true),
    );
    return () => {
      gone = true;
    };
  }, [sessionId, token, version]);

  const skewMs = useMemo(() => browserSkewMs(events), [events]);
  const runs = useMemo(() => recordingRuns(chunks), [chunks]);
  const marks = useMemo(() => trackMarks(events, skewMs), [events, skewMs]);
  const steps = useMemo(() => chapters(events, skewMs), [events, skewMs]);
  const [seekRequest, setSeekRequest] = useState<{ mark: TrackMark; n: number } | null>(null);
  const select = useCallback((m: TrackMark) => setSelected(m.key), []);

  if (error)
    return (
      <p role="alert" className="error">
        {t('rv.loadFailed')}
      </p>
    );
  if (!detail) return <p role="status">{t('common.loading')}</p>;
  const incidents = marks.filter((m) => m.kind === 'incident');
  return (
    <>
      <section aria-labelledby="rv-title" className="rv-page">
        <button type="button" onClick={props.onBack}>
          {t('review.back')}
        </button>
        <h2 id="rv-title">{t('rv.title', { name: detail.candidate?.name ?? '' })}</h2>
        <p>
          {t(`status.${detail.session.status}`)}
          {/* An exam ended for a violation has no result to show: its score is not a grade (the status says why it ended). */}
          {detail.result && detail.result.finishedBy !== 'terminated'
            ? ` · ${t('proctor.result', { percent: figure(detail.result.percent, language, 1), decision: detail.result.admitted ? t('proctor.admitted') : t('proctor.notAdmitted') })}`
            : ''}
          {detail.session.startedAt
            ? ` · ${centreDateTime(detail.session.startedAt, language, zone)} (${centreZone(zone, detail.session.startedAt ?? Date.now())})`
            : ''}
        </p>
        <div className="rv-grid">
          <div className="rv-main">
            <RecordingPlayer
              sessionId={sessionId}
              token={token}
              runs={runs}
              marks={marks}
              chapters={steps}
              events={events}
              skewMs={skewMs}
              selected={selected}
              onSelect={select}
              seekRequest={seekRequest}
            />
            <IncidentEvidence
              sessionId={sessionId}
              token={token}
              marks={marks}
              events={events}
              videoAt={(m) => logToVideo(runs, m.at)}
              selected={selected}
              onSelect={(m) => setSeekRequest({ mark: m, n: (seekRequest?.n ?? 0) + 1 })}
            />
            <SignalCharts sessionId={sessionId} token={token} skewMs={skewMs} />
            <IdentityEvidence sessionId={sessionId} token={token} events={events} />
          </div>
          <div className="rv-side">
            <CredibilityPanel credibility={detail.credibility} />
            <VerdictPanel
              sessionId={sessionId}
              token={token}
              status={detail.session.status}
              verdict={detail.verdict}
              incidents={incidents}
              onSaved={() => setVersion((v) => v + 1)}
            />
          </div>
        </div>
        <section aria-labelledby="rv-log-title">
          <h3 id="rv-log-title">{t('rv.log', { zone: centreZone(zone, detail.session.startedAt ?? Date.now()) })}</h3>
          <p className={detail.log.verified ? 'ok' : 'error'} data-testid="log-integrity">
            {detail.log.verified
              ? t('review.logVerified', { count: detail.log.events })
              : t('review.logBroken', { index: detail.log.firstBrokenIndex ?? 0 })}
          </p>
          <ol className="timeline rv-log" data-testid="rv-log">
            {events.map((e) => (
              <li key={e.index} className={`level-${e.level}`}>
                <time dateTime={new Date(e.at).toISOString()}>{centreDateTime(e.at, language, zone)}</time> {describeEvent(t, e)}
              </li>
            ))}
          </ol>
        </section>
      </section>
    </>
  );
}
