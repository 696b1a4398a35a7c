/**
 * Bounded merges for the control room's live data. The dashboard runs a whole working
 * day, so every list the pushes grow is capped here: the feed, the incident queue and each
 * candidate's signal samples. Pure functions: the store applies them, the tests check them.
 */
import type { QueueItem, SignalSample } from '../shared/control-room';
import type { FeedEvent } from '../shared/protocol';

export const FEED_LIMIT = 300;
export const QUEUE_LIMIT = 500;
export const SIGNAL_LIMIT = 120;

const feedKey = (e: FeedEvent) => `${e.sessionId}:${e.index}`;
const newestFirst = (a: FeedEvent, b: FeedEvent) => b.at - a.at || b.index - a.index;

/** A snapshot's feed merged into what is shown (a reconnect fills the gap), newest first, at most `limit`. */
export function mergeFeed(current: readonly FeedEvent[], incoming: readonly FeedEvent[], limit = FEED_LIMIT): FeedEvent[] {
  const known = new Set(current.map(feedKey));
  return [...current, ...incoming.filter((e) => !known.has(feedKey(e)))].sort(newestFirst).slice(0, limit);
}

/** One pushed event on top; null when it is already shown (a resend). */
export function addFeedEvent(current: readonly FeedEvent[], event: FeedEvent, limit = FEED_LIMIT): FeedEvent[] | null {
  const key = feedKey(event);
  if (current.some((e) => feedKey(e) === key)) return null;
  return [event, ...current].slice(0, limit);
}

/**
 * A new or changed queue item. A changed one keeps its place (so the proctor's focus does not jump);
 * a new one goes where its time puts it (newest first). The oldest fall off past `limit`.
 */
export function mergeQueueItem(queue: readonly QueueItem[], item: QueueItem, limit = QUEUE_LIMIT): { queue: QueueItem[]; added: boolean } {
  const at = queue.findIndex((q) => q.incidentId === item.incidentId);
  if (at >= 0) {
    const next = queue.slice();
    next[at] = item;
    return { queue: next, added: false };
  }
  const next = queue.slice();
  let i = 0;
  while (i < next.length && next[i]!.at > item.at) i++;
  next.splice(i, 0, item);
  return { queue: next.slice(0, limit), added: i < limit };
}

/** A snapshot's queue (newest first) replaces what the centre knows; items only we still hold are kept when newer than its oldest. */
export function mergeQueueSnapshot(current: readonly QueueItem[], incoming: readonly QueueItem[], limit = QUEUE_LIMIT): QueueItem[] {
  const byId = new Map<string, QueueItem>();
  for (const q of current) byId.set(q.incidentId, q);
  for (const q of incoming) byId.set(q.incidentId, q);
  return [...byId.values()].sort((a, b) => b.at - a.at).slice(0, limit);
}

/** New samples after the ones held (by browser time, no duplicates), the last `limit` kept. */
export function appendSignals(current: readonly SignalSample[], samples: readonly SignalSample[], limit = SIGNAL_LIMIT): SignalSample[] {
  if (samples.length === 0) return current.slice(-limit);
  const byT = new Map<number, SignalSample>();
  for (const s of current) byT.set(s.t, s);
  for (const s of samples) byT.set(s.t, s);
  return [...byT.values()].sort((a, b) => a.t - b.t).slice(-limit);
}

/* ------------------------------------- alerts ------------------------------------- */

/** A violation arrives as a queue item and, a moment later, as the centre's warning: one alert per candidate in this window. */
export const ALERT_COALESCE_MS = 10_000;

export interface AlertCount {
  /** Alerts since the proctor last looked (the tab title shows it). */
  unseen: number;
  /** Grows by one for each alert: the page beeps when it changes. */
  seq: number;
  /** Last alert time per candidate, only within the window (bounded by the number of candidates alerting in 10 s). */
  recent: Record<string, number>;
}

export const NO_ALERTS: AlertCount = { unseen: 0, seq: 0, recent: {} };

/** Counts one alert for a candidate at `now`, unless the same candidate alerted within the window. */
export function countAlert(state: AlertCount, sessionId: string, now: number, windowMs = ALERT_COALESCE_MS): AlertCount {
  const recent: Record<string, number> = {};
  for (const [id, at] of Object.entries(state.recent)) if (now - at < windowMs) recent[id] = at;
  if (recent[sessionId] !== undefined) return { ...state, recent };
  recent[sessionId] = now;
  return { unseen: state.unseen + 1, seq: state.seq + 1, recent };
}

/** What makes a proctor look up: a new violation in the queue, or the centre warning or ending an exam (rule 13). */
export function isAlertItem(item: QueueItem, added: boolean): boolean {
  return added && item.violation && item.review === null;
}
export function isAlertEvent(event: FeedEvent): boolean {
  return event.type === 'policy.warning' || event.type === 'policy.terminated';
}
