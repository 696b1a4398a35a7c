/**
 * The documents' inputs (src/shared/documents.ts) filled from a procedure as the centre
 * holds it. Pure mapping: the service loads the state, these shape it, src/server/documents renders.
 * The IIN goes only on the records kept in the candidate's file (protocol, act), never on the
 * document on recognition or the failure notice (their inputs have no field for it).
 */
import type {
  CommissionSignature,
  DocumentCentre,
  DocumentProgramme,
  FailureNoticeInput,
  ProtocolInput,
  RecognitionDocumentInput,
  ViolationActInput,
} from '../shared/documents';
import type { ExamLanguage } from '../shared/languages';
import type { ProtocolSignature, ProtocolSnapshot } from '../shared/procedure';
import { recommendationsFor, wrongQuestionIds } from '../shared/recommendations';
import type { ActFacts } from '../shared/violation-act';
import { centreDate } from '../shared/working-days';
import type { SeedQuestion } from '../shared/programme';
import type { CentreSettingsRow } from './store/admin-store';
import { fullName, type AnswerRow, type CandidateRow, type ExamSessionRow, type ProgrammeRow } from './store/store';

/** What every document of one procedure is drawn from. */
export interface DocumentContext {
  centre: CentreSettingsRow;
  /** Level 5 of the serial number, the 4 digits of the accreditation number. */
  accreditationDigits: string;
  session: ExamSessionRow;
  candidate: CandidateRow;
  programme: ProgrammeRow;
  protocol: ProtocolSnapshot;
  signatures: readonly ProtocolSignature[];
}

export function documentCentre(c: DocumentContext): DocumentCentre {
  return { name: { kk: c.centre.name.kk, ru: c.centre.name.ru }, accreditationNo: c.accreditationDigits, timeZone: c.centre.timeZone };
}

export function documentProgramme(p: ProgrammeRow): DocumentProgramme {
  return { code: p.code, profession: { kk: p.profession.kk, ru: p.profession.ru }, nqfLevel: p.nqfLevel };
}

/** The commission named on the protocol with each one's signature (null: not signed yet). */
export function commissionOf(p: ProtocolSnapshot, signatures: readonly ProtocolSignature[]): CommissionSignature[] {
  const signedAt = (userId: string) => signatures.find((s) => s.userId === userId)?.at ?? null;
  return [
    { fullName: p.chair.name, role: 'chair', signedAt: signedAt(p.chair.userId) },
    ...p.members.map((m): CommissionSignature => ({ fullName: m.name, role: 'member', signedAt: signedAt(m.userId) })),
  ];
}

/** The theory stage as the documents print it; an exam ended before its first question shows 0 of the exam's size. */
export function theoryOf(c: Pick<DocumentContext, 'session' | 'programme'>): { correct: number; total: number } {
  const r = c.session.result;
  return r && r.total > 0
    ? { correct: r.correct, total: r.total }
    : { correct: 0, total: c.session.questionIds.length || c.programme.questionsPerExam };
}

const examLanguage = (s: ExamSessionRow): ExamLanguage => s.language ?? 'kk';
const startedAt = (s: ExamSessionRow) => s.startedAt ?? s.finishedAt ?? s.createdAt;

export function protocolInput(c: DocumentContext, violations: ActFacts['violations']): ProtocolInput {
  const b = c.protocol.basis;
  return {
    protocolNumber: c.protocol.number,
    drawnUpOn: centreDate(c.protocol.drawnAt, c.centre.timeZone),
    centre: documentCentre(c),
    candidate: { fullName: fullName(c.candidate), iin: c.candidate.iin },
    programme: documentProgramme(c.programme),
    mode: 'online',
    examLanguage: examLanguage(c.session),
    procedureStartedAt: startedAt(c.session),
    procedureEndedAt: b.endedAt,
    theory: theoryOf(c),
    practical: b.practical && {
      assessedAt: b.practical.at,
      items: b.practical.items.map((i) => ({ title: { kk: i.text.kk, ru: i.text.ru }, passed: i.passed, comment: i.comment })),
      passed: b.practical.decision === 'passed',
    },
    violations: c.protocol.violationActNumber
      ? violations.map((v) => ({
          actNumber: c.protocol.violationActNumber!,
          rule: v.rule,
          description: { kk: v.description.kk, ru: v.description.ru },
        }))
      : [],
    decision: b.outcome,
    commission: commissionOf(c.protocol, c.signatures),
  };
}

