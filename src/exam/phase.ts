/** Which screen the candidate sees, derived from state (never stored separately). */
import type { ExamState } from '../stores/exam-store';

export type ExamPhase = 'connecting' | 'refused' | 'replaced' | 'language' | 'devices' | 'briefing' | 'test' | 'result' | 'closed';

export function examPhase(s: Pick<ExamState, 'refusal' | 'replaced' | 'snapshot' | 'camera' | 'microphone'>): ExamPhase {
  if (s.refusal) return 'refused';
  if (s.replaced) return 'replaced';
  const snap = s.snapshot;
  if (!snap) return 'connecting';
  if (snap.status === 'submitted' || snap.status === 'terminated') return snap.result ? 'result' : 'closed';
  if (snap.status !== 'issued' && snap.status !== 'in_progress') return 'closed';
  if (!snap.language) return 'language';
  // Proctoring needs both devices for the whole exam; after a reload they are asked for again.
  if (s.camera !== 'on' || s.microphone !== 'on') return 'devices';
  return snap.status === 'issued' ? 'briefing' : 'test';
}
