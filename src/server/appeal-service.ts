/**
 * Appeals at the centre (rules 20-23). The candidate files one from the result page (the
 * exam link's token); it is registered at once with the centre's next register number of the year
 * and the filing's date (rule 21: registration is automatic, and the appeal is on the appeal
 * commission's list from that moment); the appeal commission decides within 5 working days of the
 * registration (rule 22); the decision's PDF is rendered in kk and ru and stored as an issued document
 * ('appeal-decision'); an upheld appeal issues the document on recognition through DocumentIssuer's
 * own path with the next sequence number (rule 23).
 *
 * Every change is one transaction with its entry in the session's hash-chained log: the filing with
 * the text's and each file's SHA-256, the decision with who, when and why (and the centre's audit
 * entry for the staff member's act). The window, the deadline and who may appeal are the pure
 * functions of src/shared/appeal.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  appealDecisionDeadline,
  appealDocumentDueBy,
  appealIneligibility,
  appealWindow,
  sniffAppealFile,
  type AppealDetail,
  type AppealFileType,
  type AppealReason,
  type AppealSummary,
  type AppealView,
  type CandidateAppealState,
} from '../shared/appeal';
import type { ExamLanguage } from '../shared/languages';
import { fullySignedAt, needsAttention } from '../shared/procedure';
import type { StaffActor } from '../shared/control-room';
import type { ProtocolErrorCode } from '../shared/protocol';
import { centreDate } from '../shared/working-days';
import type { Clock } from './clock';
import type { DocumentIssuer, RenderDocument } from './document-issuer';
import { documentSha256 } from './documents/render';
import type { ExamService } from './exam-service';
import type { Logger } from './socket-command';
import { documentProgramme } from './procedure-documents';
import { actorOf, ProcedureService, registerNumber, type ProcedureState } from './procedure-service';
import type { AppealRow } from './store/appeal-store';
import type { IssuedDocumentRow } from './store/procedure-store';
import { fullName, type StaffUserRow, type Store } from './store/store';

export class AppealError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: ProtocolErrorCode,
    message: string,
    readonly reason?: AppealReason,
    readonly extra: { closedOn?: string; fileIndex?: number } = {},
  ) {
    super(message);
  }
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** What the appeal stands on: the signed protocol's outcome and the failure notice (the result received). */
function standing(s: ProcedureState) {
  const p = s.procedure?.protocol ?? null;
  const signedAt = p ? fullySignedAt(p, s.procedure!.signatures) : null;
  const notice = s.documents.find((d) => d.kind === 'failure-notice') ?? null;
  return { protocol: p, signedAt, outcome: p && signedAt !== null ? p.basis.outcome : null, notice };
}

export interface FilingInput {
  text: string;
  files: Array<{ name: string; type: AppealFileType; data: string }>;
}

