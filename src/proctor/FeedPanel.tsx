/** The full event feed (every logged event, newest first, bounded in the store), one click away from the queue. */
import { useState } from 'react';
import { useStore } from 'zustand';
import { incidentTypeOf } from '../shared/incidents';
import type { FeedEvent } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { describeEvent } from '../ui/event-text';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { formats } from './format';
import { evidencePath, StaffImage } from './StaffImage';

const OPEN_KEY = 'tanu.feedOpen';

export function FeedItem(props: { e: FeedEvent; time: string }) {
  const t = useT();
  const { e } = props;
  const incident = e.type === 'incident.open' ? (e.data as { incident: { id: string }; evidenceSha256?: string }) : null;
  const type = incidentTypeOf(e.data);
  return (
    <li className={`feed-item level-${e.level}`} data-testid="feed-item" data-type={e.type} data-incident={type ?? undefined}>
      <time dateTime={new Date(e.at).toISOString()}>{props.time}</time>
      <span className="who">{e.candidateName}</span>
      <span className="what">{describeEvent(t, e)}</span>
      {incident?.evidenceSha256 && type ? (
        <StaffImage
          path={evidencePath(e.sessionId, incident.incident.id)}
          alt={t('proctor.evidence', { incident: t(`incident.${type}` as MessageKey) })}
          className="evidence-thumb"
          testId="feed-evidence"
        />
      ) : null}
    </li>
  );
}

export function FeedPanel() {
  const t = useT();
  const f = formats(useUiLanguage());
  const feed = useStore(staffStore, (s) => s.feed);
  const [open, setOpen] = useState(() => (typeof localStorage !== 'undefined' ? localStorage.getItem(OPEN_KEY) !== '0' : true));
  const [onlyIncidents, setOnlyIncidents] = useState(false);
  const toggle = () => {
    setOpen(!open);
    try {
      localStorage.setItem(OPEN_KEY, open ? '0' : '1');
    } catch {
      /* private mode */
    }
  };
  const shown = onlyIncidents ? feed.filter((e) => e.level === 'incident') : feed;
  return (
    <section aria-labelledby="feed-title" className="feed">
      <div className="panel-head">
        <h2 id="feed-title">{t('proctor.feed')}</h2>
        <button type="button" aria-expanded={open} aria-controls="feed-body" data-testid="feed-toggle" onClick={toggle}>
          {open ? t('cr.feedHide') : t('cr.feedShow')}
        </button>
      </div>
      <div id="feed-body" hidden={!open}>
        <label className="inline">
          <input type="checkbox" checked={onlyIncidents} onChange={(e) => setOnlyIncidents(e.target.checked)} />{' '}
          {t('proctor.onlyIncidents')}
        </label>
        {shown.length === 0 ? <p>{t('proctor.feedEmpty')}</p> : null}
        {open ? (
          <ol className="feed-list" aria-live="polite" aria-relevant="additions" tabIndex={0} aria-labelledby="feed-title">
            {shown.map((e) => (
              <FeedItem key={`${e.sessionId}:${e.index}`} e={e} time={f.time(e.at, true)} />
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}
