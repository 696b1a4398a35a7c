/**
 * Scores an `npm run eval` report against labelled timelines (e2e/fixtures/labels.json):
 * per incident class, recall (labelled episodes that raised an incident), precision
 * (incidents that fall on a labelled episode), false incidents per clean minute, and false
 * stretches: an incident that stays open longer than its clear window past the end of its
 * episode is scored by the seconds it overran. Every other incident type the report holds is
 * a false incident (the labels expect none of them). Per sample, face-count accuracy and
 * speech precision/recall. The fake devices loop their files, so the timeline repeats with
 * the file's duration. Pure: no I/O.
 */
import { DEFAULT_PROCTORING } from '../shared/proctoring-config';
import type { IncidentType } from '../shared/incidents';
import type { ProctoringSample } from '../proctoring/signals';

export interface LabelSegment {
  start_s: number;
  end_s: number;
  faces: number | null;
  face_turned: boolean | null;
  speech: boolean | null;
  noise: boolean | null;
  phone: boolean | null;
}
export interface LabelledFile {
  duration_s: number;
  timeline: LabelSegment[];
}

export type EvalSample = ProctoringSample;
export interface EvalIncident {
  type: string;
  start: number;
  end: number | null;
  confidence: number;
}
export interface EvalReport {
  /** The part of the feed that was judged (seconds from the feed start): incidents count from `from`. */
  window: { from: number; to: number };
  samples: EvalSample[];
  incidents: EvalIncident[];
}

type Medium = 'video' | 'audio';
interface ClassDef {
  type: string;
  medium: Medium;
  positive: (s: LabelSegment) => boolean | null;
}

/** Which label makes each incident class true (null = the label does not say). */
export const CLASSES: readonly ClassDef[] = [
  { type: 'face.absent', medium: 'video', positive: (s) => (s.faces === null ? null : s.faces === 0) },
  { type: 'face.multiple', medium: 'video', positive: (s) => (s.faces === null ? null : s.faces >= 2) },
  { type: 'head.away', medium: 'video', positive: (s) => (s.faces === null ? null : s.face_turned === true) },
  // Nobody in view: the labels count heads, and a clip with no head shows no seated candidate.
  { type: 'body.left', medium: 'video', positive: (s) => (s.faces === null ? null : s.faces === 0) },
  { type: 'object.phone', medium: 'video', positive: (s) => s.phone },
  { type: 'audio.speech', medium: 'audio', positive: (s) => s.speech },
  { type: 'audio.noise', medium: 'audio', positive: (s) => s.noise },
];

interface Span {
  start: number;
  end: number;
}

