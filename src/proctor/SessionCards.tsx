/**
 * The candidates: a grid of cards (30 readable on a 1920×1080 screen) or a compact table (150), sorted by
 * risk or time left, filtered by status, programme, incident type, name and scope. Each card shows the
 * candidate's live thumbnail while it is on screen: the visible cards are reported (IntersectionObserver)
 * so that only those candidates send pictures.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { INCIDENT_TYPES, type IncidentType } from '../shared/incidents';
import type { StatusColour } from '../shared/control-room';
import { staffStore } from '../stores/staff-store';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import {
  filterSessions,
  ranksOf,
  sessionsByIncident,
  settledOrder,
  sortSessions,
  type CardFilter,
  type Scope,
  type SortKey,
} from './control-room-logic';
import { useTick } from './control-room-context';
import { formats } from './format';
import { COLOURS, SessionCard, SessionRow } from './SessionCard';

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
