/**
 * The incident queue across candidates, newest first: what the machine flagged, with its evidence, for a
 * person to confirm or dismiss. ARIA feed pattern with a roving tabindex: one item is in the tab order;
 * ArrowUp / ArrowDown (Home / End) move, C confirms, D dismisses, Enter opens the candidate. New items
 * arrive on top without moving the proctor's focus (focus is kept by incident id, and only a key press moves it).
 */
import { errorCodeText } from '../ui/error-text';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { CommandError } from '../session/staff-api';
import type { QueueItem } from '../shared/control-room';
import { applyQueueItem, staffStore } from '../stores/staff-store';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { useControlRoom } from './control-room-context';
import { decisionOf, keepQueueFocus, queueKey } from './control-room-logic';
import { formats, type Formats } from './format';
import { evidencePath, StaffImage } from './StaffImage';

/** Items drawn at once; the rest (up to the queue's bound) one click away. */
const PAGE = 60;

export function useErrorText(): (e: unknown) => string {
  const t = useT();
  return (e) => {
    if (e instanceof CommandError) {
      // The code in the staff member's language; the centre's English message stays in the logs.
      return errorCodeText(t, e.code);
    }
    return t('cr.error.other');
  };
}

function QueueEntry(props: {
  item: QueueItem;
  f: Formats;
  focused: boolean;
  pos: number;
  size: number;
  busy: boolean;
  error: string | null;
  comment: string;
  onComment(text: string): void;
  onDecide(decision: 'confirm' | 'dismiss'): void;
  onOpen(): void;
  onFocus(): void;
  register(el: HTMLElement | null): void;
}) {
  const t = useT();
  const { item, f } = props;
  const decision = decisionOf(item);
  const tab = props.focused ? 0 : -1;
  const titleId = `q-${item.incidentId}-title`;
  const descId = `q-${item.incidentId}-desc`;
  return (
    <article
      ref={props.register}
      className={`queue-item decision-${decision}${item.violation ? ' violation' : ''}`}
      tabIndex={tab}
      aria-labelledby={titleId}
      aria-describedby={descId}
      aria-posinset={props.pos}
      aria-setsize={props.size}
      data-testid="queue-item"
      data-incident-id={item.incidentId}
      data-session-id={item.sessionId}
      data-decision={decision}
      onFocus={(e) => e.target === e.currentTarget && props.onFocus()}
    >
      <div className="queue-evidence">
        {item.evidence ? (
          <StaffImage
            path={evidencePath(item.sessionId, item.incidentId)}
            alt={t('proctor.evidence', { incident: t(`incident.${item.type}` as MessageKey) })}
            className="evidence-thumb"
            testId="queue-evidence"
            missing={t('cr.noPicture')}
          />
        ) : (
          <span className="evidence-thumb img-missing">{t('cr.noPicture')}</span>
        )}
      </div>
      <div className="queue-text">
        <h3 id={titleId} className="queue-title">
          <span className="queue-who">{item.candidateName}</span>: {t(`incident.${item.type}` as MessageKey)}
        </h3>
        <p id={descId} className="queue-meta">
          {t('cr.queueMeta', {
            rule: item.rule,
            confidence: f.pct(item.confidence),
            time: f.time(item.at, true),
            code: item.programmeCode,
          })}
          {item.violation ? <span className="tag tag-violation"> {t('cr.countsRule13')}</span> : null}
          {item.roomScan ? <span className="tag"> {t('cr.duringRoomScan')}</span> : null}
          {item.end === null ? <span className="tag"> {t('cr.ongoing')}</span> : null}
          {item.review ? (
            <span className="queue-decision" data-testid="queue-decision">
              {' '}
              {t(`cr.decided.${item.review.decision}` as MessageKey, { name: item.review.by.name, time: f.time(item.review.at) })}
              {item.review.comment ? `: ${item.review.comment}` : null}
            </span>
          ) : null}
        </p>
        {decision === 'open' ? (
          <div className="queue-actions">
            <button
              type="button"
              tabIndex={tab}
              className="confirm"
              disabled={props.busy}
              data-testid="queue-confirm"
              onClick={() => props.onDecide('confirm')}
            >
              {t('cr.confirm')}
            </button>
            <button
              type="button"
              tabIndex={tab}
              disabled={props.busy}
              data-testid="queue-dismiss"
              onClick={() => props.onDecide('dismiss')}
            >
              {t('cr.dismiss')}
            </button>
            <button type="button" tabIndex={tab} className="linklike" data-testid="queue-open" onClick={props.onOpen}>
              {t('cr.openCandidate')}
            </button>
            <input
              type="text"
              tabIndex={tab}
              value={props.comment}
              maxLength={500}
              aria-label={t('cr.commentOptional')}
              placeholder={t('cr.commentOptional')}
              data-testid="queue-comment"
              onChange={(e) => props.onComment(e.target.value)}
            />
          </div>
        ) : (
          <button type="button" tabIndex={tab} className="linklike" data-testid="queue-open" onClick={props.onOpen}>
            {t('cr.openCandidate')}
          </button>
        )}
        {props.error ? (
          <p role="alert" className="error">
            {props.error}
          </p>
        ) : null}
      </div>
    </article>
  );
}

