/**
 * Staff log-in and the control room's live data: sessions by id, the event feed and the
 * incident queue (newest first, bounded), the latest thumbnail per candidate (an object URL, revoked
 * when replaced or when the candidate leaves the dashboard), signal samples per candidate (bounded),
 * and the alert count.
 */
import { createStore } from 'zustand/vanilla';
import type { StaffAuth } from '../session/staff-api';
import type { QueueItem, SignalSample, StaffActor } from '../shared/control-room';
import type { DashboardSnapshot, FeedEvent, LiveSession } from '../shared/protocol';
import {
  addFeedEvent,
  appendSignals,
  countAlert,
  isAlertEvent,
  isAlertItem,
  mergeFeed,
  mergeQueueItem,
  mergeQueueSnapshot,
  NO_ALERTS,
  type AlertCount,
} from './control-room-merge';

export { FEED_LIMIT, QUEUE_LIMIT, SIGNAL_LIMIT } from './control-room-merge';
const AUTH_KEY = 'tanu.staffAuth';

export interface Thumb {
  url: string;
  at: number;
}

export interface StaffState {
  auth: StaffAuth | null;
  live: boolean;
  sessions: Record<string, LiveSession>;
  feed: FeedEvent[];
  clockOffsetMs: number;
  error: string | null;
  /* the control room */
  me: StaffActor | null;
  queue: QueueItem[];
  thumbs: Record<string, Thumb>;
  signals: Record<string, SignalSample[]>;
  alerts: AlertCount;
  /** A snapshot has arrived since the log-in (the scope default is chosen once, on the first). */
  loaded: boolean;
}

function savedAuth(): StaffAuth | null {
  try {
    const auth = JSON.parse(sessionStorage.getItem(AUTH_KEY) ?? 'null') as StaffAuth | null;
    return auth && auth.expiresAt > Date.now() ? auth : null;
  } catch {
    return null;
  }
}

const empty = () => ({ sessions: {}, feed: [], queue: [], thumbs: {}, signals: {}, alerts: NO_ALERTS, me: null, loaded: false });

export const staffStore = createStore<StaffState>(() => ({ auth: savedAuth(), live: false, clockOffsetMs: 0, error: null, ...empty() }));

/**
 * A batch of pushes as one store update. Every card subscribes to the store with its own
 * selector, so each setState runs some 300 selectors: a batch of 100 pushes applied one setState at a
 * time ran 30,000 of them. Inside `inOneUpdate` the applies below fold into a draft, and the store is
 * set (and its subscribers told) once at the end. Outside it they set the store at once, as before.
 */
let draft: StaffState | null = null;
function update(change: (s: StaffState) => Partial<StaffState>): void {
  if (!draft) {
    staffStore.setState(change);
    return;
  }
  const partial = change(draft);
  if (Object.keys(partial).length > 0) draft = { ...draft, ...partial };
}
/** The state the next apply builds on: the draft inside a batch. */
const current = (): StaffState => draft ?? staffStore.getState();

export function inOneUpdate(run: () => void): void {
  if (draft) return run();
  const start = staffStore.getState();
  draft = start;
  try {
    run();
  } finally {
    const next = draft;
    draft = null;
    if (next !== start) staffStore.setState(next, true);
  }
}

function revokeAll(thumbs: Record<string, Thumb>): void {
  for (const t of Object.values(thumbs)) URL.revokeObjectURL(t.url);
}

export function setAuth(auth: StaffAuth | null): void {
  if (auth) sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
  else sessionStorage.removeItem(AUTH_KEY);
  revokeAll(staffStore.getState().thumbs);
  staffStore.setState({ auth, error: null, ...empty() });
}

/** The centre's time zone changed (the admin saved it, or /api/staff/me told it): kept with the log-in. */
export function setCentreTimeZone(timeZone: string): void {
  const auth = staffStore.getState().auth;
  if (!auth || auth.timeZone === timeZone) return;
  const next = { ...auth, timeZone };
  sessionStorage.setItem(AUTH_KEY, JSON.stringify(next));
  staffStore.setState({ auth: next });
}

export function applyDashboard(s: DashboardSnapshot): void {
  update((state) => {
    const sessions = Object.fromEntries(s.sessions.map((x) => [x.sessionId, x]));
    // Thumbnails and signals only for candidates still on the dashboard.
    const thumbs: Record<string, Thumb> = {};
    for (const [id, thumb] of Object.entries(state.thumbs)) {
      if (sessions[id]) thumbs[id] = thumb;
      else URL.revokeObjectURL(thumb.url);
    }
    const signals = Object.fromEntries(Object.entries(state.signals).filter(([id]) => sessions[id]));
    return {
      sessions,
      thumbs,
      signals,
      feed: mergeFeed(state.feed, s.feed),
      queue: mergeQueueSnapshot(state.queue, s.queue ?? []),
      me: s.me ?? state.me,
      clockOffsetMs: s.serverNow - Date.now(),
      loaded: true,
    };
  });
}

export function applySession(session: LiveSession): void {
  update((s) => ({ sessions: { ...s.sessions, [session.sessionId]: session } }));
}

export function applyEvent(event: FeedEvent): void {
  update((s) => {
    const feed = addFeedEvent(s.feed, event);
    if (!feed) return {};
    return isAlertEvent(event) ? { feed, alerts: countAlert(s.alerts, event.sessionId, Date.now()) } : { feed };
  });
}

export function applyQueueItem(item: QueueItem): void {
  update((s) => {
    const { queue, added } = mergeQueueItem(s.queue, item);
    return isAlertItem(item, added) ? { queue, alerts: countAlert(s.alerts, item.sessionId, Date.now()) } : { queue };
  });
}

/** A live thumbnail: only for a candidate on the dashboard; the previous picture's object URL is revoked. */
export function applyThumb(frame: { sessionId: string; jpeg: ArrayBuffer | Uint8Array; at: number }): void {
  const state = current();
  if (!state.sessions[frame.sessionId]) return;
  const bytes = frame.jpeg instanceof Uint8Array ? frame.jpeg : new Uint8Array(frame.jpeg);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/jpeg' }));
  const previous = state.thumbs[frame.sessionId];
  update((s) => ({ thumbs: { ...s.thumbs, [frame.sessionId]: { url, at: frame.at } } }));
  // Safe inside a batch too: the picture it replaces is not shown again (the store is set before any render).
  if (previous) URL.revokeObjectURL(previous.url);
}

export function applySignals(batch: { sessionId: string; samples: SignalSample[] }): void {
  update((s) => {
    if (!s.sessions[batch.sessionId]) return {};
    return { signals: { ...s.signals, [batch.sessionId]: appendSignals(s.signals[batch.sessionId] ?? [], batch.samples) } };
  });
}

/** The proctor has looked: the tab title loses its count. */
export function markAlertsSeen(): void {
  staffStore.setState((s) => (s.alerts.unseen === 0 ? {} : { alerts: { ...s.alerts, unseen: 0 } }));
}
