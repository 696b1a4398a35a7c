/** Staff log-in and the live dashboard's data (sessions by id, newest events first). */
import { createStore } from 'zustand/vanilla';
import type { StaffAuth } from '../session/staff-api';
import type { DashboardSnapshot, FeedEvent, LiveSession } from '../shared/protocol';

export const FEED_LIMIT = 300;
const AUTH_KEY = 'tanu.staffAuth';

export interface StaffState {
  auth: StaffAuth | null;
  live: boolean;
  sessions: Record<string, LiveSession>;
  feed: FeedEvent[];
  clockOffsetMs: number;
  error: string | null;
}

function savedAuth(): StaffAuth | null {
  try {
    const auth = JSON.parse(sessionStorage.getItem(AUTH_KEY) ?? 'null') as StaffAuth | null;
    return auth && auth.expiresAt > Date.now() ? auth : null;
  } catch {
    return null;
  }
}

export const staffStore = createStore<StaffState>(() => ({ auth: savedAuth(), live: false, sessions: {}, feed: [], clockOffsetMs: 0, error: null }));

export function setAuth(auth: StaffAuth | null): void {
  if (auth) sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
  else sessionStorage.removeItem(AUTH_KEY);
  staffStore.setState({ auth, sessions: {}, feed: [], error: null });
}

const feedKey = (e: FeedEvent) => `${e.sessionId}:${e.index}`;

export function applyDashboard(s: DashboardSnapshot): void {
  staffStore.setState((state) => {
    const known = new Set(state.feed.map(feedKey));
    const merged = [...state.feed, ...s.feed.filter((e) => !known.has(feedKey(e)))].sort((a, b) => b.at - a.at || b.index - a.index);
    return {
      sessions: Object.fromEntries(s.sessions.map((x) => [x.sessionId, x])),
      feed: merged.slice(0, FEED_LIMIT),
      clockOffsetMs: s.serverNow - Date.now(),
    };
  });
}

export function applySession(session: LiveSession): void {
  staffStore.setState((s) => ({ sessions: { ...s.sessions, [session.sessionId]: session } }));
}

export function applyEvent(event: FeedEvent): void {
  staffStore.setState((s) => (s.feed.some((e) => feedKey(e) === feedKey(event)) ? {} : { feed: [event, ...s.feed].slice(0, FEED_LIMIT) }));
}
