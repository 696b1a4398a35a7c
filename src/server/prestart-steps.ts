/**
 * Which steps before the first question are still missing, in the order the candidate
 * takes them. Pure: ExamService.start and the PrestartService both ask it.
 */
import type { Accommodations } from '../shared/accommodations';
import { assistantDone } from '../shared/assistant-identity';
import type { ProctoringConfig } from '../shared/proctoring-config';
import type { PrestartRecord } from './store/store';

export type PrestartStep = 'systemCheck' | 'consent' | 'identity' | 'roomScan';

/**
 * The first required step that is not done yet, or null when the exam may start. Consent is always
 * required (Appendix 1); the others only when the programme switches them on. Identity is done when
 * the candidate is verified and, if the accommodations allow an assistant, the assistant is identified
 * too (rule 11): pass the exam's accommodations wherever a step after identity is gated.
 */
export function missingPrestartStep(
  p: PrestartRecord,
  steps: ProctoringConfig['steps'],
  upTo: PrestartStep | null = null,
  accommodations: Accommodations | null = null,
): PrestartStep | null {
  const order: Array<[PrestartStep, boolean, boolean]> = [
    ['systemCheck', steps.systemCheck, p.systemCheck?.ok === true],
    ['consent', true, p.consent !== undefined],
    ['identity', steps.identity, typeof p.identity?.verifiedAt === 'number' && assistantDone(accommodations, p.assistant)],
    ['roomScan', steps.roomScan, p.roomScan?.complete === true],
  ];
  for (const [step, required, done] of order) {
    if (step === upTo) return null;
    if (required && !done) return step;
  }
  return null;
}

/** What the candidate is told when a step is missing (the browser shows its own screen for it). */
export const MISSING_STEP_MESSAGE: Record<PrestartStep, string> = {
  systemCheck: 'the system check has not passed yet',
  consent: 'consent to the processing of personal data and to recording has not been given (Appendix 1)',
  identity: 'the identity check has not passed yet (rule 2.8.6)',
  roomScan: 'the 360° room scan has not been completed (rule 2.8.3)',
};
