/**
 * Rules 10-11: accommodations for a candidate with a disability, set by an admin before the
 * exam. They change what counts as a violation (rule 13) and how long the exam lasts, never what is seen:
 * every detector still runs, every incident is still logged and recorded. This module is the one place
 * that says what each accommodation changes (pure, table-tested in accommodations.test.ts):
 *
 * | accommodation   | changes                                                                    |
 * |-----------------|----------------------------------------------------------------------------|
 * | extraTime       | the exam's deadline at the centre: + minutes, or + a percentage of it       |
 * | screenReader    | head.away (looking away from the screen) is logged, never a violation       |
 * | assistant       | face.multiple and audio.speech are logged as expected, never violations     |
 * | speech          | audio.speech (dictation, reading aloud) is logged, never a violation        |
 * | breaks          | the candidate may stop the timer `count` times for up to `minutes` each     |
 * | largeText       | the candidate's screens start in large text                                 |
 * | highContrast    | the candidate's screens start in high contrast                              |
 */
import type { IncidentType } from './incidents';
import type { ProctoringConfig } from './proctoring-config';

export const ACCOMMODATION_REASON_MAX = 1000;
export const ASSISTANT_NAME_MAX = 200;
/** At most this much extra time: double the exam (percent) or four hours (minutes). */
export const EXTRA_TIME_MAX = { percent: 100, minutes: 240 } as const;
export const BREAKS_MAX = { count: 10, minutes: 60 } as const;
/** A supporting document (a medical or disability certificate): a photo or a PDF up to 5 MB. */
export const ACCOMMODATION_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

export interface Accommodations {
  /** Extra time on top of the programme's duration: minutes, or a percentage of it. */
  extraTime: { unit: 'percent' | 'minutes'; value: number } | null;
  /** A screen reader is used: looking away from the screen is expected. */
  screenReader: boolean;
  /** Who assists in the room (a reader, a sign-language interpreter): their name goes into the log and the briefing. */
  assistant: { name: string } | null;
  /** Speaking is allowed (dictation, reading aloud). */
  speech: boolean;
  largeText: boolean;
  highContrast: boolean;
  /** Breaks the candidate may take, each stopping the timer for up to `minutes`. */
  breaks: { count: number; minutes: number } | null;
}

export const NO_ACCOMMODATIONS: Accommodations = {
  extraTime: null,
  screenReader: false,
  assistant: null,
  speech: false,
  largeText: false,
  highContrast: false,
  breaks: null,
};

/** A candidate's accommodations as the centre keeps them: who set them, when and why. */
export interface AccommodationRecord {
  accommodations: Accommodations;
  reason: string;
  setBy: { role: string; name: string };
  setAt: number;
  /** The supporting document (a medical or disability certificate), if one was given. */
  document: { name: string; type: string; sha256: string; bytes: number } | null;
}

/** Whether anything is set at all. */
export function hasAccommodations(a: Accommodations | null | undefined): a is Accommodations {
  if (!a) return false;
  return a.extraTime !== null || a.screenReader || a.assistant !== null || a.speech || a.largeText || a.highContrast || a.breaks !== null;
}

/** The extra time in milliseconds for an exam of `durationMinutes` (a percentage rounds up to the whole minute). */
export function extraTimeMs(durationMinutes: number, a: Accommodations | null | undefined): number {
  const x = a?.extraTime;
  if (!x) return 0;
  const minutes = x.unit === 'minutes' ? x.value : Math.ceil((durationMinutes * x.value) / 100);
  return minutes * 60_000;
}

/** The incident types an accommodation excuses from rule 13 (still detected, logged and recorded). */
export function excusedIncidents(a: Accommodations | null | undefined): IncidentType[] {
  if (!a) return [];
  const excused = new Set<IncidentType>();
  if (a.screenReader) excused.add('head.away');
  if (a.assistant) {
    excused.add('face.multiple');
    excused.add('audio.speech');
  }
  if (a.speech) excused.add('audio.speech');
  return [...excused].sort();
}

/**
 * The programme's proctoring settings for this candidate: the same detectors and windows, with the
 * excused incident types no longer violations. The browser and the centre both judge rule 13 with this.
 */
export function accommodatedConfig(config: ProctoringConfig, a: Accommodations | null | undefined): ProctoringConfig {
  const excused = excusedIncidents(a);
  if (excused.length === 0) return config;
  const incidents = { ...config.incidents };
  for (const type of excused) incidents[type] = { ...incidents[type], violation: false };
  return { ...config, incidents };
}

/** The pause reason of a candidate's own break: the timer stops as for a proctor's pause. */
export const BREAK_REASON = 'break';

export type BreakRefusal = 'no_breaks' | 'none_left' | 'paused' | 'not_running';

/** Whether the candidate may start a break now (the centre decides; the browser shows the button by the same rule). */
export function breakRefusal(s: {
  status: string;
  paused: { reason: string } | null;
  accommodations: Accommodations | null;
  taken: number;
}): BreakRefusal | null {
  if (s.status !== 'in_progress') return 'not_running';
  if (!s.accommodations?.breaks) return 'no_breaks';
  if (s.paused) return 'paused';
  if (s.taken >= s.accommodations.breaks.count) return 'none_left';
  return null;
}
