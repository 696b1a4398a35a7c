/**
 * The recognition procedure after the theory exam, as pure functions (the clock and the
 * calendar are passed in). The centre's routes (src/server/procedure-routes.ts) and any screen that
 * shows a procedure read its state through these, so both say the same thing.
 *
 * The decision (rules 13-16):
 *  - an exam ended for a repeated violation (rule 13: status 'terminated') or one a reviewer found a
 *    violation in ('violation_confirmed') is failed, with the violation (rule 14's act);
 *  - otherwise the theory result as the centre graded it decides admission (rule 15: more than 70%,
 *    `result.admitted`); not admitted is failed on the theory;
 *  - admitted, the practical task assessed against the programme's technological map decides (rule
 *    16): passed only when every item of the map is passed.
 *  An exam suspended for a technical fault (rule 11) is not a finished procedure: it is rescheduled.
 *
 * Who signs the protocol (rule 17; our rule, the Order does not say): the commission is named on the
 * protocol when the chair draws it up: the chair who draws it and the commission members the chair
 * names (at least one). The protocol is fully signed when each of them has signed; nobody else may
 * sign it. A protocol is redrawn (and its signatures discarded) while it is not fully signed, e.g.
 * after the practical assessment was corrected or a reviewer's verdict came in; a fully signed
 * protocol is final.
 *
 * Deadlines (in working days of Kazakhstan, working-days.ts, in the centre's time zone):
 *  - the protocol: 2 working days after the procedure ends (rule 17). The procedure ends with the
 *    practical assessment when there is one, else when the theory exam ended. It is met when the
 *    protocol is fully signed;
 *  - the document on recognition (rule 18) or the failure notice (rule 19): 3 working days after the
 *    protocol is fully signed. It is met when the document is issued.
 */
import { canonicalJson } from './canonical-json';
import type { StaffActor } from './control-room';
import type { VerdictKind } from './credibility';
import type { LocalisedText, TechMapItem } from './programme';
import type { ExamResult, SessionStatus } from './protocol';
import { centreDate, deadlineStatus, kzCalendar, WorkingDayError, type WorkingCalendar, type WorkingDayErrorCode } from './working-days';

/* ------------------------------------ practical stage (rule 16) ------------------------------------ */

export interface PracticalItemResult {
  /** The technological map item's id. */
  itemId: string;
  /** The item's text when it was assessed (a later change of the map does not rewrite the record). */
  text: LocalisedText;
  passed: boolean;
  /** Required when the item is failed (why); optional otherwise. */
  comment: string | null;
}

export interface PracticalAssessment {
  /** One per item of the programme's map, in the map's order. */
  items: PracticalItemResult[];
  decision: 'passed' | 'failed';
  by: StaffActor;
  at: number;
}

export type PracticalRefusal = 'no_technological_map' | 'items_mismatch' | 'comment_required' | 'decision_contradicts_items';

/**
 * Checks an assessment against the map: every item exactly once and no other, a comment on each failed
 * item, and the decision the items make (passed only when all passed). Returns the items in the map's order.
 */
export function checkPractical(
  map: readonly TechMapItem[],
  input: { items: readonly Omit<PracticalItemResult, 'text'>[]; decision: 'passed' | 'failed' },
): { ok: true; items: PracticalItemResult[] } | { ok: false; reason: PracticalRefusal; itemIds?: string[] } {
  if (map.length === 0) return { ok: false, reason: 'no_technological_map' };
  const byId = new Map<string, Omit<PracticalItemResult, 'text'>>();
  const wrong: string[] = [];
  const known = new Set(map.map((m) => m.id));
  for (const item of input.items) {
    if (!known.has(item.itemId) || byId.has(item.itemId)) wrong.push(item.itemId);
    byId.set(item.itemId, item);
  }
  const missing = map.filter((m) => !byId.has(m.id)).map((m) => m.id);
  if (wrong.length || missing.length) return { ok: false, reason: 'items_mismatch', itemIds: [...wrong, ...missing] };
  const items = map.map((m) => {
    const r = byId.get(m.id)!;
    const comment = r.comment?.trim() ? r.comment.trim() : null;
    return { itemId: m.id, text: m.text, passed: r.passed, comment };
  });
  const uncommented = items.filter((i) => !i.passed && !i.comment).map((i) => i.itemId);
  if (uncommented.length) return { ok: false, reason: 'comment_required', itemIds: uncommented };
  if ((input.decision === 'passed') !== items.every((i) => i.passed)) return { ok: false, reason: 'decision_contradicts_items' };
  return { ok: true, items };
}

/* --------------------------------------------- decision --------------------------------------------- */

export type FailureReason = 'violation' | 'theory' | 'practical';

