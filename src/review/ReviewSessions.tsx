/**
 * Reviewers: the sessions list: date and time, candidate, programme, status, outcome,
 * incidents, credibility and the reviewer's verdict; filters, search, sorting by any column header
 * and paging, all done at the centre (GET /api/sessions). A row opens the session's review page
 * (#/review/<id>); until that page is merged here, the verified timeline below stands in for it.
 */
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../session/staff-api';
import type { ExamResult, FeedEvent, LiveSession } from '../shared/protocol';
import {
  SESSION_OUTCOMES,
  SESSION_PAGE_SIZES,
  SESSION_STATUSES,
  SESSION_VERDICTS,
  sessionListParams,
  type SessionListPage,
  type SessionListRow,
  type SessionListSort,
} from '../shared/session-list';
import { staffStore } from '../stores/staff-store';
import { describeEvent } from '../ui/event-text';
import { clockTime } from '../ui/time-format';
import { useHashRoute } from '../ui/use-hash-route';
import { useT, useUiLanguage, type MessageKey, type Translate } from '../ui/i18n/i18n';
import { formatDateTime, formatNumber, formatPercent } from '../ui/number-format';
import { listQuery, nextSort, NO_FILTERS, pageCount, type ListFilters } from './session-list-view';
import './session-list.css';
import { useCentreZone } from '../stores/centre-zone';

interface SessionDetail {
  session: LiveSession;
  candidate: { name: string; iin: string; email: string | null } | null;
  result: ExamResult | null;
  log: { events: number; verified: boolean; firstBrokenIndex: number | null };
}

const REVIEW_ROUTE = /^#\/review\/([0-9a-f-]{36})$/i;
/** The review page's address for a session (the same as src/review/review-route.ts of the review page). */
const reviewHref = (sessionId: string) => `#/review/${sessionId}`;

const useReviewedSession = (): string | null => useHashRoute(REVIEW_ROUTE);

