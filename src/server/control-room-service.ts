/**
 * The proctor's control room at the centre: people decide on what the machine
 * flagged, and act on a candidate's exam. Every decision and action is appended to the
 * session's hash-chained log with who, when and why, and the candidate's browser gets the new
 * exam state at once (the note it must read travels in the snapshot, so a reload loses nothing).
 *
 * Anything that touches rule 13 state runs in the proctoring service's per-session queue, so a
 * proctor's dismissal and a browser's report can never both be "the first violation".
 */
import { randomUUID } from 'node:crypto';
import type { DecideIncident, ProctorAction, ProctorNote, QueueItem, SignalSample, StaffActor } from '../shared/control-room';
import { assistantLocked, assistantPhotoId } from '../shared/assistant-identity';
import { IDENTITY_THRESHOLD, MAX_IDENTITY_ATTEMPTS } from '../shared/identity';
import { dismissIncident, proctorWarning, reinstatePolicy } from '../shared/policy';
import { CHART_ONLY_EVENT_TYPES, type ServerEventType, type SessionDetail } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import { flaggedIncident, QUEUE_EVENT_TYPES } from './incident-queue';
import type { LiveFeed } from './live-feed';
import { EMPTY_SESSION_POLICY, type ProctoringService } from './proctoring-service';
import type { ExamSessionRow, LoggedWrite, PrestartRecord, RunningPatch, SessionPolicy, Store } from './store/store';

/** An exam ended longer ago than this is not reinstated: the centre reschedules it instead (rule 11). */
export const REINSTATE_WITHIN_MS = 60 * 60_000;
/** A reinstated exam must have at least this much time left to be worth resuming. */
const MIN_TIME_LEFT_MS = 30_000;
/** Entries of the log in the drill-down. */
const DETAIL_EVENTS = 300;

export interface ControlRoomListener {
  /** The candidate's exam changed: push the new snapshot to the candidate and the card to the proctors. */
  examChanged(sessionId: string): void;
  queueChanged(sessionId: string, incidentId: string): void;
  /** The exam ended: close any live camera. */
  examEnded(sessionId: string): void;
}

const newNoteId = () => `note-${randomUUID().replace(/-/g, '')}`;

function note(kind: ProctorNote['kind'], at: number, fields: Partial<Omit<ProctorNote, 'id' | 'kind' | 'at'>> = {}): ProctorNote {
  return { id: newNoteId(), kind, text: null, incidentType: null, rule: null, minutes: null, outcome: null, at, ...fields };
}

/** Per-second signals are for the reviewer's charts, not the drill-down's timeline. */
const CHART_ONLY = new Set<string>(CHART_ONLY_EVENT_TYPES);

