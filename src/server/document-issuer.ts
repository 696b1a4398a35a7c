/**
 * The documents of a procedure, issued when its protocol is fully signed (rule 17): the
 * violation act (rule 14) when there was a violation, the signed protocol, and the document on
 * recognition (rule 18, Appendix 2) or the failure notice (rule 19). Each is rendered once in the
 * candidate's exam language (the other language on request, rendered then and kept), stored once,
 * and its SHA-256 written to the session's log ('document.issued') in the same transaction.
 *
 * Numbers: the document on recognition's 8-digit sequence (level 6 of its serial number) and the
 * registers of notices are the centre's counters, taken in the transaction that stores the document.
 * The PDF carries its number (and its QR code the verification address), so it is rendered before
 * that transaction with the counter's next value; if another issue took the value meanwhile the
 * transaction is not applied and the document is rendered again with the next one. Issues at this
 * centre also run one at a time, so that retry is the exception (another process on the same database).
 */
import { randomUUID } from 'node:crypto';
import { APPEAL_DAYS } from '../shared/appeal';
import type { StaffActor } from '../shared/control-room';
import { DocumentNumberError, formatDocumentNumber } from '../shared/document-number';
import type { DocumentInputs, DocumentKind } from '../shared/documents';
import type { ExamLanguage } from '../shared/languages';
import { fullySignedAt } from '../shared/procedure';
import type { IssuedDocumentView, IssuedKind } from '../shared/procedure-api';
import type { ServerEventType } from '../shared/protocol';
import type { SessionVerdict } from '../shared/review-verdict';
import { logToVideo, recordingRuns } from '../shared/video-time';
import { actFacts, type ActLogEntry } from '../shared/violation-act';
import { addWorkingDays, centreDate, WorkingDayError } from '../shared/working-days';
import type { Clock } from './clock';
import { documentSha256, renderDocument } from './documents/render';
import type { ExamService } from './exam-service';
import type { LogAnchor } from './log-anchor';
import {
  failureNoticeInput,
  protocolInput,
  recognitionInput,
  topicRecommendations,
  violationActInput,
  type DocumentContext,
} from './procedure-documents';
import { documentView, ProcedureError, ProcedureService, registerNumber, type ProcedureState } from './procedure-service';
import type { IssuedDocumentRow, NewDocument } from './store/procedure-store';
import type { EventRow, LoggedWrite, Store } from './store/store';

export type RenderDocument = <K extends DocumentKind>(kind: K, input: DocumentInputs[K], language: ExamLanguage) => Promise<Uint8Array>;

/**
 * Rule 20: an appeal within 5 working days of receiving the result (printed on the failure notice; src/shared/appeal.ts counts the same).
 */
export { APPEAL_DAYS };

type Entry = { type: ServerEventType; data: unknown };
type WriteLogged = (sessionId: string, writes: readonly LoggedWrite[], entries: readonly Entry[]) => Promise<boolean>;

/**
 * Takes the counter's next value, makes the document with it and writes both with its log entries;
 * when the value was taken meanwhile, tries the next one. 'exists' when the session already has a
 * document of that kind (it is issued once).
 */
export async function issueNumbered(o: {
  store: Pick<Store, 'counterValue' | 'listDocuments'>;
  writeLogged: WriteLogged;
  sessionId: string;
  centreId: string;
  counter: string;
  kind: IssuedKind;
  make: (value: number) => Promise<{ writes: LoggedWrite[]; entries: Entry[] }>;
  attempts?: number;
}): Promise<'issued' | 'exists'> {
  const attempts = o.attempts ?? 20;
  for (let i = 0; i < attempts; i++) {
    if ((await o.store.listDocuments(o.sessionId)).some((d) => d.kind === o.kind)) return 'exists';
    const value = (await o.store.counterValue(o.centreId, o.counter)) + 1;
    const { writes, entries } = await o.make(value);
    if (await o.writeLogged(o.sessionId, [{ kind: 'counter', centreId: o.centreId, name: o.counter, value }, ...writes], entries))
      return 'issued';
  }
  throw new ProcedureError(409, 'conflict', `the ${o.counter} counter kept moving: try again`);
}