/** What the decision rests on: the session as the centre holds it, the reviewer's verdict, the practical assessment. */
export interface ProcedureFacts {
  status: SessionStatus;
  finishedAt: number | null;
  result: Pick<ExamResult, 'correct' | 'total' | 'percent' | 'admitted'> | null;
  verdict: VerdictKind | null;
  practical: PracticalAssessment | null;
}

export type ProcedureDecision =
  /** Not a finished procedure: not started, running, suspended for a technical fault (rule 11), or an unused link. */
  | { kind: 'none' }
  /** Admitted to the practical stage (rule 15), its assessment not recorded yet. */
  | { kind: 'practical_due' }
  | { kind: 'decided'; outcome: 'passed'; reason: null }
  | { kind: 'decided'; outcome: 'failed'; reason: FailureReason };

/** True when the exam ended for a violation or a reviewer confirmed one (rules 13, 14). */
export function hasViolation(f: Pick<ProcedureFacts, 'status' | 'verdict'>): boolean {
  return f.status === 'terminated' || f.verdict === 'violation_confirmed';
}

export function procedureDecision(f: ProcedureFacts): ProcedureDecision {
  if (f.status !== 'submitted' && f.status !== 'terminated') return { kind: 'none' };
  if (hasViolation(f)) return { kind: 'decided', outcome: 'failed', reason: 'violation' };
  if (!f.result?.admitted) return { kind: 'decided', outcome: 'failed', reason: 'theory' };
  if (!f.practical) return { kind: 'practical_due' };
  return f.practical.decision === 'passed'
    ? { kind: 'decided', outcome: 'passed', reason: null }
    : { kind: 'decided', outcome: 'failed', reason: 'practical' };
}

/** When the procedure ended: the practical assessment when one was recorded, else the end of the theory exam. */
export function procedureEndedAt(f: Pick<ProcedureFacts, 'finishedAt' | 'practical'>): number | null {
  return f.practical?.at ?? f.finishedAt;
}

/* --------------------------------------------- protocol --------------------------------------------- */

/** Everything the protocol states; a protocol drawn on another basis than today's is stale. */
export interface ProtocolBasis {
  outcome: 'passed' | 'failed';
  reason: FailureReason | null;
  theory: { correct: number; total: number; percent: number; admitted: boolean } | null;
  practical: { items: PracticalItemResult[]; decision: 'passed' | 'failed'; at: number; by: StaffActor } | null;
  violation: { terminated: boolean; verdictConfirmed: boolean } | null;
  endedAt: number;
}

export function protocolBasis(f: ProcedureFacts): ProtocolBasis | null {
  const decision = procedureDecision(f);
  const endedAt = procedureEndedAt(f);
  if (decision.kind !== 'decided' || endedAt === null) return null;
  const r = f.result;
  return {
    outcome: decision.outcome,
    reason: decision.reason,
    theory: r ? { correct: r.correct, total: r.total, percent: r.percent, admitted: r.admitted } : null,
    practical:
      f.practical && !hasViolation(f)
        ? { items: f.practical.items, decision: f.practical.decision, at: f.practical.at, by: f.practical.by }
        : null,
    violation: hasViolation(f) ? { terminated: f.status === 'terminated', verdictConfirmed: f.verdict === 'violation_confirmed' } : null,
    endedAt,
  };
}

export interface CommissionSeat {
  userId: string;
  name: string;
}

export interface ProtocolSnapshot {
  /** The centre's register number of the protocol, kept when it is redrawn. */
  number: string;
  /** Rule 14: the register number of the violation act this commission draws up with it; null without a violation. */
  violationActNumber: string | null;
  drawnAt: number;
  chair: CommissionSeat;
  members: CommissionSeat[];
  basis: ProtocolBasis;
}

export interface ProtocolSignature {
  userId: string;
  name: string;
  role: 'commission_chair' | 'commission_member';
  at: number;
}

export function sameBasis(a: ProtocolBasis, b: ProtocolBasis | null): boolean {
  return b !== null && canonicalJson(a) === canonicalJson(b);
}

/** The user ids whose signatures the protocol needs: its chair and each member named on it. */
export function requiredSigners(p: Pick<ProtocolSnapshot, 'chair' | 'members'>): string[] {
  return [p.chair.userId, ...p.members.map((m) => m.userId)];
}

/** When the last required signature was given; null while one is missing. Other signatures do not count. */
export function fullySignedAt(
  p: Pick<ProtocolSnapshot, 'chair' | 'members'>,
  signatures: readonly Pick<ProtocolSignature, 'userId' | 'at'>[],
): number | null {
  let last = -Infinity;
  for (const id of requiredSigners(p)) {
    const s = signatures.find((x) => x.userId === id);
    if (!s) return null;
    last = Math.max(last, s.at);
  }
  return last;
}

