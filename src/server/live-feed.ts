/**
 * The proctors' live view: turns store rows into LiveSession / FeedEvent records and
 * pushes them to the staff room as soon as the change is committed (DESIGN §1: the live
 * feed updates within a second, without reload).
 */
import { accommodatedConfig, type Accommodations } from '../shared/accommodations';
import { assistantLocked } from '../shared/assistant-identity';
import type { QueueItem, StaffActor } from '../shared/control-room';
import { MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import type { ProctoringConfig } from '../shared/proctoring-config';
import { CHART_ONLY_EVENT_TYPES, eventLevel, type DashboardSnapshot, type FeedEvent, type LiveSession } from '../shared/protocol';
import type { Clock } from './clock';
import {
  flaggedIncident,
  QUEUE_EVENT_TYPES,
  QUEUE_OPENING_TYPES,
  queueItems,
  reviewLookup,
  sessionStage,
  statusColour,
  type SessionContext,
} from './incident-queue';
import { missingPrestartStep } from './prestart-steps';
import { fullName, type EventRow, type ExamSessionRow, type PrestartRecord, type Store } from './store/store';

export const LIVE_ROOM = 'live';
export const FEED_BACKLOG = 200;
/** Queue items in a dashboard snapshot (the newest). */
export const QUEUE_BACKLOG = 300;

export interface LiveEmitter {
  session(session: LiveSession): void;
  event(event: FeedEvent): void;
  /** A new or changed queue item. */
  queue(item: QueueItem): void;
}

/**
 * Identity failed every try and no person has decided yet (rule 2.8.6), the candidate's own or, once theirs
 * is confirmed, their assistant's (rule 11): the proctor must look.
 */
export function identityLocked(p: PrestartRecord): boolean {
  const id = p.identity;
  if (!id) return false;
  if (id.verifiedAt === null) return !id.decision && id.attempts >= MAX_IDENTITY_ATTEMPTS;
  return assistantLocked(p.assistant, MAX_IDENTITY_ATTEMPTS);
}

export class LiveFeed {
  private readonly names = new Map<string, string>();
  /** Each browser's last outbox report ('upload.backlog'); in memory: the browser reports again within 15 s. */
  private readonly backlogs = new Map<string, NonNullable<LiveSession['backlog']>>();

  private readonly programmeCodes = new Map<string, string>();
  private readonly staffNames = new Map<string, StaffActor>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly isConnected: (sessionId: string) => boolean,
    private readonly emit: LiveEmitter,
    private readonly proctoringConfig: (programmeId: string) => Promise<ProctoringConfig>,
    /** An exam's accommodations; rule 13 judges it by the programme's settings with what they excuse. */
    private readonly accommodationsOf: (s: ExamSessionRow) => Promise<Accommodations | null>,
  ) {}

  private async programmeCode(programmeId: string): Promise<string> {
    let code = this.programmeCodes.get(programmeId);
    if (code === undefined) {
      code = (await this.store.getProgramme(programmeId))?.code ?? programmeId;
      this.programmeCodes.set(programmeId, code);
    }
    return code;
  }

  async staffActor(userId: string): Promise<StaffActor | null> {
    const cached = this.staffNames.get(userId);
    if (cached) return cached;
    const user = await this.store.getStaffUser(userId);
    if (!user) return null;
    const actor = { userId: user.id, name: user.displayName, role: user.role };
    this.staffNames.set(userId, actor);
    return actor;
  }

  async sessionContext(s: ExamSessionRow): Promise<SessionContext> {
    const [candidateName, programmeCode, config, accommodations] = await Promise.all([
      this.candidateName(s.id, s.candidateId),
      this.programmeCode(s.programmeId),
      this.proctoringConfig(s.programmeId),
      this.accommodationsOf(s),
    ]);
    return { candidateName, programmeCode, config: accommodatedConfig(config, accommodations), accommodations };
  }

  private async candidateName(sessionId: string, candidateId?: string): Promise<string> {
    const cached = this.names.get(sessionId);
    if (cached) return cached;
    const id = candidateId ?? (await this.store.getSession(sessionId))?.candidateId;
    const candidate = id ? await this.store.getCandidate(id) : null;
    const name = candidate ? fullName(candidate) : '?';
    this.names.set(sessionId, name);
    return name;
  }

  async liveSession(s: ExamSessionRow): Promise<LiveSession> {
    const [answers, incidentCount, recording, prestart, reports, reviews, context, assignedTo, verdict] = await Promise.all([
      this.store.getAnswers(s.id),
      this.store.countIncidents(s.id),
      this.store.recordingStats(s.id),
      this.store.getPrestart(s.id),
      this.store.listEventsOfTypes(s.id, QUEUE_OPENING_TYPES),
      this.store.listIncidentReviews(s.id),
      this.sessionContext(s),
      s.assignedTo ? this.staffActor(s.assignedTo) : Promise.resolve(null),
      this.store.getVerdict(s.id),
    ]);
    const answered = answers.filter((a) => a.optionIds.length > 0 && s.questionIds.includes(a.questionId)).length;
    const decided = new Set(reviews.map((r) => r.incidentId));
    const flagged = reports.map(flaggedIncident).filter((f) => f !== null);
    const openViolations = new Set(
      flagged.filter((f) => !decided.has(f.incidentId) && context.config.incidents[f.type].violation).map((f) => f.incidentId),
    ).size;
    const latest = flagged.at(-1);
    const locked = s.status === 'issued' && identityLocked(prestart);
    const connected = this.isConnected(s.id);
    const backlog = this.backlogs.get(s.id) ?? null;
    const warned = s.policy?.warning != null;
    return {
      programmeId: s.programmeId,
      programmeCode: context.programmeCode,
      createdAt: s.createdAt,
      stage: sessionStage(s, missingPrestartStep(prestart, context.config.steps, null, context.accommodations ?? null)),
      colour: statusColour({
        status: s.status,
        connected,
        warned,
        openViolations,
        identityLocked: locked,
        paused: s.paused !== null,
        storageFull: backlog?.storageFull ?? false,
      }),
      openViolations,
      latestIncident: latest ? { type: latest.type, at: latest.at } : null,
      paused: s.paused,
      identityLocked: locked,
      assignedTo,
      verdict: verdict?.kind ?? null,
      accommodations: context.accommodations,
      sessionId: s.id,
      candidateName: await this.candidateName(s.id, s.candidateId),
      status: s.status,
      language: s.language,
      answered,
      total: s.questionIds.length,
      startedAt: s.startedAt,
      deadlineAt: s.deadlineAt,
      connected,
      incidentCount,
      warned,
      result: s.result ? { percent: s.result.percent, admitted: s.result.admitted } : null,
      recording,
      backlog,
    };
  }

  async feedEvent(e: EventRow): Promise<FeedEvent> {
    return {
      sessionId: e.sessionId,
      candidateName: await this.candidateName(e.sessionId),
      index: e.index,
      type: e.type,
      origin: e.origin,
      at: e.serverAt,
      clientAt: e.clientAt,
      data: e.data,
      level: eventLevel(e.type, e.data),
    };
  }

  /** Queue items from log entries of any sessions (newest first). */
  async queueItemsOf(events: readonly EventRow[]): Promise<QueueItem[]> {
    const ids = [...new Set(events.map((e) => e.sessionId))];
    const contexts = new Map<string, SessionContext>();
    for (const id of ids) {
      const s = await this.store.getSession(id);
      if (s) contexts.set(id, await this.sessionContext(s));
    }
    const reviews = await this.store.listIncidentReviewsFor(ids);
    const lookups = new Map([...reviews].map(([id, rows]) => [id, reviewLookup(rows)]));
    return queueItems(
      events,
      (id) => contexts.get(id),
      (id, incidentId) => lookups.get(id)?.get(incidentId) ?? null,
    );
  }

  async snapshot(me: DashboardSnapshot['me']): Promise<DashboardSnapshot> {
    const sessions = await this.store.listSessions({ statuses: ['issued', 'in_progress', 'submitted', 'terminated', 'suspended'] });
    const live = await Promise.all(sessions.map((s) => this.liveSession(s)));
    const feed = await Promise.all((await this.store.recentEvents(FEED_BACKLOG)).map((e) => this.feedEvent(e)));
    const queue = (await this.queueItemsOf(await this.store.recentEventsOfTypes(QUEUE_EVENT_TYPES, QUEUE_BACKLOG * 2))).slice(
      0,
      QUEUE_BACKLOG,
    );
    return { serverNow: this.clock.now(), sessions: live, feed, queue, me };
  }

  /** One incident as the queue shows it now (after a decision or its end). */
  async queueItem(sessionId: string, incidentId: string): Promise<QueueItem | null> {
    const events = await this.store.listEventsOfTypes(sessionId, QUEUE_EVENT_TYPES);
    return (await this.queueItemsOf(events.filter((e) => flaggedIncident(e)?.incidentId === incidentId)))[0] ?? null;
  }

  async publishQueueItem(sessionId: string, incidentId: string): Promise<void> {
    const item = await this.queueItem(sessionId, incidentId);
    if (item) this.emit.queue(item);
  }

  /**
   * Pushes the session's card. Changes that arrive while a push is being made are coalesced into
   * one more push (a burst of answers and events becomes two cards, not one per change), which
   * keeps the card's queries off the answers' path under load.
   */
  publishSession(sessionId: string): Promise<void> {
    const running = this.publishing.get(sessionId);
    if (running) {
      this.republish.add(sessionId);
      return running;
    }
    const run = (async () => {
      do {
        this.republish.delete(sessionId);
        const s = await this.store.getSession(sessionId);
        if (s) this.emit.session(await this.liveSession(s));
      } while (this.republish.has(sessionId));
    })().finally(() => this.publishing.delete(sessionId));
    this.publishing.set(sessionId, run);
    return run;
  }
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly republish = new Set<string>();

  async publishEvent(e: EventRow): Promise<void> {
    // Per-second signals are for the reviewer's charts, not the proctor's feed.
    if ((CHART_ONLY_EVENT_TYPES as readonly string[]).includes(e.type)) return;
    if (e.type === 'upload.backlog' && e.data && typeof e.data === 'object') {
      const d = e.data as { items: number; bytes: number; chunks: number; storageFull: boolean };
      this.backlogs.set(e.sessionId, { items: d.items, bytes: d.bytes, chunks: d.chunks, storageFull: d.storageFull, at: e.serverAt });
      await this.publishSession(e.sessionId);
    }
    this.emit.event(await this.feedEvent(e));
    const flagged = flaggedIncident(e);
    if (flagged) await this.publishQueueItem(e.sessionId, flagged.incidentId);
  }
}
