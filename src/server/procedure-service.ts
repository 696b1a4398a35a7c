/**
 * The procedure after the theory exam at the centre: the commission's dashboard, the
 * practical assessment (rule 16), the protocol drawn up and signed (rule 17), and on its last
 * signature the documents (DocumentIssuer: rules 14, 18, 19). The decisions themselves are the pure
 * functions of src/shared/procedure.ts; this loads the state, checks who may act, and writes each
 * change with its log entry (the session's hash-chained log: who and when) and its centre_audit
 * entry in one transaction. A change names the version of the procedure it was made on, so two
 * people acting at once cannot overwrite each other unseen (the second is refused and reloads).
 */
import { accreditationDigits } from '../shared/admin-staff';
import type { StaffActor } from '../shared/control-room';
import {
  checkPractical,
  fullySignedAt,
  hasViolation,
  maySign,
  needsAttention,
  procedureDecision,
  procedureDeadlines,
  procedureEndedAt,
  procedureStage,
  protocolBasis,
  sameBasis,
  type ProcedureFacts,
  type ProtocolSignature,
  type ProtocolSnapshot,
} from '../shared/procedure';
import type { IssuedDocumentView, PracticalBody, ProcedureDetail, ProcedureReason, ProcedureSummary } from '../shared/procedure-api';
import type { ProtocolErrorCode } from '../shared/protocol';
import type { SessionVerdict } from '../shared/review-verdict';
import { centreDate } from '../shared/working-days';
import type { Clock } from './clock';
import type { ExamService } from './exam-service';
import type { CentreSettingsRow } from './store/admin-store';
import type { IssuedDocumentRow, ProcedureRow, ProcedureWrite } from './store/procedure-store';
import {
  fullName,
  type CandidateRow,
  type ExamSessionRow,
  type LoggedWrite,
  type ProgrammeRow,
  type StaffUserRow,
  type Store,
} from './store/store';

export class ProcedureError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: ProtocolErrorCode,
    message: string,
    readonly reason?: ProcedureReason,
    readonly itemIds?: string[],
  ) {
    super(message);
  }
}

/** A procedure as the centre holds it, loaded once per request. */
export interface ProcedureState {
  centreId: string;
  centre: CentreSettingsRow;
  session: ExamSessionRow;
  candidate: CandidateRow;
  programme: ProgrammeRow;
  verdict: SessionVerdict | null;
  procedure: ProcedureRow | null;
  documents: IssuedDocumentRow[];
  facts: ProcedureFacts;
}

/** A change made on a version of the procedure another change replaced meanwhile. */
export class VersionConflict extends ProcedureError {
  constructor() {
    super(409, 'conflict', 'the procedure changed meanwhile: reload it and try again');
  }
}

export const actorOf = (user: StaffUserRow): StaffActor => ({ userId: user.id, name: user.displayName, role: user.role });
const PROCEDURE_STATUSES = ['submitted', 'terminated'] as const;

/** The register numbers of protocols, notices and acts: per year, e.g. 2025-000007. */
export function registerNumber(year: string, value: number): string {
  return `${year}-${String(value).padStart(6, '0')}`;
}

export function documentView(d: IssuedDocumentRow): IssuedDocumentView {
  return {
    id: d.id,
    kind: d.kind,
    number: d.number,
    issuedAt: d.issuedAt,
    issuedOn: d.issuedOn,
    language: d.language,
    languages: d.languages,
    revokedAt: d.revokedAt,
  };
}

function factsOf(session: ExamSessionRow, verdict: SessionVerdict | null, procedure: ProcedureRow | null): ProcedureFacts {
  return {
    status: session.status,
    finishedAt: session.finishedAt,
    result: session.result,
    verdict: verdict?.kind ?? null,
    practical: procedure?.practical ?? null,
  };
}

