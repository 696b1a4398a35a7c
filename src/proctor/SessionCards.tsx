/**
 * The candidates: a grid of cards (30 readable on a 1920×1080 screen) or a compact table (150), sorted by
 * risk or time left, filtered by status, programme, incident type, name and scope. Each card shows the
 * candidate's live thumbnail while it is on screen: the visible cards are reported (IntersectionObserver)
 * so that only those candidates send pictures.
 */
import { hasAccommodations } from '../shared/accommodations';
import { accommodationSummary } from '../ui/accommodation-text';
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { INCIDENT_TYPES, type IncidentType } from '../shared/incidents';
import type { StatusColour } from '../shared/control-room';
import type { LiveSession } from '../shared/protocol';
import { staffStore } from '../stores/staff-store';
import { formatClock } from '../ui/time-format';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import {
  filterSessions,
  ranksOf,
  sessionsByIncident,
  sessionTimeLeft,
  settledOrder,
  sortSessions,
  type CardFilter,
  type Scope,
  type SortKey,
} from './control-room-logic';
import { useTick } from './control-room-context';
import { formats, type Formats } from './format';

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
const SessionCard = memo(function SessionCard(props: { s: LiveSession; f: Formats; onOpen(id: string): void }) {
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

const SessionRow = memo(function SessionRow(props: { s: LiveSession; f: Formats; onOpen(id: string): void }) {
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
function useVisibleCards(container: React.RefObject<HTMLElement | null>, ids: string, onVisible: (ids: string[]) => void): void {
  const visible = useRef(new Set<string>());
  const report = useRef(onVisible);
  report.current = onVisible;
  const observer = useRef<IntersectionObserver | null>(null);
  const observed = useRef(new Set<Element>());
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    const seen = visible.current;
    const watching = observed.current;
    const o = new IntersectionObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.sessionId;
        if (!id || !e.target.isConnected) continue; // a card replaced by the other view's row
        if (e.isIntersecting && !seen.has(id)) (seen.add(id), (changed = true));
        else if (!e.isIntersecting && seen.delete(id)) changed = true;
      }
      if (changed) report.current([...seen]);
    });
    observer.current = o;
    return () => {
      o.disconnect();
      observer.current = null;
      watching.clear();
      seen.clear();
      report.current([]); // off screen now
    };
  }, []);
  useEffect(() => {
    const root = container.current;
    const o = observer.current;
    if (!root || !o) return;
    for (const el of observed.current) {
      if (!el.isConnected) (o.unobserve(el), observed.current.delete(el));
    }
    const present = new Set<string>();
    root.querySelectorAll<HTMLElement>('[data-testid="session-card"]').forEach((el) => {
      if (!observed.current.has(el)) (o.observe(el), observed.current.add(el));
      if (el.dataset.sessionId) present.add(el.dataset.sessionId);
    });
    let changed = false;
    for (const id of visible.current) if (!present.has(id)) (visible.current.delete(id), (changed = true));
    if (changed) report.current([...visible.current]);
  }, [container, ids]);
}

function Select<T extends string>(props: {
  id: string;
  label: string;
  value: T | '';
  onChange(v: T | ''): void;
  children: ReactNode;
  testId: string;
}) {
  return (
    <label className="field" htmlFor={props.id}>
      {props.label}
      <select id={props.id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T | '')}>
        {props.children}
      </select>
    </label>
  );
}

type View = 'grid' | 'list';
const VIEW_KEY = 'tanu.cardsView';
/** How often the grid's order is brought up to date (by risk or by time left). */
const SETTLE_MS = 10_000;