export function recognitionInput(
  c: DocumentContext,
  doc: { serialNumber: string; issuedAt: number; signedAt: number; verificationUrl: string },
): RecognitionDocumentInput {
  const tz = c.centre.timeZone;
  return {
    serialNumber: doc.serialNumber,
    centre: { ...documentCentre(c), headFullName: c.centre.headName ?? '' },
    holder: { fullName: fullName(c.candidate) },
    programme: documentProgramme(c.programme),
    issuedOn: centreDate(doc.issuedAt, tz),
    // The Order sets no validity period for the document: valid without a limit unless a programme says otherwise.
    validUntil: null,
    verificationUrl: doc.verificationUrl,
    protocol: { number: c.protocol.number, signedOn: centreDate(doc.signedAt, tz) },
  };
}

/**
 * Rule 19's recommendations: the topics of the exam's questions answered wrongly, in kk and ru,
 * counts only (never a question, an option or the key).
 */
export function topicRecommendations(
  session: ExamSessionRow,
  bank: readonly SeedQuestion[],
  answers: readonly AnswerRow[],
): FailureNoticeInput['recommendations'] {
  const byId = new Map(bank.map((q) => [q.id, q]));
  const asked = session.questionIds.map((id) => byId.get(id)).filter((q): q is SeedQuestion => q !== undefined);
  if (asked.length === 0) return [];
  const wrong = wrongQuestionIds(asked, new Map(answers.map((a) => [a.questionId, a.optionIds])));
  const kk = recommendationsFor(asked, wrong, 'kk');
  const ru = recommendationsFor(asked, wrong, 'ru');
  return kk.map((k, i) => ({ topic: { kk: k.topic, ru: ru[i]!.topic }, wrong: k.wrong, asked: k.asked }));
}

export function failureNoticeInput(
  c: DocumentContext,
  doc: {
    noticeNumber: string;
    issuedAt: number;
    signedAt: number;
    appealUntil: string;
    recommendations: FailureNoticeInput['recommendations'];
  },
): FailureNoticeInput {
  const tz = c.centre.timeZone;
  const b = c.protocol.basis;
  return {
    noticeNumber: doc.noticeNumber,
    issuedOn: centreDate(doc.issuedAt, tz),
    centre: { ...documentCentre(c), headFullName: c.centre.headName ?? '' },
    candidate: { fullName: fullName(c.candidate) },
    programme: documentProgramme(c.programme),
    procedureStartedAt: startedAt(c.session),
    protocol: { number: c.protocol.number, signedOn: centreDate(doc.signedAt, tz) },
    theory: theoryOf(c),
    practical: b.practical && { passed: b.practical.decision === 'passed' },
    endedForViolation: b.reason === 'violation',
    recommendations: doc.recommendations,
    appealUntil: doc.appealUntil,
  };
}

export interface ActEvidence {
  /** Snapshots by incident id. */
  snapshots: ReadonlyMap<string, Uint8Array>;
  /** Where a browser-clock moment is in the recording, ms; null without a recording. */
  offsetOf: (browserAt: number) => number | null;
  log: ViolationActInput['log'];
}

export function violationActInput(c: DocumentContext, facts: ActFacts, evidence: ActEvidence, drawnUpAt: number): ViolationActInput {
  return {
    actNumber: c.protocol.violationActNumber ?? '',
    drawnUpOn: centreDate(drawnUpAt, c.centre.timeZone),
    centre: documentCentre(c),
    candidate: { fullName: fullName(c.candidate), iin: c.candidate.iin },
    programme: documentProgramme(c.programme),
    mode: 'online',
    sessionId: c.session.id,
    examStartedAt: startedAt(c.session),
    examEndedAt: c.session.status === 'terminated' ? c.session.finishedAt : null,
    violations: facts.violations.map((v) => ({
      rule: v.rule,
      at: v.at,
      description: { kk: v.description.kk, ru: v.description.ru },
      snapshotJpeg: v.incidentId ? (evidence.snapshots.get(v.incidentId) ?? null) : null,
      recordingOffsetMs: evidence.offsetOf(v.browserAt),
    })),
    warning: facts.warning,
    termination: facts.termination && { at: facts.termination.at, by: facts.termination.by },
    proctorDecision: facts.proctorDecision,
    reviewerDecision: facts.reviewerDecision,
    commission: commissionOf(c.protocol, c.signatures),
    log: evidence.log,
  };
}