/** The dashboard's row of one procedure at `now`; null when the session is not a finished procedure. */
export function summarise(s: Omit<ProcedureState, 'centreId' | 'verdict'>, now: number): ProcedureSummary | null {
  const decision = procedureDecision(s.facts);
  const basis = protocolBasis(s.facts);
  const protocol = s.procedure?.protocol ?? null;
  const signatures = s.procedure?.signatures ?? [];
  const issued = (kind: string) => s.documents.find((d) => d.kind === kind) ?? null;
  const stage = procedureStage({
    decision,
    protocol,
    signatures,
    basis,
    issued: { recognition: Boolean(issued('recognition')), notice: Boolean(issued('failure-notice')) },
  });
  if (!stage) return null;
  const signedAt = protocol ? fullySignedAt(protocol, signatures) : null;
  // A fully signed protocol is final: its basis, not today's, is what the deadlines run from.
  const final = protocol && signedAt !== null ? protocol.basis : null;
  const endedAt = final?.endedAt ?? basis?.endedAt ?? procedureEndedAt(s.facts);
  const outcomeDocument = final?.outcome === 'passed' ? issued('recognition') : issued('failure-notice');
  const deadlines = procedureDeadlines(
    { decided: final !== null || decision.kind === 'decided', endedAt, signedAt, issuedAt: outcomeDocument?.issuedAt ?? null },
    now,
    s.centre.timeZone,
  );
  return {
    sessionId: s.session.id,
    candidateName: fullName(s.candidate),
    programme: { id: s.programme.id, code: s.programme.code, profession: s.programme.profession, nqfLevel: s.programme.nqfLevel },
    examLanguage: s.session.language,
    finishedAt: s.session.finishedAt,
    endedAt,
    decision,
    stage,
    protocol: protocol && {
      number: protocol.number,
      drawnAt: protocol.drawnAt,
      signed: signatures.filter((x) => [protocol.chair, ...protocol.members].some((m) => m.userId === x.userId)).length,
      required: 1 + protocol.members.length,
      fullySignedAt: signedAt,
      stale: signedAt === null && !sameBasis(protocol.basis, basis),
    },
    deadlines,
    attention: needsAttention(deadlines.protocol) || needsAttention(deadlines.document),
    documents: s.documents.map(documentView),
  };
}

