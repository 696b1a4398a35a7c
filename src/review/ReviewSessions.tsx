/** Reviewers: every session with its result, and one session's verified event timeline. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../session/staff-api';
import type { ExamResult, FeedEvent, LiveSession } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { describeEvent } from '../ui/event-text';
import { clockTime } from '../ui/time-format';
import { useT } from '../ui/i18n/i18n';
import { reviewHash } from './review-route';

interface SessionDetail {
  session: LiveSession;
  candidate: { name: string; iin: string; email: string | null } | null;
  result: ExamResult | null;
  log: { events: number; verified: boolean; firstBrokenIndex: number | null };
}

function Timeline(props: { id: string; token: string; onBack: () => void }) {
  const t = useT();
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([api<SessionDetail>(`/api/sessions/${props.id}`, props.token), api<FeedEvent[]>(`/api/sessions/${props.id}/events`, props.token)])
      .then(([d, e]) => {
        setDetail(d);
        setEvents(e);
      })
      .catch((e: Error) => setError(e.message));
  }, [props.id, props.token]);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!detail) return <p role="status">{t('common.loading')}</p>;
  return (
    <section aria-labelledby="timeline-title">
      <button type="button" onClick={props.onBack}>{t('review.back')}</button>
      <h2 id="timeline-title">{t('review.timeline')}: {detail.candidate?.name}</h2>
      <p>{t('review.iin')}: {detail.candidate?.iin}</p>
      <p className={detail.log.verified ? 'ok' : 'error'} data-testid="log-integrity">
        {detail.log.verified ? t('review.logVerified', { count: detail.log.events }) : t('review.logBroken', { index: detail.log.firstBrokenIndex ?? 0 })}
      </p>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.index} className={`level-${e.level}`}>
            <time>{clockTime(e.at)}</time> {describeEvent(t, e)}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ReviewSessions() {
  const t = useT();
  const token = useStore(staffStore, (s) => s.auth?.token);
  const [sessions, setSessions] = useState<LiveSession[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    if (token) api<LiveSession[]>('/api/sessions', token).then(setSessions, () => setSessions([]));
  }, [token, open]);
  if (!token) return null;
  if (open) return <Timeline id={open} token={token} onBack={() => setOpen(null)} />;
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">{t('review.title')}</h2>
      {sessions?.length === 0 ? <p>{t('review.none')}</p> : null}
      <table className="sessions">
        <thead>
          <tr>
            <th scope="col">{t('review.candidate')}</th>
            <th scope="col">{t('review.status')}</th>
            <th scope="col">{t('review.result')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('review.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(sessions ?? []).map((s) => (
            <tr key={s.sessionId}>
              <td>{s.candidateName}</td>
              <td>{t(`status.${s.status}`)}</td>
              <td>{s.result ? t('proctor.result', { percent: s.result.percent, decision: s.result.admitted ? t('proctor.admitted') : t('proctor.notAdmitted') }) : ''}</td>
              <td>
                <button type="button" data-testid="review-open" data-session-id={s.sessionId} onClick={() => (window.location.hash = reviewHash(s.sessionId))}>{t('review.open')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
