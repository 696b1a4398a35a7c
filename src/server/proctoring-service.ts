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
import { INCIDENTS, type Incident } from '../shared/incidents';
import { applyPolicy, excuseIncident, INITIAL_POLICY, isWatched, type PolicyDecision } from '../shared/policy';
import { BREAK_REASON } from '../shared/accommodations';
import type { ClientEvent } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { PhotoDecodeError } from './face-analysis';
import type { SessionPolicy, Store } from './store/store';
import {
  boundedSkew,
  incidentTimesError,
  isServerEvidenceId,
  observedTechnical,
  recordingShareBytes,
  sessionQuotaBytes,
} from './write-bounds';

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
    /** Evidence must decode as an image (in the face worker) before it is stored; null in tests that store none. */
    private readonly images: { checkImage(bytes: Uint8Array): Promise<unknown> } | null = null,
  ) {}

  /** Runs `task` after every earlier task of the same session (a proctor's action on rule 13 state too). */
  serial<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(task, task);
    // Only orders the work: each caller gets its own failure.
    const settled = next.catch(() => undefined);
    this.queues.set(sessionId, settled);
    void settled.then(() => {
      if (this.queues.get(sessionId) === settled) this.queues.delete(sessionId);
    });
    return next;
  }

  /**
   * Refuses an incident report whose times cannot be true of this session: before the
   * exam began at the centre or ahead of the centre's clock, beyond the clock skew an honest browser
   * may have. Called before the report is logged, so a refused report is stored nowhere.
   */
  async checkReport(sessionId: string, event: ClientEvent, receivedAt = this.clock.now()): Promise<void> {
    if (event.type !== 'incident.open' && event.type !== 'incident.close') return;
    const incident = (event.data as { incident: Incident }).incident;
    const session = await this.exams.session(sessionId);
    const error = incidentTimesError(incident, event.at, { from: session.startedAt ?? session.createdAt, now: receivedAt });
    if (error) throw new ExamError('invalid', error);
  }

  /**
   * Judge an incident report that is in the session's log (called for resends too: judging is
   * idempotent by incident id, so a report whose first judging was cut short by a crash is judged now).
   * A technical incident is judged on the centre's clock, as the centre observed it (rule 11,
   * How long it stayed open here, never the duration one message claims); a violation
   * on the browser's clock, its times already bounded by checkReport.
   */
  judgeReport(sessionId: string, event: ClientEvent, receivedAt = this.clock.now()): Promise<PolicyDecision | null> {
    if (event.type !== 'incident.open' && event.type !== 'incident.close') return Promise.resolve(null);
    const incident = (event.data as { incident: Incident }).incident;
    return this.serial(sessionId, async () => {
      const session = await this.exams.session(sessionId);
      if (session.status !== 'in_progress') return null;
      const policy: SessionPolicy = { ...EMPTY_SESSION_POLICY, ...session.policy };
      if (INCIDENTS[incident.type].technical) {
        const config = await this.exams.sessionConfig(session);
        const observed = observedTechnical(incident, {
          at: event.at,
          receivedAt,
          firstSeenAt: policy.watched[incident.id]?.start ?? null,
          windowMs: config.incidents[incident.type].afterSec * 1000,
        });
        return this.decide(sessionId, policy, observed, receivedAt);
      }
      // On the candidate's own break, what begins is logged and not judged (leaving the desk is the break).
      if (session.paused?.reason === BREAK_REASON && !policy.judged.includes(incident.id)) {
        await this.exams.writeLogged(sessionId, { kind: 'policy', policy: { ...policy, ...excuseIncident(policy, incident.id) } }, [
          { type: 'incident.excused', data: { incidentId: incident.id, type: incident.type, cause: 'break' } },
        ]);
        return null;
      }
      return this.decide(sessionId, { ...policy, clockSkewMs: boundedSkew(event.at, receivedAt) }, incident, event.at);
    });
  }

  /**
   * An incident the centre observed itself (repeated identity mismatches decided here),
   * judged by rule 13 like a reported one. Its times are on the centre clock; they are moved onto
   * the browser clock the session's policy state is kept in (clockSkewMs).
   */
  judgeCentreIncident(sessionId: string, incident: Incident): Promise<PolicyDecision | null> {
    return this.serial(sessionId, async () => {
      const session = await this.exams.session(sessionId);
      if (session.status !== 'in_progress') return null;
      const policy: SessionPolicy = { ...EMPTY_SESSION_POLICY, ...session.policy };
      const skew = policy.clockSkewMs;
      const onBrowserClock = { ...incident, start: incident.start + skew, end: incident.end === null ? null : incident.end + skew };
      return this.decide(sessionId, policy, onBrowserClock, this.clock.now() + skew);
    });
  }

  private async decide(sessionId: string, policy: SessionPolicy, incident: Incident, now: number): Promise<PolicyDecision> {
    const session = await this.exams.session(sessionId);
    const config = await this.exams.sessionConfig(session);
    const { state, decision } = applyPolicy(policy, incident, config, now);
    // Keep watching what the policy still judges while it goes on, so a silent browser cannot stall it.
    const watched = { ...policy.watched };
    if (incident.end === null && isWatched(state, incident)) watched[incident.id] = incident;
    else delete watched[incident.id];
    const evidence = {
      incidentId: incident.id,
      type: incident.type,
      start: incident.start,
      rule: 'rule' in decision ? decision.rule : null,
    };
    // The policy state and the warning that records it are one transaction.
    const policyWrite = { kind: 'policy' as const, policy: { ...policy, ...state, watched } };
    await this.exams.writeLogged(sessionId, policyWrite, decision.kind === 'warn' ? [{ type: 'policy.warning', data: evidence }] : []);
    switch (decision.kind) {
      case 'warn':
        this.listener.policyChanged(sessionId);
        break;
      case 'terminate':
        await this.exams.endByProctoring(sessionId, 'terminated', [
          { type: 'policy.terminated', data: { ...evidence, warningIncidentId: decision.warningIncidentId } },
        ]);
        break;
      case 'suspend':
        await this.exams.endByProctoring(sessionId, 'suspended', [
          { type: 'policy.suspended', data: { ...evidence, lastedMs: (incident.end ?? now) - incident.start } },
        ]);
        break;
      case 'none':
        break;
    }
    return decision;
  }

  /**
   * Once a second: incidents still open that the policy watches (a technical fault, a violation
   * pending after the warning) are judged again, in case the browser went quiet: a technical one on
   * the centre's clock (its watched times are the centre's, see judgeReport), a violation on the browser's.
   * Returns how many exams this ended. `owns`: the sessions this node judges (one node per session).
   */
  async sweepWatched(owns: (sessionId: string) => boolean = () => true): Promise<number> {
    let ended = 0;
    for (const session of await this.store.listSessions({ statuses: ['in_progress'] })) {
      if (Object.keys(session.policy?.watched ?? {}).length === 0 || !owns(session.id)) continue;
      await this.serial(session.id, async () => {
        for (const id of Object.keys(session.policy?.watched ?? {})) {
          const fresh = await this.exams.session(session.id);
          const incident = fresh.policy?.watched[id];
          if (fresh.status !== 'in_progress' || !fresh.policy) return;
          if (!incident) continue;
          const now = INCIDENTS[incident.type].technical ? this.clock.now() : this.clock.now() + fresh.policy.clockSkewMs;
          const decision = await this.decide(session.id, fresh.policy, incident, now);
          if (decision.kind === 'terminate' || decision.kind === 'suspend') return void ended++;
        }
      });
    }
    return ended;
  }

  /**
   * Rule 11: an exam whose browser has had no connection to the centre for the programme's
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
        const entry = {
          type: 'policy.suspended' as const,
          data: { cause: 'offline', rule: '11', offlineSince: since, lastedMs: now - since },
        };
        if (await this.exams.endByProctoring(session.id, 'suspended', [entry])) ended++;
      });
      this.offlineSince.delete(session.id);
    }
    return ended;
  }

  /** Keeps an incident's evidence snapshot; the hash must match the one the browser sent (and later logs). */
  async storeEvidence(
    sessionId: string,
    upload: { incidentId: string; sha256: string; jpeg: Uint8Array },
  ): Promise<{ incidentId: string; duplicate: boolean }> {
    const actual = createHash('sha256').update(upload.jpeg).digest('hex');
    if (actual !== upload.sha256) throw new ExamError('invalid', 'evidence hash does not match its bytes');
    // The identity photos (identity-N) are the centre's own evidence: a browser cannot plant one.
    if (isServerEvidenceId(upload.incidentId))
      throw new ExamError('forbidden', `${upload.incidentId} is the centre's own evidence id: a browser cannot upload under it`);
    const session = await this.exams.session(sessionId);
    // Before the start only the steps before the exam produce evidence (rule 12 objects seen during the room scan, rule 2.8.3).
    if (session.status === 'issued' && !session.language) throw new ExamError('conflict', 'the exam has not started');
    if (session.status !== 'issued' && session.status !== 'in_progress')
      throw new ExamError('closed', 'the exam has ended: evidence is no longer taken');
    // Appendix 1: before the exam a photo of the candidate is kept only after consent (step order for biometric data).
    if (session.status === 'issued' && !(await this.store.getPrestart(sessionId)).consent) {
      throw new ExamError(
        'conflict',
        'consent to the processing of personal data has not been given (Appendix 1): no photo is kept before it',
      );
    }
    await this.checkQuota(session, upload.jpeg.byteLength, false);
    // Bytes that are not an image (e.g. FF D8 + HTML) are never stored as image/jpeg.
    if (this.images) {
      try {
        await this.images.checkImage(upload.jpeg);
      } catch (e) {
        if (e instanceof PhotoDecodeError) throw new ExamError(e.code, `the evidence is not an image: ${e.message}`);
        throw e;
      }
    }
    const result = await this.store.putEvidence(sessionId, {
      incidentId: upload.incidentId,
      sha256: actual,
      mime: 'image/jpeg',
      bytes: upload.jpeg,
      storedAt: this.clock.now(),
    });
    if (result === 'conflict') throw new ExamError('conflict', 'other evidence is already stored for this incident');
    if (result === 'stored')
      await this.exams.logServerEvent(sessionId, 'evidence.stored', {
        incidentId: upload.incidentId,
        sha256: actual,
        bytes: upload.jpeg.byteLength,
      });
    return { incidentId: upload.incidentId, duplicate: result === 'duplicate' };
  }

  /**
   * What one session may store (recording chunks and evidence), from the programme's exam
   * length (with time a proctor added) and recording bitrate. Chunks may fill the quota less the
   * evidence allowance, so an incident's snapshot always finds room.
   */
  async checkQuota(
    session: { id: string; programmeId: string; startedAt: number | null; deadlineAt: number | null },
    adding: number,
    chunk: boolean,
  ): Promise<void> {
    const [programme, config, chunks, evidence] = await Promise.all([
      this.store.getProgramme(session.programmeId),
      this.exams.proctoringConfig(session.programmeId),
      this.store.listRecordingChunks(session.id),
      this.store.evidenceBytes(session.id),
    ]);
    const examMs = Math.max(
      (programme?.durationMinutes ?? 0) * 60_000,
      session.startedAt !== null && session.deadlineAt !== null ? session.deadlineAt - session.startedAt : 0,
    );
    const quota = sessionQuotaBytes(examMs, config.recordingKbps);
    const chunkBytes = chunks.reduce((n, c) => n + c.bytes, 0);
    const limit = chunk ? recordingShareBytes(quota) : quota;
    const used = chunk ? chunkBytes : chunkBytes + evidence;
    if (used + adding > limit) {
      throw new ExamError(
        'too_large',
        `the session's storage quota is used up (${Math.round(limit / 1e6)} MB for ${chunk ? 'the recording' : 'recording and evidence'})`,
      );
    }
  }
}