export function IncidentQueue(props: { muted: boolean; onToggleMute(): void }) {
  const t = useT();
  const f = formats(useUiLanguage());
  const room = useControlRoom();
  const errorText = useErrorText();
  const queue = useStore(staffStore, (s) => s.queue);
  const unseen = useStore(staffStore, (s) => s.alerts.unseen);
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const items = useMemo(() => (onlyOpen ? queue.filter((q) => q.review === null) : queue).slice(0, limit), [queue, onlyOpen, limit]);
  const ids = useMemo(() => items.map((q) => q.incidentId), [items]);
  const previousIds = useRef<string[]>([]);
  const elements = useRef(new Map<string, HTMLElement>());

  // Keep the roving focus on the same item when the list changes; never move the browser's focus here.
  useEffect(() => {
    setFocusId((current) => keepQueueFocus(ids, previousIds.current, current));
    previousIds.current = ids;
    // Per-item drafts and errors only for items still shown (bounded like the queue).
    const keep = new Set(ids);
    const prune = <T,>(r: Record<string, T>) =>
      Object.keys(r).some((k) => !keep.has(k)) ? Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k))) : r;
    setComments(prune);
    setErrors(prune);
    setBusy(prune);
  }, [ids]);

  // When the item the proctor was on leaves the list (decided under "only undecided"), focus goes to its neighbour
  // rather than to the page; focus moves only if it was in the queue and has nowhere else to be.
  const container = useRef<HTMLDivElement>(null);
  const inQueue = useRef(false);
  useEffect(() => {
    const active = typeof document !== 'undefined' ? document.activeElement : null;
    if (inQueue.current && focusId && (active === null || active === document.body)) elements.current.get(focusId)?.focus();
  }, [focusId, ids]);

  const move = (id: string) => {
    setFocusId(id);
    elements.current.get(id)?.focus();
  };

  const decide = (item: QueueItem, decision: 'confirm' | 'dismiss') => {
    if (!room.link || item.review) return;
    const id = item.incidentId;
    setBusy((b) => ({ ...b, [id]: true }));
    setErrors(({ [id]: _, ...rest }) => rest);
    const comment = (comments[id] ?? '').trim();
    room.link
      .send('incident:decide', { sessionId: item.sessionId, incidentId: id, decision, ...(comment ? { comment } : {}) })
      .then(applyQueueItem, (e: unknown) => setErrors((r) => ({ ...r, [id]: errorText(e) })))
      .finally(() => setBusy(({ [id]: _, ...rest }) => rest));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (target.dataset.testid !== 'queue-item' || e.altKey || e.ctrlKey || e.metaKey) return;
    const command = queueKey(ids, target.dataset.incidentId ?? focusId, { key: e.key, code: e.code });
    if (!command) return;
    e.preventDefault();
    const item = items.find((q) => q.incidentId === command.id);
    if (command.kind === 'focus') move(command.id);
    else if (command.kind === 'open' && item) room.openDetail(item.sessionId);
    else if (item && (command.kind === 'confirm' || command.kind === 'dismiss')) decide(item, command.kind);
  };

  return (
    <section aria-labelledby="queue-title" className="queue-panel">
      <div className="panel-head">
        <h2 id="queue-title">
          {t('cr.queue')}
          {unseen > 0 ? (
            <span className="badge alert-count" data-testid="alerts-unseen">
              {' '}
              {t('cr.unseen', { count: f.n(unseen) })}
            </span>
          ) : null}
        </h2>
        <button type="button" className="mute" aria-pressed={props.muted} data-testid="alerts-mute" onClick={props.onToggleMute}>
          {t('cr.alertsMuted')}
        </button>
        <label className="inline">
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} data-testid="queue-only-open" />{' '}
          {t('cr.onlyOpen')}
        </label>
      </div>
      <p className="hint" id="queue-keys">
        {t('cr.queueKeys')}
      </p>
      {items.length === 0 ? <p data-testid="queue-empty">{t('cr.queueEmpty')}</p> : null}
      {/* A feed must hold articles: while the queue is empty it is a plain (empty) container. */}
      <div
        {...(items.length > 0 ? { role: 'feed', 'aria-labelledby': 'queue-title', 'aria-describedby': 'queue-keys' } : {})}
        className="queue-list"
        data-testid="incident-queue"
        ref={container}
        onKeyDown={onKeyDown}
        onFocus={() => (inQueue.current = true)}
        onBlur={(e) => {
          // Removing the focused element fires no blur, so this is the proctor going elsewhere.
          if (!container.current?.contains(e.relatedTarget as Node | null)) inQueue.current = false;
        }}
      >
        {items.map((item, i) => (
          <QueueEntry
            key={item.incidentId}
            item={item}
            f={f}
            focused={item.incidentId === focusId}
            pos={i + 1}
            size={items.length}
            busy={busy[item.incidentId] ?? false}
            error={errors[item.incidentId] ?? null}
            comment={comments[item.incidentId] ?? ''}
            onComment={(text) => setComments((c) => ({ ...c, [item.incidentId]: text }))}
            onDecide={(d) => decide(item, d)}
            onOpen={() => room.openDetail(item.sessionId)}
            onFocus={() => setFocusId(item.incidentId)}
            register={(el) => {
              if (el) elements.current.set(item.incidentId, el);
              else elements.current.delete(item.incidentId);
            }}
          />
        ))}
      </div>
      {queue.length > limit ? (
        <button type="button" onClick={() => setLimit((l) => l + PAGE)} data-testid="queue-more">
          {t('cr.showMore', { count: f.n(Math.min(PAGE, queue.length - limit)) })}
        </button>
      ) : null}
    </section>
  );
}