function Timeline(props: { id: string; token: string }) {
  const t = useT();
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.all([
      api<SessionDetail>(`/api/sessions/${props.id}`, props.token),
      api<FeedEvent[]>(`/api/sessions/${props.id}/events`, props.token),
    ])
      .then(([d, e]) => {
        setDetail(d);
        setEvents(e);
      })
      .catch(() => setFailed(true));
  }, [props.id, props.token]);
  if (failed)
    return (
      <p role="alert" className="error">
        {t('sl.failed')}
      </p>
    );
  if (!detail) return <p role="status">{t('common.loading')}</p>;
  return (
    <section aria-labelledby="timeline-title">
      <a href="#/" className="button-link">
        {t('review.back')}
      </a>
      <h2 id="timeline-title">
        {t('review.timeline')}: {detail.candidate?.name}
      </h2>
      <p>
        {t('review.iin')}: {detail.candidate?.iin}
      </p>
      <p className={detail.log.verified ? 'ok' : 'error'} data-testid="log-integrity">
        {detail.log.verified
          ? t('review.logVerified', { count: detail.log.events })
          : t('review.logBroken', { index: detail.log.firstBrokenIndex ?? 0 })}
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

function Choice(props: {
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (v: string) => void;
  testId: string;
}) {
  const id = useId();
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        <option value="">{t('sl.any')}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function outcomeText(t: Translate, row: SessionListRow, percent: (v: number) => string): string {
  if ((row.outcome === 'admitted' || row.outcome === 'not_admitted') && row.percent !== null)
    return t(`sl.outcome.${row.outcome}`, { percent: percent(row.percent) });
  return t(`sl.outcomeName.${row.outcome}`);
}

const COLUMNS: Array<{ key: MessageKey; sort: SessionListSort | null; iin?: true }> = [
  { key: 'sl.col.at', sort: 'date' },
  { key: 'sl.col.candidate', sort: 'candidate' },
  { key: 'sl.col.iin', sort: null, iin: true },
  { key: 'sl.col.programme', sort: 'programme' },
  { key: 'sl.col.status', sort: 'status' },
  { key: 'sl.col.outcome', sort: 'outcome' },
  { key: 'sl.col.incidents', sort: 'incidents' },
  { key: 'sl.col.credibility', sort: null },
  { key: 'sl.col.verdict', sort: null },
];

export function ReviewSessions() {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const token = useStore(staffStore, (s) => s.auth?.token);
  const reviewing = useReviewedSession();
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<{ sort: SessionListSort; dir: 'asc' | 'desc' }>({ sort: 'date', dir: 'desc' });
  const [page, setPage] = useState(1);
  const [size, setSize] = useState<number>(SESSION_PAGE_SIZES[0]);
  const [data, setData] = useState<SessionListPage | null>(null);
  const [failed, setFailed] = useState(false);
  const ids = { search: useId(), from: useId(), to: useId(), size: useId() };

  // The search is sent once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((f) => (f.q === search ? f : { ...f, q: search }));
      setPage(1);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);
  useEffect(() => {
    if (!token || reviewing) return;
    let current = true;
    const params = sessionListParams(listQuery(filters, order.sort, order.dir, page, size)).toString();
    api<SessionListPage>(`/api/sessions${params ? `?${params}` : ''}`, token).then(
      (d) => {
        if (!current) return;
        setData(d);
        setFailed(false);
      },
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [token, reviewing, filters, order, page, size]);

  if (!token) return null;
  if (reviewing) return <Timeline id={reviewing} token={token} />;
  const change = (patch: Partial<ListFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const percent = (v: number) => formatPercent(v, language);
  const pages = data ? pageCount(data.total, data.size) : 1;
  const showIin = data?.iinSearch ?? false;
  const columns = COLUMNS.filter((c) => !c.iin || showIin);
  return (
    <section aria-labelledby="review-title" className="session-list">
      <h2 id="review-title">{t('sl.title')}</h2>
      <form role="search" aria-label={t('sl.filters')} className="list-filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.search}>{showIin ? t('sl.search') : t('sl.searchNameOnly')}</label>
          <input
            id={ids.search}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            maxLength={100}
            data-testid="sl-search"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('sl.from')}</label>
          <input id={ids.from} type="date" value={filters.from} onChange={(e) => change({ from: e.target.value })} data-testid="sl-from" />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('sl.to')}</label>
          <input id={ids.to} type="date" value={filters.to} onChange={(e) => change({ to: e.target.value })} data-testid="sl-to" />
        </div>
        <Choice
          label={t('sl.programme')}
          value={filters.programme}
          onChange={(v) => change({ programme: v })}
          testId="sl-programme"
          options={(data?.programmes ?? []).map((p) => ({ value: p.id, label: p.code }))}
        />
        <Choice
          label={t('sl.status')}
          value={filters.status}
          onChange={(v) => change({ status: v })}
          testId="sl-status"
          options={SESSION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Choice
          label={t('sl.outcome')}
          value={filters.outcome}
          onChange={(v) => change({ outcome: v })}
          testId="sl-outcome"
          options={SESSION_OUTCOMES.map((o) => ({ value: o, label: t(`sl.outcomeName.${o}`) }))}
        />
        <Choice
          label={t('sl.verdict')}
          value={filters.verdict}
          onChange={(v) => change({ verdict: v })}
          testId="sl-verdict"
          options={[...SESSION_VERDICTS, 'none' as const].map((v) => ({ value: v, label: t(`sl.verdict.${v}`) }))}
        />
        <button
          type="button"
          onClick={() => {
            setSearch('');
            change(NO_FILTERS);
          }}
        >
          {t('sl.reset')}
        </button>
      </form>
      <p role="status" aria-live="polite" data-testid="sl-count">
        {failed
          ? ''
          : data
            ? data.total === 0
              ? t('sl.none')
              : t('sl.count', { count: formatNumber(data.total, language, 0) })
            : t('sl.loading')}
      </p>
      {failed ? (
        <p role="alert" className="error">
          {t('sl.failed')}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="sessions" data-testid="sl-table">
          <caption className="visually-hidden">{t('sl.table', { page: data?.page ?? 1, pages })}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={c.sort && order.sort === c.sort ? (order.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      className="sort"
                      onClick={() => {
                        setOrder(nextSort(order, c.sort!));
                        setPage(1);
                      }}
                      title={t('sl.sortBy', { column: t(c.key) })}
                      data-testid={`sl-sort-${c.sort}`}
                    >
                      {t(c.key)}
                      <span aria-hidden="true">{order.sort === c.sort ? (order.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    t(c.key)
                  )}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('sl.col.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(data?.rows ?? []).map((r) => (
              <tr key={r.sessionId} data-testid="sl-row" className={`outcome-${r.outcome}`}>
                <td>
                  <time dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at, language, zone)}</time>
                </td>
                <td>{r.candidateName}</td>
                {showIin ? <td className="iin">{r.iin ?? ''}</td> : null}
                <td>{r.programmeCode}</td>
                <td>{t(`status.${r.status}`)}</td>
                <td>{outcomeText(t, r, percent)}</td>
                <td className="number">{formatNumber(r.incidentCount, language, 0)}</td>
                <td className="number credibility">
                  {r.credibility === null ? (
                    <>
                      <span aria-hidden="true" className="muted">
                        —
                      </span>
                      <span className="visually-hidden">{t('sl.notScored')}</span>
                    </>
                  ) : (
                    t('sl.credibilityValue', { score: formatNumber(r.credibility, language, 0) })
                  )}
                </td>
                <td>{t(`sl.verdict.${r.verdict ?? 'none'}`)}</td>
                <td>
                  <a href={reviewHref(r.sessionId)} className="button-link" data-testid="review-open" data-session-id={r.sessionId}>
                    {t('sl.open')}
                    <span className="visually-hidden"> {t('sl.openLabel', { name: r.candidateName })}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label={t('sl.paging')} className="paging">
        <button type="button" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1} data-testid="sl-prev">
          {t('sl.prev')}
        </button>
        <span data-testid="sl-page">
          {t('sl.page', { page: formatNumber(page, language, 0), pages: formatNumber(pages, language, 0) })}
        </span>
        <button type="button" onClick={() => setPage((p) => Math.min(pages, p + 1))} disabled={page >= pages} data-testid="sl-next">
          {t('sl.next')}
        </button>
        <label htmlFor={ids.size}>{t('sl.pageSize')}</label>
        <select
          id={ids.size}
          value={size}
          onChange={(e) => {
            setSize(Number(e.target.value));
            setPage(1);
          }}
          data-testid="sl-size"
        >
          {SESSION_PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </nav>
    </section>
  );
}