export function SessionCards(props: {
  scope: Scope;
  onScope(scope: Scope): void;
  onOpen(id: string): void;
  onVisible(ids: string[]): void;
}) {
  const t = useT();
  const f = formats(useUiLanguage());
  const sessions = useStore(staffStore, (s) => s.sessions);
  const queue = useStore(staffStore, (s) => s.queue);
  const me = useStore(staffStore, (s) => s.me);
  const offset = useStore(staffStore, (s) => s.clockOffsetMs);
  // Re-sorted every 10 s at most (by risk or by time left), and at once when the proctor changes the sort or a filter.
  const sortClock = useTick((x) => Math.floor(x.now / SETTLE_MS));
  const [sort, setSort] = useState<SortKey>('risk');
  const [view, setView] = useState<View>(() =>
    typeof localStorage !== 'undefined' && localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid',
  );
  const [colour, setColour] = useState<StatusColour | ''>('');
  const [programme, setProgramme] = useState('');
  const [incident, setIncident] = useState<IncidentType | ''>('');
  const [search, setSearch] = useState('');
  const all = useMemo(() => Object.values(sessions), [sessions]);
  const programmes = useMemo(() => {
    const map = new Map<string, string>();
    for (const s of all) map.set(s.programmeId, s.programmeCode);
    return [...map.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [all]);
  const byIncident = useMemo(() => sessionsByIncident(queue, all), [queue, all]);
  const filter: CardFilter = {
    scope: props.scope,
    colour: colour || null,
    programme: programme || null,
    incident: incident || null,
    search,
  };
  const live = useMemo(
    () => sortSessions(filterSessions(all, filter, me, byIncident), sort, sortClock * SETTLE_MS + offset),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [all, props.scope, colour, programme, incident, search, me, byIncident, sort, sortClock, offset],
  );
  // The places of the last settle; between settles cards keep them (settledOrder, control-room-logic.ts).
  const ranks = useMemo(
    () => ranksOf(live),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sortClock, sort, props.scope, colour, programme, incident, search, me],
  );
  const shown = useMemo(() => settledOrder(live, ranks), [live, ranks]);
  const mineCount = me ? all.filter((s) => s.assignedTo?.userId === me.userId).length : 0;
  const container = useRef<HTMLDivElement>(null);
  useVisibleCards(container, `${view}|${shown.map((s) => s.sessionId).join(',')}`, props.onVisible);
  const chooseView = (v: View) => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      /* private mode */
    }
  };
  return (
    <section aria-labelledby="cands-title" className="cards-section">
      <div className="cards-head">
        <h2 id="cands-title">{t('proctor.candidates')}</h2>
        <div className="segmented" role="group" aria-label={t('cr.scope')}>
          <button type="button" aria-pressed={props.scope === 'mine'} data-testid="scope-mine" onClick={() => props.onScope('mine')}>
            {t('cr.scopeMine', { count: f.n(mineCount) })}
          </button>
          <button type="button" aria-pressed={props.scope === 'all'} data-testid="scope-all" onClick={() => props.onScope('all')}>
            {t('cr.scopeAll', { count: f.n(all.length) })}
          </button>
        </div>
        <div className="segmented" role="group" aria-label={t('cr.view')}>
          <button type="button" aria-pressed={view === 'grid'} data-testid="view-grid" onClick={() => chooseView('grid')}>
            {t('cr.viewGrid')}
          </button>
          <button type="button" aria-pressed={view === 'list'} data-testid="view-list" onClick={() => chooseView('list')}>
            {t('cr.viewList')}
          </button>
        </div>
        <div className="card-filters" role="search" aria-label={t('cr.filters')}>
          <p className="cards-count" role="status" data-testid="cards-count">
            {t('cr.shownOf', { shown: f.n(shown.length), total: f.n(all.length) })}
          </p>
          <label className="field" htmlFor="cards-search">
            {t('cr.search')}
            <input id="cards-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="cards-search" />
          </label>
          <Select<SortKey>
            id="cards-sort"
            label={t('cr.sort')}
            value={sort}
            onChange={(v) => setSort((v || 'risk') as SortKey)}
            testId="cards-sort"
          >
            <option value="risk">{t('cr.sortRisk')}</option>
            <option value="time">{t('cr.sortTime')}</option>
            <option value="name">{t('cr.sortName')}</option>
          </Select>
          <Select<StatusColour> id="cards-colour" label={t('cr.filterStatus')} value={colour} onChange={setColour} testId="cards-colour">
            <option value="">{t('cr.any')}</option>
            {COLOURS.map((c) => (
              <option key={c} value={c}>
                {t(`cr.colour.${c}` as MessageKey)}
              </option>
            ))}
          </Select>
          <Select id="cards-programme" label={t('cr.filterProgramme')} value={programme} onChange={setProgramme} testId="cards-programme">
            <option value="">{t('cr.any')}</option>
            {programmes.map(([id, code]) => (
              <option key={id} value={id}>
                {code}
              </option>
            ))}
          </Select>
          <Select<IncidentType>
            id="cards-incident"
            label={t('cr.filterIncident')}
            value={incident}
            onChange={setIncident}
            testId="cards-incident"
          >
            <option value="">{t('cr.any')}</option>
            {INCIDENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`incident.${type}` as MessageKey)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {all.length === 0 ? <p>{t('proctor.none')}</p> : null}
      <div ref={container}>
        {view === 'grid' ? (
          <ul className="session-grid" data-testid="session-grid">
            {shown.map((s) => (
              <SessionCard key={s.sessionId} s={s} f={f} onOpen={props.onOpen} />
            ))}
          </ul>
        ) : (
          <div className="list-scroll">
            <table className="session-list" data-testid="session-list">
              <caption className="visually-hidden">{t('proctor.candidates')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cr.col.name')}</th>
                  <th scope="col">{t('cr.col.status')}</th>
                  <th scope="col">{t('cr.col.programme')}</th>
                  <th scope="col">{t('cr.col.start')}</th>
                  <th scope="col">{t('cr.col.stage')}</th>
                  <th scope="col">{t('cr.col.progress')}</th>
                  <th scope="col">{t('cr.col.facts')}</th>
                  <th scope="col">{t('cr.col.incident')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((s) => (
                  <SessionRow key={s.sessionId} s={s} f={f} onOpen={props.onOpen} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
