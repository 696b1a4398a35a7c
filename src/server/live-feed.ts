/**
 * The proctors' live view: turns store rows into LiveSession / FeedEvent records and
 * pushes them to the staff room as soon as the change is committed (DESIGN §1: the live
 * feed updates within a second, without reload).
 */
import { eventLevel, type DashboardSnapshot, type FeedEvent, type LiveSession } from '../shared/protocol';
import type { Clock } from './clock';
import { fullName, type EventRow, type ExamSessionRow, type Store } from './store/store';

export const LIVE_ROOM = 'live';
export const FEED_BACKLOG = 200;

export interface LiveEmitter {
  session(session: LiveSession): void;
  event(event: FeedEvent): void;
}

export class LiveFeed {
  private readonly names = new Map<string, string>();
  /** Each browser's last outbox report ('upload.backlog', issue 5); in memory: the browser reports again within 15 s. */
  private readonly backlogs = new Map<string, NonNullable<LiveSession['backlog']>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly isConnected: (sessionId: string) => boolean,
    private readonly emit: LiveEmitter,
  ) {}

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
    const [answers, incidentCount, recording] = await Promise.all([
      this.store.getAnswers(s.id),
      this.store.countIncidents(s.id),
      this.store.recordingStats(s.id),
    ]);
    const answered = answers.filter((a) => a.optionIds.length > 0 && s.questionIds.includes(a.questionId)).length;
    return {
      sessionId: s.id,
      candidateName: await this.candidateName(s.id, s.candidateId),
      status: s.status,
      language: s.language,
      answered,
      total: s.questionIds.length,
      startedAt: s.startedAt,
      deadlineAt: s.deadlineAt,
      connected: this.isConnected(s.id),
      incidentCount,
      warned: s.policy?.warning != null,
      result: s.result ? { percent: s.result.percent, admitted: s.result.admitted } : null,
      recording,
      backlog: this.backlogs.get(s.id) ?? null,
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

  async snapshot(): Promise<DashboardSnapshot> {
    const sessions = await this.store.listSessions({ statuses: ['issued', 'in_progress', 'submitted', 'terminated', 'suspended'] });
    const live = await Promise.all(sessions.map((s) => this.liveSession(s)));
    const feed = await Promise.all((await this.store.recentEvents(FEED_BACKLOG)).map((e) => this.feedEvent(e)));
    return { serverNow: this.clock.now(), sessions: live, feed };
  }

  async publishSession(sessionId: string): Promise<void> {
    const s = await this.store.getSession(sessionId);
    if (s) this.emit.session(await this.liveSession(s));
  }

  async publishEvent(e: EventRow): Promise<void> {
    if (e.type === 'upload.backlog' && e.data && typeof e.data === 'object') {
      const d = e.data as { items: number; bytes: number; chunks: number; storageFull: boolean };
      this.backlogs.set(e.sessionId, { items: d.items, bytes: d.bytes, chunks: d.chunks, storageFull: d.storageFull, at: e.serverAt });
      await this.publishSession(e.sessionId);
    }
    this.emit.event(await this.feedEvent(e));
  }
}