/** The entries of the log before a document's first 'document.issued' entry: what it was drawn from. */
function logBefore(events: readonly EventRow[], documentId: string | null): EventRow[] {
  const at =
    documentId === null
      ? -1
      : events.findIndex((e) => e.type === 'document.issued' && (e.data as { documentId?: unknown } | null)?.documentId === documentId);
  return at < 0 ? [...events] : events.slice(0, at);
}

/** The reviewer's verdict as the log stood then (the latest 'review.verdict' entry). */
function verdictOfLog(events: readonly EventRow[]): SessionVerdict | null {
  const e = events.filter((x) => x.type === 'review.verdict').at(-1);
  if (!e) return null;
  const d = e.data as { kind: SessionVerdict['kind']; incidentIds?: string[]; comment?: string; by: StaffActor };
  return { kind: d.kind, incidentIds: d.incidentIds ?? [], comment: d.comment ?? '', by: d.by, at: e.serverAt };
}

const asActEntries = (events: readonly EventRow[]): ActLogEntry[] =>
  events.map((e) => ({ type: e.type, origin: e.origin, serverAt: e.serverAt, clientAt: e.clientAt, data: e.data }));

export class DocumentIssuer {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly exams: ExamService,
    private readonly procedures: ProcedureService,
    private readonly anchor: LogAnchor,
    private readonly verificationUrl: (serialNumber: string) => string,
    private readonly render: RenderDocument = renderDocument,
  ) {}

  /** Issues (and renders) one at a time at this centre. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    // Only orders the work: each caller gets its own failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private writeLogged: WriteLogged = (sessionId, writes, entries) => this.exams.writeLogged(sessionId, writes, entries);

  private context(s: ProcedureState): DocumentContext & { signedAt: number | null } {
    const protocol = s.procedure?.protocol;
    if (!protocol) throw new ProcedureError(409, 'conflict', 'the protocol has not been drawn up yet', 'no_protocol');
    const signatures = s.procedure!.signatures;
    return {
      centre: s.centre,
      accreditationDigits: ProcedureService.accreditation(s.centre),
      session: s.session,
      candidate: s.candidate,
      programme: s.programme,
      protocol,
      signatures,
      signedAt: fullySignedAt(protocol, signatures),
    };
  }

  private newDocument(
    kind: IssuedKind,
    number: string,
    language: ExamLanguage,
    bytes: Uint8Array,
    at: number,
    serial: { serialNumber: string; sequence: number } | null,
    timeZone: string,
  ): NewDocument {
    return {
      id: randomUUID(),
      kind,
      number,
      serialNumber: serial?.serialNumber ?? null,
      sequence: serial?.sequence ?? null,
      issuedAt: at,
      issuedOn: centreDate(at, timeZone),
      language,
      file: { sha256: documentSha256(bytes), bytes },
    };
  }

  private issuedEntry(
    d: Pick<NewDocument, 'id' | 'kind' | 'number'>,
    language: ExamLanguage,
    file: { sha256: string; bytes: Uint8Array },
  ): Entry {
    return {
      type: 'document.issued',
      data: { documentId: d.id, kind: d.kind, number: d.number, language, sha256: file.sha256, bytes: file.bytes.byteLength },
    };
  }

  private audit(s: ProcedureState, by: StaffActor | null, d: NewDocument): LoggedWrite[] {
    return by
      ? [
          {
            kind: 'audit',
            entry: {
              at: d.issuedAt,
              actor: by,
              action: 'document.issued',
              subject: `session:${s.session.id}`,
              changes: { documentId: d.id, kind: d.kind, number: d.number, sha256: d.file.sha256 },
            },
          },
        ]
      : [];
  }

  /** The act's evidence: snapshots, recording offsets, and the log verified with the centre's key (its head as it stood then). */
  private async actEvidence(sessionId: string, before: readonly EventRow[], all: readonly EventRow[]) {
    const facts = actFacts(asActEntries(before), verdictOfLog(before));
    const snapshots = new Map<string, Uint8Array>();
    for (const v of facts.violations) {
      if (!v.incidentId) continue;
      const e = await this.store.getEvidence(sessionId, v.incidentId);
      if (e) snapshots.set(v.incidentId, e.bytes);
    }
    const runs = recordingRuns(await this.store.listRecordingChunks(sessionId));
    const verdict = this.anchor.verify(all, sessionId);
    const head = before.at(-1);
    return {
      facts,
      evidence: {
        snapshots,
        offsetOf: (browserAt: number) => {
          const t = logToVideo(runs, browserAt);
          return t === null ? null : Math.round(t * 1000);
        },
        log: {
          headHash: head?.hash ?? '0'.repeat(64),
          eventCount: before.length,
          verified: verdict.status === 'intact',
          checkedAt: this.clock.now(),
        },
      },
    };
  }

  /** Renders one kind from the state; `doc`: an issued document rendered again in another language (its number, date and log as issued). */
  private async renderKind(
    s: ProcedureState,
    kind: IssuedKind,
    language: ExamLanguage,
    doc: { id: string | null; number: string; issuedAt: number; serialNumber: string | null },
  ): Promise<Uint8Array> {
    const c = this.context(s);
    const tz = s.centre.timeZone;
    const all = await this.store.listEvents(s.session.id);
    const before = logBefore(all, doc.id);
    switch (kind) {
      case 'violation-act': {
        const { facts, evidence } = await this.actEvidence(s.session.id, before, all);
        if (facts.violations.length === 0)
          throw new ProcedureError(409, 'conflict', 'the log holds no violation for the act', 'no_violation');
        return this.render('violation-act', violationActInput(c, facts, evidence, doc.issuedAt), language);
      }
      case 'protocol': {
        const violations = c.protocol.violationActNumber ? actFacts(asActEntries(before), verdictOfLog(before)).violations : [];
        return this.render('protocol', protocolInput(c, violations), language);
      }
      case 'recognition':
        return this.render(
          'recognition',
          recognitionInput(c, {
            serialNumber: doc.serialNumber!,
            issuedAt: doc.issuedAt,
            signedAt: c.signedAt ?? doc.issuedAt,
            verificationUrl: this.verificationUrl(doc.serialNumber!),
          }),
          language,
        );
      case 'failure-notice': {
        const [bank, answers] = await Promise.all([this.store.getQuestions(s.programme.id), this.store.getAnswers(s.session.id)]);
        let appealUntil: string;
        try {
          appealUntil = addWorkingDays(doc.issuedAt, APPEAL_DAYS, tz);
        } catch (err) {
          if (err instanceof WorkingDayError)
            throw new ProcedureError(409, 'conflict', `the appeal deadline cannot be computed: ${err.message}`, 'calendar');
          throw err;
        }
        return this.render(
          'failure-notice',
          failureNoticeInput(c, {
            noticeNumber: doc.number,
            issuedAt: doc.issuedAt,
            signedAt: c.signedAt ?? doc.issuedAt,
            appealUntil,
            recommendations: topicRecommendations(s.session, bank, answers),
          }),
          language,
        );
      }
      case 'appeal-decision':
        // Rendered in kk and ru when the appeal commission decides (appeal-service.ts), both stored then.
        throw new ProcedureError(409, 'conflict', 'the appeal decision is stored in both languages when it is taken');
    }
  }

  /** Issues what a fully signed protocol calls for and is not issued yet (safe to call again). `by`: who signed last. */
  issue(sessionId: string, by: StaffActor | null): Promise<IssuedDocumentView[]> {
    return this.serial(async () => {
      const s = await this.procedures.load(sessionId);
      const c = this.context(s);
      if (c.signedAt === null) throw new ProcedureError(409, 'conflict', 'the protocol is not fully signed yet', 'not_signed');
      const language = s.session.language ?? 'kk';
      const tz = s.centre.timeZone;
      const has = (kind: IssuedKind) => s.documents.some((d) => d.kind === kind);
      const plain = async (kind: IssuedKind, number: string) => {
        if (has(kind)) return;
        const at = this.clock.now();
        const bytes = await this.renderKind(s, kind, language, { id: null, number, issuedAt: at, serialNumber: null });
        const d = this.newDocument(kind, number, language, bytes, at, null, tz);
        await this.writeLogged(
          s.session.id,
          [{ kind: 'document', document: d }, ...this.audit(s, by, d)],
          [this.issuedEntry(d, language, d.file)],
        );
      };
      if (c.protocol.violationActNumber) await plain('violation-act', c.protocol.violationActNumber);
      await plain('protocol', c.protocol.number);
      if (c.protocol.basis.outcome === 'passed') {
        await this.issueRecognition(s, c.accreditationDigits, by, language);
      } else {
        const year = centreDate(this.clock.now(), tz).slice(0, 4);
        await issueNumbered({
          store: this.store,
          writeLogged: this.writeLogged,
          sessionId,
          centreId: s.centreId,
          counter: `failure-notice:${year}`,
          kind: 'failure-notice',
          make: async (value) => {
            const at = this.clock.now();
            const number = registerNumber(year, value);
            const bytes = await this.renderKind(s, 'failure-notice', language, { id: null, number, issuedAt: at, serialNumber: null });
            const d = this.newDocument('failure-notice', number, language, bytes, at, null, tz);
            return {
              writes: [{ kind: 'document', document: d }, ...this.audit(s, by, d)],
              entries: [this.issuedEntry(d, language, d.file)],
            };
          },
        });
      }
      return (await this.store.listDocuments(sessionId)).map(documentView);
    });
  }

  /** The document on recognition with the centre's next sequence number (rule 18, Appendix 2). */
  private issueRecognition(
    s: ProcedureState,
    accreditationDigits: string,
    by: StaffActor | null,
    language: ExamLanguage,
  ): Promise<'issued' | 'exists'> {
    const tz = s.centre.timeZone;
    return issueNumbered({
      store: this.store,
      writeLogged: this.writeLogged,
      sessionId: s.session.id,
      centreId: s.centreId,
      counter: 'recognition',
      kind: 'recognition',
      make: async (sequence) => {
        const at = this.clock.now();
        const serialNumber = this.serialNumber(s, accreditationDigits, sequence);
        const bytes = await this.renderKind(s, 'recognition', language, { id: null, number: serialNumber, issuedAt: at, serialNumber });
        const d = this.newDocument('recognition', serialNumber, language, bytes, at, { serialNumber, sequence }, tz);
        return { writes: [{ kind: 'document', document: d }, ...this.audit(s, by, d)], entries: [this.issuedEntry(d, language, d.file)] };
      },
    });
  }

  /**
   * Rule 23: an appeal upheld by the appeal commission issues the document on recognition as rule 18
   * sets, on the same path as a passed protocol (the next sequence number, stored once, logged), though
   * the signed protocol said failed. `by`: the appeal commission's member who decided.
   */
  issueOnUpheldAppeal(sessionId: string, by: StaffActor): Promise<IssuedDocumentView[]> {
    return this.serial(async () => {
      const s = await this.procedures.load(sessionId);
      const c = this.context(s);
      if (c.signedAt === null) throw new ProcedureError(409, 'conflict', 'the protocol is not fully signed yet', 'not_signed');
      await this.issueRecognition(s, c.accreditationDigits, by, s.session.language ?? 'kk');
      return (await this.store.listDocuments(sessionId)).map(documentView);
    });
  }

  /** Appendix 2's six levels from the programme, the exam date and the centre. */
  private serialNumber(s: ProcedureState, accreditation: string, sequence: number): string {
    try {
      return formatDocumentNumber({
        oked: s.programme.oked,
        occupationCode: s.programme.occupationCode === '0' ? null : s.programme.occupationCode,
        nqfLevel: s.programme.nqfLevel,
        examDate: centreDate(s.session.startedAt ?? s.session.finishedAt ?? s.session.createdAt, s.centre.timeZone),
        centreAccreditation: accreditation,
        sequence,
      });
    } catch (err) {
      if (err instanceof DocumentNumberError)
        throw new ProcedureError(409, 'conflict', `the document's serial number cannot be made: ${err.message}`);
      throw err;
    }
  }

  /** An issued document's file in `language`: stored, or rendered now from what it was issued on and kept (logged like the first). */
  async file(doc: IssuedDocumentRow, language: ExamLanguage): Promise<{ bytes: Uint8Array; sha256: string }> {
    const stored = await this.store.getDocumentFile(doc.id, language);
    if (stored) return stored;
    return this.serial(async () => {
      const again = await this.store.getDocumentFile(doc.id, language);
      if (again) return again;
      const s = await this.procedures.load(doc.sessionId);
      const bytes = await this.renderKind(s, doc.kind, language, {
        id: doc.id,
        number: doc.number,
        issuedAt: doc.issuedAt,
        serialNumber: doc.serialNumber,
      });
      const file = { sha256: documentSha256(bytes), bytes };
      await this.writeLogged(
        doc.sessionId,
        [{ kind: 'document-file', documentId: doc.id, language, file, at: this.clock.now() }],
        [this.issuedEntry(doc, language, file)],
      );
      return (await this.store.getDocumentFile(doc.id, language)) ?? file;
    });
  }

  /**
   * The protocol or the violation act of a session: the issued one once the protocol is fully signed,
   * else a draft rendered now (with the signatures so far), not stored.
   */
  async recordOf(
    sessionId: string,
    kind: 'protocol' | 'violation-act',
    language: ExamLanguage,
  ): Promise<{ bytes: Uint8Array; sha256: string; draft: boolean }> {
    const s = await this.procedures.load(sessionId);
    const issued = s.documents.find((d) => d.kind === kind);
    if (issued) return { ...(await this.file(issued, language)), draft: false };
    const c = this.context(s);
    const number = kind === 'protocol' ? c.protocol.number : c.protocol.violationActNumber;
    if (!number) throw new ProcedureError(409, 'conflict', 'the procedure has no violation: there is no act (rule 14)', 'no_violation');
    const bytes = await this.renderKind(s, kind, language, { id: null, number, issuedAt: this.clock.now(), serialNumber: null });
    return { bytes, sha256: documentSha256(bytes), draft: true };
  }

  /** Revokes an issued document (it verifies as revoked from then on), with who and why. */
  async revoke(doc: IssuedDocumentRow, by: StaffActor, reason: string): Promise<IssuedDocumentView> {
    if (doc.revokedAt !== null) throw new ProcedureError(409, 'conflict', 'the document is revoked already', 'already_revoked');
    const at = this.clock.now();
    const data = { documentId: doc.id, kind: doc.kind, number: doc.number, reason };
    const applied = await this.writeLogged(
      doc.sessionId,
      [
        { kind: 'revoke', documentId: doc.id, at, reason },
        { kind: 'audit', entry: { at, actor: by, action: 'document.revoked', subject: `session:${doc.sessionId}`, changes: data } },
      ],
      [{ type: 'document.revoked', data: { ...data, by } }],
    );
    if (!applied) throw new ProcedureError(409, 'conflict', 'the document is revoked already', 'already_revoked');
    return documentView((await this.store.getDocument(doc.id))!);
  }
}