export type SignRefusal = 'not_on_commission' | 'already_signed' | 'protocol_stale';

/** Whether `userId` may sign now: named on the protocol, not signed yet, and the protocol still states today's basis. */
export function maySign(
  p: ProtocolSnapshot,
  signatures: readonly Pick<ProtocolSignature, 'userId'>[],
  userId: string,
  current: ProtocolBasis | null,
): SignRefusal | null {
  if (!requiredSigners(p).includes(userId)) return 'not_on_commission';
  if (signatures.some((s) => s.userId === userId)) return 'already_signed';
  if (!sameBasis(p.basis, current)) return 'protocol_stale';
  return null;
}

/* ------------------------------------------ stage and deadlines ------------------------------------------ */

export const PROCEDURE_STAGES = [
  'practical_due',
  'protocol_to_draw',
  'protocol_to_sign',
  'signed',
  'document_issued',
  'notice_issued',
] as const;
export type ProcedureStage = (typeof PROCEDURE_STAGES)[number];

export interface StageInput {
  decision: ProcedureDecision;
  protocol: ProtocolSnapshot | null;
  signatures: readonly Pick<ProtocolSignature, 'userId' | 'at'>[];
  /** Today's basis, to tell a stale protocol (to be redrawn) from one to sign. */
  basis: ProtocolBasis | null;
  /** Whether the document on recognition / the failure notice of this session is issued. */
  issued: { recognition: boolean; notice: boolean };
}

/** Where the procedure stands; null when it is not a finished procedure (see ProcedureDecision 'none'). */
export function procedureStage(s: StageInput): ProcedureStage | null {
  if (s.decision.kind === 'none') return null;
  if (s.protocol && fullySignedAt(s.protocol, s.signatures) !== null) {
    // A fully signed protocol is final: what it decided is what is issued.
    if (s.protocol.basis.outcome === 'passed') return s.issued.recognition ? 'document_issued' : 'signed';
    return s.issued.notice ? 'notice_issued' : 'signed';
  }
  if (s.decision.kind === 'practical_due') return 'practical_due';
  if (!s.protocol) return 'protocol_to_draw';
  return sameBasis(s.protocol.basis, s.basis) ? 'protocol_to_sign' : 'protocol_to_draw';
}

export type DeadlineState = 'pending' | 'due_today' | 'overdue' | 'met' | 'late';

/** A deadline: its last day (YYYY-MM-DD, centre's date) and where it stands, or why it cannot be computed. */
export type Deadline = { due: string; state: DeadlineState } | { due: null; error: WorkingDayErrorCode };

/**
 * `days` working days after `from` (rules 17-19); met or late once `doneAt` is known, else pending,
 * due today or overdue at `now`. A year the calendar does not hold is an error, never a guess.
 */
export function workingDayDeadline(
  from: number,
  days: number,
  doneAt: number | null,
  now: number,
  timeZone: string,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'> = kzCalendar,
): Deadline {
  let due: string;
  try {
    due = calendar.addWorkingDays(from, days, timeZone);
  } catch (err) {
    if (err instanceof WorkingDayError) return { due: null, error: err.code };
    throw err;
  }
  if (doneAt !== null) return { due, state: centreDate(doneAt, timeZone) <= due ? 'met' : 'late' };
  return { due, state: deadlineStatus(due, now, timeZone) };
}

export const PROTOCOL_DAYS = 2;
export const DOCUMENT_DAYS = 3;

export interface ProcedureDeadlines {
  /** Rule 17; null until the decision can be taken (the practical stage is due). */
  protocol: Deadline | null;
  /** Rules 18, 19; null until the protocol is fully signed. */
  document: Deadline | null;
}

/** `decided`: the decision can be taken (not before the practical stage); `signedAt`: the protocol's last signature. */
export function procedureDeadlines(
  s: { decided: boolean; endedAt: number | null; signedAt: number | null; issuedAt: number | null },
  now: number,
  timeZone: string,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'> = kzCalendar,
): ProcedureDeadlines {
  const protocol =
    s.decided && s.endedAt !== null ? workingDayDeadline(s.endedAt, PROTOCOL_DAYS, s.signedAt, now, timeZone, calendar) : null;
  const document = s.signedAt !== null ? workingDayDeadline(s.signedAt, DOCUMENT_DAYS, s.issuedAt, now, timeZone, calendar) : null;
  return { protocol, document };
}

/** Whether a deadline needs a look on the dashboard: due today, overdue, or not computable. */
export function needsAttention(d: Deadline | null): boolean {
  return d !== null && (d.due === null || d.state === 'due_today' || d.state === 'overdue');
}
