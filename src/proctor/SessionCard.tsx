/**
 * One candidate in the proctor's control room, as a card of the grid (with the live thumbnail) or a row
 * of the table: the status colour with its sign and word, time left, progress, connection, upload
 * backlog, the latest incident and the accommodations.
 */
import { memo } from 'react';
import { useStore } from 'zustand';
import { hasAccommodations } from '../shared/accommodations';
import type { StatusColour } from '../shared/control-room';
import type { LiveSession } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { accommodationSummary } from '../ui/accommodation-text';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { formatClock } from '../ui/time-format';
import { sessionTimeLeft } from './control-room-logic';
import { useTick } from './control-room-context';
import type { Formats } from './format';

export const COLOURS: readonly StatusColour[] = ['ok', 'attention', 'warned', 'ended', 'fault'];
/** Not colour alone: each status has its sign and its word. */
const COLOUR_SIGN: Record<StatusColour, string> = { ok: '✓', attention: '!', warned: '⚠', ended: '■', fault: '✕' };

export function ColourBadge(props: { colour: StatusColour }) {
  const t = useT();
  return (
    <span className={`colour-badge colour-${props.colour}`} data-testid="session-colour" data-colour={props.colour}>
      <span aria-hidden="true">{COLOUR_SIGN[props.colour]}</span> {t(`cr.colour.${props.colour}` as MessageKey)}
    </span>
  );
}

/** Ticks once a second from the shared clock; frozen while paused. */
function TimeLeft(props: { s: LiveSession }) {
  const t = useT();
  const offset = useStore(staffStore, (s) => s.clockOffsetMs);
  const now = useTick((x) => x.now);
  const left = sessionTimeLeft(props.s, now + offset);
  if (left === null) return null;
  return (
    <span data-testid="session-time-left" className={props.s.paused ? 'paused' : left < 5 * 60_000 ? 'low' : undefined}>
      {t('proctor.timeLeft', { time: formatClock(left) })}
      {props.s.paused ? ` (${t('cr.pausedShort')})` : null}
    </span>
  );
}

function Backlog(props: { s: LiveSession; f: Formats }) {
  const t = useT();
  const b = props.s.backlog;
  if (!b || (b.items === 0 && !b.storageFull)) return null;
  return (
    <span className={`backlog${b.storageFull ? ' incidents' : ''}`} data-testid="session-backlog" data-items={b.items}>
      {t('proctor.backlog', { items: props.f.n(b.items), mb: props.f.mb(b.bytes) })}
      {b.storageFull ? `: ${t('proctor.backlogStorageFull')}` : null}
    </span>
  );
}

function Connection(props: { s: LiveSession }) {
  const t = useT();
  const on = props.s.connected;
  return (
    <span className={`presence-text ${on ? 'on' : 'off'}`} data-testid="session-connection" data-connected={on}>
      <span className={`presence ${on ? 'on' : 'off'}`} aria-hidden="true" />
      {on ? t('proctor.online') : t('proctor.offline')}
    </span>
  );
}

function Progress(props: { s: LiveSession; f: Formats }) {
  const t = useT();
  const { s, f } = props;
  const label = t('proctor.progress', { answered: f.n(s.answered), total: f.n(s.total) });
  return (
    <>
      <progress max={Math.max(1, s.total)} value={s.answered} aria-label={label} />
      <span data-testid="session-progress">{label}</span>
    </>
  );
}

function LatestIncident(props: { s: LiveSession; f: Formats }) {
  const t = useT();
  const li = props.s.latestIncident;
  if (!li) return null;
  return (
    <span className="latest-incident" data-testid="session-latest-incident" data-incident={li.type}>
      {t('cr.latestIncident', { incident: t(`incident.${li.type}` as MessageKey), time: props.f.time(li.at) })}
    </span>
  );
}

