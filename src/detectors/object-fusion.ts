/**
 * Rule-12 objects from two detectors (pure: no tfjs). CenterNet and SSDLite each report COCO classes with a
 * score; a class is reported when either model alone reaches the programme's minimum score, or, for the
 * classes in AGREEING_CLASSES, when both models put it in the same place: two independent models that agree
 * are better evidence than either alone, so their log-odds add (naive Bayes over the two scores):
 *   fused = σ(logit a + logit b − logit prior).
 * Measured on the tuning clips (e2e/fixtures/labels.json role 'tuning'; src/detectors/object-detector.test.ts):
 * a phone held with its back to the camera (phone-5s) scores 0.18-0.23 on CenterNet and 0.14-0.34 on SSDLite,
 * in boxes that overlap (IoU 0.40-0.96), in every frame sampled; on the clean clips no frame has both models
 * above 0.03 for a phone at one place, so no agreement forms there (each must reach 0.1). With the prior at
 * 0.05 the held phone fuses to 0.46-0.68, over the default minimum of 0.4. Books, laptops, remotes and keyboards
 * are not fused: no tuning clip shows one, and both models agree on small book-like things in the empty room of
 * room-scan-full (0.12 and 0.22).
 */
import { OBJECT_CLASSES, type ObjectIncident } from '../shared/incidents';
import type { ObjectSignal } from '../proctoring/signals';
import { iou } from '../proctoring/box';

export interface ObjectOptions {
  minScore: number;
  /** Rule-12 classes the programme allows: never reported. */
  allow: readonly string[];
}

/** One raw detection, any COCO class (0-based, COCO's 80 classes), box in frame fractions. */
export interface RawObject {
  cocoClass: number;
  score: number;
  box: { x: number; y: number; w: number; h: number };
}

/** The classes whose two detections are fused when they agree (see the header for why only the phone). */
export const AGREEING_CLASSES: readonly ObjectIncident[] = ['object.phone'];

export const AGREEMENT = {
  /** Each model's score must reach this for its detection to take part in an agreement. */
  minEach: 0.1,
  /** The two boxes must overlap at least this much (intersection over union). */
  minIou: 0.3,
  /** The chance that a place both models mark is really the object, before their scores are heard. */
  prior: 0.05,
} as const;

const INCIDENT_BY_CLASS = new Map<number, ObjectIncident>(
  (Object.entries(OBJECT_CLASSES) as Array<[ObjectIncident, number]>).map(([incident, cocoClass]) => [cocoClass, incident]),
);

const logit = (p: number) => Math.log(p / (1 - p));
const clampP = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** Two independent scores for the same thing, combined in log-odds against the prior. */
export function fuseScores(a: number, b: number, prior: number = AGREEMENT.prior): number {
  const z = logit(clampP(a)) + logit(clampP(b)) - logit(clampP(prior));
  return 1 / (1 + Math.exp(-z));
}

/**
 * Raw COCO detections → rule-12 signals: mapped via OBJECT_CLASSES, at or above minScore, not
 * allowed, best first. Neither model's output is non-max suppressed for our purpose, so a box
 * overlapping a better one of the same type (IoU > 0.5) is the same object and is dropped.
 */
export function toObjectSignals(raw: readonly RawObject[], options: ObjectOptions): ObjectSignal[] {
  const objects: ObjectSignal[] = [];
  for (const r of [...raw].sort((a, b) => b.score - a.score)) {
    const type = INCIDENT_BY_CLASS.get(r.cocoClass);
    if (!type || r.score < options.minScore || options.allow.includes(type)) continue;
    if (objects.some((o) => o.type === type && iou(o.box, r.box) > 0.5)) continue;
    objects.push({ type, score: r.score, box: r.box });
  }
  return objects;
}

/**
 * Where both models saw an AGREEING_CLASSES object in the same place: one detection per first-model box,
 * with the best-scoring overlapping second-model box, its score fused. The box is the first model's.
 */
export function agreements(first: readonly RawObject[], second: readonly RawObject[]): RawObject[] {
  const classes = new Set<number>(AGREEING_CLASSES.map((t) => OBJECT_CLASSES[t]));
  const out: RawObject[] = [];
  for (const a of first) {
    if (!classes.has(a.cocoClass) || a.score < AGREEMENT.minEach) continue;
    let best: RawObject | null = null;
    for (const b of second) {
      if (b.cocoClass !== a.cocoClass || b.score < AGREEMENT.minEach || iou(a.box, b.box) < AGREEMENT.minIou) continue;
      if (!best || b.score > best.score) best = b;
    }
    if (best) out.push({ cocoClass: a.cocoClass, score: fuseScores(a.score, best.score), box: a.box });
  }
  return out;
}

/** Both models' detections as rule-12 signals: either alone at minScore, or the two agreeing (agreements). */
export function fuseObjects(first: readonly RawObject[], second: readonly RawObject[], options: ObjectOptions): ObjectSignal[] {
  return toObjectSignals([...first, ...second, ...agreements(first, second)], options);
}