/** The positive episodes of a class within [from, to], the file's timeline repeated every duration_s. */
export function episodes(file: LabelledFile, positive: ClassDef['positive'], from: number, to: number): Span[] {
  const out: Span[] = [];
  const d = file.duration_s;
  for (let k = Math.floor(from / d) - 1; k * d <= to; k++) {
    for (const seg of file.timeline) {
      if (positive(seg) !== true) continue;
      const start = seg.start_s + k * d;
      const end = seg.end_s + k * d;
      if (end <= from || start >= to) continue;
      const last = out[out.length - 1];
      if (last && Math.abs(last.end - start) < 1e-6)
        last.end = end; // joined across a segment border or the loop
      else out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return out;
}

export interface ClassScore {
  type: string;
  episodes: number;
  detected: number;
  recall: number | null;
  incidents: number;
  correct: number;
  precision: number | null;
  cleanMinutes: number;
  falsePerCleanMinute: number | null;
  /** Correct incidents that stayed open past their episode's end by more than the clear window (and the slack). */
  falseStretches: number;
  /** Seconds of incidents outside every episode (widened by the slack, and by the clear window after its end). */
  falseSeconds: number;
  falseSecondsPerCleanMinute: number | null;
}

/** The persistence window of an incident type (how long its condition must hold before it opens), from the defaults. */
export function afterSecOf(type: string): number {
  return DEFAULT_PROCTORING.incidents[type as IncidentType]?.afterSec ?? 0;
}

/** The clear window of an incident type (how long its condition must be gone before it closes), from the defaults. */
export function clearSecOf(type: string): number {
  return DEFAULT_PROCTORING.incidents[type as IncidentType]?.clearSec ?? 0;
}

/** Seconds of `span` not covered by any of `cover` (the covers may overlap each other). */
function uncovered(span: Span, cover: readonly Span[]): number {
  let inside = 0;
  let at = span.start;
  for (const c of [...cover].sort((a, b) => a.start - b.start)) {
    const from = Math.max(at, c.start);
    const to = Math.min(span.end, c.end);
    if (to > from) {
      inside += to - from;
      at = to;
    }
  }
  return Math.max(0, span.end - span.start - inside);
}

/**
 * An incident matches an episode when it overlaps it, allowing `slackS` after the episode ends
 * (an incident opens only after its persistence window, so it may start near the episode's end)
 * and before it starts (label and clock tolerance). A matched incident may also stay open for
 * `clearS` (its type's clear window) plus the slack after the episode; any longer is a false stretch.
 */
export function scoreClass(
  def: ClassDef,
  file: LabelledFile | null,
  report: EvalReport,
  slackS = 1.5,
  clearS = clearSecOf(def.type),
): ClassScore {
  const { from, to } = report.window;
  const eps = file ? episodes(file, def.positive, from, to) : [];
  const mine = report.incidents.filter((i) => i.type === def.type).map((i) => ({ start: i.start, end: i.end ?? to }));
  const overlaps = (a: Span, b: Span) => a.start < b.end + slackS && a.end > b.start - slackS;
  // Episodes that start too close to the end of the window to settle in it (their persistence window and the slack),
  // and those already going on when it opened (cut to start at `from`: their incident may predate it), are not judged.
  const settleS = afterSecOf(def.type) + slackS;
  const judged = eps.filter((e) => e.start > from && e.start < to - settleS);
  const detected = judged.filter((e) => mine.some((m) => overlaps(m, e))).length;
  const correct = mine.filter((m) => eps.some((e) => overlaps(m, e))).length;
  const positiveS = eps.reduce((n, e) => n + (e.end - e.start), 0);
  const labelled = file !== null && file.timeline.some((s) => def.positive(s) !== null);
  const cleanMinutes = labelled ? Math.max(0, to - from - positiveS) / 60 : 0;
  const allowed = eps.map((e) => ({ start: e.start - slackS, end: e.end + clearS + slackS }));
  let falseStretches = 0;
  let falseSeconds = 0;
  for (const m of mine) {
    const over = uncovered(m, allowed);
    falseSeconds += over;
    if (over > 0 && eps.some((e) => overlaps(m, e))) falseStretches++;
  }
  return {
    type: def.type,
    episodes: judged.length,
    detected,
    recall: judged.length > 0 ? detected / judged.length : null,
    incidents: mine.length,
    correct,
    precision: mine.length > 0 ? correct / mine.length : null,
    cleanMinutes,
    falsePerCleanMinute: cleanMinutes > 0 ? (mine.length - correct) / cleanMinutes : null,
    falseStretches,
    falseSeconds,
    falseSecondsPerCleanMinute: cleanMinutes > 0 ? falseSeconds / cleanMinutes : null,
  };
}

/** Incidents of a type no class here scores: the labels expect none of them, so each is false. */
export interface UnexpectedScore {
  type: string;
  incidents: number;
  seconds: number;
}

export function scoreUnexpected(report: EvalReport): UnexpectedScore[] {
  const scored = new Set(CLASSES.map((c) => c.type));
  const byType = new Map<string, UnexpectedScore>();
  for (const i of report.incidents) {
    if (scored.has(i.type)) continue;
    const entry = byType.get(i.type) ?? { type: i.type, incidents: 0, seconds: 0 };
    entry.incidents++;
    entry.seconds += (i.end ?? report.window.to) - i.start;
    byType.set(i.type, entry);
  }
  return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
}

function labelAt(file: LabelledFile, t: number): LabelSegment | null {
  const x = ((t % file.duration_s) + file.duration_s) % file.duration_s;
  return file.timeline.find((s) => x >= s.start_s && x < s.end_s) ?? null;
}

/** Samples within `marginS` of a label change are skipped: the cut is not frame-exact in wall time. */
function nearBorder(file: LabelledFile, t: number, marginS: number): boolean {
  const x = ((t % file.duration_s) + file.duration_s) % file.duration_s;
  return file.timeline.some((s) => Math.abs(x - s.start_s) < marginS || Math.abs(x - s.end_s) < marginS);
}

export interface SampleScore {
  faceSamples: number;
  faceCountAccuracy: number | null;
  speechSamples: number;
  speechPrecision: number | null;
  speechRecall: number | null;
}

export function scoreSamples(
  report: EvalReport,
  video: LabelledFile | null,
  audio: LabelledFile | null,
  speechThreshold: number,
  marginS = 0.5,
): SampleScore {
  let faceN = 0;
  let faceOk = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let speechN = 0;
  for (const s of report.samples) {
    if (s.faces !== null && video && !nearBorder(video, s.t, marginS)) {
      const label = labelAt(video, s.t);
      if (label?.faces != null) {
        faceN++;
        if (label.faces === s.faces) faceOk++;
      }
    }
    if (s.speech !== null && audio && !nearBorder(audio, s.t, marginS)) {
      const label = labelAt(audio, s.t);
      if (label?.speech != null) {
        speechN++;
        const said = s.speech > speechThreshold;
        if (said && label.speech) tp++;
        else if (said) fp++;
        else if (label.speech) fn++;
      }
    }
  }
  return {
    faceSamples: faceN,
    faceCountAccuracy: faceN > 0 ? faceOk / faceN : null,
    speechSamples: speechN,
    speechPrecision: tp + fp > 0 ? tp / (tp + fp) : null,
    speechRecall: tp + fn > 0 ? tp / (tp + fn) : null,
  };
}

/**
 * False violations per clean hour: incidents of the types that count as violations (rule 13's warning and
 * termination, DEFAULT_PROCTORING) that match no labelled episode, over the time when no class's label holds.
 */
export interface FalseViolations {
  count: number;
  cleanMinutes: number;
  perCleanHour: number | null;
}

export function falseViolations(report: EvalReport, video: LabelledFile | null, audio: LabelledFile | null, slackS = 1.5): FalseViolations {
  const { from, to } = report.window;
  const positive = CLASSES.flatMap((def) => {
    const file = def.medium === 'video' ? video : audio;
    return file ? episodes(file, def.positive, from, to).map((e) => ({ ...e, type: def.type })) : [];
  });
  const isViolation = (type: string) => DEFAULT_PROCTORING.incidents[type as IncidentType]?.violation === true;
  const count = report.incidents.filter(
    (i) => isViolation(i.type) && !positive.some((e) => e.type === i.type && i.start < e.end + slackS && (i.end ?? to) > e.start - slackS),
  ).length;
  const cleanMinutes = uncovered({ start: from, end: to }, positive) / 60;
  return { count, cleanMinutes, perCleanHour: cleanMinutes > 0 ? (count / cleanMinutes) * 60 : null };
}

export function scoreReport(report: EvalReport, video: LabelledFile | null, audio: LabelledFile | null, speechThreshold = 0.6) {
  return {
    classes: CLASSES.map((def) => scoreClass(def, def.medium === 'video' ? video : audio, report)),
    unexpected: scoreUnexpected(report),
    falseViolations: falseViolations(report, video, audio),
    samples: scoreSamples(report, video, audio, speechThreshold),
  };
}

/** One re-verification during the exam as `npm run eval -- --reference` records it (t in seconds of the feed). */
export interface EvalIdentityCheck {
  t: number;
  similarity: number | null;
  matched: boolean | null;
  skipped?: string;
}

export interface IdentityScore {
  checks: number;
  /** Checks with no comparison (no face, several, the centre unreachable). */
  skipped: number;
  similarity: { min: number; median: number; max: number } | null;
  threshold: number;
  /** Every compared check matched (and there was at least one). */
  verified: boolean;
  /** face.mismatch incidents (rule 2.8.6): the centre raises them, and the eval runner adds them to the report's incidents. */
  mismatchIncidents: number;
}

/** Rule 2.8.6 in the eval report: similarity of the re-verifications, the verdict, and face.mismatch incidents. */
export function scoreIdentity(checks: readonly EvalIdentityCheck[], incidents: readonly EvalIncident[], threshold: number): IdentityScore {
  const sims = checks.flatMap((c) => (c.similarity === null ? [] : [c.similarity])).sort((a, b) => a - b);
  const compared = checks.filter((c) => c.matched !== null);
  return {
    checks: checks.length,
    skipped: checks.length - compared.length,
    similarity: sims.length ? { min: sims[0]!, median: sims[Math.floor((sims.length - 1) / 2)]!, max: sims.at(-1)! } : null,
    threshold,
    verified: compared.length > 0 && compared.every((c) => c.matched === true),
    mismatchIncidents: incidents.filter((i) => i.type === 'face.mismatch').length,
  };
}

/**
 * The face.mismatch incidents the centre raised, read from its log: an identity.checked entry with an
 * incidentId closes a run of mismatched checks (IDENTITY_MISMATCH_RUN in a row). Times are the
 * centre's receive times (ms since the epoch; the eval's centre runs on the same machine's clock).
 */
export function centreMismatches(checked: ReadonlyArray<{ serverAt: number; data: unknown }>): EvalIncident[] {
  const incidents: EvalIncident[] = [];
  let runStart: number | null = null;
  for (const e of checked) {
    const d = e.data as { matched: boolean; incidentId?: string };
    if (d.matched) {
      runStart = null;
      continue;
    }
    runStart ??= e.serverAt;
    if (d.incidentId) {
      incidents.push({ type: 'face.mismatch', start: runStart, end: e.serverAt, confidence: 1 });
      runStart = null;
    }
  }
  return incidents;
}