/** Two short lines: time, connection, uploads; then warnings, incidents, identity, result. */
function Facts(props: { s: LiveSession; f: Formats; split?: boolean }) {
  const t = useT();
  const { s, f } = props;
  const first = (
    <>
      <TimeLeft s={s} />
      <Connection s={s} />
      <Backlog s={s} f={f} />
    </>
  );
  const second = (
    <>
      {s.warned ? (
        <span className="badge warned" data-testid="session-warned">
          {t('proctor.warned')}
        </span>
      ) : null}
      {s.incidentCount > 0 ? (
        <span className="incidents" data-testid="session-incidents">
          {t('proctor.incidents', { count: f.n(s.incidentCount) })}
          {s.openViolations > 0 ? ` (${t('cr.openViolations', { count: f.n(s.openViolations) })})` : null}
        </span>
      ) : null}
      {s.identityLocked ? (
        <span className="incidents" data-testid="session-identity-locked">
          {t('cr.identityLocked')}
        </span>
      ) : null}
      {/* Accommodations in force: what is expected of this candidate (the whole list on hover and for screen readers). */}
      {hasAccommodations(s.accommodations) ? (
        <span className="badge accommodations" data-testid="session-accommodations" title={accommodationSummary(t, s.accommodations)}>
          {t('acc.title')}
          <span className="visually-hidden">: {accommodationSummary(t, s.accommodations)}</span>
        </span>
      ) : null}
      {/* An exam ended by the proctoring or suspended has no score to show as if it were a result. */}
      {s.result && s.status !== 'terminated' && s.status !== 'suspended' ? (
        <span data-testid="session-result">
          {t('proctor.result', {
            percent: f.n(s.result.percent, 1),
            decision: s.result.admitted ? t('proctor.admitted') : t('proctor.notAdmitted'),
          })}
        </span>
      ) : null}
    </>
  );
  if (!props.split)
    return (
      <>
        {first}
        {second}
      </>
    );
  return (
    <>
      <p className="card-facts">{first}</p>
      <p className="card-facts">{second}</p>
    </>
  );
}

function startText(t: ReturnType<typeof useT>, s: LiveSession, f: Formats): string {
  return s.startedAt ? t('cr.startedAt', { time: f.time(s.startedAt) }) : t('cr.notStarted');
}

function CardThumb(props: { s: LiveSession }) {
  const t = useT();
  const thumb = useStore(staffStore, (x) => x.thumbs[props.s.sessionId]);
  return (
    <div className="card-thumb">
      {thumb ? (
        <img src={thumb.url} alt={t('cr.thumbAlt', { name: props.s.candidateName })} data-testid="card-thumb" />
      ) : (
        <span className="thumb-none">{t('cr.noPicture')}</span>
      )}
    </div>
  );
}

/** Memoised: a push for one candidate re-renders that card only (the sessions map keeps the other objects). */
export const SessionCard = memo(function SessionCard(props: { s: LiveSession; f: Formats; onOpen(id: string): void }) {
  const t = useT();
  const { s, f } = props;
  return (
    <li
      className={`session-card colour-${s.colour} status-${s.status}`}
      data-testid="session-card"
      data-session-id={s.sessionId}
      data-colour={s.colour}
    >
      <CardThumb s={s} />
      <div className="card-id">
        <button
          type="button"
          className="linklike card-name"
          data-testid="card-open"
          onClick={() => props.onOpen(s.sessionId)}
          title={s.candidateName}
        >
          {s.candidateName}
        </button>
        <span className="card-sub">
          <span className="code">{s.programmeCode}</span> {startText(t, s, f)}
        </span>
        <span className="card-stage">
          <span data-testid="session-stage" data-stage={s.stage}>
            {t(`cr.stage.${s.stage}` as MessageKey)}
          </span>
          {' · '}
          <span data-testid="session-status">{t(`status.${s.status}`)}</span>
        </span>
        <ColourBadge colour={s.colour} />
      </div>
      <div className="card-body">
        <div className="card-progress">
          <Progress s={s} f={f} />
        </div>
        <Facts s={s} f={f} split />
        <LatestIncident s={s} f={f} />
      </div>
    </li>
  );
});

export const SessionRow = memo(function SessionRow(props: { s: LiveSession; f: Formats; onOpen(id: string): void }) {
  const t = useT();
  const { s, f } = props;
  return (
    <tr className={`session-row colour-${s.colour}`} data-testid="session-card" data-session-id={s.sessionId} data-colour={s.colour}>
      <th scope="row">
        <button type="button" className="linklike" data-testid="card-open" onClick={() => props.onOpen(s.sessionId)}>
          {s.candidateName}
        </button>
      </th>
      <td>
        <ColourBadge colour={s.colour} />
      </td>
      <td>{s.programmeCode}</td>
      <td>{s.startedAt ? f.time(s.startedAt) : t('cr.notStarted')}</td>
      <td>
        <span data-testid="session-stage" data-stage={s.stage}>
          {t(`cr.stage.${s.stage}` as MessageKey)}
        </span>
        {' · '}
        <span data-testid="session-status">{t(`status.${s.status}`)}</span>
      </td>
      <td className="row-progress">
        <Progress s={s} f={f} />
      </td>
      <td className="row-facts">
        <Facts s={s} f={f} />
      </td>
      <td>
        <LatestIncident s={s} f={f} />
      </td>
    </tr>
  );
});

/**
 * Reports the session ids of the cards (or rows) on screen whenever that set changes. One observer for
 * the component's life: cards that appear are observed (observing one twice does nothing), cards that
 * left are forgotten; a card that only moved is reported by the observer itself, so a new order costs
 * no re-observation of every card.
 */
