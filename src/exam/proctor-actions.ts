/**
 * What the proctor's actions mean for the candidate's screens, as pure functions:
 * which note to show, the countdown while the exam is paused, the reinstatement of an exam that
 * had ended, and the time left to remove the cause of a warned violation (rule 13's grace).
 *
 * Types only from shared/ (zod stays out of the candidate's bundle).
 */
import type { ProctorNote } from '../shared/control-room';
import type { Incident } from '../shared/incidents';
import { settledAt } from '../shared/policy';
import type { ProctoringConfig } from '../shared/proctoring-config';
import { NOTE_REPLY_MAX } from '../shared/limits';
import type { ExamSnapshot } from '../shared/protocol';
import type { ExamState } from '../stores/exam-store';
import { timeLeftMs } from '../ui/time-format';

/** The longest reply to a proctor's message (the centre refuses longer). */
export { NOTE_REPLY_MAX };

/** The note to show now: the oldest one not acknowledged (the centre sends them oldest first). */
export function currentNote(snapshot: Pick<ExamSnapshot, 'notes'> | null | undefined): ProctorNote | null {
  const notes = snapshot?.notes ?? [];
  let oldest: ProctorNote | null = null;
  for (const note of notes) if (!oldest || note.at < oldest.at) oldest = note;
  return oldest;
}

/**
 * Time left on the exam's clock. While the proctor has paused the exam the timer stands still at
 * what was left when the pause began (the centre moves the deadline on when it resumes).
 */
export function examTimeLeftMs(
  snapshot: Pick<ExamSnapshot, 'deadlineAt' | 'paused'> | null | undefined,
  clientNow: number,
  clockOffsetMs: number,
): number | null {
  if (!snapshot || snapshot.deadlineAt === null) return null;
  if (snapshot.paused) return Math.max(0, snapshot.deadlineAt - snapshot.paused.at);
  return timeLeftMs(snapshot.deadlineAt, clientNow, clockOffsetMs);
}

/** A reinstatement not acted on yet: the exam runs again and carries a 'reinstated' note this page has not handled. */
export function reinstatementNote(snapshot: Pick<ExamSnapshot, 'status' | 'notes'>, handled: ReadonlySet<string>): ProctorNote | null {
  if (snapshot.status !== 'in_progress') return null;
  return (snapshot.notes ?? []).find((n) => n.kind === 'reinstated' && !handled.has(n.id)) ?? null;
}

/**
 * The store once the centre has reinstated the exam: this browser's own rule 13 / rule 11 decision
 * and its warning go; devices stopped at the end count as off, so the candidate turns them on
 * again (the 'devices' phase, which restarts proctoring and the recording), then the test.
 */
export function reinstatedState(
  s: Pick<ExamState, 'camera' | 'microphone'>,
  devicesRunning: boolean,
): Pick<ExamState, 'ending' | 'warning' | 'camera' | 'microphone'> {
  return {
    ending: null,
    warning: null,
    camera: devicesRunning ? s.camera : 'idle',
    microphone: devicesRunning ? s.microphone : 'idle',
  };
}

/**
 * Rule 13's grace after a warning: while the warned violation goes on, the ms left to remove its
 * cause before it counts as the repeat that ends the exam (the same moment shared/policy.ts
 * decides it: the warning settled at start + window, plus warningGraceSec). Null once it ended.
 */
export function graceLeftMs(incident: Pick<Incident, 'type' | 'start' | 'end'>, config: ProctoringConfig, now: number): number | null {
  if (incident.end !== null) return null;
  const graceEnd = settledAt(incident as Incident, config) + config.warningGraceSec * 1000;
  return Math.max(0, graceEnd - now);
}

/** A reply as the centre takes it: trimmed, at most NOTE_REPLY_MAX characters, none when empty. */
export function noteReply(text: string): string | undefined {
  const reply = text.trim().slice(0, NOTE_REPLY_MAX);
  return reply === '' ? undefined : reply;
}
