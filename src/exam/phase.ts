/** Which screen the candidate sees, derived from state (never stored separately). */
import type { ExamState } from '../stores/exam-store';

export type ExamPhase = 'connecting' | 'refused' | 'replaced' | 'language' | 'devices' | 'briefing' | 'test' | 'result' | 'ended' | 'closed';

export function examPhase(s: Pick<ExamState, 'refusal' | 'replaced' | 'snapshot' | 'camera' | 'microphone'> & Partial<Pick<ExamState, 'ending'>>): ExamPhase {
  if (s.refusal) return 'refused';
  if (s.replaced) return 'replaced';
  const snap = s.snapshot;
  if (!snap) return 'connecting';
  // Ended by proctoring: rule 13 termination or rule 11 suspension (decided here or at the centre).
  if (snap.status === 'terminated' || snap.status === 'suspended' || (s.ending && snap.status === 'in_progress')) return 'ended';
  if (snap.status === 'submitted') return snap.result ? 'result' : 'closed';
  if (snap.status !== 'issued' && snap.status !== 'in_progress') return 'closed';
  if (!snap.language) return 'language';
  // Proctoring needs both devices for the whole exam; after a reload they are asked for again.
  if (s.camera !== 'on' || s.microphone !== 'on') return 'devices';
  return snap.status === 'issued' ? 'briefing' : 'test';
}
