/**
 * A document is a record: one that contradicts itself or the Rules must not be printed. These pure
 * checks run before rendering and throw DocumentInputError naming what is wrong, so the centre's
 * procedure finds its bug instead of issuing a wrong paper.
 */
import type {
  AppealDecisionInput,
  CommissionSignature,
  DocumentCentre,
  FailureNoticeInput,
  ProtocolInput,
  RecognitionDocumentInput,
  ViolationActInput,
} from '../../shared/documents';
import { isAdmitted } from '../../shared/scoring';
import { isoDateMs } from './format';

export class DocumentInputError extends Error {
  override name = 'DocumentInputError';
}

function must(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DocumentInputError(message);
}

function checkDates(...dates: string[]): void {
  for (const d of dates) {
    try {
      isoDateMs(d);
    } catch (err) {
      throw new DocumentInputError((err as Error).message);
    }
  }
}

function checkCentre(centre: DocumentCentre): void {
  must(/^\d{4}$/.test(centre.accreditationNo), 'the centre accreditation number has 4 digits (Appendix 2, level 5)');
  try {
    new Intl.DateTimeFormat('en', { timeZone: centre.timeZone });
  } catch {
    throw new DocumentInputError(`unknown time zone "${centre.timeZone}"`);
  }
}

function checkScore(theory: { correct: number; total: number }): void {
  must(Number.isInteger(theory.total) && theory.total > 0, 'the theory stage has at least one question');
  must(
    Number.isInteger(theory.correct) && theory.correct >= 0 && theory.correct <= theory.total,
    'correct answers lie between 0 and the number of questions',
  );
}

function checkCommission(members: readonly CommissionSignature[]): void {
  must(members.length > 0, 'a commission has members');
  must(members.filter((m) => m.role === 'chair').length === 1, 'a commission has exactly one chair');
}

const IIN = /^\d{12}$/;

export function checkViolationAct(input: ViolationActInput): void {
  checkCentre(input.centre);
  checkDates(input.drawnUpOn);
  must(IIN.test(input.candidate.iin), 'the IIN has 12 digits');
  must(input.violations.length > 0, 'an act records at least one violation (rule 14)');
  checkCommission(input.commission);
  must(/^[0-9a-f]{64}$/.test(input.log.headHash), "the log's head hash is a SHA-256 in hex");
}

/** Rule 17's decision agrees with rules 15 and 16: a pass needs more than 70 % and the practical task done. */
export function checkProtocol(input: ProtocolInput): void {
  checkCentre(input.centre);
  checkDates(input.drawnUpOn);
  must(IIN.test(input.candidate.iin), 'the IIN has 12 digits');
  checkScore(input.theory);
  const admitted = isAdmitted(input.theory.correct, input.theory.total);
  must(admitted || input.practical === null, 'a candidate not admitted (rule 15) has no practical stage');
  if (input.decision === 'passed') {
    must(admitted, 'a pass needs more than 70 % in theory (rule 15)');
    must(input.practical?.passed === true, 'a pass needs the practical task done (rules 16–17)');
  }
  checkCommission(input.commission);
}

export function checkRecognition(input: RecognitionDocumentInput): void {
  checkCentre(input.centre);
  checkDates(input.issuedOn, input.protocol.signedOn, ...(input.validUntil ? [input.validUntil] : []));
  must(input.serialNumber.trim().length > 0, 'the document has its serial number (Appendix 2)');
  must(/^https?:\/\/\S+$/.test(input.verificationUrl), 'the verification URL is an http(s) address');
  if (input.validUntil) must(input.validUntil > input.issuedOn, 'validity ends after the date of issue');
  must(input.holder.fullName.trim().length > 0, 'the holder has a name');
}

export function checkFailureNotice(input: FailureNoticeInput): void {
  checkCentre(input.centre);
  checkDates(input.issuedOn, input.protocol.signedOn, input.appealUntil);
  checkScore(input.theory);
  const admitted = isAdmitted(input.theory.correct, input.theory.total);
  must(admitted || input.practical === null, 'a candidate not admitted (rule 15) has no practical stage');
  must(input.endedForViolation || !admitted || input.practical?.passed === false, 'a failure notice is for a failed procedure (rule 19)');
  for (const r of input.recommendations)
    must(Number.isInteger(r.wrong) && r.wrong > 0 && r.wrong <= r.asked, 'a recommended topic has 1..asked wrong answers');
}

export function checkAppealDecision(input: AppealDecisionInput): void {
  checkCentre(input.centre);
  checkDates(input.registeredOn, input.decidedOn, input.protocol.signedOn, ...(input.documentDueBy ? [input.documentDueBy] : []));
  must(IIN.test(input.candidate.iin), 'the IIN has 12 digits');
  must(input.decidedOn >= input.registeredOn, 'the decision comes after the registration');
  must(
    (input.decision === 'upheld') === (input.documentDueBy !== null),
    'an upheld appeal, and only it, names the date the document is due by (rule 23)',
  );
  checkCommission(input.commission);
}