export class ProcedureService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
  ) {}

  /** The centre's settings and id: every procedure belongs to the one centre of this database. */
  async centre(): Promise<{ id: string; settings: CentreSettingsRow }> {
    const [row, settings] = await Promise.all([this.store.getCentre(), this.store.getCentreSettings()]);
    if (!row || !settings) throw new ProcedureError(409, 'conflict', 'the centre is not set up');
    return { id: row.id, settings };
  }

  async load(sessionId: string): Promise<ProcedureState> {
    const session = await this.store.getSession(sessionId);
    if (!session) throw new ProcedureError(404, 'not_found', 'no such session');
    const [centre, candidate, programme, verdict, procedure, documents] = await Promise.all([
      this.centre(),
      this.store.getCandidate(session.candidateId),
      this.store.getProgramme(session.programmeId),
      this.store.getVerdict(session.id),
      this.store.getProcedure(session.id),
      this.store.listDocuments(session.id),
    ]);
    if (!candidate || !programme) throw new ProcedureError(404, 'not_found', 'the session has no candidate or programme');
    return {
      centreId: centre.id,
      centre: centre.settings,
      session,
      candidate,
      programme,
      verdict,
      procedure,
      documents,
      facts: factsOf(session, verdict, procedure),
    };
  }

  /** The commission's dashboard: every finished procedure with its stage and deadlines, what needs a look first. */
  async list(): Promise<ProcedureSummary[]> {
    const [centre, sessions, candidates, programmes] = await Promise.all([
      this.centre(),
      this.store.listSessions({ statuses: [...PROCEDURE_STATUSES] }),
      this.store.listCandidates(),
      this.store.listProgrammes(),
    ]);
    const ids = sessions.map((s) => s.id);
    const [verdicts, procedures, documents] = await Promise.all([
      this.store.listVerdictsFor(ids),
      this.store.listProceduresFor(ids),
      this.store.listDocumentsFor(ids),
    ]);
    const byCandidate = new Map(candidates.map((c) => [c.id, c]));
    const byProgramme = new Map(programmes.map((p) => [p.id, p]));
    const now = this.clock.now();
    const rows: ProcedureSummary[] = [];
    for (const session of sessions) {
      const candidate = byCandidate.get(session.candidateId);
      const programme = byProgramme.get(session.programmeId);
      if (!candidate || !programme) continue;
      const procedure = procedures.get(session.id) ?? null;
      const row = summarise(
        {
          centre: centre.settings,
          session,
          candidate,
          programme,
          procedure,
          documents: documents.get(session.id) ?? [],
          facts: factsOf(session, verdicts.get(session.id) ?? null, procedure),
        },
        now,
      );
      if (row) rows.push(row);
    }
    const due = (r: ProcedureSummary) => (r.deadlines.document ?? r.deadlines.protocol)?.due ?? '9999';
    return rows.sort(
      (a, b) => Number(b.attention) - Number(a.attention) || due(a).localeCompare(due(b)) || (b.finishedAt ?? 0) - (a.finishedAt ?? 0),
    );
  }

  async detail(sessionId: string): Promise<ProcedureDetail> {
    const s = await this.load(sessionId);
    const summary = summarise(s, this.clock.now());
    if (!summary) throw new ProcedureError(409, 'conflict', 'this session is not a finished procedure', 'not_a_procedure');
    const members = (await this.store.listStaffUsers())
      .filter((u) => u.role === 'commission_member')
      .map((u) => ({ userId: u.id, name: u.displayName }));
    const r = s.session.result;
    return {
      ...summary,
      theory: r ? { correct: r.correct, total: r.total, percent: r.percent, admitted: r.admitted } : null,
      verdict: s.verdict && { kind: s.verdict.kind, comment: s.verdict.comment, by: s.verdict.by.name, at: s.verdict.at },
      technologicalMap: s.programme.technologicalMap,
      practical: s.procedure?.practical ?? null,
      protocolFull: s.procedure?.protocol ?? null,
      signatures: s.procedure?.signatures ?? [],
      commissionMembers: members,
    };
  }

  /** Writes a procedure change with its log entry and its audit entry; refused when another change came first. */
  private async write(
    s: ProcedureState,
    change: Omit<Extract<ProcedureWrite, { kind: 'procedure' }>, 'kind' | 'expectVersion'>,
    extra: readonly LoggedWrite[],
    user: StaffUserRow,
    action: string,
    entry: { type: 'practical.assessed' | 'protocol.drawn' | 'protocol.signed'; data: Record<string, unknown> },
  ): Promise<void> {
    const by = actorOf(user);
    const applied = await this.exams.writeLogged(
      s.session.id,
      [
        { kind: 'procedure', expectVersion: s.procedure?.version ?? 0, ...change },
        ...extra,
        { kind: 'audit', entry: { at: this.clock.now(), actor: by, action, subject: `session:${s.session.id}`, changes: entry.data } },
      ],
      [{ type: entry.type, data: { ...entry.data, by } }],
    );
    if (!applied) throw new VersionConflict();
  }

  private requireOpen(s: ProcedureState): void {
    const decision = procedureDecision(s.facts);
    if (decision.kind === 'none')
      throw new ProcedureError(
        409,
        'conflict',
        'this session is not a finished procedure (running, suspended for rescheduling, or never started)',
        'not_a_procedure',
      );
    const p = s.procedure?.protocol;
    if (p && fullySignedAt(p, s.procedure!.signatures) !== null)
      throw new ProcedureError(409, 'conflict', 'the protocol is signed: the procedure is final', 'protocol_signed');
  }

  /** Rule 16: the practical task against the technological map, by a commission member or its chair. */
  async recordPractical(
    sessionId: string,
    user: StaffUserRow,
    body: { items: Array<{ itemId: string; passed: boolean; comment: string | null }>; decision: PracticalBody['decision'] },
  ): Promise<ProcedureDetail> {
    const s = await this.load(sessionId);
    this.requireOpen(s);
    if (hasViolation(s.facts) || !s.session.result?.admitted) {
      throw new ProcedureError(
        409,
        'conflict',
        'only a candidate admitted by the theory stage (rule 15) and without a violation takes the practical stage',
        'practical_not_due',
      );
    }
    const checked = checkPractical(s.programme.technologicalMap, body);
    if (!checked.ok) {
      const status = checked.reason === 'no_technological_map' ? 409 : 400;
      throw new ProcedureError(
        status,
        status === 409 ? 'conflict' : 'invalid',
        `the practical assessment does not fit the technological map: ${checked.reason}`,
        checked.reason,
        checked.itemIds,
      );
    }
    const practical = { items: checked.items, decision: body.decision, by: actorOf(user), at: this.clock.now() };
    await this.write(s, { practical }, [], user, 'procedure.practical', {
      type: 'practical.assessed',
      data: { decision: body.decision, items: checked.items.map((i) => ({ itemId: i.itemId, passed: i.passed, comment: i.comment })) },
    });
    return this.detail(sessionId);
  }

  /**
   * Rule 17: the chair draws up the protocol from today's basis and names the members who sign it with
   * them. Its register number is taken once (a redrawn protocol keeps it, and its signatures start
   * again); with a violation the act's number (rule 14) is taken with it.
   */
  async drawProtocol(sessionId: string, user: StaffUserRow, memberIds: readonly string[]): Promise<ProcedureDetail> {
    for (let attempt = 0; ; attempt++) {
      const s = await this.load(sessionId);
      this.requireOpen(s);
      const basis = protocolBasis(s.facts);
      if (!basis) throw new ProcedureError(409, 'conflict', 'the practical assessment comes first (rule 16)', 'practical_missing');
      const members = [];
      for (const id of memberIds) {
        const m = id === user.id ? null : await this.store.getStaffUser(id);
        if (!m || m.role !== 'commission_member')
          throw new ProcedureError(400, 'invalid', `memberIds: ${id} is not a commission member`, 'not_commission_member');
        members.push({ userId: m.id, name: m.displayName });
      }
      const now = this.clock.now();
      const year = centreDate(now, s.centre.timeZone).slice(0, 4);
      const before = s.procedure?.protocol ?? null;
      const counters: LoggedWrite[] = [];
      const take = async (name: string) => {
        const value = (await this.store.counterValue(s.centreId, `${name}:${year}`)) + 1;
        counters.push({ kind: 'counter', centreId: s.centreId, name: `${name}:${year}`, value });
        return registerNumber(year, value);
      };
      const number = before?.number ?? (await take('protocol'));
      const violationActNumber = basis.violation ? (before?.violationActNumber ?? (await take('violation-act'))) : null;
      const protocol: ProtocolSnapshot = {
        number,
        violationActNumber,
        drawnAt: now,
        chair: { userId: user.id, name: user.displayName },
        members,
        basis,
      };
      try {
        await this.write(s, { protocol }, counters, user, 'protocol.drawn', {
          type: 'protocol.drawn',
          data: {
            number,
            violationActNumber,
            outcome: basis.outcome,
            reason: basis.reason,
            chair: protocol.chair,
            members,
            redrawn: before !== null,
          },
        });
        return this.detail(sessionId);
      } catch (err) {
        // Another protocol at the centre took the register number meanwhile: take the next one.
        if (!(err instanceof VersionConflict) || attempt >= 4 || counters.length === 0) throw err;
        const again = await this.store.getProcedure(sessionId);
        if ((again?.version ?? 0) !== (s.procedure?.version ?? 0)) throw err;
      }
    }
  }

  /**
   * One signature on the protocol (rule 17) by someone it names, on the protocol they read (its
   * number) and as long as it states today's basis. Returns whether the protocol is now fully signed.
   */
  async sign(sessionId: string, user: StaffUserRow, protocolNumber: string): Promise<{ fullySigned: boolean }> {
    // Two members signing at the same moment: the second signature is checked again on the first's version, not refused.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.signOnce(sessionId, user, protocolNumber);
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= 3) throw err;
      }
    }
  }

  private async signOnce(sessionId: string, user: StaffUserRow, protocolNumber: string): Promise<{ fullySigned: boolean }> {
    const s = await this.load(sessionId);
    const p = s.procedure?.protocol;
    if (!p) throw new ProcedureError(409, 'conflict', 'the protocol has not been drawn up yet', 'no_protocol');
    if (p.number !== protocolNumber)
      throw new ProcedureError(409, 'conflict', `the protocol is No. ${p.number}, not ${protocolNumber}`, 'protocol_changed');
    const signatures = s.procedure!.signatures;
    const refusal = maySign(p, signatures, user.id, protocolBasis(s.facts));
    if (refusal === 'not_on_commission')
      throw new ProcedureError(403, 'forbidden', 'the protocol does not name you on its commission', refusal);
    if (refusal === 'already_signed') throw new ProcedureError(409, 'conflict', 'you have signed this protocol already', refusal);
    if (refusal === 'protocol_stale')
      throw new ProcedureError(
        409,
        'conflict',
        'the protocol no longer states the decision (the practical assessment or the verdict changed): the chair draws it up again',
        refusal,
      );
    const signature: ProtocolSignature = {
      userId: user.id,
      name: user.displayName,
      role: user.role === 'commission_chair' ? 'commission_chair' : 'commission_member',
      at: this.clock.now(),
    };
    const fullySigned = fullySignedAt(p, [...signatures, signature]) !== null;
    await this.write(s, { signature }, [], user, 'protocol.signed', {
      type: 'protocol.signed',
      data: { number: p.number, role: signature.role, fullySigned },
    });
    return { fullySigned };
  }

  /** The 4 digits of the centre's accreditation number (Appendix 2, level 5), or a refusal naming the setting. */
  static accreditation(centre: CentreSettingsRow): string {
    const digits = accreditationDigits(centre.accreditationNo);
    if (!digits)
      throw new ProcedureError(
        409,
        'conflict',
        `the centre's accreditation number "${centre.accreditationNo}" does not end with its 4 digits: an admin corrects it in the centre's settings`,
        'accreditation_number',
      );
    return digits;
  }
}
