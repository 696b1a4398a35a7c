/** Live proctoring: every candidate's status, progress, time left and incidents; the event feed beside. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { connectLive, evidenceUrl } from '../session/staff-api';
import { incidentTypeOf } from '../shared/incidents';
import type { FeedEvent, LiveSession } from '../shared/protocol';
import { applyDashboard, applyEvent, applySession, setAuth, staffStore } from '../stores/staff-store';
import { describeEvent } from '../ui/event-text';
import { clockTime, formatClock, timeLeftMs } from '../ui/time-format';
import { useNow } from '../ui/use-now';
import { useT } from '../ui/i18n/i18n';
import { RescheduleTasks } from './RescheduleTasks';

/** Ticks on its own once a second, so the rest of the dashboard does not re-render with it. */
function TimeLeft(props: { deadlineAt: number }) {
  const t = useT();
  const offset = useStore(staffStore, (s) => s.clockOffsetMs);
  const left = timeLeftMs(props.deadlineAt, useNow(1000), offset) ?? 0;
  return <span data-testid="session-time-left">{t('proctor.timeLeft', { time: formatClock(left) })}</span>;
}

/** Issue 5: what the candidate's browser still holds for the centre (its last 'upload.backlog' report). */
function Backlog(props: { s: LiveSession }) {
  const t = useT();
  const b = props.s.backlog;
  if (!b || (b.items === 0 && !b.storageFull)) return null;
  return (
    <span className={`backlog${b.storageFull ? ' incidents' : ''}`} data-testid="session-backlog" data-items={b.items}>
      {t('proctor.backlog', { items: b.items, mb: (b.bytes / (1024 * 1024)).toFixed(1) })}
      {b.storageFull ? `: ${t('proctor.backlogStorageFull')}` : null}
    </span>
  );
}

function SessionCard(props: { s: LiveSession }) {
  const t = useT();
  const { s } = props;
  const progress = s.total > 0 ? Math.round((s.answered / s.total) * 100) : 0;
  return (
    <li className={`session-card status-${s.status}`} data-testid="session-card" data-session-id={s.sessionId}>
      <div className="card-head">
        <span className={`presence ${s.connected ? 'on' : 'off'}`} title={s.connected ? t('proctor.online') : t('proctor.offline')}>
          <span className="visually-hidden">{s.connected ? t('proctor.online') : t('proctor.offline')}</span>
        </span>
        <strong>{s.candidateName}</strong>
        <span className="badge" data-testid="session-status">{t(`status.${s.status}`)}</span>
      </div>
      <progress max={100} value={progress} aria-label={t('proctor.progress', { answered: s.answered, total: s.total })} />
      <p className="card-facts">
        <span data-testid="session-progress">{t('proctor.progress', { answered: s.answered, total: s.total })}</span>
        {s.status === 'in_progress' && s.deadlineAt ? <TimeLeft deadlineAt={s.deadlineAt} /> : null}
        {s.warned ? <span className="badge warned" data-testid="session-warned">{t('proctor.warned')}</span> : null}
        {s.incidentCount > 0 ? <span className="incidents" data-testid="session-incidents">{t('proctor.incidents', { count: s.incidentCount })}</span> : null}
        <Backlog s={s} />
        {s.result ? (
          <span data-testid="session-result">
            {t('proctor.result', { percent: s.result.percent, decision: s.result.admitted ? t('proctor.admitted') : t('proctor.notAdmitted') })}
          </span>
        ) : null}
      </p>
    </li>
  );
}

/** The snapshot behind an incident; it is uploaded just after the report, so a miss is retried a few times. */
function EvidenceThumb(props: { sessionId: string; incidentId: string; label: string }) {
  const token = useStore(staffStore, (s) => s.auth?.token);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    let made: string | null = null;
    const attempt = async (left: number): Promise<void> => {
      const got = await evidenceUrl(token, props.sessionId, props.incidentId).catch(() => null);
      if (cancelled) {
        if (got) URL.revokeObjectURL(got);
        return;
      }
      if (got) {
        made = got;
        setUrl(got);
      } else if (left > 0) setTimeout(() => void attempt(left - 1), 1_000);
    };
    void attempt(10);
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [token, props.sessionId, props.incidentId]);
  return url ? <img className="evidence-thumb" src={url} alt={props.label} data-testid="feed-evidence" /> : null;
}

function FeedItem(props: { e: FeedEvent }) {
  const t = useT();
  const { e } = props;
  const incident = e.type === 'incident.open' ? (e.data as { incident: { id: string }; evidenceSha256?: string }) : null;
  const type = incidentTypeOf(e.data);
  return (
    <li className={`feed-item level-${e.level}`} data-testid="feed-item" data-type={e.type} data-incident={type ?? undefined}>
      <time>{clockTime(e.at)}</time>
      <span className="who">{e.candidateName}</span>
      <span className="what">{describeEvent(t, e)}</span>
      {incident?.evidenceSha256 && type ? (
        <EvidenceThumb sessionId={e.sessionId} incidentId={incident.incident.id} label={t('proctor.evidence', { incident: t(`incident.${type}`) })} />
      ) : null}
    </li>
  );
}

export function ProctorDashboard() {
  const t = useT();
  const token = useStore(staffStore, (s) => s.auth?.token);
  const sessions = useStore(staffStore, (s) => s.sessions);
  const feed = useStore(staffStore, (s) => s.feed);
  const [onlyIncidents, setOnlyIncidents] = useState(false);
  useEffect(() => {
    if (!token) return;
    return connectLive(token, {
      snapshot: applyDashboard,
      session: applySession,
      event: applyEvent,
      status: (live) => staffStore.setState({ live }),
      refused: (message) => {
        staffStore.setState({ error: message });
        if (message.startsWith('unauthorised')) setAuth(null);
      },
    });
  }, [token]);
  const list = Object.values(sessions).sort((a, b) => a.candidateName.localeCompare(b.candidateName));
  const shown = onlyIncidents ? feed.filter((e) => e.level === 'incident') : feed;
  return (
    <div className="dashboard">
      <section aria-labelledby="cands-title">
        <h2 id="cands-title">{t('proctor.candidates')}</h2>
        {list.length === 0 ? <p>{t('proctor.none')}</p> : null}
        <ul className="session-grid">
          {list.map((s) => (
            <SessionCard key={s.sessionId} s={s} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="feed-title" className="feed">
        <h2 id="feed-title">{t('proctor.feed')}</h2>
        <label>
          <input type="checkbox" checked={onlyIncidents} onChange={(e) => setOnlyIncidents(e.target.checked)} /> {t('proctor.onlyIncidents')}
        </label>
        {shown.length === 0 ? <p>{t('proctor.feedEmpty')}</p> : null}
        <ol className="feed-list" aria-live="polite" aria-relevant="additions">
          {shown.map((e) => (
            <FeedItem key={`${e.sessionId}:${e.index}`} e={e} />
          ))}
        </ol>
      </section>
      <RescheduleTasks />
    </div>
  );
}
