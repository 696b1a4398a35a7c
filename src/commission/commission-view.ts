/**
 * What the commission's screens show and allow, as plain functions (the pages in this folder
 * only draw them). The rules themselves are in src/shared/procedure.ts; this turns a procedure as the
 * centre answers it (GET /api/procedures, /api/procedures/:id) into words, colours and buttons.
 */
import type { Deadline, ProcedureStage } from '../shared/procedure';
import { requiredSigners } from '../shared/procedure';
import type { ProcedureDetail, ProcedureSummary } from '../shared/procedure-api';
import type { UiLanguage } from '../shared/programme';
import type { StaffRole } from '../shared/protocol';
import { formatDay } from '../ui/day-format';

/** How a stage looks: waiting on someone else, the commission's turn, or finished. Colour is never alone: the stage's words go with it. */
export type StageTone = 'waiting' | 'action' | 'done';

export function stageTone(stage: ProcedureStage): StageTone {
  if (stage === 'document_issued' || stage === 'notice_issued') return 'done';
  if (stage === 'protocol_to_sign') return 'waiting';
  return 'action';
}

/** The deadline that runs now: the document's (rules 18, 19) once the protocol is signed, else the protocol's (rule 17). */
export function currentDeadline(s: Pick<ProcedureSummary, 'deadlines'>): { which: 'protocol' | 'document'; deadline: Deadline } | null {
  if (s.deadlines.document) return { which: 'document', deadline: s.deadlines.document };
  if (s.deadlines.protocol) return { which: 'protocol', deadline: s.deadlines.protocol };
  return null;
}

export type DeadlineTone = 'ok' | 'today' | 'overdue' | 'error';

/** A deadline as a message key and its date; a calendar without the year is said in words, never guessed. */
export function deadlineView(d: Deadline, language: UiLanguage): { key: `cm.deadline.${string}`; date: string; tone: DeadlineTone } {
  if (d.due === null) return { key: `cm.deadline.error.${d.error}`, date: '', tone: 'error' };
  const date = formatDay(d.due, language);
  const tone: DeadlineTone = d.state === 'overdue' || d.state === 'late' ? 'overdue' : d.state === 'due_today' ? 'today' : 'ok';
  return { key: `cm.deadline.${d.state}`, date, tone };
}

export interface DashboardFilters {
  stage: ProcedureStage | '';
  overdueOnly: boolean;
}

export const NO_DASHBOARD_FILTERS: DashboardFilters = { stage: '', overdueOnly: false };

const isOverdue = (d: Deadline | null) => d !== null && d.due !== null && d.state === 'overdue';

/** The rows the filters let through, in the centre's order (what needs a look first). */
export function filterProcedures<T extends Pick<ProcedureSummary, 'stage' | 'deadlines'>>(rows: readonly T[], f: DashboardFilters): T[] {
  return rows.filter(
    (r) => (!f.stage || r.stage === f.stage) && (!f.overdueOnly || isOverdue(r.deadlines.protocol) || isOverdue(r.deadlines.document)),
  );
}

export interface Me {
  userId: string;
  role: StaffRole;
}

export interface AllowedActions {
  /** Record (or correct) the practical assessment (rule 16): admitted, no violation, protocol not yet fully signed. */
  assess: boolean;
  /** Draw up the protocol, or again when it no longer states the decision (rule 17): the chair. */
  draw: boolean;
  /** Sign the protocol: named on it and not signed yet, while it states today's decision. */
  sign: boolean;
  /** Issue the document or notice again after a refusal was fixed (the last signature issues it first). */
  issue: boolean;
}

const COMMISSION: readonly StaffRole[] = ['commission_chair', 'commission_member'];

export function allowedActions(
  d: Pick<ProcedureDetail, 'stage' | 'decision' | 'theory' | 'protocolFull' | 'signatures'>,
  me: Me,
): AllowedActions {
  const open = d.stage === 'practical_due' || d.stage === 'protocol_to_draw' || d.stage === 'protocol_to_sign';
  const violation = d.decision.kind === 'decided' && d.decision.reason === 'violation';
  const p = d.protocolFull;
  return {
    assess: COMMISSION.includes(me.role) && open && Boolean(d.theory?.admitted) && !violation,
    draw: me.role === 'commission_chair' && (d.stage === 'protocol_to_draw' || d.stage === 'protocol_to_sign'),
    sign:
      d.stage === 'protocol_to_sign' &&
      p !== null &&
      requiredSigners(p).includes(me.userId) &&
      !d.signatures.some((s) => s.userId === me.userId),
    issue: (me.role === 'commission_chair' || me.role === 'admin') && d.stage === 'signed',
  };
}

/** Each seat on the protocol, chair first, with when its holder signed (null: still to sign). */
export function signatureRows(
  d: Pick<ProcedureDetail, 'protocolFull' | 'signatures'>,
): Array<{ userId: string; name: string; chair: boolean; signedAt: number | null }> {
  const p = d.protocolFull;
  if (!p) return [];
  return [{ ...p.chair, chair: true }, ...p.members.map((m) => ({ ...m, chair: false }))].map((seat) => ({
    userId: seat.userId,
    name: seat.name,
    chair: seat.chair,
    signedAt: d.signatures.find((s) => s.userId === seat.userId)?.at ?? null,
  }));
}

/** The message key of a refusal: the finer reason when the centre gives one, else the plain error code. */
export function refusalKey(e: { code: string; reason?: string }): string {
  return e.reason ? `cm.reason.${e.reason}` : `cm.error.${e.code}`;
}

/** A refusal that means the page showed an old state: the page reloads the procedure and says why. */
export function isStale(e: { status: number; code: string }): boolean {
  return e.status === 409 && e.code === 'conflict';
}
