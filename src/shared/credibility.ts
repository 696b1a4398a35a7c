/**
 * The credibility score of a session, 0–100, so a reviewer triages the riskiest sessions first.
 * It is advice; the verdict is a person's.
 *
 * Formula (one pure function, its parts returned for display):
 *
 *   score = clamp(0, 100, round(100 − Σ weight(type) × factor(decision)))   over every incident the browser settled
 *
 *   weight(type): what one incident of that type takes off (INCIDENT_WEIGHTS below): a forbidden object, another
 *     person or another face 20–25, speech 10, leaving the window or the seat 6–8, a turned head or noise 4–5;
 *     technical incidents 0 (rule 11: a fault is never the candidate's violation).
 *   factor(decision), the latest person's decision on that incident winning (the reviewer's verdict over the proctor's):
 *     dismissed 0 (it does not count, as in rule 13), undecided 1, confirmed 1.5.
 *   The reviewer's verdict: "violation confirmed" confirms the incidents it rests on; "no violation" dismisses
 *     every incident no person confirmed; overturning a termination dismisses the incidents it was ended on
 *     unless a person confirmed them.
 */
import { INCIDENTS, isIncidentType, type IncidentType } from './incidents';

export const INCIDENT_WEIGHTS: Record<IncidentType, number> = {
  'face.absent': 8,
  'face.multiple': 20,
  'face.mismatch': 25,
  'head.away': 5,
  'body.left': 8,
  'body.motion': 3,
  'audio.noise': 4,
  'audio.speech': 10,
  'audio.muted': 6,
  'object.phone': 20,
  'object.book': 20,
  'object.laptop': 20,
  'object.headphones': 20,
  'object.remote': 10,
  'object.keyboard': 10,
  'env.focus_lost': 6,
  'env.tab_hidden': 6,
  'env.fullscreen_exit': 4,
  'env.second_screen': 20,
  'env.virtual_camera': 25,
  'env.clipboard': 10,
  'tech.camera_lost': 0,
  'tech.mic_lost': 0,
  'tech.offline': 0,
  'tech.low_fps': 0,
  'tech.model_failed': 0,
};
export const DECISION_FACTORS = { dismissed: 0, undecided: 1, confirmed: 1.5 } as const;
export type CredibilityDecision = keyof typeof DECISION_FACTORS;

export type VerdictKind = 'no_violation' | 'violation_confirmed' | 'termination_overturned';

export interface CredibilityInput {
  incidents: ReadonlyArray<{ id: string; type: IncidentType }>;
  /** People's decisions on incidents (the control room's), in any order: the latest per incident wins. */
  reviews: ReadonlyArray<{ incidentId: string; decision: 'confirmed' | 'dismissed'; at: number }>;
  verdict: { kind: VerdictKind; incidentIds: readonly string[] } | null;
}

export interface CredibilityPart {
  type: IncidentType;
  decision: CredibilityDecision;
  count: number;
  /** Points one incident of this type takes off before its decision factor. */
  weight: number;
  factor: number;
  /** Points taken off by these incidents together. */
  points: number;
}

export interface Credibility {
  score: number;
  parts: CredibilityPart[];
}

export function decisionOf(input: CredibilityInput, incidentId: string): CredibilityDecision {
  const latest = input.reviews
    .filter((r) => r.incidentId === incidentId)
    .reduce<CredibilityInput['reviews'][number] | null>((a, r) => (!a || r.at >= a.at ? r : a), null);
  const byPerson: CredibilityDecision = latest ? latest.decision : 'undecided';
  const v = input.verdict;
  if (!v) return byPerson;
  if (v.kind === 'violation_confirmed') return v.incidentIds.includes(incidentId) ? 'confirmed' : byPerson;
  if (v.kind === 'no_violation') return byPerson === 'confirmed' ? 'confirmed' : 'dismissed';
  return v.incidentIds.includes(incidentId) && byPerson !== 'confirmed' ? 'dismissed' : byPerson;
}

/** The log entries a score reads: incidents the browser settled and rule 12 objects seen in the room scan. */
export const CREDIBILITY_EVENT_TYPES = ['incident.open', 'room_scan.object'] as const;

export function credibilityOf(input: CredibilityInput): Credibility {
  const parts = new Map<string, CredibilityPart>();
  const seen = new Set<string>();
  for (const incident of input.incidents) {
    if (seen.has(incident.id)) continue;
    seen.add(incident.id);
    const decision = decisionOf(input, incident.id);
    const key = `${incident.type} ${decision}`;
    const part = parts.get(key) ?? {
      type: incident.type,
      decision,
      count: 0,
      weight: INCIDENT_WEIGHTS[incident.type],
      factor: DECISION_FACTORS[decision],
      points: 0,
    };
    part.count += 1;
    part.points = part.count * part.weight * part.factor;
    parts.set(key, part);
  }
  const list = [...parts.values()].filter((p) => p.weight > 0).sort((a, b) => b.points - a.points || a.type.localeCompare(b.type));
  const lost = list.reduce((n, p) => n + p.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(100 - lost))), parts: list };
}

/** The incidents of a session's log (incident.open entries and rule 12 objects seen in the room scan), once each. */
export function incidentsOfLog(
  events: ReadonlyArray<{ type: string; data: unknown }>,
): Array<{ id: string; type: IncidentType; technical: boolean }> {
  const out = new Map<string, { id: string; type: IncidentType; technical: boolean }>();
  for (const e of events) {
    const d = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
    if (e.type === 'incident.open') {
      const inc = d.incident as { id?: unknown; type?: unknown } | undefined;
      if (inc && typeof inc.id === 'string' && isIncidentType(inc.type))
        out.set(inc.id, { id: inc.id, type: inc.type, technical: INCIDENTS[inc.type].technical });
    } else if (e.type === 'room_scan.object' && typeof d.id === 'string' && isIncidentType(d.incident)) {
      out.set(d.id, { id: d.id, type: d.incident, technical: false });
    }
  }
  return [...out.values()];
}
