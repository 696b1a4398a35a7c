/**
 * The centre's side of online proctoring: it re-applies rule 13 (and rule 11) to every
 * incident the browser reports, so a warning, a termination or a suspension is recorded
 * even if the browser is closed straight after; it keeps each incident's evidence snapshot;
 * and once a second it re-checks technical incidents that are still going on.
 *
 * Reports for one session are judged one at a time, in arrival order (a per-session queue),
 * so two incidents arriving together can never both be "the first violation".
 */
import { createHash } from 'node:crypto';
import type { Incident } from '../shared/incidents';
import { applyPolicy, INITIAL_POLICY, isWatched, type PolicyDecision } from '../shared/policy';
import type { ClientEvent } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import type { SessionPolicy, Store } from './store/store';

export interface ProctoringListener {
  /** The centre's policy state of the session changed (a warning): push the new state to the browser. */
  policyChanged(sessionId: string): void;
}

export const EMPTY_SESSION_POLICY: SessionPolicy = { ...INITIAL_POLICY, watched: {}, clockSkewMs: 0 };

export class ProctoringService {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Sessions in progress without a browser connection, since when (centre clock); in memory, so a restart starts the count afresh. */
  private readonly offlineSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly listener: ProctoringListener,
  ) {}

  /** Runs `task` after every earlier task of the same session (a proctor's action on rule 13 state too, issue 10). */
  serial<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(sessionId, settled);
    void settled.then(() => {
      if (this.queues.get(sessionId) === settled) this.queues.delete(sessionId);
    });
    return next;
  }

  /**
   * Judge an incident report that is in the session's log (called for resends too: judging is
   * idempotent by incident id, so a report whose first judging was cut short by a crash is judged now).
   */
  judgeReport(sessionId: string, event: ClientEvent): Promise<PolicyDecision | null> {
    if (event.type !== 'incident.open' && event.type !== 'incident.close') return Promise.resolve(null);
    const incident = (event.data as { incident: Incident }).incident;
    return this.serial(sessionId, async () => {
      const session = await this.exams.session(sessionId);
      if (session.status !== 'in_progress') return null;
      const policy: SessionPolicy = { ...EMPTY_SESSION_POLICY, ...session.policy, clockSkewMs: event.at - this.clock.now() };
      return this.decide(sessionId, policy, incident, event.at);
    });
  }

  private async decide(sessionId: string, policy: SessionPolicy, incident: Incident, now: number): Promise<PolicyDecision> {
    const session = await this.exams.session(sessionId);
    const config = await this.exams.proctoringConfig(session.programmeId);
    const { state, decision } = applyPolicy(policy, incident, config, now);
    // Keep watching what the policy still judges while it goes on, so a silent browser cannot stall it.
    const watched = { ...policy.watched };
    if (incident.end === null && isWatched(state, incident)) watched[incident.id] = incident;
    else delete watched[incident.id];
    await this.store.setPolicy(sessionId, { ...policy, ...state, watched });
    const evidence = { incidentId: incident.id, type: incident.type, start: incident.start, rule: 'rule' in decision ? decision.rule : null };
    switch (decision.kind) {
      case 'warn':
        await this.exams.logServerEvent(sessionId, 'policy.warning', evidence);
        this.listener.policyChanged(sessionId);
        break;
      case 'terminate':
        await this.exams.logServerEvent(sessionId, 'policy.terminated', { ...evidence, warningIncidentId: decision.warningIncidentId });
        await this.exams.endByProctoring(sessionId, 'terminated');
        break;
      case 'suspend':
        await this.exams.logServerEvent(sessionId, 'policy.suspended', { ...evidence, lastedMs: (incident.end ?? now) - incident.start });
        await this.exams.endByProctoring(sessionId, 'suspended');
        break;
      case 'none':
        break;
    }
    return decision;
  }

  /**
   * Once a second: incidents still open that the policy watches (a technical fault, a violation
   * pending after the warning) are judged on the browser's clock, in case the browser went quiet.
   * Returns how many exams this ended.
   */
  async sweepWatched(): Promise<number> {
    let ended = 0;
    for (const session of await this.store.listSessions({ statuses: ['in_progress'] })) {
      if (Object.keys(session.policy?.watched ?? {}).length === 0) continue;
      await this.serial(session.id, async () => {
        for (const id of Object.keys(session.policy?.watched ?? {})) {
          const fresh = await this.exams.session(session.id);
          const incident = fresh.policy?.watched[id];
          if (fresh.status !== 'in_progress' || !fresh.policy) return;
          if (!incident) continue;
          const decision = await this.decide(session.id, fresh.policy, incident, this.clock.now() + fresh.policy.clockSkewMs);
          if (decision.kind === 'terminate' || decision.kind === 'suspend') return void ended++;
        }
      });
    }
    return ended;
  }

  /**
   * Rule 11, issue 5: an exam whose browser has had no connection to the centre for the programme's
   * offlineFaultSec is suspended as a technical fault (never a violation, never a fail). Judged here,
   * at the centre, because only the centre can act while the link is down; the browser keeps the
   * exam going meanwhile and drains its outbox when the link returns, so a shorter outage ends nothing.
   * The outage is timed from the first sweep that finds the session without a connection, so after a
   * centre restart every browser gets the full time to reconnect. Returns how many exams this ended.
   */
  async sweepOffline(isConnected: (sessionId: string) => boolean): Promise<number> {
    const now = this.clock.now();
    const running = await this.store.listSessions({ statuses: ['in_progress'] });
    const seen = new Set(running.map((s) => s.id));
    for (const id of this.offlineSince.keys()) if (!seen.has(id)) this.offlineSince.delete(id);
    let ended = 0;
    for (const session of running) {
      // Connected, or the time is up anyway (the exam is submitted by the time-out sweep, not suspended).
      if (isConnected(session.id) || (!session.paused && session.deadlineAt !== null && now > session.deadlineAt)) {
        this.offlineSince.delete(session.id);
        continue;
      }
      const since = this.offlineSince.get(session.id);
      if (since === undefined) {
        this.offlineSince.set(session.id, now);
        continue;
      }
      const config = await this.exams.proctoringConfig(session.programmeId);
      if (now - since < config.offlineFaultSec * 1000) continue;
      await this.serial(session.id, async () => {
        const fresh = await this.exams.session(session.id);
        if (fresh.status !== 'in_progress' || isConnected(session.id)) return;
        await this.exams.logServerEvent(session.id, 'policy.suspended', { cause: 'offline', rule: '11', offlineSince: since, lastedMs: now - since });
        if (await this.exams.endByProctoring(session.id, 'suspended')) ended++;
      });
      this.offlineSince.delete(session.id);
    }
    return ended;
  }

  /** Keeps an incident's evidence snapshot; the hash must match the one the browser sent (and later logs). */
  async storeEvidence(sessionId: string, upload: { incidentId: string; sha256: string; jpeg: Uint8Array }): Promise<{ incidentId: string; duplicate: boolean }> {
    const actual = createHash('sha256').update(upload.jpeg).digest('hex');
    if (actual !== upload.sha256) throw new ExamError('invalid', 'evidence hash does not match its bytes');
    const session = await this.exams.session(sessionId);
    // Before the start only the steps before the exam produce evidence (rule 12 objects seen during the room scan, rule 2.8.3).
    if (session.status === 'issued' && !session.language) throw new ExamError('conflict', 'the exam has not started');
    const result = await this.store.putEvidence(sessionId, { incidentId: upload.incidentId, sha256: actual, mime: 'image/jpeg', bytes: upload.jpeg, storedAt: this.clock.now() });
    if (result === 'conflict') throw new ExamError('conflict', 'other evidence is already stored for this incident');
    if (result === 'stored') await this.exams.logServerEvent(sessionId, 'evidence.stored', { incidentId: upload.incidentId, sha256: actual, bytes: upload.jpeg.byteLength });
    return { incidentId: upload.incidentId, duplicate: result === 'duplicate' };
  }
}
