/**
 * The control room's pure decisions: which cards show and in what order, the incident
 * queue's keyboard, and the tab title's count. No DOM, no React: unit-tested in node.
 */
import type { IncidentType } from '../shared/incidents';
import type { QueueItem, StaffActor, StatusColour } from '../shared/control-room';
import { FINISHED_STATUSES } from '../shared/limits';
import type { LiveSession } from '../shared/protocol';

export type Scope = 'mine' | 'all';
export type SortKey = 'risk' | 'time' | 'name';

export interface CardFilter {
  scope: Scope;
  colour: StatusColour | null;
  programme: string | null;
  incident: IncidentType | null;
  search: string;
}

export const NO_FILTER: CardFilter = { scope: 'all', colour: null, programme: null, incident: null, search: '' };

const isFinished = (s: LiveSession) => FINISHED_STATUSES.includes(s.status);

/** Milliseconds left on the centre's clock; frozen at the pause while paused; null before the start and after the end. */
export function sessionTimeLeft(s: LiveSession, serverNow: number): number | null {
  if (s.deadlineAt === null || isFinished(s)) return null;
  const at = s.paused ? s.paused.at : serverNow;
  return Math.max(0, s.deadlineAt - at);
}

/** Riskier first: undecided violations, then the warning, then the number of incidents. */
export function compareRisk(a: LiveSession, b: LiveSession): number {
  return b.openViolations - a.openViolations || Number(b.warned) - Number(a.warned) || b.incidentCount - a.incidentCount;
}

const byName = (a: LiveSession, b: LiveSession) => a.candidateName.localeCompare(b.candidateName) || a.sessionId.localeCompare(b.sessionId);