export class AppealService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly procedures: ProcedureService,
    private readonly issuer: DocumentIssuer,
    private readonly render: RenderDocument,
    private readonly log: Logger,
  ) {}

  private view(a: AppealRow, timeZone: string, now: number): AppealView {
    return {
      id: a.id,
      number: a.number,
      filedAt: a.filedAt,
      registeredOn: a.filedOn,
      text: a.text,
      files: a.files.map((f) => ({ index: f.index, name: f.name, type: f.type, bytes: f.size, sha256: f.sha256 })),
      deadline: appealDecisionDeadline(a.filedAt, a.decidedAt, now, timeZone),
      decision:
        a.decision && a.decidedAt !== null && a.decisionDocumentId
          ? {
              decision: a.decision,
              reasons: a.reasons ?? '',
              decidedAt: a.decidedAt,
              decidedOn: centreDate(a.decidedAt, timeZone),
              by: a.decidedBy?.name ?? '',
              documentId: a.decisionDocumentId,
            }
          : null,
    };
  }

  /** GET /api/exam/appeal: whether the candidate may appeal, the window's last day, and their appeal. */
  async candidateState(sessionId: string): Promise<CandidateAppealState> {
    const s = await this.procedures.load(sessionId);
    const tz = s.centre.timeZone;
    const now = this.clock.now();
    const appeal = await this.store.getAppealOfSession(sessionId);
    const st = standing(s);
    const receivedAt = st.outcome === 'failed' ? (st.notice?.issuedAt ?? null) : null;
    const window = receivedAt === null ? null : appealWindow(receivedAt, now, tz);
    const ineligible = appealIneligibility({ outcome: st.outcome, noticeIssuedAt: receivedAt, hasAppeal: appeal !== null });
    return {
      ineligible: ineligible === 'already_appealed' ? null : (ineligible ?? (window && !window.ok ? window.reason : null)),
      receivedOn: receivedAt === null ? null : centreDate(receivedAt, tz),
      closesOn: window === null ? null : window.ok ? window.closesOn : window.reason === 'appeal_closed' ? window.closedOn : null,
      appeal: appeal && this.view(appeal, tz, now),
    };
  }

  /** Rules 20, 21: files and registers the appeal; refused after the window's last day with that day. */
  async file(sessionId: string, input: FilingInput): Promise<AppealView> {
    // The files first: a bad file is the candidate's to fix, whatever the window says.
    const files = input.files.map((f, index) => {
      const bytes = new Uint8Array(Buffer.from(f.data, 'base64'));
      const sniffed = sniffAppealFile(bytes);
      if (sniffed === null || sniffed !== f.type) {
        throw new AppealError(
          400,
          'invalid',
          `file ${index + 1} (${f.name}) is not ${f.type === 'application/pdf' ? 'a PDF' : 'a JPEG or PNG image'} by its content`,
          'file_type',
          { fileIndex: index },
        );
      }
      return { name: f.name, type: sniffed, sha256: sha256(bytes), bytes };
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      const s = await this.procedures.load(sessionId);
      const tz = s.centre.timeZone;
      const now = this.clock.now();
      const st = standing(s);
      const existing = await this.store.getAppealOfSession(sessionId);
      const ineligible = appealIneligibility({
        outcome: st.outcome,
        noticeIssuedAt: st.outcome === 'failed' ? (st.notice?.issuedAt ?? null) : null,
        hasAppeal: existing !== null,
      });
      if (ineligible === 'already_appealed')
        throw new AppealError(409, 'conflict', `this exam's appeal is filed already (No. ${existing!.number})`, ineligible);
      if (ineligible === 'passed')
        throw new AppealError(
          409,
          'conflict',
          'the procedure was passed: the document on recognition is issued, there is no decision to appeal',
          ineligible,
        );
      if (ineligible === 'no_result')
        throw new AppealError(
          409,
          'conflict',
          'the result is not out yet: the appeal opens when the protocol is signed and the notice issued (rule 20)',
          ineligible,
        );
      const window = appealWindow(st.notice!.issuedAt, now, tz);
      if (!window.ok && window.reason === 'appeal_closed') {
        throw new AppealError(
          409,
          'conflict',
          `the appeal period (5 working days, rule 20) closed on ${window.closedOn}`,
          'appeal_closed',
          { closedOn: window.closedOn },
        );
      }
      if (!window.ok) throw new AppealError(409, 'conflict', `the appeal period cannot be computed: ${window.error}`, 'calendar');
      const filedOn = centreDate(now, tz);
      const year = filedOn.slice(0, 4);
      const counter = `appeal:${year}`;
      const value = (await this.store.counterValue(s.centreId, counter)) + 1;
      const id = randomUUID();
      const number = registerNumber(year, value);
      const applied = await this.exams.writeLogged(
        sessionId,
        [
          { kind: 'counter', centreId: s.centreId, name: counter, value },
          { kind: 'appeal', appeal: { id, number, filedAt: now, filedOn, text: input.text, files } },
        ],
        [
          {
            type: 'appeal.filed',
            data: {
              appealId: id,
              number,
              registeredOn: filedOn,
              closesOn: window.closesOn,
              textSha256: sha256(input.text),
              files: files.map((f) => ({ name: f.name, type: f.type, bytes: f.bytes.byteLength, sha256: f.sha256 })),
            },
          },
        ],
      );
      if (applied) return this.view((await this.store.getAppeal(id))!, tz, this.clock.now());
      // Another appeal at the centre took the number, or this session's appeal came first: look again.
    }
    throw new AppealError(409, 'conflict', 'the appeal register kept moving: try again');
  }

  private async summary(a: AppealRow, s: ProcedureState, now: number): Promise<AppealSummary> {
    const v = this.view(a, s.centre.timeZone, now);
    return {
      ...v,
      sessionId: s.session.id,
      candidateName: fullName(s.candidate),
      programme: { code: s.programme.code, profession: s.programme.profession, nqfLevel: s.programme.nqfLevel },
      // Undecided and due soon, or upheld while the document of rule 23 has not been issued (its making failed).
      attention:
        (v.decision === null && needsAttention(v.deadline)) ||
        (v.decision?.decision === 'upheld' && !s.documents.some((d) => d.kind === 'recognition')),
    };
  }

  /** The appeal commission's list: undecided first, those due soonest first. */
  async list(): Promise<AppealSummary[]> {
    const now = this.clock.now();
    const rows: AppealSummary[] = [];
    for (const a of await this.store.listAppeals()) rows.push(await this.summary(a, await this.procedures.load(a.sessionId), now));
    const due = (r: AppealSummary) => r.deadline.due ?? '0000';
    return rows.sort(
      (x, y) =>
        Number(x.decision !== null) - Number(y.decision !== null) ||
        Number(y.attention) - Number(x.attention) ||
        due(x).localeCompare(due(y)) ||
        x.filedAt - y.filedAt,
    );
  }

  private async loadAppeal(id: string): Promise<{ a: AppealRow; s: ProcedureState }> {
    const a = await this.store.getAppeal(id);
    if (!a) throw new AppealError(404, 'not_found', 'no such appeal');
    return { a, s: await this.procedures.load(a.sessionId) };
  }

  async detail(id: string): Promise<AppealDetail> {
    const { a, s } = await this.loadAppeal(id);
    const st = standing(s);
    const r = s.session.result;
    const basis = st.protocol?.basis ?? null;
    const doc = (kind: string) => s.documents.find((d) => d.kind === kind) ?? null;
    const brief = (d: IssuedDocumentRow | null) => d && { id: d.id, number: d.number, issuedOn: d.issuedOn };
    return {
      ...(await this.summary(a, s, this.clock.now())),
      protocol: {
        number: st.protocol?.number ?? '',
        signedOn: st.signedAt === null ? null : centreDate(st.signedAt, s.centre.timeZone),
        outcome: basis?.outcome ?? 'failed',
        reason: basis?.reason ?? null,
        documentId: doc('protocol')?.id ?? null,
      },
      theory: r ? { correct: r.correct, total: r.total, percent: r.percent, admitted: r.admitted } : null,
      practical: basis?.practical
        ? {
            decision: basis.practical.decision,
            items: basis.practical.items.map((i) => ({ text: { kk: i.text.kk, ru: i.text.ru }, passed: i.passed, comment: i.comment })),
          }
        : null,
      notice: brief(doc('failure-notice')),
      recognition: brief(doc('recognition')),
    };
  }

  /** An issued document of the appealed session the appeal commission reads: the protocol, the notice, the decision, the document. */
  async document(id: string, documentId: string): Promise<IssuedDocumentRow> {
    const { s } = await this.loadAppeal(id);
    const d = s.documents.find((x) => x.id === documentId && x.kind !== 'violation-act');
    if (!d) throw new AppealError(404, 'not_found', 'no such document of this appeal');
    return d;
  }

  async candidateFile(id: string, index: number) {
    const f = await this.store.getAppealFile(id, index);
    if (!f) throw new AppealError(404, 'not_found', 'no such file of this appeal');
    return f;
  }

  /**
   * Rule 22: the decision with its reasons, by a member of the appeal commission (who signs it as the
   * one presiding in Tanu). Its PDF in kk and ru is stored with the decision, both SHA-256 logged.
   * Rule 23: upheld, the document on recognition is issued next (its failure is answered, the decision stays).
   */
  async decide(
    id: string,
    user: StaffUserRow,
    body: { decision: 'upheld' | 'rejected'; reasons: string },
  ): Promise<{ detail: AppealDetail; issueError: { code: ProtocolErrorCode; message: string } | null }> {
    const { a, s } = await this.loadAppeal(id);
    if (a.decidedAt !== null) throw new AppealError(409, 'conflict', `appeal No. ${a.number} is decided already`, 'already_decided');
    const st = standing(s);
    if (!st.protocol || st.signedAt === null) throw new AppealError(409, 'conflict', 'the appealed protocol is not signed', 'no_result');
    const tz = s.centre.timeZone;
    const now = this.clock.now();
    const decidedOn = centreDate(now, tz);
    const documentDueBy = body.decision === 'upheld' ? appealDocumentDueBy(now, tz) : null;
    if (body.decision === 'upheld' && documentDueBy === null)
      throw new AppealError(409, 'conflict', "the working-day calendar has no data for the document's deadline (rule 23)", 'calendar');
    const input = {
      appealNumber: a.number,
      registeredOn: a.filedOn,
      centre: {
        name: { kk: s.centre.name.kk, ru: s.centre.name.ru },
        accreditationNo: ProcedureService.accreditation(s.centre),
        timeZone: tz,
      },
      candidate: { fullName: fullName(s.candidate), iin: s.candidate.iin },
      programme: documentProgramme(s.programme),
      protocol: { number: st.protocol.number, signedOn: centreDate(st.signedAt, tz) },
      summary: a.text,
      decision: body.decision,
      reasons: body.reasons,
      decidedOn,
      commission: [{ fullName: user.displayName, role: 'chair' as const, signedAt: now }],
      documentDueBy,
    };
    const language: ExamLanguage = s.session.language ?? 'kk';
    const other: ExamLanguage = language === 'kk' ? 'ru' : 'kk';
    const [first, second] = await Promise.all([
      this.render('appeal-decision', input, language),
      this.render('appeal-decision', input, other),
    ]);
    const documentId = randomUUID();
    const by = actorOf(user);
    const file = (bytes: Uint8Array) => ({ sha256: documentSha256(bytes), bytes });
    const issued = (lang: ExamLanguage, bytes: Uint8Array) => ({
      type: 'document.issued' as const,
      data: {
        documentId,
        kind: 'appeal-decision',
        number: a.number,
        language: lang,
        sha256: documentSha256(bytes),
        bytes: bytes.byteLength,
      },
    });
    const deadline = appealDecisionDeadline(a.filedAt, now, now, tz);
    const applied = await this.exams.writeLogged(
      s.session.id,
      [
        {
          kind: 'document',
          document: {
            id: documentId,
            kind: 'appeal-decision',
            number: a.number,
            serialNumber: null,
            sequence: null,
            issuedAt: now,
            issuedOn: decidedOn,
            language,
            file: file(first),
          },
        },
        { kind: 'document-file', documentId, language: other, file: file(second), at: now },
        { kind: 'appeal-decided', appealId: a.id, decision: body.decision, reasons: body.reasons, by, at: now, documentId },
        {
          kind: 'audit',
          entry: {
            at: now,
            actor: by,
            action: 'appeal.decided',
            subject: `session:${s.session.id}`,
            changes: { appealId: a.id, number: a.number, decision: body.decision, reasons: body.reasons },
          },
        },
      ],
      [
        issued(language, first),
        issued(other, second),
        {
          type: 'appeal.decided',
          data: { appealId: a.id, number: a.number, decision: body.decision, reasons: body.reasons, by, deadline },
        },
      ],
    );
    if (!applied) throw new AppealError(409, 'conflict', `appeal No. ${a.number} is decided already`, 'already_decided');
    const issueError = body.decision === 'upheld' ? await this.tryIssue(s.session.id, by) : null;
    return { detail: await this.detail(id), issueError };
  }

  /**
   * Rule 23 again, for an upheld appeal whose document was not made when it was decided (the renderer
   * failed, or the centre stopped between the decision and the document): issued once, whoever asks twice.
   */
  async issueDocument(
    id: string,
    user: StaffUserRow,
  ): Promise<{ detail: AppealDetail; issueError: { code: ProtocolErrorCode; message: string } | null }> {
    const { a, s } = await this.loadAppeal(id);
    if (a.decidedAt === null || a.decision !== 'upheld')
      throw new AppealError(409, 'conflict', `appeal No. ${a.number} is not upheld: there is no document to issue`, 'not_upheld');
    const issueError = await this.tryIssue(s.session.id, actorOf(user));
    return { detail: await this.detail(id), issueError };
  }

  /** The document on recognition of an upheld appeal; a failure is answered (and logged), the decision stays. */
  private async tryIssue(sessionId: string, by: StaffActor): Promise<{ code: ProtocolErrorCode; message: string } | null> {
    try {
      await this.issuer.issueOnUpheldAppeal(sessionId, by);
      return null;
    } catch (err) {
      this.log('error', `appeal: the document on recognition of session ${sessionId} was not issued (rule 23)`, err);
      if (err instanceof Error && 'code' in err) return { code: (err as { code: ProtocolErrorCode }).code, message: err.message };
      return { code: 'internal', message: 'the document on recognition could not be made; try again' };
    }
  }
}