export class ControlRoomService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly proctoring: ProctoringService,
    private readonly feed: LiveFeed,
    private readonly listener: ControlRoomListener,
    private readonly signals: (sessionId: string) => SignalSample[],
  ) {}

  /** A person confirms or dismisses a machine-flagged incident. Dismissed never counts for rule 13. */
  async decide(actor: StaffActor, input: DecideIncident): Promise<QueueItem> {
    await this.proctoring.serial(input.sessionId, async () => {
      const session = await this.exams.session(input.sessionId);
      const reports = await this.store.listEventsOfTypes(session.id, QUEUE_EVENT_TYPES);
      const incident = reports.map(flaggedIncident).find((f) => f?.incidentId === input.incidentId);
      if (!incident) throw new ExamError('not_found', 'no such incident in this session');
      const decision = input.decision === 'confirm' ? 'confirmed' : 'dismissed';
      const comment = input.comment?.trim() || null;
      const now = this.clock.now();
      const writes: LoggedWrite[] = [{ kind: 'review', review: { incidentId: input.incidentId, decision, comment, by: actor, at: now } }];
      let warningWithdrawn = false;
      if (decision === 'dismissed') {
        const policy = { ...EMPTY_SESSION_POLICY, ...session.policy };
        const dismissed = dismissIncident(policy, input.incidentId);
        warningWithdrawn = dismissed.warningWithdrawn;
        const watched = { ...policy.watched };
        delete watched[input.incidentId];
        writes.push({ kind: 'policy', policy: { ...policy, ...dismissed.state, watched } });
      }
      // The decision, what it changes for rule 13 and its entry: one transaction.
      await this.exams.writeLogged(session.id, writes, [
        {
          type: decision === 'confirmed' ? 'incident.confirmed' : 'incident.dismissed',
          data: {
            incidentId: input.incidentId,
            type: incident.type,
            comment,
            by: actor,
            ...(decision === 'dismissed' ? { warningWithdrawn } : {}),
          },
        },
      ]);
    });
    // A withdrawn warning changes what the candidate's browser judges: it gets the new state now.
    this.listener.examChanged(input.sessionId);
    this.listener.queueChanged(input.sessionId, input.incidentId);
    const item = await this.feed.queueItem(input.sessionId, input.incidentId);
    if (!item) throw new ExamError('internal', 'the decided incident is gone');
    return item;
  }

  /** One of a proctor's actions on a candidate's exam (message, warn, pause, resume, add time, end, reinstate, identity). */
  async act(actor: StaffActor, sessionId: string, action: ProctorAction): Promise<void> {
    await this.proctoring.serial(sessionId, () => this.apply(actor, sessionId, action));
    this.listener.examChanged(sessionId);
    if (action.kind === 'end') this.listener.examEnded(sessionId);
  }

  private async apply(by: StaffActor, sessionId: string, action: ProctorAction): Promise<void> {
    const s = await this.exams.session(sessionId);
    const now = this.clock.now();
    const running = () => {
      if (s.status !== 'in_progress') throw new ExamError('conflict', 'the exam is not in progress');
    };
    switch (action.kind) {
      case 'message': {
        if (s.status !== 'issued' && s.status !== 'in_progress')
          throw new ExamError('conflict', 'the exam has ended: the candidate no longer sees messages');
        const n = note('message', now, { text: action.text });
        await this.tell(s.id, [], n, by, 'proctor.message', { text: action.text });
        return;
      }
      case 'warn': {
        running();
        const policy = { ...EMPTY_SESSION_POLICY, ...s.policy };
        const incidentId = `proctor-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
        // The warning's time is on the browser's clock, like every incident the policy compares it with.
        const next = proctorWarning(policy, incidentId, action.incidentType, now + policy.clockSkewMs);
        if (!next)
          throw new ExamError(
            'conflict',
            'the candidate has already had the one warning of rule 13: if the violation repeats, end the exam',
          );
        const n = note('warning', now, { text: action.reason, incidentType: action.incidentType, rule: '13' });
        await this.tell(s.id, [{ kind: 'policy', policy: { ...policy, ...next } }], n, by, 'policy.warning', {
          incidentId,
          type: action.incidentType,
          start: now,
          rule: '13',
          manual: true,
          reason: action.reason,
        });
        return;
      }
      case 'pause': {
        running();
        if (s.paused) throw new ExamError('conflict', 'the exam is already paused');
        const n = note('pause', now, { text: action.reason });
        await this.tellRunning(s.id, { paused: { at: now, reason: action.reason } }, n, by, 'exam.paused', { reason: action.reason });
        return;
      }
      case 'resume': {
        running();
        if (!s.paused) throw new ExamError('conflict', 'the exam is not paused');
        const pausedMs = Math.max(0, now - s.paused.at);
        const deadlineAt = (s.deadlineAt ?? now) + pausedMs;
        const n = note('resume', now);
        await this.tellRunning(s.id, { paused: null, deadlineAt }, n, by, 'exam.resumed', { pausedMs, deadlineAt });
        return;
      }
      case 'add-time': {
        running();
        const deadlineAt = (s.deadlineAt ?? now) + action.minutes * 60_000;
        const n = note('time', now, { text: action.reason, minutes: action.minutes });
        await this.tellRunning(s.id, { deadlineAt }, n, by, 'exam.time_added', {
          minutes: action.minutes,
          reason: action.reason,
          deadlineAt,
        });
        return;
      }
      case 'end': {
        running();
        const n = note('end', now, { text: action.reason, outcome: action.cause, rule: action.cause === 'violation' ? '13' : '11' });
        // Rule 13 by a person (the violation act of rule 14 is drawn up from this entry and its evidence), or
        // rule 11, a technical fault: no result, the centre sets a new date ("to reschedule"). The policy, the
        // candidate's note, the end and the entry that says who and why are one transaction.
        const status: 'terminated' | 'suspended' = action.cause === 'violation' ? 'terminated' : 'suspended';
        const entry =
          action.cause === 'violation'
            ? {
                type: 'policy.terminated' as const,
                data: {
                  manual: true,
                  rule: '13',
                  reason: action.reason,
                  warningIncidentId: s.policy?.warning?.incidentId ?? null,
                  noteId: n.id,
                  by,
                },
              }
            : {
                type: 'policy.suspended' as const,
                data: { cause: 'proctor', manual: true, rule: '11', reason: action.reason, noteId: n.id, by },
              };
        const policy: SessionPolicy = { ...EMPTY_SESSION_POLICY, ...s.policy, outcome: status, pending: [], watched: {} };
        if (
          !(await this.exams.endByProctoring(
            s.id,
            status,
            [entry],
            [
              { kind: 'policy', policy },
              { kind: 'note', note: n },
            ],
          ))
        ) {
          throw new ExamError('conflict', 'the exam is not in progress');
        }
        return;
      }
      case 'reinstate': {
        const leftMs = await this.reinstatableMs(s);
        if (leftMs === null) throw new ExamError('conflict', await this.whyNotReinstatable(s));
        const deadlineAt = now + leftMs;
        const policy = reinstatePolicy({ ...EMPTY_SESSION_POLICY, ...s.policy });
        const n = note('reinstated', now, { text: action.reason, minutes: Math.round(leftMs / 60_000) });
        const reinstated = {
          kind: 'reinstate' as const,
          deadlineAt,
          policy: { ...EMPTY_SESSION_POLICY, ...s.policy, ...policy, watched: {} },
        };
        if (
          !(await this.tell(s.id, [reinstated], n, by, 'exam.reinstated', {
            reason: action.reason,
            deadlineAt,
            leftMs,
            previousStatus: s.status,
          }))
        ) {
          throw new ExamError('conflict', 'the exam is not ended');
        }
        return;
      }
      case 'identity': {
        if (s.status !== 'issued') throw new ExamError('conflict', 'identity is decided before the exam starts');
        const prestart = await this.store.getPrestart(s.id);
        const identity = prestart.identity;
        if (!identity || identity.attempts === 0) throw new ExamError('conflict', 'the candidate has not tried the identity check yet');
        const outcome: 'approved' | 'rejected' = action.decision === 'approve' ? 'approved' : 'rejected';
        const decision = { outcome, by, at: now, reason: action.reason };
        if (identity.verifiedAt !== null) {
          // Rule 11: the candidate is confirmed and their assistant used every try: the proctor decides on the assistant.
          const assistant = prestart.assistant;
          if (!assistant || !assistantLocked(assistant, MAX_IDENTITY_ATTEMPTS))
            throw new ExamError('conflict', 'identity is already confirmed');
          const photo = assistantPhotoId(assistant.attempts);
          const n = note('identity', now, { text: action.reason, outcome: `assistant-${action.decision}` });
          const patch = {
            assistant: {
              ...assistant,
              acceptedAt: outcome === 'approved' ? now : null,
              photo: outcome === 'approved' ? photo : assistant.photo,
              decision,
            },
          };
          await this.tell(s.id, [{ kind: 'prestart', patch }], n, by, outcome === 'approved' ? 'identity.approved' : 'identity.rejected', {
            person: 'assistant',
            assistant: (await this.exams.accommodationsOf(s))?.assistant?.name ?? null,
            photo,
            reason: action.reason,
            attempts: assistant.attempts,
          });
          return;
        }
        if (identity.decision) throw new ExamError('conflict', `a proctor has already decided: ${identity.decision.outcome}`);
        const n = note('identity', now, { text: action.reason, outcome: action.decision });
        const decided = {
          kind: 'prestart' as const,
          patch: { identity: { ...identity, verifiedAt: outcome === 'approved' ? now : null, decision } },
        };
        await this.tell(s.id, [decided], n, by, outcome === 'approved' ? 'identity.approved' : 'identity.rejected', {
          reason: action.reason,
          attempts: identity.attempts,
          similarity: identity.similarity,
          threshold: IDENTITY_THRESHOLD,
        });
        return;
      }
    }
  }

  /**
   * What the act changes, what the candidate is told (the note, until read) and the log entry that
   * names the note and who acted, in one transaction. False when a change did not apply.
   */
  private tell(
    sessionId: string,
    writes: readonly LoggedWrite[],
    n: ProctorNote,
    by: StaffActor,
    type: ServerEventType,
    data: Record<string, unknown>,
  ): Promise<boolean> {
    return this.exams.writeLogged(sessionId, [...writes, { kind: 'note', note: n }], [{ type, data: { ...data, noteId: n.id, by } }]);
  }

  /** Pause, resume, more time: only while the exam runs (checked in the same transaction). */
  private async tellRunning(
    sessionId: string,
    patch: RunningPatch,
    n: ProctorNote,
    by: StaffActor,
    type: ServerEventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (!(await this.tell(sessionId, [{ kind: 'running', patch }], n, by, type, data)))
      throw new ExamError('conflict', 'the exam is not in progress');
  }

  /**
   * The time a reinstatement would give back, or null when the exam cannot be reinstated: it must
   * have ended within the last hour with time left, and a rule 13 termination only once a person
   * dismissed the incident it was decided on (or its warning), or when a person had ended it.
   */
  async reinstatableMs(s: ExamSessionRow): Promise<number | null> {
    if (s.status !== 'terminated' && s.status !== 'suspended') return null;
    if (s.finishedAt === null || s.deadlineAt === null || this.clock.now() - s.finishedAt > REINSTATE_WITHIN_MS) return null;
    const leftMs = s.deadlineAt - (s.paused?.at ?? s.finishedAt);
    if (leftMs < MIN_TIME_LEFT_MS) return null;
    if (s.status === 'terminated') {
      const ended = (await this.store.listEventsOfTypes(s.id, ['policy.terminated'])).at(-1)?.data as
        { manual?: boolean; incidentId?: string; warningIncidentId?: string | null } | undefined;
      const dismissed = new Set(s.policy?.dismissed ?? []);
      const overturned =
        ended?.manual === true ||
        (ended?.incidentId && dismissed.has(ended.incidentId)) ||
        (ended?.warningIncidentId && dismissed.has(ended.warningIncidentId));
      if (!overturned) return null;
    }
    return leftMs;
  }

  private async whyNotReinstatable(s: ExamSessionRow): Promise<string> {
    if (s.status !== 'terminated' && s.status !== 'suspended') return 'only an exam that was ended can be reinstated';
    if (s.finishedAt !== null && this.clock.now() - s.finishedAt > REINSTATE_WITHIN_MS)
      return 'the exam ended more than an hour ago: reschedule it instead';
    if (s.deadlineAt !== null && s.finishedAt !== null && s.deadlineAt - s.finishedAt < MIN_TIME_LEFT_MS)
      return 'no time was left when the exam ended';
    return 'dismiss the incident the exam was ended on (or its warning) first';
  }

  /** The candidate read a note (and may have replied): logged once. */
  async acknowledge(sessionId: string, noteId: string, reply: string | null): Promise<void> {
    const notes = await this.store.listNotes(sessionId);
    const n = notes.find((x) => x.id === noteId);
    if (!n) throw new ExamError('not_found', 'no such note');
    const read = { kind: 'note-read' as const, noteId, at: this.clock.now(), reply };
    if (!(await this.exams.writeLogged(sessionId, read, [{ type: 'note.acknowledged', data: { noteId, kind: n.kind, reply } }]))) return; // read already: a resend
    this.listener.examChanged(sessionId);
  }

  /** Rule 11: the assistant the accommodations allow, and the photo of each try kept (identity-assistant-N). */
  private async assistantOf(sessionId: string, name: string | null, prestart: PrestartRecord): Promise<SessionDetail['assistant']> {
    if (name === null) return null;
    const photos: Array<{ id: string; accepted: boolean }> = [];
    for (let i = 1; i <= (prestart.assistant?.attempts ?? 0); i++) {
      const id = assistantPhotoId(i);
      if (await this.store.getEvidence(sessionId, id)) photos.push({ id, accepted: prestart.assistant?.photo === id });
    }
    return { name, acceptedAt: prestart.assistant?.acceptedAt ?? null, photos };
  }

  /** Everything the drill-down shows about one candidate. */
  async detail(sessionId: string): Promise<SessionDetail> {
    const s = await this.exams.session(sessionId);
    const [events, prestart, notes, live] = await Promise.all([
      this.store.listEvents(s.id),
      this.store.getPrestart(s.id),
      this.store.listNotes(s.id),
      this.feed.liveSession(s),
    ]);
    const incidents = await this.feed.queueItemsOf(events.filter((e) => flaggedIncident(e) !== null));
    const photos: string[] = [];
    for (let i = 1; i <= (prestart.identity?.attempts ?? 0); i++)
      if (await this.store.getEvidence(s.id, `identity-${i}`)) photos.push(`identity-${i}`);
    return {
      session: live,
      incidents,
      events: await Promise.all(
        events
          .filter((e) => !CHART_ONLY.has(e.type))
          .slice(-DETAIL_EVENTS)
          .map((e) => this.feed.feedEvent(e)),
      ),
      identity: {
        attempts: prestart.identity?.attempts ?? 0,
        similarity: prestart.identity?.similarity ?? null,
        reference: prestart.identity?.reference ?? null,
        verifiedAt: prestart.identity?.verifiedAt ?? null,
        decision: prestart.identity?.decision?.outcome ?? null,
        photos,
        threshold: IDENTITY_THRESHOLD,
      },
      assistant: await this.assistantOf(s.id, live.accommodations?.assistant?.name ?? null, prestart),
      roomScan: prestart.roomScan ?? null,
      notes,
      signals: this.signals(s.id),
      reinstatableMs: await this.reinstatableMs(s),
    };
  }
}
