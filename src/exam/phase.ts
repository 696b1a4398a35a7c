/** Which screen the candidate sees, derived from state (never stored separately). */
import { assistantDone } from '../shared/assistant-identity';
import type { ExamState } from '../stores/exam-store';

export type ExamPhase =
  | 'connecting'
  | 'refused'
  | 'replaced'
  | 'language'
  | 'system-check'
  | 'devices'
  | 'consent'
  | 'identity'
  | 'room-scan'
  | 'briefing'
  | 'test'
  | 'result'
  | 'ended'
  | 'closed';

/** The steps before the first question, in order, for the progress line the screens show. */
export const PRESTART_PHASES = ['language', 'system-check', 'consent', 'identity', 'room-scan', 'briefing'] as const;

export function examPhase(
  s: Pick<ExamState, 'refusal' | 'replaced' | 'snapshot' | 'camera' | 'microphone'> & Partial<Pick<ExamState, 'ending'>>,
): ExamPhase {
  if (s.refusal) return 'refused';
  if (s.replaced) return 'replaced';
  const snap = s.snapshot;
  if (!snap) return 'connecting';
  // Ended by proctoring: rule 13 termination or rule 11 suspension (decided here or at the centre).
  if (snap.status === 'terminated' || snap.status === 'suspended' || (s.ending && snap.status === 'in_progress')) return 'ended';
  if (snap.status === 'submitted') return snap.result ? 'result' : 'closed';
  if (snap.status !== 'issued' && snap.status !== 'in_progress') return 'closed';
  if (!snap.language) return 'language';
  const devicesOn = s.camera === 'on' && s.microphone === 'on';
  // After a reload into a running exam: the devices again (proctoring needs them), then straight to the test.
  if (snap.status === 'in_progress') return devicesOn ? 'test' : 'devices';
  // Before the start, the steps in their order; the centre records each step, and a step the programme switched off is skipped.
  const { steps } = snap.proctoring.config;
  const p = snap.prestart;
  if (steps.systemCheck && !p.systemCheck?.ok) return 'system-check'; // the check turns the devices on itself
  if (!devicesOn) return 'devices'; // a reload after the check, or no check for this programme
  if (!p.consent) return 'consent'; // Appendix 1: never switched off
  if (steps.identity && p.identity.verifiedAt === null) return 'identity'; // rule 2.8.6
  if (steps.identity && !assistantDone(snap.accommodations, p.assistant)) return 'identity'; // rule 11: then the assistant, if allowed
  if (steps.roomScan && !p.roomScan?.complete) return 'room-scan'; // rule 2.8.3
  return 'briefing'; // rule 8
}
