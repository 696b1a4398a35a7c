/**
 * Rules 10-11: a candidate's own breaks, as their accommodations allow (count and length). A
 * break pauses the exam as a proctor's pause does (the timer stops; the deadline moves on by the break's
 * length when it ends), is logged with its number and length, and ends when the candidate comes back or,
 * at the latest, when its time is up (the centre's sweep, by the centre's clock). Incidents that begin
 * during a break are logged and not judged (proctoring-service.ts): leaving the desk is the break.
 */
import { BREAK_REASON, breakRefusal, type BreakRefusal } from '../shared/accommodations';
import type { ExamSnapshot } from '../shared/protocol';
import type { Clock } from './clock';
import { ExamError, type ExamService } from './exam-service';
import type { ProctoringService } from './proctoring-service';
import type { Store } from './store/store';

const REFUSAL_TEXT: Record<BreakRefusal, string> = {
  not_running: 'the exam is not in progress',
  no_breaks: "breaks are not among this candidate's accommodations",
  paused: 'the exam is paused already',
  none_left: 'every allowed break has been taken',
};

export class BreakService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly proctoring: Pick<ProctoringService, 'serial'>,
    /** The exam's state changed: to the candidate's browser and the proctor's card. */
    private readonly changed: (sessionId: string) => void,
  ) {}

  async start(sessionId: string): Promise<ExamSnapshot> {
    await this.proctoring.serial(sessionId, async () => {
      const s = await this.exams.session(sessionId);
      const taken = await this.store.countEvents(s.id, ['break.started']);
      const refusal = breakRefusal({ status: s.status, paused: s.paused, accommodations: s.accommodations, taken });
      if (refusal) throw new ExamError('conflict', REFUSAL_TEXT[refusal]);
      const { count, minutes } = s.accommodations!.breaks!;
      const now = this.clock.now();
      const until = now + minutes * 60_000;
      const applied = await this.exams.writeLogged(
        s.id,
        [{ kind: 'running', patch: { paused: { at: now, reason: BREAK_REASON, until } } }],
        [{ type: 'break.started', data: { number: taken + 1, of: count, minutes, until } }],
      );
      if (!applied) throw new ExamError('conflict', REFUSAL_TEXT.not_running);
    });
    this.changed(sessionId);
    return this.exams.snapshot(sessionId);
  }

  /** The candidate is back (`by` 'candidate'), or the break's time is up ('timer'). */
  async end(sessionId: string, by: 'candidate' | 'timer'): Promise<ExamSnapshot> {
    const ended = await this.proctoring.serial(sessionId, async () => {
      const s = await this.exams.session(sessionId);
      if (s.status !== 'in_progress' || s.paused?.reason !== BREAK_REASON) {
        if (by === 'candidate') throw new ExamError('conflict', 'the exam is not on a break');
        return false;
      }
      const now = this.clock.now();
      // Never longer than allowed: a break the sweep ends late still gives back only its own length.
      const pausedMs = Math.max(0, Math.min(now, s.paused.until ?? now) - s.paused.at);
      const deadlineAt = (s.deadlineAt ?? now) + pausedMs;
      return this.exams.writeLogged(
        s.id,
        [{ kind: 'running', patch: { paused: null, deadlineAt } }],
        [{ type: 'break.ended', data: { pausedMs, deadlineAt, by } }],
      );
    });
    if (ended) this.changed(sessionId);
    return this.exams.snapshot(sessionId);
  }

  /**
   * Breaks whose time is up, by the centre's clock (each sweep). Returns how many it ended. `owns`: the sessions
   * this node ends breaks of (the node the candidate is connected to, serialised with their own return).
   */
  async sweep(owns: (sessionId: string) => boolean = () => true): Promise<number> {
    const now = this.clock.now();
    const due = (await this.store.listSessions({ statuses: ['in_progress'] })).filter(
      (s) => s.paused?.reason === BREAK_REASON && (s.paused.until ?? 0) <= now && owns(s.id),
    );
    for (const s of due) await this.end(s.id, 'timer');
    return due.length;
  }
}