/** Least time left first; those without a running clock after. */
function compareTimeLeft(a: LiveSession, b: LiveSession, serverNow: number): number {
  const ta = sessionTimeLeft(a, serverNow) ?? Number.POSITIVE_INFINITY;
  const tb = sessionTimeLeft(b, serverNow) ?? Number.POSITIVE_INFINITY;
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

/** The cards in order. Exams still going on always come before finished ones. */
export function sortSessions(list: readonly LiveSession[], key: SortKey, serverNow: number): LiveSession[] {
  return [...list].sort((a, b) => {
    const finished = Number(isFinished(a)) - Number(isFinished(b));
    if (finished !== 0) return finished;
    if (key === 'risk') return compareRisk(a, b) || compareTimeLeft(a, b, serverNow) || byName(a, b);
    if (key === 'time') return compareTimeLeft(a, b, serverNow) || compareRisk(a, b) || byName(a, b);
    return byName(a, b);
  });
}

/** Each card's place in an order (the order of the last settle). */
export function ranksOf(order: readonly LiveSession[]): Map<string, number> {
  return new Map(order.map((s, i) => [s.sessionId, i]));
}

/**
 * The cards in their settled order: the places they had at the last settle, cards that came since
 * after them in their live order. The grid is re-sorted on a slow clock (and at once when the proctor
 * changes the sort or a filter), not on every incident: cards do not jump under the pointer, and the
 * browser does not move 300 cards around every second under load.
 */
export function settledOrder(live: readonly LiveSession[], ranks: ReadonlyMap<string, number>): LiveSession[] {
  const place = (s: LiveSession, i: number) => ranks.get(s.sessionId) ?? ranks.size + i;
  return live
    .map((s, i) => ({ s, at: place(s, i) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.s);
}

/** Sessions that had an incident of each type: from the queue, and each card's latest incident. */
export function sessionsByIncident(queue: readonly QueueItem[], sessions: readonly LiveSession[]): Map<IncidentType, Set<string>> {
  const map = new Map<IncidentType, Set<string>>();
  const add = (type: IncidentType, id: string) => {
    let set = map.get(type);
    if (!set) map.set(type, (set = new Set()));
    set.add(id);
  };
  for (const q of queue) add(q.type, q.sessionId);
  for (const s of sessions) if (s.latestIncident) add(s.latestIncident.type, s.sessionId);
  return map;
}

const fold = (text: string) => text.toLocaleLowerCase().normalize('NFC').trim();

export function filterSessions(
  list: readonly LiveSession[],
  filter: CardFilter,
  me: StaffActor | null,
  byIncident: Map<IncidentType, Set<string>> = new Map(),
): LiveSession[] {
  const search = fold(filter.search);
  return list.filter(
    (s) =>
      (filter.scope === 'all' || (me !== null && s.assignedTo?.userId === me.userId)) &&
      (filter.colour === null || s.colour === filter.colour) &&
      (filter.programme === null || s.programmeId === filter.programme) &&
      (filter.incident === null || (byIncident.get(filter.incident)?.has(s.sessionId) ?? false)) &&
      (search === '' || fold(s.candidateName).includes(search) || fold(s.programmeCode).includes(search)),
  );
}

/** "Mine" when anything is assigned to me, otherwise "All". */
export function defaultScope(list: readonly LiveSession[], me: StaffActor | null): Scope {
  return me !== null && list.some((s) => s.assignedTo?.userId === me.userId) ? 'mine' : 'all';
}

/* --------------------------------- the queue's keyboard --------------------------------- */

export type QueueCommand =
  { kind: 'focus'; id: string } | { kind: 'confirm'; id: string } | { kind: 'dismiss'; id: string } | { kind: 'open'; id: string };

/**
 * A key pressed on a queue item. Letters go by the physical key (`code`), so C and D work on a Kazakh or
 * Russian layout too (where the same keys type с and в).
 */
export function queueKey(ids: readonly string[], current: string | null, key: { key: string; code?: string }): QueueCommand | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  const focus = (i: number): QueueCommand => ({ kind: 'focus', id: ids[Math.max(0, Math.min(ids.length - 1, i))]! });
  switch (key.key) {
    case 'ArrowDown':
      return focus(at < 0 ? 0 : at + 1);
    case 'ArrowUp':
      return focus(at < 0 ? 0 : at - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(ids.length - 1);
  }
  if (at < 0) return null;
  const id = ids[at]!;
  if (key.key === 'Enter') return { kind: 'open', id };
  const letter = key.code === 'KeyC' || key.code === 'KeyD' ? key.code.slice(3) : key.key.toUpperCase();
  if (letter === 'C') return { kind: 'confirm', id };
  if (letter === 'D') return { kind: 'dismiss', id };
  return null;
}

/**
 * Where the queue's focus (the one item with tabindex 0) is after the list changed: the same item when it is
 * still there (new items on top do not move the proctor), else its old neighbour, else the first.
 */
export function keepQueueFocus(ids: readonly string[], previousIds: readonly string[], current: string | null): string | null {
  if (ids.length === 0) return null;
  if (current !== null && ids.includes(current)) return current;
  if (current !== null) {
    const was = previousIds.indexOf(current);
    for (let i = was + 1; was >= 0 && i < previousIds.length; i++) if (ids.includes(previousIds[i]!)) return previousIds[i]!;
    for (let i = was - 1; i >= 0; i--) if (ids.includes(previousIds[i]!)) return previousIds[i]!;
  }
  return ids[0]!;
}

export function decisionOf(item: QueueItem): 'open' | 'confirmed' | 'dismissed' {
  return item.review?.decision ?? 'open';
}

/* -------------------------------------- the tab title -------------------------------------- */

const COUNT_PREFIX = /^\(\d[^)]*\)\s/;

/** "(3) Tanu": the unseen alerts before the page's own title; the number in the UI language's digits. */
export function titleWithCount(title: string, unseen: number, formatNumber: (n: number) => string = String): string {
  const base = title.replace(COUNT_PREFIX, '');
  return unseen > 0 ? `(${formatNumber(unseen)}) ${base}` : base;
}

/* ------------------------------------- sparklines ------------------------------------- */

/** Polyline runs between gaps (null readings break the line). */
export function sparkRuns(values: ReadonlyArray<number | null>, min: number, max: number, width = 240, height = 48): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    const y = height - ((Math.max(min, Math.min(max, v)) - min) / span) * height;
    run.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  return runs;
}

/* ------------------------------------- actions ------------------------------------- */

export type ActionForm =
  'message' | 'warn' | 'pause' | 'resume' | 'add-time' | 'end' | 'reinstate' | 'identity-approve' | 'identity-reject';

/** The actions that fit the exam's state, in the order the panel shows them. */
export function availableActions(s: LiveSession, reinstatableMs: number | null): ActionForm[] {
  const live = !FINISHED_STATUSES.includes(s.status);
  const running = s.status === 'in_progress';
  const list: ActionForm[] = [];
  if (live) list.push('message');
  if (running) list.push('warn');
  if (running && !s.paused) list.push('pause');
  if (s.paused) list.push('resume');
  if (running) list.push('add-time');
  if (live) list.push('end');
  if (reinstatableMs !== null) list.push('reinstate');
  if (s.identityLocked) list.push('identity-approve', 'identity-reject');
  return list;
}
