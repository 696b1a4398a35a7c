/**
 * Rule 14: what the violation act states, read from the session's hash-chained log alone
 * (pure; the centre adds the evidence snapshots, the recording offsets and the log's verification).
 *
 * The violations of the act are the incidents that
 *  - the rule 13 policy warned on or ended the exam on (policy.warning / policy.terminated, automatic
 *    or a proctor's), or
 *  - a proctor confirmed (incident.confirmed), or
 *  - the reviewer's verdict "violation confirmed" rests on,
 * except technical incidents (rule 11: never a violation) and incidents whose latest decision by a
 * person is "dismissed" (the verdict over the proctor's, as credibility.ts decides). A proctor who
 * ended the exam naming no recorded incident is itself the violation (rule 13 by a person).
 */
import { decisionOf, type CredibilityInput, type VerdictKind } from './credibility';
import { INCIDENTS, isIncidentType, type IncidentType } from './incidents';
import { INCIDENT_NAMES, PROCTOR_ENDED_FOR_VIOLATION } from './incident-names';
import type { LocalisedText } from './programme';
import type { SessionVerdict } from './review-verdict';
import { browserSkewMs } from './video-time';

/** A log entry as the act reads it. */
export interface ActLogEntry {
  type: string;
  origin: 'client' | 'server';
  serverAt: number;
  clientAt: number | null;
  data: unknown;
}

export type ActBy = { kind: 'automatic' } | { kind: 'staff'; fullName: string };

export interface ActViolationFact {
  /** The incident's id (evidence is stored under it); null for a proctor's end naming none. */
  incidentId: string | null;
  type: IncidentType | null;
  /** docs/rules.md numbering. */
  rule: string;
  description: LocalisedText;
  /** On the centre's clock. */
  at: number;
  /** On the browser's clock (the recording's), for the offset into the recording. */
  browserAt: number;
}

export interface ActFacts {
  violations: ActViolationFact[];
  /** Rule 13's warning, if one stands (a dismissed incident withdraws it). */
  warning: { at: number; by: ActBy } | null;
  /** Rule 13's end of the procedure, if the exam was ended for a violation. */
  termination: { at: number; by: ActBy; reason: string | null } | null;
  /** The latest decision of a proctor on these incidents, or the proctor's end of the exam. */
  proctorDecision: { decision: 'confirmed' | 'dismissed' | 'ended_exam'; fullName: string; at: number; comment: string } | null;
  reviewerDecision: { decision: VerdictKind; fullName: string; at: number; comment: string } | null;
}

type Data = Record<string, unknown>;
const dataOf = (e: ActLogEntry): Data => (typeof e.data === 'object' && e.data !== null ? (e.data as Data) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const staffName = (d: Data): string | null => {
  const by = d.by as { name?: unknown } | undefined;
  return by && typeof by.name === 'string' ? by.name : null;
};
const byOf = (d: Data): ActBy => (d.manual === true && staffName(d) ? { kind: 'staff', fullName: staffName(d)! } : { kind: 'automatic' });

export function actFacts(events: readonly ActLogEntry[], verdict: SessionVerdict | null): ActFacts {
  const skew = browserSkewMs(events.map((e) => ({ origin: e.origin, at: e.serverAt, clientAt: e.clientAt })));
  /** The incidents the browser settled, by id: type and start on the browser's clock. */
  const seen = new Map<string, { type: IncidentType; browserAt: number }>();
  const reviews: Array<CredibilityInput['reviews'][number]> = [];
  const candidates: Array<{ id: string; type: IncidentType; browserAt: number | null }> = [];
  let warning: ActFacts['warning'] = null;
  let warningIncident: string | null = null;
  let termination: ActFacts['termination'] = null;
  let proctorDecision: ActFacts['proctorDecision'] = null;

  for (const e of events) {
    const d = dataOf(e);
    switch (e.type) {
      case 'incident.open': {
        const inc = d.incident as { id?: unknown; type?: unknown; start?: unknown } | undefined;
        if (inc && typeof inc.id === 'string' && isIncidentType(inc.type))
          seen.set(inc.id, { type: inc.type, browserAt: num(inc.start) ?? e.clientAt ?? e.serverAt + skew });
        break;
      }
      case 'room_scan.object': {
        const id = str(d.id);
        if (id && isIncidentType(d.incident)) seen.set(id, { type: d.incident, browserAt: num(d.at) ?? e.clientAt ?? e.serverAt + skew });
        break;
      }
      case 'policy.warning': {
        const id = str(d.incidentId);
        const type = isIncidentType(d.type) ? d.type : null;
        warning = { at: e.serverAt, by: byOf(d) };
        warningIncident = id;
        // A proctor's warning is timed on the centre's clock; the policy's on the browser's (the incident's start).
        const start = num(d.start);
        if (id && type) candidates.push({ id, type, browserAt: start === null ? null : d.manual === true ? start + skew : start });
        break;
      }
      case 'policy.terminated': {
        const id = str(d.incidentId);
        const type = isIncidentType(d.type) ? d.type : null;
        termination = { at: e.serverAt, by: byOf(d), reason: str(d.reason) };
        if (id && type) candidates.push({ id, type, browserAt: num(d.start) });
        if (d.manual === true && staffName(d))
          proctorDecision = { decision: 'ended_exam', fullName: staffName(d)!, at: e.serverAt, comment: str(d.reason) ?? '' };
        break;
      }
      case 'incident.confirmed':
      case 'incident.dismissed': {
        const id = str(d.incidentId);
        if (!id) break;
        const decision = e.type === 'incident.confirmed' ? 'confirmed' : 'dismissed';
        reviews.push({ incidentId: id, decision, at: e.serverAt });
        if (decision === 'confirmed' && isIncidentType(d.type)) candidates.push({ id, type: d.type, browserAt: null });
        if (staffName(d)) proctorDecision = { decision, fullName: staffName(d)!, at: e.serverAt, comment: str(d.comment) ?? '' };
        break;
      }
    }
  }
  if (verdict?.kind === 'violation_confirmed') {
    for (const id of verdict.incidentIds) {
      const s = seen.get(id);
      if (s) candidates.push({ id, type: s.type, browserAt: s.browserAt });
    }
  }

  const input: CredibilityInput = { incidents: [], reviews, verdict: verdict && { kind: verdict.kind, incidentIds: verdict.incidentIds } };
  const violations: ActViolationFact[] = [];
  const listed = new Set<string>();
  for (const c of candidates) {
    if (listed.has(c.id) || INCIDENTS[c.type].technical || decisionOf(input, c.id) === 'dismissed') continue;
    listed.add(c.id);
    const browserAt = seen.get(c.id)?.browserAt ?? c.browserAt ?? 0;
    violations.push({
      incidentId: c.id,
      type: c.type,
      rule: INCIDENTS[c.type].rule,
      description: INCIDENT_NAMES[c.type],
      at: browserAt - skew,
      browserAt,
    });
  }
  violations.sort((a, b) => a.at - b.at);
  if (warningIncident && !listed.has(warningIncident)) warning = null; // withdrawn with its dismissed incident
  if (violations.length === 0 && termination?.by.kind === 'staff') {
    violations.push({
      incidentId: null,
      type: null,
      rule: '13',
      description: PROCTOR_ENDED_FOR_VIOLATION,
      at: termination.at,
      browserAt: termination.at + skew,
    });
  }
  const reviewerDecision = verdict ? { decision: verdict.kind, fullName: verdict.by.name, at: verdict.at, comment: verdict.comment } : null;
  return { violations, warning, termination, proctorDecision, reviewerDecision };
}
